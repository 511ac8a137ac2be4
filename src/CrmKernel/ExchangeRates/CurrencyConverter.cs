using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.ExchangeRates;

/// <summary>
/// Converts amounts into one target currency through an <see cref="IExchangeRateProvider"/>, caching each rate per
/// currency and date so that converting millions of amounts asks the provider once per pair and day. Create one per
/// report or evaluation; it is not thread-safe.
/// </summary>
public sealed class CurrencyConverter
{
    private readonly IExchangeRateProvider _provider;
    private readonly Dictionary<(Currency From, LocalDate Date), decimal> _cache = [];

    /// <summary>Creates a converter into <paramref name="target"/>.</summary>
    /// <param name="provider">The rate source.</param>
    /// <param name="target">The currency every amount is converted into; not XXX.</param>
    /// <exception cref="ArgumentNullException"><paramref name="provider"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="target"/> is XXX.</exception>
    public CurrencyConverter(IExchangeRateProvider provider, Currency target)
    {
        _provider = Preconditions.NotNull(provider);
        Preconditions.Check(target != Currency.XXX, "Convert into a real currency.", nameof(target));
        Target = target;
    }

    /// <summary>The currency amounts are converted into.</summary>
    public Currency Target { get; }

    /// <summary>
    /// Tries to convert without asking the provider: succeeds when the amount is already in <see cref="Target"/> or the
    /// rate for its currency and date is cached. Hot loops call this first and fall back to <see cref="ConvertAsync"/>.
    /// </summary>
    public bool TryConvertCached(Money amount, LocalDate date, out decimal converted)
    {
        if (amount.Currency == Target)
        {
            converted = amount.Amount;
            return true;
        }

        if (_cache.TryGetValue((amount.Currency, date), out var rate))
        {
            converted = amount.Amount * rate;
            return true;
        }

        converted = 0m;
        return false;
    }

    /// <summary>Converts an amount dated <paramref name="date"/> into <see cref="Target"/>.</summary>
    /// <exception cref="ExchangeRateNotFoundException">The provider has no rate for the amount's currency on that date.</exception>
    public async ValueTask<Money> ConvertAsync(Money amount, LocalDate date, CancellationToken cancellationToken = default)
    {
        if (TryConvertCached(amount, date, out var converted))
        {
            return new Money(converted, Target);
        }

        var rate = await _provider.FindRateAsync(amount.Currency, Target, date, cancellationToken).ConfigureAwait(false)
                   ?? throw new ExchangeRateNotFoundException(amount.Currency, Target, date);
        if (rate.From != amount.Currency || rate.To != Target)
        {
            throw new InvalidOperationException($"The exchange-rate provider answered {rate.From.Code}→{rate.To.Code} when asked for {amount.Currency.Code}→{Target.Code}.");
        }

        _cache[(amount.Currency, date)] = rate.Rate;
        return new Money(amount.Amount * rate.Rate, Target);
    }
}

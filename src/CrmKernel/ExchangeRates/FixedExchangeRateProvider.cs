using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.ExchangeRates;

/// <summary>
/// An in-memory table of dated rates: each rate applies from its date until the next rate of the same pair. Use it
/// in tests, samples, and hosts that set a handful of budget rates per period; connect a real rate source by
/// implementing <see cref="IExchangeRateProvider"/> yourself.
/// </summary>
/// <remarks>
/// A lookup returns the latest rate of the pair dated on or before the date asked for; when only the reverse pair is
/// known, its inverse is used. Dates before a pair's first rate have no rate. The table is immutable once built.
/// </remarks>
public sealed class FixedExchangeRateProvider : IExchangeRateProvider
{
    private readonly Dictionary<(Currency From, Currency To), ExchangeRate[]> _rates;

    /// <summary>Creates the table from rates in any order.</summary>
    /// <param name="rates">The rates; at most one per pair and date.</param>
    /// <exception cref="ArgumentNullException"><paramref name="rates"/> is null or holds null.</exception>
    /// <exception cref="ArgumentException">Two rates have the same pair and date.</exception>
    public FixedExchangeRateProvider(IEnumerable<ExchangeRate> rates)
    {
        Preconditions.NotNull(rates);
        var list = rates.ToList();
        Preconditions.Check(list.TrueForAll(r => r is not null), "The table holds a null rate.", nameof(rates));
        _rates = list.GroupBy(r => (r.From, r.To)).ToDictionary(g => g.Key, g => g.OrderBy(r => r.Date).ToArray());
        foreach (var pair in _rates.Values)
        {
            for (var i = 1; i < pair.Length; i++)
            {
                Preconditions.Check(pair[i].Date != pair[i - 1].Date, $"Two rates from {pair[i].From.Code} to {pair[i].To.Code} are dated {pair[i].Date:uuuu-MM-dd}.", nameof(rates));
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<ExchangeRate?> FindRateAsync(Currency from, Currency to, LocalDate date, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Latest(from, to, date) is { } direct)
        {
            return ValueTask.FromResult<ExchangeRate?>(direct);
        }

        return ValueTask.FromResult(Latest(to, from, date) is { } reverse ? new ExchangeRate(from, to, reverse.Date, 1m / reverse.Rate) : null);
    }

    private ExchangeRate? Latest(Currency from, Currency to, LocalDate date)
    {
        if (!_rates.TryGetValue((from, to), out var pair))
        {
            return null;
        }

        ExchangeRate? found = null;
        foreach (var rate in pair)
        {
            if (rate.Date > date)
            {
                break;
            }

            found = rate;
        }

        return found;
    }
}

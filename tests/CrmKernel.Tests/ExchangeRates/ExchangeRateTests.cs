using CrmKernel.ExchangeRates;
using CrmKernel.Primitives;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.ExchangeRates;

public sealed class ExchangeRateTests
{
    private static readonly LocalDate First = new(2026, 1, 1);

    [Fact]
    public async Task FixedProvider_UsesTheLatestRateOnOrBeforeTheDate()
    {
        var provider = new FixedExchangeRateProvider([Rate(First, 0.86m), Rate(First.PlusDays(10), 0.88m)]);

        Assert.Null(await provider.FindRateAsync(Currency.EUR, Currency.GBP, First.PlusDays(-1), CancellationToken.None));
        Assert.Equal(0.86m, (await provider.FindRateAsync(Currency.EUR, Currency.GBP, First.PlusDays(9), CancellationToken.None))!.Rate);
        Assert.Equal(0.88m, (await provider.FindRateAsync(Currency.EUR, Currency.GBP, First.PlusDays(10), CancellationToken.None))!.Rate);
        Assert.Null(await provider.FindRateAsync(Currency.EUR, Currency.USD, First, CancellationToken.None));
    }

    [Fact]
    public async Task FixedProvider_InvertsTheReversePair()
    {
        var provider = new FixedExchangeRateProvider([Rate(First, 0.8m)]);

        var rate = await provider.FindRateAsync(Currency.GBP, Currency.EUR, First, CancellationToken.None);

        Assert.Equal(1.25m, rate!.Rate);
        Assert.Equal(Currency.GBP, rate.From);
        Assert.Equal(Money.Of(12.5m, "EUR"), rate.Convert(Money.Of(10m, "GBP")));
    }

    [Fact]
    public void FixedProvider_RejectsTwoRatesForOnePairAndDate()
    {
        Assert.Throws<ArgumentException>(() => new FixedExchangeRateProvider([Rate(First, 0.86m), Rate(First, 0.87m)]));
    }

    [Fact]
    public void ExchangeRate_RejectsBadRatesAndPairs_AndConvertsOnlyItsSourceCurrency()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExchangeRate(Currency.EUR, Currency.GBP, First, 0m));
        Assert.Throws<ArgumentException>(() => new ExchangeRate(Currency.EUR, Currency.EUR, First, 1m));
        Assert.Throws<ArgumentException>(() => new ExchangeRate(Currency.XXX, Currency.EUR, First, 1m));
        Assert.Throws<CurrencyMismatchException>(() => Rate(First, 0.86m).Convert(Money.Of(1m, "USD")));
        Assert.Equal("1 EUR = 0.86 GBP on 2026-01-01", Rate(First, 0.86m).ToString());
    }

    [Fact]
    public async Task Converter_AsksTheProviderOncePerCurrencyAndDay_AndFailsClearlyWithoutARate()
    {
        var provider = new CountingProvider(new FixedExchangeRateProvider([Rate(First, 0.86m)]));
        var converter = new CurrencyConverter(provider, Currency.GBP);

        Assert.Equal(Money.Of(86m, "GBP"), await converter.ConvertAsync(Money.Of(100m, "EUR"), First));
        Assert.Equal(Money.Of(8.6m, "GBP"), await converter.ConvertAsync(Money.Of(10m, "EUR"), First));
        Assert.Equal(Money.Of(5m, "GBP"), await converter.ConvertAsync(Money.Of(5m, "GBP"), First));
        Assert.True(converter.TryConvertCached(Money.Of(1m, "EUR"), First, out var cached));
        Assert.Equal(0.86m, cached);
        Assert.False(converter.TryConvertCached(Money.Of(1m, "EUR"), First.PlusDays(1), out _));
        Assert.Equal(1, provider.Calls);

        var error = await Assert.ThrowsAsync<ExchangeRateNotFoundException>(async () => await converter.ConvertAsync(Money.Of(1m, "USD"), First));
        Assert.Equal("CRM-MONEY-002", error.ErrorCode);
        Assert.Contains("USD to GBP on 2026-01-01", error.Message, StringComparison.Ordinal);
    }

    private static ExchangeRate Rate(LocalDate date, decimal rate) => new(Currency.EUR, Currency.GBP, date, rate);

    private sealed class CountingProvider(IExchangeRateProvider inner) : IExchangeRateProvider
    {
        public int Calls { get; private set; }

        public ValueTask<ExchangeRate?> FindRateAsync(Currency from, Currency to, LocalDate date, CancellationToken cancellationToken)
        {
            Calls++;
            return inner.FindRateAsync(from, to, date, cancellationToken);
        }
    }
}

using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Primitives;
using CrmKernel.Sales;
using CrmKernel.Tests.Sales;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Metrics.Catalogue;

/// <summary>
/// The sales figures pinned on eight hand-made deals for March 2026 in London (the clocks go forward on 29 March, so
/// 31 March 22:30 UTC is 23:30 that day and 23:30 UTC is already 1 April), in EUR with GBP at 1.2.
/// </summary>
public sealed class SalesPerformanceTests
{
    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];
    private static readonly DateInterval March = new(new LocalDate(2026, 3, 1), new LocalDate(2026, 3, 31));

    [Fact]
    public async Task ComputeAsync_MatchesTheHandComputedFigures()
    {
        var result = await SalesPerformance.ComputeAsync(Deals(), March, London, Converter());

        // Closed in March: A won (1,000 EUR), B won (500 GBP = 600 EUR), C lost (400 EUR). D is won on 1 April (London), H in February.
        Assert.Equal(2, result.Won);
        Assert.Equal(1, result.Lost);
        Assert.Equal(2m / 3m, result.WinRateByCount.Value);
        Assert.Equal(1_600m / 2_000m, result.WinRateByValue.Value);
        Assert.Equal(800m, result.AverageDealSize.Value);

        // A: 1 Feb 09:00 to 10 Mar 12:00 UTC = 37 days 3 hours = 37.125 days; B: exactly 10 days. Mean 23.5625.
        Assert.Equal(23.5625m, result.SalesCycleDays.Value);

        // Open and expected in March: E (2,000 in negotiate, 0.7, commit) and F (300 in propose, 0.4, best case); G is expected in April.
        Assert.Equal(2_300m, result.PipelineValue.Value);
        Assert.Equal(1_520m, result.WeightedPipelineValue.Value);
        Assert.Equal(0m, result.Forecast[ForecastCategory.Pipeline].Value);
        Assert.Equal(300m, result.Forecast[ForecastCategory.BestCase].Value);
        Assert.Equal(2_000m, result.Forecast[ForecastCategory.Commit].Value);
        Assert.Equal(1_600m, result.Forecast[ForecastCategory.Closed].Value);
    }

    [Fact]
    public async Task ComputeAsync_WithNothingClosed_GivesNoRatesButZeroPipeline()
    {
        var result = await SalesPerformance.ComputeAsync([], March, London, Converter());

        Assert.False(result.WinRateByCount.HasValue);
        Assert.False(result.WinRateByValue.HasValue);
        Assert.False(result.AverageDealSize.HasValue);
        Assert.False(result.SalesCycleDays.HasValue);
        Assert.Equal(0m, result.PipelineValue.Value);
        Assert.Equal(0m, result.WeightedPipelineValue.Value);
    }

    private static CurrencyConverter Converter()
        => new(new FixedExchangeRateProvider([new ExchangeRate(Currency.GBP, Currency.EUR, new LocalDate(2026, 1, 1), 1.2m)]), Currency.EUR);

    private static List<Opportunity> Deals()
    {
        var opened = Instant.FromUtc(2026, 2, 1, 9, 0);
        return
        [
            Won("A", 1_000m, Currency.EUR, opened, Instant.FromUtc(2026, 3, 10, 12, 0)),
            Won("B", 500m, Currency.GBP, Instant.FromUtc(2026, 3, 21, 22, 30), Instant.FromUtc(2026, 3, 31, 22, 30)),
            Lost("C", 400m, opened, Instant.FromUtc(2026, 3, 15, 10, 0)),
            Won("D", 9_999m, Currency.EUR, opened, Instant.FromUtc(2026, 3, 31, 23, 30)),
            Open("E", 2_000m, opened, "negotiate", new LocalDate(2026, 3, 20)),
            Open("F", 300m, opened, "propose", new LocalDate(2026, 3, 31)),
            Open("G", 700m, opened, "qualify", new LocalDate(2026, 4, 1)),
            Lost("H", 800m, opened, Instant.FromUtc(2026, 2, 28, 10, 0)),
        ];
    }

    private static Opportunity Deal(string name, decimal amount, Currency currency, Instant opened, LocalDate expectedClose, string? stage = null)
    {
        var deal = Opportunity.Open(OpportunityId.New(), SalesTestData.Customer, SalesTestData.Pipeline, name, "owner", currency, expectedClose, opened, "rep", stage);
        deal.AddLineItem("product-" + name, 1m, new Money(amount, currency), 0m, opened);
        return deal;
    }

    private static Opportunity Won(string name, decimal amount, Currency currency, Instant opened, Instant won)
    {
        var deal = Deal(name, amount, currency, opened, new LocalDate(2026, 3, 31));
        deal.CloseWon(won, "rep", "signed");
        return deal;
    }

    private static Opportunity Lost(string name, decimal amount, Instant opened, Instant lost)
    {
        var deal = Deal(name, amount, Currency.EUR, opened, new LocalDate(2026, 3, 31));
        deal.CloseLost(lost, "rep", "no budget");
        return deal;
    }

    private static Opportunity Open(string name, decimal amount, Instant opened, string stage, LocalDate expectedClose)
        => Deal(name, amount, Currency.EUR, opened, expectedClose, stage);
}

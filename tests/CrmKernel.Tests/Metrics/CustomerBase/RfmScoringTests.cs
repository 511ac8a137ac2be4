using CrmKernel.Metrics.CustomerBase;
using CrmKernel.Primitives;
using NodaTime;
using Xunit;
using Xunit.Abstractions;

namespace CrmKernel.Tests.Metrics.CustomerBase;

[Collection(CustomerBaseCollection.Name)]
public sealed class RfmScoringTests(ITestOutputHelper output)
{
    [Fact]
    public void Quintiles_WithoutTies_SplitTheBaseIntoEqualFifths()
        => Assert.Equal([1, 1, 2, 2, 3, 3, 4, 4, 5, 5], RfmScoring.Quintiles([1m, 2m, 3m, 4m, 5m, 6m, 7m, 8m, 9m, 10m]));

    [Fact]
    public void Quintiles_TiedValues_ShareTheScoreOfTheirLowestRank()
    {
        // Three tied lowest values take ranks 0–2 and all score 1; the next value has 3 below it: 1 + ⌊5·3/5⌋ = 4.
        Assert.Equal([1, 1, 1, 4, 5], RfmScoring.Quintiles([7m, 7m, 7m, 8m, 9m]));
        Assert.Equal([1, 1, 1, 1], RfmScoring.Quintiles([3m, 3m, 3m, 3m]));
        Assert.Equal([1, 2, 2, 2, 2], RfmScoring.Quintiles([1m, 2m, 2m, 2m, 2m]));
    }

    [Fact]
    public void Quintiles_DoNotDependOnTheInputOrder()
    {
        decimal[] values = [5m, 1m, 3m, 3m, 9m, 1m, 1m, 7m, 3m, 2m, 8m];
        var scores = RfmScoring.Quintiles(values);
        var shuffled = values.Select((v, i) => (v, i)).OrderBy(p => (p.i * 7) % 11).ToArray();
        var shuffledScores = RfmScoring.Quintiles([.. shuffled.Select(p => p.v)]);

        for (var k = 0; k < shuffled.Length; k++)
        {
            Assert.Equal(scores[shuffled[k].i], shuffledScores[k]);
        }
    }

    [Fact]
    public void Score_RanksRecentFrequentAndHighSpendingCustomersHighest()
    {
        CustomerId Id(int i) => new(new Guid(i, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1));
        PurchaseRecord Buy(int customer, int day, decimal euros) => new(Id(customer), Instant.FromUtc(2026, 1, 1, 12, 0) + Duration.FromDays(day), Money.Of(euros, "EUR"));

        // Customer 1: recent, frequent, big spender; customer 5: one small purchase long ago.
        var summary = CustomerBaseSummary.Create(
            [
                Buy(1, 0, 100m), Buy(1, 30, 100m), Buy(1, 60, 100m), Buy(1, 88, 100m),
                Buy(2, 0, 50m), Buy(2, 40, 50m), Buy(2, 80, 50m),
                Buy(3, 10, 30m), Buy(3, 60, 30m),
                Buy(4, 20, 20m), Buy(4, 50, 20m),
                Buy(5, 5, 10m),
            ],
            Currency.EUR,
            DateTimeZone.Utc,
            new LocalDate(2026, 3, 31),
            SummaryTimeUnit.Days);

        var scores = RfmScoring.Score(summary);

        Assert.Equal(Id(1), scores[0].CustomerId);
        Assert.Equal(555, scores[0].Cell);
        Assert.Equal("R5F5M5", scores[0].ToString());
        Assert.Equal(111, scores[4].Cell);
        Assert.Equal([5, 4, 3, 2, 1], scores.Select(s => s.Recency));
        Assert.Equal([5, 4, 2, 2, 1], scores.Select(s => s.Frequency));
        Assert.Equal([5, 4, 3, 2, 1], scores.Select(s => s.Monetary));
    }

    [Fact]
    public void Score_OnCdnow_CollapsesFrequencyToFourScores()
    {
        // 1,411 of 2,357 customers (60 %) bought once: they share F = 1, and F skips 2 (METRICS.md, "RFM").
        var scores = RfmScoring.Score(Cdnow.Summary);
        var frequency = scores.GroupBy(s => s.Frequency).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());
        var recency = scores.GroupBy(s => s.Recency).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());
        var monetary = scores.GroupBy(s => s.Monetary).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine("F: " + string.Join(", ", frequency.Select(p => $"{p.Key}={p.Value}")));
        output.WriteLine("R: " + string.Join(", ", recency.Select(p => $"{p.Key}={p.Value}")));
        output.WriteLine("M: " + string.Join(", ", monetary.Select(p => $"{p.Key}={p.Value}")));

        Assert.Equal([1, 3, 4, 5], frequency.Keys);
        Assert.Equal(1411, frequency[1]);
        Assert.Equal(2357, frequency.Values.Sum());

    }
}

using CrmKernel.Metrics.Evaluation;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Benchmarks.Metrics;

/// <summary>
/// A synthetic tenant for the catalogue benchmark, kept compact: every touchpoint as a 64-byte
/// <see cref="MetricTouchpoint"/> (amounts already in the reporting currency) in one array grouped by customer and in
/// time order within a customer, plus each customer's completeness facts and creation instant (at or before their first
/// touchpoint). 0–20 touchpoints per customer (10 on average) spread over 2025-02-01 to 2026-02-07; the benchmark period
/// is January 2026.
/// </summary>
public sealed class MetricDataSet
{
    public static readonly DateInterval Period = new(new LocalDate(2026, 1, 1), new LocalDate(2026, 1, 31));
    public static readonly string[] ChannelNames = ["web", "email", "phone", "chat", "store", "partner"];

    private static readonly Instant First = Instant.FromUtc(2025, 2, 1, 0, 0);
    private static readonly long SpanTicks = (long)(Instant.FromUtc(2026, 2, 8, 0, 0) - First).TotalTicks;

    private MetricDataSet(MetricTouchpoint[] touchpoints, int[] starts, CustomerFacts[] customers, Instant[] createdAt)
    {
        Touchpoints = touchpoints;
        Starts = starts;
        Customers = customers;
        CreatedAt = createdAt;
    }

    /// <summary>When each customer was created (entered the initial lifecycle stage).</summary>
    public Instant[] CreatedAt { get; }

    /// <summary>All touchpoints, grouped by customer.</summary>
    public MetricTouchpoint[] Touchpoints { get; }

    /// <summary>Customer i's touchpoints are [Starts[i], Starts[i + 1]).</summary>
    public int[] Starts { get; }

    /// <summary>Each customer's completeness facts.</summary>
    public CustomerFacts[] Customers { get; }

    public static MetricDataSet Generate(int customers, int seed)
    {
        var random = new Random(seed);
        var starts = new int[customers + 1];
        for (var i = 0; i < customers; i++)
        {
            starts[i + 1] = starts[i] + random.Next(0, 21);
        }

        var touchpoints = new MetricTouchpoint[starts[customers]];
        var facts = new CustomerFacts[customers];
        var createdAt = new Instant[customers];
        var ticks = new long[20];
        for (var c = 0; c < customers; c++)
        {
            facts[c] = new CustomerFacts(random.Next(1, 4), CustomerFacts.StandardExpectedValues);
            var count = starts[c + 1] - starts[c];
            for (var k = 0; k < count; k++)
            {
                ticks[k] = random.NextInt64(SpanTicks);
            }

            Array.Sort(ticks, 0, count);
            var created = random.NextInt64(SpanTicks);
            createdAt[c] = First + Duration.FromTicks(count > 0 ? Math.Min(created, ticks[0]) : created);
            for (var k = 0; k < count; k++)
            {
                touchpoints[starts[c] + k] = Touchpoint(random, First + Duration.FromTicks(ticks[k]));
            }
        }

        return new MetricDataSet(touchpoints, starts, facts, createdAt);
    }

    private static MetricTouchpoint Touchpoint(Random random, Instant at)
    {
        var roll = random.Next(100);
        var (kind, function, direction) = roll switch
        {
            < 40 => (MetricTouchpointKind.Purchase, CrmFunction.Sales, InteractionDirection.Inbound),
            < 55 => (MetricTouchpointKind.CampaignContact, CrmFunction.Marketing, InteractionDirection.Outbound),
            < 60 => (MetricTouchpointKind.Response, CrmFunction.Marketing, InteractionDirection.Inbound),
            < 70 => (MetricTouchpointKind.Enquiry, CrmFunction.Service, InteractionDirection.Inbound),
            < 75 => (MetricTouchpointKind.Complaint, CrmFunction.Service, InteractionDirection.Inbound),
            < 80 => (MetricTouchpointKind.Resolution, CrmFunction.Service, InteractionDirection.Outbound),
            < 90 => (MetricTouchpointKind.Other, CrmFunction.Innovation, InteractionDirection.Inbound),
            _ => (MetricTouchpointKind.Other, CrmFunction.Service, random.Next(2) == 0 ? InteractionDirection.Inbound : InteractionDirection.Outbound),
        };
        var resolved = kind is MetricTouchpointKind.Enquiry or MetricTouchpointKind.Complaint && random.Next(10) < 6;
        SatisfactionScore? score = random.Next(5) != 0 ? null : random.Next(4) switch
        {
            0 => new NpsScore(random.Next(0, 11)),
            1 => new CsatScore(random.Next(1, 6)),
            2 => new CesScore(random.Next(1, 6)),
            _ => new Ces2Score(random.Next(1, 8)),
        };
        decimal? cost = function is CrmFunction.Marketing or CrmFunction.Service && random.Next(10) < 7 ? random.Next(1, 500) / 100m : null;
        var revenue = kind == MetricTouchpointKind.Purchase ? random.Next(100, 20_000) / 100m : 0m;
        return new MetricTouchpoint(at, kind, function, direction, resolved, score, random.Next(ChannelNames.Length), cost, revenue);
    }
}

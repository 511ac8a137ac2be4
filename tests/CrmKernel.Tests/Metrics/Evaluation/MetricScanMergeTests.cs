using CrmKernel.Lifecycle;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using Xunit;
using L = CrmKernel.Lifecycle.DefaultLifecycleModel;

namespace CrmKernel.Tests.Metrics.Evaluation;

/// <summary>
/// <see cref="MetricScan.Merge"/>: scanning random customers split into random partitions, each partition into its own scan
/// (registering channels in its own order), and merging the scans in a random order gives exactly the figures of one
/// pass — every scanned figure of the catalogue, every funnel stage and every channel's figures.
/// </summary>
public sealed class MetricScanMergeTests
{
    private static readonly DateInterval January = new(new LocalDate(2026, 1, 1), new LocalDate(2026, 1, 31));
    private static readonly Instant Start = Instant.FromUtc(2026, 1, 1, 0, 0);
    private static readonly ChannelId[] Channels = [new("web"), new("email"), new("phone"), new("store")];
    private static readonly LifecycleStage[] Stages = [L.Prospect, L.FirstTimeCustomer, L.RepeatCustomer, L.LoyalAdvocate, L.Dissatisfied, L.Recovered, L.Lapsed];
    private static readonly SatisfactionScale[] Scales = Enum.GetValues<SatisfactionScale>();

    [Property(MaxTest = 200)]
    public Property Merge_OfRandomPartitions_EqualsOnePass()
    {
        var touchpoint =
            from day in Gen.Choose(-75, 45)
            from minute in Gen.Choose(0, (24 * 60) - 1)
            from kind in Gen.Elements(Enum.GetValues<MetricTouchpointKind>())
            from function in Gen.Elements(Enum.GetValues<CrmFunction>())
            from direction in Gen.Elements(Enum.GetValues<InteractionDirection>())
            from resolved in ArbMap.Default.GeneratorFor<bool>()
            from survey in Gen.Frequency((3, Gen.Constant<SatisfactionScore?>(null)), (2, Gen.Elements(Scales).SelectMany(s => Gen.Choose(s == SatisfactionScale.Nps ? 0 : 1, s switch { SatisfactionScale.Nps => 10, SatisfactionScale.Ces2 => 7, _ => 5 }).Select(v => (SatisfactionScore?)SatisfactionScore.Create(s, v)))))
            from channel in Gen.Choose(0, Channels.Length - 1)
            from cost in Gen.Frequency((1, Gen.Constant<decimal?>(null)), (1, Gen.Choose(0, 999).Select(c => (decimal?)(c / 100m))))
            from revenue in Gen.Choose(0, 99_999)
            select new Contact(Start + Duration.FromDays(day) + Duration.FromMinutes(minute), kind, function, direction, resolved, survey, channel, cost, revenue / 100m);
        var step = from days in Gen.Choose(0, 20) from stage in Gen.Choose(0, Stages.Length - 1) select (days, stage);
        var customer =
            from populated in Gen.Choose(0, 3)
            from created in Gen.Choose(-60, 30)
            from steps in step.ListOf()
            from contacts in touchpoint.ListOf()
            select new Scanned(populated, Start + Duration.FromDays(created), History(Start + Duration.FromDays(created), steps), [.. contacts.OrderBy(c => c.At)]);
        var tenant =
            from customers in customer.ArrayOf()
            from parts in Gen.Choose(1, 5)
            from assignment in Gen.Choose(0, parts - 1).ArrayOf(customers.Length)
            from order in Gen.Shuffle(Enumerable.Range(0, parts))
            select (customers, parts, assignment, order);

        return Prop.ForAll(tenant.ToArbitrary(), t =>
        {
            var single = Scan(t.customers);
            var partials = Enumerable.Range(0, t.parts).Select(p => Scan(t.customers.Where((_, i) => t.assignment[i] == p))).ToArray();
            var merged = new MetricScan(January, DateTimeZone.Utc);
            foreach (var p in t.order)
            {
                merged.Merge(partials[p]);
            }

            var expected = single.ToFigures(Currency.GBP);
            var actual = merged.ToFigures(Currency.GBP);
            var differences = expected.Values.Where(e => actual.Values[e.Key] != e.Value).Select(e => $"{e.Key}: {e.Value} vs {actual.Values[e.Key]}").ToList();
            return (differences.Count == 0
                    && expected.Values.Count == actual.Values.Count
                    && ChannelRows(expected).SequenceEqual(ChannelRows(actual)))
                .Label(string.Join(", ", differences));
        });
    }

    [Fact]
    public void Merge_LeavesTheOtherScanUnchanged_AndCountsFunnelsAndChannelsByIdNotByRegistrationOrder()
    {
        var a = new MetricScan(January, DateTimeZone.Utc);
        var b = new MetricScan(January, DateTimeZone.Utc);
        Feed(a, Start.Plus(Duration.FromDays(3)), a.RegisterChannel(Channels[0]), 10m);
        b.RegisterChannel(Channels[2]);
        Feed(b, Start.Plus(Duration.FromDays(4)), b.RegisterChannel(Channels[0]), 5m);
        var before = b.ToFigures(Currency.GBP);

        a.Merge(b);

        var figures = a.ToFigures(Currency.GBP);
        Assert.Equal(2m, figures.Values[StandardFigures.Customers]);
        Assert.Equal(15m, figures.Values[StandardFigures.PurchaseRevenue]);
        Assert.Equal(2m, figures.Values[LifecycleFunnel.Customer.StageFigure(0)]);
        var web = Assert.Single(figures.Channels);
        Assert.Equal((Channels[0], 2L, 15m), (web.Channel, web.Contacts, web.Revenue));
        Assert.Equal(before.Values, b.ToFigures(Currency.GBP).Values);
    }

    [Fact]
    public void Merge_BadArguments_AreRejected()
    {
        var scan = new MetricScan(January, DateTimeZone.Utc);

        Assert.Throws<ArgumentNullException>("other", () => scan.Merge(null!));
        Assert.Throws<ArgumentException>("other", () => scan.Merge(scan));
        Assert.Throws<ArgumentException>("other", () => scan.Merge(new MetricScan(new DateInterval(January.Start, January.End.PlusDays(-1)), DateTimeZone.Utc)));
        Assert.Throws<ArgumentException>("other", () => scan.Merge(new MetricScan(January, DateTimeZoneProviders.Tzdb["Europe/London"])));
        Assert.Throws<ArgumentException>("other", () => scan.Merge(new MetricScan(January, DateTimeZone.Utc, [LifecycleFunnel.Customer], L.Prospect)));
        Assert.Throws<ArgumentException>("other", () => scan.Merge(new MetricScan(January, DateTimeZone.Utc, LifecycleFunnel.Standard, L.Lapsed)));
        scan.Merge(new MetricScan(January, DateTimeZone.Utc, [LifecycleFunnel.Customer, LifecycleFunnel.Recovery], L.Prospect));
    }

    [Fact]
    public void Merge_WithACustomerOpen_IsRefused_AndChangesNothing()
    {
        var open = new MetricScan(January, DateTimeZone.Utc);
        open.BeginCustomer(default);
        var closed = new MetricScan(January, DateTimeZone.Utc);
        closed.BeginCustomer(default);
        closed.EndCustomer();

        Assert.Throws<InvalidOperationException>(() => open.Merge(closed));
        Assert.Throws<InvalidOperationException>(() => closed.Merge(open));
        Assert.Equal(1m, closed.ToFigures(Currency.GBP).Values[StandardFigures.Customers]);
    }

    private static void Feed(MetricScan scan, Instant at, int channel, decimal revenue)
    {
        scan.BeginCustomer(default);
        scan.AddLifecycle(Start.Plus(Duration.FromDays(1)), []);
        scan.Add(new MetricTouchpoint(at, MetricTouchpointKind.Purchase, CrmFunction.Sales, InteractionDirection.Inbound, false, null, channel, null, revenue));
        scan.EndCustomer();
    }

    private static MetricScan Scan(IEnumerable<Scanned> customers)
    {
        var scan = new MetricScan(January, DateTimeZone.Utc);
        foreach (var customer in customers)
        {
            scan.BeginCustomer(new CustomerFacts(customer.Populated, CustomerFacts.StandardExpectedValues));
            scan.AddLifecycle(customer.CreatedAt, customer.History);
            foreach (var c in customer.Contacts)
            {
                scan.Add(new MetricTouchpoint(c.At, c.Kind, c.Function, c.Direction, c.Resolved, c.Survey, scan.RegisterChannel(Channels[c.Channel]), c.Cost, c.Revenue));
            }

            scan.EndCustomer();
        }

        return scan;
    }

    private static LifecycleTransitionRecord[] History(Instant createdAt, IEnumerable<(int Days, int Stage)> steps)
    {
        var history = new List<LifecycleTransitionRecord>();
        var stage = L.Prospect;
        var at = createdAt;
        foreach (var (days, index) in steps)
        {
            at += Duration.FromDays(days);
            if (Stages[index] != stage)
            {
                history.Add(LifecycleTransitionRecord.Create(stage, Stages[index], at, "test", LifecycleTriggerKind.Command, null, "test", "generated", "tester"));
                stage = Stages[index];
            }
        }

        return [.. history];
    }

    private static IEnumerable<(ChannelId, long, long, decimal, decimal)> ChannelRows(MetricFigures figures)
        => figures.Channels.Select(c => (c.Channel, c.Contacts, c.CostedContacts, c.Cost, c.Revenue));

    private sealed record Contact(Instant At, MetricTouchpointKind Kind, CrmFunction Function, InteractionDirection Direction, bool Resolved, SatisfactionScore? Survey, int Channel, decimal? Cost, decimal Revenue);

    private sealed record Scanned(int Populated, Instant CreatedAt, LifecycleTransitionRecord[] History, Contact[] Contacts);
}

using CrmKernel.Customers;
using CrmKernel.Lifecycle;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Metrics.Hierarchy;
using CrmKernel.Primitives;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Ingestion;
using CrmKernel.Services.Lifecycle;
using CrmKernel.Storage.InMemory;
using CrmKernel.Touchpoints;
using NodaTime;
using NodaTime.Testing;
using Xunit;
using L = CrmKernel.Lifecycle.DefaultLifecycleModel;
using S = CrmKernel.Metrics.Catalogue.StandardMetrics;

namespace CrmKernel.Tests.Metrics.Evaluation;

public sealed class LifecycleFunnelTests
{
    private static readonly DateInterval January = new(new LocalDate(2026, 1, 1), new LocalDate(2026, 1, 31));
    private static readonly TenantId Tenant = new("funnel");

    /// <summary>
    /// The hand-computed January 2026 cohort (UTC). Customer funnel (prospect → first-time → repeat → loyal):
    /// A created 3 Jan, first purchase 5, repeat 10, loyal 20 → reaches loyal.
    /// B created 4 Jan, first 8, repeat 25 → reaches repeat.
    /// C created 6 Jan, first 30 Jan, repeat 2 Feb → reaches first-time only: the repeat is after the period end (right-censored).
    /// D created 10 Jan, nothing since → in the cohort, reaches only prospect.
    /// G created 12 Jan, first 13, dissatisfied 14, recovered 16, repeat (purchase again) 18 → reaches repeat through the detour.
    /// E created 20 Dec 2025 (entered prospect before the period), first purchase 5 Jan → not in the cohort.
    /// F created 1 Feb → not in the cohort.
    /// H created June 2025, first July 2025, dissatisfied 20 Jan, recovered 3 Feb → recovery cohort, not recovered in January.
    /// N = [5, 4, 3, 1]: conversions 4/5 = 0.8, 3/4 = 0.75, 1/3; overall 1/5 = 0.2 = 0.8 × 0.75 × 1/3.
    /// Recovery (dissatisfied → recovered): cohort G, H; recovered G → 1/2.
    /// </summary>
    private static IEnumerable<(Instant CreatedAt, LifecycleTransitionRecord[] History)> JanuaryCohort()
    {
        yield return (Day(2026, 1, 3), Chain(Day(2026, 1, 5), L.FirstTimeCustomer, Day(2026, 1, 10), L.RepeatCustomer, Day(2026, 1, 20), L.LoyalAdvocate));
        yield return (Day(2026, 1, 4), Chain(Day(2026, 1, 8), L.FirstTimeCustomer, Day(2026, 1, 25), L.RepeatCustomer));
        yield return (Day(2026, 1, 6), Chain(Day(2026, 1, 30), L.FirstTimeCustomer, Day(2026, 2, 2), L.RepeatCustomer));
        yield return (Day(2026, 1, 10), []);
        yield return (Day(2026, 1, 12), Chain(Day(2026, 1, 13), L.FirstTimeCustomer, Day(2026, 1, 14), L.Dissatisfied, Day(2026, 1, 16), L.Recovered, Day(2026, 1, 18), L.RepeatCustomer));
        yield return (Day(2025, 12, 20), Chain(Day(2026, 1, 5), L.FirstTimeCustomer));
        yield return (Day(2026, 2, 1), []);
        yield return (Day(2025, 6, 1), Chain(Day(2025, 7, 1), L.FirstTimeCustomer, Day(2026, 1, 20), L.Dissatisfied, Day(2026, 2, 3), L.Recovered));
    }

    [Fact]
    public void Scan_CountsTheHandComputedCohort_AndTheStandardMetricsExplainIt()
    {
        var scan = new MetricScan(January, DateTimeZone.Utc);
        foreach (var (createdAt, history) in JanuaryCohort())
        {
            scan.BeginCustomer(default);
            scan.AddLifecycle(createdAt, history);
            scan.EndCustomer();
        }

        var figures = scan.ToFigures(Currency.GBP);

        Assert.Equal([5m, 4m, 3m, 1m], LifecycleFunnel.Customer.Figures.Select(f => figures.Values[f]));
        Assert.Equal([2m, 1m], LifecycleFunnel.Recovery.Figures.Select(f => figures.Values[f]));
        var funnel = S.FunnelConversionRate.Formula.Compute(figures);
        Assert.Equal(0.2m, funnel.Value);
        Assert.Equal(1m, funnel.Numerator);
        Assert.Equal(5m, funnel.Denominator);
        Assert.Equal(["prospect → first-time-customer", "first-time-customer → repeat-customer", "repeat-customer → loyal-advocate"], funnel.Breakdown.Select(r => r.Key));
        Assert.Equal(0.8m, funnel.Breakdown[0].Value.Value);
        Assert.Equal(0.75m, funnel.Breakdown[1].Value.Value);
        Assert.Equal(1m / 3m, funnel.Breakdown[2].Value.Value);
        Assert.Equal(0.5m, S.LifecycleRecoveryRate.Formula.Compute(figures).Value);
        Assert.Equal([5L, 4L, 3L, 1L], LifecycleFunnel.Customer.Explain(figures).StageEntries);
    }

    [Fact]
    public void Scan_RightCensorsAtThePeriodEnd_SoFebruarySeesTheLaterEntriesOfItsOwnCohortOnly()
    {
        var scan = new MetricScan(new DateInterval(new LocalDate(2026, 2, 1), new LocalDate(2026, 2, 28)), DateTimeZone.Utc);
        foreach (var (createdAt, history) in JanuaryCohort())
        {
            scan.BeginCustomer(default);
            scan.AddLifecycle(createdAt, history);
            scan.EndCustomer();
        }

        var figures = scan.ToFigures(Currency.GBP).Values;

        // Only F entered prospect in February; C's repeat purchase on 2 Feb belongs to January's cohort, never to February's.
        Assert.Equal([1m, 0m, 0m, 0m], LifecycleFunnel.Customer.Figures.Select(f => figures[f]));
        Assert.Equal([0m, 0m], LifecycleFunnel.Recovery.Figures.Select(f => figures[f]));
    }

    [Fact]
    public void Scan_JoinsAtTheFirstEntryInThePeriod_AndIsStageGated()
    {
        var trial = new LifecycleStage("trial");
        var paid = new LifecycleStage("paid");
        var custom = new LifecycleFunnel("trial-funnel", [trial, paid]);
        var scan = new MetricScan(January, DateTimeZone.Utc, [custom], trial);

        // Created in the initial stage (trial) on 2 Jan with no transition: in the cohort, not converted.
        Add(scan, Day(2026, 1, 2), []);

        // Paid before the trial (paid → trial → paid): only the paid after the trial counts.
        Add(scan, Day(2025, 11, 1), [Record(paid, trial, Day(2026, 1, 3)), Record(trial, paid, Day(2026, 1, 9))]);

        // In trial from December, paid in January: not in January's cohort (entered trial before the period).
        Add(scan, Day(2025, 12, 1), [Record(trial, paid, Day(2026, 1, 4))]);

        // Entered trial twice in the period: joins once.
        Add(scan, Day(2025, 10, 1), [Record(paid, trial, Day(2026, 1, 5)), Record(trial, paid, Day(2026, 1, 6)), Record(paid, trial, Day(2026, 1, 7))]);

        var figures = scan.ToFigures(Currency.GBP).Values;
        Assert.Equal(3m, figures[custom.StageFigure(0)]);
        Assert.Equal(2m, figures[custom.StageFigure(1)]);
        Assert.False(figures.ContainsKey(LifecycleFunnel.Customer.StageFigure(0)));
    }

    [Fact]
    public void Scan_RefusesALifecycleOutsideACustomer_OrTwice()
    {
        var scan = new MetricScan(January, DateTimeZone.Utc);
        Assert.Throws<InvalidOperationException>(() => scan.AddLifecycle(Day(2026, 1, 2), []));
        scan.BeginCustomer(default);
        scan.AddLifecycle(Day(2026, 1, 2), []);
        Assert.Throws<InvalidOperationException>(() => scan.AddLifecycle(Day(2026, 1, 2), []));
    }

    [Fact]
    public void Funnel_RejectsBadDefinitions()
    {
        Assert.Throws<ArgumentException>(() => new LifecycleFunnel("f", [L.Prospect]));
        Assert.Throws<ArgumentException>(() => new LifecycleFunnel("f", [L.Prospect, L.Prospect]));
        Assert.Throws<ArgumentException>(() => new LifecycleFunnel("f", [L.Prospect, default]));
        Assert.Throws<ArgumentException>(() => new LifecycleFunnel("Bad Name", [L.Prospect, L.Recovered]));
        Assert.Throws<ArgumentException>(() => new LifecycleFunnel("9lives", [L.Prospect, L.Recovered]));
        Assert.Equal("name", Assert.Throws<CrmKernel.Diagnostics.InputLimitExceededException>(() => new LifecycleFunnel(new string('f', 60), [L.Prospect, L.Recovered])).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => LifecycleFunnel.Recovery.StageFigure(2));
        Assert.Throws<ArgumentException>(() => new MetricScan(January, DateTimeZone.Utc, [LifecycleFunnel.Customer, new LifecycleFunnel("funnel", [L.Lapsed, L.WonBack])], L.Prospect));
        Assert.Throws<ArgumentException>(() => new MetricEvaluationRequest(January, DateTimeZone.Utc, Currency.GBP) { Funnels = [LifecycleFunnel.Recovery, LifecycleFunnel.Recovery] });
        Assert.Throws<ArgumentException>(() => new MetricEvaluationRequest(January, DateTimeZone.Utc, Currency.GBP) { InitialStage = default });
        Assert.Throws<KeyNotFoundException>(() => LifecycleFunnel.Recovery.Explain(new CrmKernel.Metrics.Definitions.MetricFigures(Currency.GBP, new Dictionary<CrmKernel.Metrics.Definitions.FigureKey, decimal>())));
    }

    [Fact]
    public void FunnelMetric_WithoutItsFigures_OrWithAGrowingCohort_HasNoValue()
    {
        var none = S.FunnelConversionRate.Formula.Compute(new CrmKernel.Metrics.Definitions.MetricFigures(Currency.GBP, new Dictionary<CrmKernel.Metrics.Definitions.FigureKey, decimal>()));
        Assert.Contains("funnel-stage-0", none.Reason, StringComparison.Ordinal);
        var growing = Catalogue.StandardMetricsTests.Figures((LifecycleFunnel.Recovery.Figures[0], 2m), (LifecycleFunnel.Recovery.Figures[1], 3m));
        Assert.False(S.LifecycleRecoveryRate.Formula.Compute(growing).HasValue);
        var empty = Catalogue.StandardMetricsTests.Figures((LifecycleFunnel.Recovery.Figures[0], 0m), (LifecycleFunnel.Recovery.Figures[1], 0m));
        Assert.Equal("no customers entering dissatisfied in the period", S.LifecycleRecoveryRate.Formula.Compute(empty).Reason);
    }

    /// <summary>
    /// End to end through the lifecycle engine: customers registered and buying in January 2026 move through the default
    /// model (first purchase, second purchase, three purchases within 365 days = loyal), and the evaluator counts the funnel
    /// from the stored lifecycle history in its pass. A: 3 purchases (loyal); B: 2 (repeat); C: 1 in January and 1 on
    /// 2 February (first-time, censored); D: none (prospect); E: registered in December, bought in January (not in the
    /// cohort). N = [4, 3, 2, 1]: 0.75, 2/3, 0.5; overall 0.25.
    /// </summary>
    [Fact]
    public async Task Evaluator_CountsTheFunnelFromTheStoredLifecycleHistory_AndStreamsTheCohort()
    {
        var clock = new FakeClock(Day(2025, 12, 20));
        var customers = new InMemoryCustomerStore(new InMemoryCrmOutbox());
        var touchpoints = new InMemoryTouchpointStore();
        var model = L.Create();
        var ingestion = new TouchpointIngestion(touchpoints, clock, model, customers, new InMemoryCustomerTouchpointStore(customers, touchpoints));
        var lifecycle = new LifecycleService(new CustomerRepository(customers, clock), model);
        var repository = new CustomerRepository(customers, clock);
        var e = await Register(repository, clock, Day(2025, 12, 20));
        var a = await Register(repository, clock, Day(2026, 1, 2));
        var b = await Register(repository, clock, Day(2026, 1, 3));
        var c = await Register(repository, clock, Day(2026, 1, 4));
        var d = await Register(repository, clock, Day(2026, 1, 5));
        var key = 0;
        foreach (var (customer, day) in new[] { (e, Day(2026, 1, 6)), (a, Day(2026, 1, 7)), (b, Day(2026, 1, 8)), (a, Day(2026, 1, 10)), (c, Day(2026, 1, 12)), (b, Day(2026, 1, 20)), (a, Day(2026, 1, 25)), (c, Day(2026, 2, 2)) })
        {
            clock.Reset(day);
            await ingestion.RecordAsync(Tenant, new NewTouchpoint
            {
                CustomerId = customer,
                Channel = new ChannelId("web"),
                Direction = InteractionDirection.Inbound,
                Function = CrmFunction.Sales,
                Kind = TouchpointKind.Purchase,
                OccurredAt = day,
                Source = new ExternalIdentifier("shop", $"o-{++key}"),
                Revenue = Money.Of(10m, "GBP"),
            });
        }

        var evaluator = new MetricEvaluator(customers, touchpoints, MetricWorld.Rates);
        var evaluation = await evaluator.EvaluateAsync(Tenant, S.CreateHierarchy(), new MetricEvaluationRequest(January, DateTimeZone.Utc, Currency.GBP));

        Assert.Equal([4m, 3m, 2m, 1m], LifecycleFunnel.Customer.Figures.Select(f => evaluation.Figures.Values[f]));
        var funnel = evaluation[S.FunnelConversionRate.Id];
        Assert.Equal(0.25m, funnel.Value.Value);
        Assert.Equal([0.75m, 2m / 3m, 0.5m], funnel.Value.Breakdown.Select(r => r.Value.Value!.Value));
        // December's cohort is E alone, and E's first purchase (6 January) lies after December's end: right-censored.
        Assert.Equal([1m, 0m, 0m, 0m], LifecycleFunnel.Customer.Figures.Select(f => evaluation.PreviousFigures!.Values[f]));

        var cohort = new Dictionary<CustomerId, FunnelCohortMember>();
        await foreach (var member in evaluator.StreamFunnelCohortAsync(Tenant, evaluation, LifecycleFunnel.Customer))
        {
            cohort.Add(member.Customer, member);
        }

        Assert.Equal(new[] { a, b, c, d }.Order(), cohort.Keys.Order());
        Assert.Equal(L.LoyalAdvocate, cohort[a].Stage);
        Assert.Equal(L.RepeatCustomer, cohort[b].Stage);
        Assert.Equal(1, cohort[c].StageIndex);
        Assert.Equal(0, cohort[d].StageIndex);
        Assert.Equal(Day(2026, 1, 5), cohort[d].JoinedAt);
    }

    private static async Task<CustomerId> Register(CustomerRepository repository, FakeClock clock, Instant at)
    {
        clock.Reset(at);
        var customer = Customer.Register(Tenant, new PersonProfile("Test", "Customer"), clock);
        await repository.SaveAsync(customer);
        return customer.Id;
    }

    private static void Add(MetricScan scan, Instant createdAt, LifecycleTransitionRecord[] history)
    {
        scan.BeginCustomer(default);
        scan.AddLifecycle(createdAt, history);
        scan.EndCustomer();
    }

    private static Instant Day(int year, int month, int day) => Instant.FromUtc(year, month, day, 12, 0);

    private static LifecycleTransitionRecord Record(LifecycleStage from, LifecycleStage to, Instant at)
        => LifecycleTransitionRecord.Create(from, to, at, "test", LifecycleTriggerKind.Command, null, "test", "hand-made", "tester");

    private static LifecycleTransitionRecord[] Chain(params object[] steps)
    {
        var records = new LifecycleTransitionRecord[steps.Length / 2];
        var from = L.Prospect;
        for (var i = 0; i < records.Length; i++)
        {
            var to = (LifecycleStage)steps[(2 * i) + 1];
            records[i] = Record(from, to, (Instant)steps[2 * i]);
            from = to;
        }

        return records;
    }
}

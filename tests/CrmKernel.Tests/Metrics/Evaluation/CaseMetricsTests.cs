using CrmKernel.Cases;
using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using NodaTime;
using Xunit;
using D = CrmKernel.Tests.Metrics.Evaluation.CaseMetricsTestData;
using F = CrmKernel.Metrics.Catalogue.StandardFigures;
using S = CrmKernel.Metrics.Catalogue.StandardMetrics;

namespace CrmKernel.Tests.Metrics.Evaluation;

/// <summary>
/// The service metrics from cases, pinned on the hand-computed cases of <see cref="CaseMetricsTestData"/> (March 2026 in
/// London, a 09:00–17:00 calendar across a weekend and the clocks going forward), through <see cref="CaseScan"/> and
/// through <see cref="MetricEvaluator"/>, with a drill-down that streams exactly the cases each metric counted.
/// </summary>
public sealed class CaseMetricsTests
{
    private static readonly FixedExchangeRateProvider Rates = new([]);

    [Fact]
    public void Scan_GivesTheHandComputedFigures()
    {
        var figures = Scan(D.Cases().Values).ToFigures(Currency.GBP);

        Assert.Equal(5m, figures.Values[F.CasesResolved]);
        Assert.Equal(3m, figures.Values[F.CasesResolvedFirstContact]);
        Assert.Equal(118_800m, figures.Values[F.CaseResolutionSeconds]);
        Assert.Equal(43_200m, figures.Values[F.CaseHandleSeconds]);
        Assert.Equal(1m, figures.Values[F.CasesReopened]);
        Assert.Equal(4m, figures.Values[F.CasesResolvedUnderSla]);
        Assert.Equal(3m, figures.Values[F.CasesSlaMet]);
        Assert.Equal(4m, figures.Values[F.CasesFirstResponseMet]);
        Assert.Equal(3m, figures.Values[F.CasesResolutionMet]);
        Assert.Equal(2m, figures.Values[F.CasesOpen]);
        Assert.Equal(2m, figures.Values[F.ComplaintCasesResolved]);
        Assert.Equal(1m, figures.Values[F.ComplaintCasesRecovered]);
        Assert.True(figures.TryGetRows(F.CasesOpen, out var open));
        Assert.Equal([new("low", 1m), new("normal", 0m), new("high", 1m), new("urgent", 0m)], open);
        Assert.True(figures.TryGetRows(F.CaseResolutionSeconds, out var resolution));
        Assert.Equal([new("billing", 50_400m), new("delivery", 68_400m)], resolution);
    }

    [Fact]
    public void Scan_CountsBusinessTimeAcrossTheWeekendAndTheClockChange()
    {
        // Case A alone: Fri 27 Mar 16:00Z (GMT) to Mon 30 Mar 09:00Z (10:00 BST): 1 h on Friday, 1 h on Monday — not the 65 elapsed hours.
        var figures = Scan([D.Cases()["A"]]).ToFigures(Currency.GBP);

        Assert.Equal(7_200m, figures.Values[F.CaseResolutionSeconds]);
        Assert.Equal(5_400m, figures.Values[F.CaseHandleSeconds]);
        Assert.Equal(1m, figures.Values[F.CasesSlaMet]);
    }

    [Fact]
    public void Scan_JudgesACaseByItsHistoryBeforeThePeriodEnd()
    {
        var cases = D.Cases();

        // E was resolved on 31 March and reopened on 1 April: in March it is a first-contact resolution, not a reopen.
        var march = Scan([cases["E"]]).ToFigures(Currency.GBP);
        Assert.Equal(1m, march.Values[F.CasesResolvedFirstContact]);
        Assert.Equal(0m, march.Values[F.CasesReopened]);
        Assert.Equal(0m, march.Values[F.CasesOpen]);

        // In April it is open (in progress again) and resolved in neither.
        var april = new CaseScan(new DateInterval(new LocalDate(2026, 4, 1), new LocalDate(2026, 4, 30)), D.London, D.Office);
        april.Add(cases["E"], D.Standard);
        Assert.Equal(1m, april.ToFigures(Currency.GBP).Values[F.CasesOpen]);
        Assert.Equal(0m, april.ToFigures(Currency.GBP).Values[F.CasesResolved]);

        // H does not exist yet, I belongs to February, J was merged away: none counts in March.
        var none = Scan([cases["H"], cases["I"], cases["J"]]).ToFigures(Currency.GBP);
        Assert.All(F.FromCases, key => Assert.Equal(0m, none.Values[key]));
    }

    [Fact]
    public async Task Evaluation_GivesTheHandComputedValues_WithBreakdowns()
    {
        var (evaluator, _) = await WorldAsync();
        var evaluation = await evaluator.EvaluateAsync(D.Tenant, S.CreateHierarchy(), Request());

        var fcr = evaluation[S.FirstContactResolution.Id].Value;
        Assert.Equal(0.6m, fcr.Value);
        Assert.Equal([("billing", 2m / 3m), ("delivery", 0.5m)], fcr.Breakdown.Select(r => (r.Key, r.Value.Value!.Value)));
        Assert.Equal(23_760m, evaluation[S.AverageResolutionTime.Id].Value.Value);
        Assert.Equal([("billing", 16_800m), ("delivery", 34_200m)], evaluation[S.AverageResolutionTime.Id].Value.Breakdown.Select(r => (r.Key, r.Value.Value!.Value)));
        Assert.Equal(8_640m, evaluation[S.AverageHandleTime.Id].Value.Value);
        var sla = evaluation[S.SlaAttainment.Id].Value;
        Assert.Equal(0.75m, sla.Value);
        Assert.Equal([("first-response", 1m), ("resolution", 0.75m)], sla.Breakdown.Select(r => (r.Key, r.Value.Value!.Value)));
        var backlog = evaluation[S.CaseBacklog.Id].Value;
        Assert.Equal(2m, backlog.Value);
        Assert.Equal([("low", 1m), ("normal", 0m), ("high", 1m), ("urgent", 0m)], backlog.Breakdown.Select(r => (r.Key, r.Value.Value!.Value)));
        Assert.Equal(0.2m, evaluation[S.ReopenRate.Id].Value.Value);
        Assert.Equal(0.5m, evaluation[S.ComplaintRecovery.Id].Value.Value);

        // February (the previous period): I was resolved on first contact; nothing is open at its end.
        Assert.Equal(1m, evaluation[S.FirstContactResolution.Id].Previous!.Value);
        Assert.Equal(0m, evaluation[S.CaseBacklog.Id].Previous!.Value);

        Assert.All(S.All.Where(m => m.Formula.Records?.Source == CaseMetricSource.SourceName), m => Assert.Equal(MetricLevel.OperationalProcess, m.Level));
        Assert.Contains(evaluation[S.Csat.Id].Drivers, d => d.Link.Driver == S.FirstContactResolution.Id);
    }

    [Theory]
    [InlineData("first-contact-resolution", "ABCDE")]
    [InlineData("average-resolution-time", "ABCDE")]
    [InlineData("average-handle-time", "ABCDE")]
    [InlineData("reopen-rate", "ABCDE")]
    [InlineData("sla-attainment", "ABCE")]
    [InlineData("case-backlog", "FG")]
    [InlineData("complaint-recovery-rate", "BD")]
    public async Task StreamCasesAsync_YieldsExactlyTheCasesCounted(string metric, string expected)
    {
        var (evaluator, cases) = await WorldAsync();
        var evaluation = await evaluator.EvaluateAsync(D.Tenant, S.CreateHierarchy(), Request());

        var streamed = await evaluator.StreamCasesAsync(D.Tenant, evaluation, new MetricId(metric)).ToListAsync();

        var letters = streamed.Select(c => cases.Single(p => p.Value.Id == c.Id).Key).Order(StringComparer.Ordinal);
        Assert.Equal(expected, string.Concat(letters));
        Assert.Equal(streamed.Select(c => c.Id).Order(), streamed.Select(c => c.Id));
        var value = evaluation[new MetricId(metric)].Value;
        Assert.Equal(expected.Length, metric == "case-backlog" ? value.Value : value.Denominator);
    }

    [Fact]
    public async Task PerSegment_OnlyTheMembersCasesAreCounted_AndDrilledInto()
    {
        var (evaluator, cases) = await WorldAsync();
        var owners = cases.Values.Select(c => c.CustomerId).Distinct().ToArray();
        var withOwners = new CrmKernel.Segments.SegmentSnapshot(D.Tenant, new CrmKernel.Segments.SegmentId("case-owners"), 1, Instant.MinValue, Instant.MinValue, owners);
        var withoutOwners = new CrmKernel.Segments.SegmentSnapshot(D.Tenant, new CrmKernel.Segments.SegmentId("others"), 1, Instant.MinValue, Instant.MinValue, [CustomerId.New()]);
        var whole = await evaluator.EvaluateAsync(D.Tenant, S.CreateHierarchy(), Request());
        var members = await evaluator.EvaluateAsync(D.Tenant, S.CreateHierarchy(), new MetricEvaluationRequest(D.March, D.London, Currency.GBP) { Segment = withOwners });
        var others = await evaluator.EvaluateAsync(D.Tenant, S.CreateHierarchy(), new MetricEvaluationRequest(D.March, D.London, Currency.GBP) { Segment = withoutOwners });
        var caseFigures = Scan(cases.Values).ToFigures(Currency.GBP).Values.Keys;

        Assert.NotEmpty(caseFigures);
        Assert.All(caseFigures, f => Assert.Equal(whole.Figures.Values[f], members.Figures.Values[f]));
        Assert.All(caseFigures, f => Assert.Equal(0m, others.Figures.Values[f]));
        Assert.Equal(2, (await evaluator.StreamCasesAsync(D.Tenant, members, S.CaseBacklog.Id).ToListAsync()).Count);
        Assert.Empty(await evaluator.StreamCasesAsync(D.Tenant, others, S.CaseBacklog.Id).ToListAsync());
    }

    [Fact]
    public async Task StreamCasesAsync_RefusesMetricsNotFromCases_AndAnEvaluatorWithoutACaseSource()
    {
        var (evaluator, _) = await WorldAsync();
        var evaluation = await evaluator.EvaluateAsync(D.Tenant, S.CreateHierarchy(), Request());
        Assert.Throws<NotSupportedException>(() => evaluator.StreamCasesAsync(D.Tenant, evaluation, S.WinRate.Id));
        Assert.Throws<NotSupportedException>(() => evaluator.StreamCasesAsync(D.Tenant, evaluation, S.TouchpointFirstContactResolution.Id));

        var bare = new MetricEvaluator(new InMemoryCustomerStore(new InMemoryCrmOutbox()), new InMemoryTouchpointStore(), Rates);
        var without = await bare.EvaluateAsync(D.Tenant, S.CreateHierarchy(), Request());
        Assert.False(without[S.FirstContactResolution.Id].Value.HasValue);
        Assert.False(without[S.CaseBacklog.Id].Value.HasValue);
        Assert.Throws<NotSupportedException>(() => bare.StreamCasesAsync(D.Tenant, without, S.FirstContactResolution.Id));
    }

    [Fact]
    public void NoTwoMetricsClaimOneName_AndTheTouchpointApproximationsAreRenamed()
    {
        Assert.Equal(S.All.Count, S.All.Select(m => m.Id).Distinct().Count());
        Assert.Equal(CaseMetricSource.SourceName, S.FirstContactResolution.Formula.Records!.Source);
        Assert.Equal(CaseMetricSource.SourceName, S.AverageHandleTime.Formula.Records!.Source);
        Assert.Equal(CaseMetricSource.SourceName, S.ComplaintRecovery.Formula.Records!.Source);
        Assert.Equal("touchpoint-first-contact-resolution", S.TouchpointFirstContactResolution.Id.Value);
        Assert.Equal("touchpoint-average-handle-time", S.TouchpointAverageHandleTime.Id.Value);
        Assert.Equal("touchpoint-complaint-recovery-rate", S.TouchpointComplaintRecovery.Id.Value);
    }

    [Fact]
    public void EmptyPeriods_GiveNoValue_NotZero()
    {
        var figures = Scan([]).ToFigures(Currency.GBP);

        foreach (var metric in new[] { S.FirstContactResolution, S.AverageResolutionTime, S.AverageHandleTime, S.SlaAttainment, S.ReopenRate, S.ComplaintRecovery })
        {
            Assert.False(metric.Formula.Compute(figures).HasValue, metric.Id.Value);
        }

        Assert.Equal(0m, S.CaseBacklog.Formula.Compute(figures).Value);
    }

    [Fact]
    public void BadInputs_AreRefused()
    {
        var cases = D.Cases();
        var scan = Scan([]);
        var store = new InMemoryCaseStore(new InMemoryCrmOutbox());
        var other = new SlaPolicy("other", D.Office, D.Standard.Targets);

        Assert.Throws<ArgumentNullException>(() => new CaseScan(null!, D.London, D.Office));
        Assert.Throws<ArgumentNullException>(() => new CaseScan(D.March, null!, D.Office));
        Assert.Throws<ArgumentNullException>(() => new CaseScan(D.March, D.London, null!));
        Assert.Throws<ArgumentNullException>(() => scan.Add(null!, null));
        Assert.Equal("policy", Assert.Throws<ArgumentException>(() => scan.Add(cases["A"], other)).ParamName);
        Assert.Equal("selection", Assert.Throws<ArgumentException>(() => scan.Selects(cases["A"], D.Standard, "closed-in-period")).ParamName);
        Assert.Throws<ArgumentException>(() => scan.Merge(scan));
        Assert.Throws<ArgumentException>(() => scan.Merge(new CaseScan(D.March, DateTimeZone.Utc, D.Office)));
        Assert.Throws<ArgumentNullException>(() => new CaseMetricSource(null!));
        Assert.Equal("policies", Assert.Throws<ArgumentException>(() => new CaseMetricSource(store, [D.Standard, D.Standard])).ParamName);
        Assert.Equal("policies", Assert.Throws<ArgumentException>(() => new CaseMetricSource(store, [null!])).ParamName);
        Assert.Throws<CrmKernel.Diagnostics.InputLimitExceededException>(() => new CaseMetricSource(store, Enumerable.Range(0, CaseMetricSource.MaxPolicies + 1).Select(i => new SlaPolicy($"p{i}", D.Office, D.Standard.Targets))));
        var source = new CaseMetricSource(store, [D.Standard], D.Office);
        Assert.Throws<ArgumentException>(() => source.StreamAsync(D.Tenant, "nope", D.March, D.London));
        Assert.Throws<ArgumentException>(() => source.StreamAsync(default, CaseScan.OpenAtEnd, D.March, D.London));
        Assert.Null(source.PolicyOf(cases["D"]));
        Assert.Same(D.Standard, source.PolicyOf(cases["A"]));
    }

    [Fact]
    public void TheDefaultCalendar_IsElapsedTime()
    {
        var source = new CaseMetricSource(new InMemoryCaseStore(new InMemoryCrmOutbox()));
        var a = D.Cases()["A"];
        Assert.Equal(Duration.FromHours(65), source.DefaultCalendar.BusinessTimeBetween(a.OpenedAt, a.ResolvedAt!.Value));
    }

    internal static CaseScan Scan(IEnumerable<ServiceCase> cases)
    {
        var scan = new CaseScan(D.March, D.London, D.Office);
        foreach (var serviceCase in cases)
        {
            scan.Add(serviceCase, serviceCase.SlaPolicy == D.Standard.Name ? D.Standard : null);
        }

        return scan;
    }

    private static MetricEvaluationRequest Request() => new(D.March, D.London, Currency.GBP);

    private static async Task<(MetricEvaluator Evaluator, Dictionary<string, ServiceCase> Cases)> WorldAsync()
    {
        var store = new InMemoryCaseStore(new InMemoryCrmOutbox());
        var cases = D.Cases();
        foreach (var serviceCase in cases.Values)
        {
            await store.CommitAsync(CaseCommit.Create(serviceCase), default);
        }

        var stored = new Dictionary<string, ServiceCase>(StringComparer.Ordinal);
        foreach (var (key, serviceCase) in cases)
        {
            stored[key] = (await store.FindAsync(D.Tenant, serviceCase.Id, default))!;
        }

        var evaluator = new MetricEvaluator(new InMemoryCustomerStore(new InMemoryCrmOutbox()), new InMemoryTouchpointStore(), Rates, sources: [new CaseMetricSource(store, [D.Standard], D.Office)]);
        return (evaluator, stored);
    }
}

using CrmKernel.Customers;
using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Metrics.Hierarchy;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Services.Customers;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using CrmKernel.Touchpoints;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace CrmKernel.Tests.Metrics.Evaluation;

/// <summary>
/// A segment is a dimension of every metric: evaluating with <see cref="MetricEvaluationRequest.Segment"/> gives exactly
/// the figures of a tenant that holds only the segment's members, and its drill-downs stream only members' records.
/// </summary>
public sealed class SegmentEvaluationTests
{
    private static readonly TenantId Tenant = new("segment-metrics");
    private static readonly DateInterval January = new(new LocalDate(2026, 1, 1), new LocalDate(2026, 1, 31));
    private static readonly FixedExchangeRateProvider Rates = new([new ExchangeRate(Currency.EUR, Currency.GBP, new LocalDate(2025, 11, 1), 0.86m)]);
    private static readonly string[] ChannelNames = ["web", "email", "phone", "store"];
    private static readonly TouchpointKind[] Kinds = [TouchpointKind.Purchase, TouchpointKind.Enquiry, TouchpointKind.Complaint, TouchpointKind.Resolution, TouchpointKind.CampaignContact, TouchpointKind.Response];
    private static readonly Lazy<Task<World>> Everyone = new(() => CreateTenantAsync(_ => true));

    /// <summary>
    /// For random memberships (a seed picks each customer with probability 1/2, 1/4 or 3/4) the per-segment evaluation of
    /// the whole catalogue equals the evaluation of a tenant built from the members alone, figure by figure, channel by
    /// channel and metric by metric, in the period and the previous one, on one worker and on three.
    /// </summary>
    [Property(MaxTest = 6)]
    public Property PerSegmentEvaluation_EqualsTheEvaluationOfATenantOfOnlyTheMembers(int seed, byte share)
    {
        var keep = 1 + (share % 3);
        bool Member(int index) => new Random(seed ^ (index * 7919)).Next(4) < keep;
        return Check().GetAwaiter().GetResult().ToProperty();

        async Task<bool> Check()
        {
            var everyone = await Everyone.Value;
            var membersOnly = await CreateTenantAsync(Member);
            var segment = new SegmentSnapshot(Tenant, new SegmentId("sampled"), 1, Instant.FromUtc(2026, 1, 1, 0, 0), Instant.FromUtc(2026, 1, 1, 0, 0), everyone.Ids.Where((_, i) => Member(i)));
            var hierarchy = StandardMetrics.CreateHierarchy();
            var expected = await new MetricEvaluator(membersOnly.Customers, membersOnly.Touchpoints, Rates).EvaluateAsync(Tenant, hierarchy, Request(1));
            foreach (var degree in new[] { 1, 3 })
            {
                var actual = await new MetricEvaluator(everyone.Customers, everyone.Touchpoints, Rates).EvaluateAsync(Tenant, hierarchy, Request(degree, segment));
                AssertSameFigures(expected.Figures, actual.Figures);
                AssertSameFigures(expected.PreviousFigures!, actual.PreviousFigures!);
                Assert.Equal(expected.Results.Select(r => (r.Id, r.Value.Value)), actual.Results.Select(r => (r.Id, r.Value.Value)));
            }

            return true;
        }
    }

    [Fact]
    public async Task ASegment_IsASliceOfTheTotal_AndItsComplementTheRest()
    {
        var everyone = await Everyone.Value;
        var evaluator = new MetricEvaluator(everyone.Customers, everyone.Touchpoints, Rates);
        var hierarchy = StandardMetrics.CreateHierarchy();
        var even = Snapshot("even", everyone.Ids.Where((_, i) => i % 2 == 0));
        var odd = Snapshot("odd", everyone.Ids.Where((_, i) => i % 2 == 1));

        var total = await evaluator.EvaluateAsync(Tenant, hierarchy, Request(2));
        var left = await evaluator.EvaluateAsync(Tenant, hierarchy, Request(2, even));
        var right = await evaluator.EvaluateAsync(Tenant, hierarchy, Request(2, odd));

        foreach (var figure in new[] { StandardFigures.Orders, StandardFigures.Complaints })
        {
            Assert.True(left.Figures.Values[figure] > 0m && right.Figures.Values[figure] > 0m, $"{figure} is counted in both halves");
            Assert.Equal(total.Figures.Values[figure], left.Figures.Values[figure] + right.Figures.Values[figure]);
        }

        Assert.Equal(
            total.Figures.Channels.Select(c => (c.Channel, c.Contacts, c.Cost, c.Revenue)),
            left.Figures.Channels.Concat(right.Figures.Channels).GroupBy(c => c.Channel).OrderBy(g => g.Key)
                .Select(g => (g.Key, g.Sum(c => c.Contacts), g.Sum(c => c.Cost), g.Sum(c => c.Revenue))));
    }

    [Fact]
    public async Task DrillDowns_StreamOnlyTheMembersRecords()
    {
        var everyone = await Everyone.Value;
        var evaluator = new MetricEvaluator(everyone.Customers, everyone.Touchpoints, Rates);
        var members = Snapshot("thirds", everyone.Ids.Where((_, i) => i % 3 == 0));
        var evaluation = await evaluator.EvaluateAsync(Tenant, StandardMetrics.CreateHierarchy(), Request(1, members));
        var whole = await evaluator.EvaluateAsync(Tenant, StandardMetrics.CreateHierarchy(), Request(1));

        var complaints = await evaluator.StreamTouchpointsAsync(Tenant, evaluation, StandardMetrics.ComplaintRate.Id).ToListAsync();
        var allComplaints = await evaluator.StreamTouchpointsAsync(Tenant, whole, StandardMetrics.ComplaintRate.Id).ToListAsync();
        Assert.NotEmpty(complaints);
        Assert.All(complaints, t => Assert.True(members.Contains(t.CustomerId)));
        Assert.Equal(allComplaints.Where(t => members.Contains(t.CustomerId)).Select(t => t.Id), complaints.Select(t => t.Id));

        var cohort = await evaluator.StreamFunnelCohortAsync(Tenant, evaluation, LifecycleFunnel.Customer).ToListAsync();
        var wholeCohort = await evaluator.StreamFunnelCohortAsync(Tenant, whole, LifecycleFunnel.Customer).ToListAsync();
        Assert.NotEmpty(cohort);
        Assert.Equal(wholeCohort.Where(m => members.Contains(m.Customer)), cohort);
    }

    [Fact]
    public async Task SuppliedFigures_AreTheTenants_AndAreNotAskedForASegment()
    {
        var world = await MetricWorld.CreateAsync();
        var figure = new FigureKey("marketing-budget");
        world.Inputs.Set(MetricWorld.Tenant, figure, MetricWorld.January, MetricInput.Number(1_000m));
        var budget = new MetricDefinition(
            new MetricId("budget-per-order"), "Budget per order", "What the period's budget cost per order.",
            MetricLevel.InfrastructureInput, MetricFocus.Internal, MetricUnit.Money, BetterDirection.LowerIsBetter,
            MetricFormula.Ratio(figure, StandardFigures.Orders, "budget / orders", "orders"));
        var hierarchy = MetricHierarchy.Create([budget], [], []);
        var everyone = await world.Customers.PageAsync(MetricWorld.Tenant, null, 100, default);
        var segment = new SegmentSnapshot(MetricWorld.Tenant, new SegmentId("all"), 1, Instant.MinValue, Instant.MinValue, everyone.Select(c => c.Id));

        var whole = await world.Evaluator().EvaluateAsync(MetricWorld.Tenant, hierarchy, new MetricEvaluationRequest(MetricWorld.January, DateTimeZone.Utc, Currency.GBP));
        var sliced = await world.Evaluator().EvaluateAsync(MetricWorld.Tenant, hierarchy, new MetricEvaluationRequest(MetricWorld.January, DateTimeZone.Utc, Currency.GBP) { Segment = segment });

        Assert.NotNull(whole[budget.Id].Value.Value);
        Assert.Null(sliced[budget.Id].Value.Value);
        Assert.Equal(whole.Figures.Values[StandardFigures.Orders], sliced.Figures.Values[StandardFigures.Orders]);
    }

    [Fact]
    public async Task ASegmentOfAnotherTenant_IsRefused_NamingTheRequest()
    {
        var everyone = await Everyone.Value;
        var foreign = new SegmentSnapshot(new TenantId("someone-else"), new SegmentId("vip"), 1, Instant.MinValue, Instant.MinValue, everyone.Ids.Take(3));
        var evaluator = new MetricEvaluator(everyone.Customers, everyone.Touchpoints, Rates);

        var refused = await Assert.ThrowsAsync<ArgumentException>(async () => await evaluator.EvaluateAsync(Tenant, StandardMetrics.CreateHierarchy(), Request(1, foreign)));

        Assert.Equal("request", refused.ParamName);
        Assert.Contains("vip", refused.Message, StringComparison.Ordinal);
    }

    private static SegmentSnapshot Snapshot(string id, IEnumerable<CustomerId> members)
        => new(Tenant, new SegmentId(id), 1, Instant.FromUtc(2026, 1, 1, 0, 0), Instant.FromUtc(2026, 1, 1, 0, 0), members);

    private static MetricEvaluationRequest Request(int degree, SegmentSnapshot? segment = null)
        => new(January, DateTimeZone.Utc, Currency.GBP) { MaxDegreeOfParallelism = degree, Segment = segment };

    private static void AssertSameFigures(MetricFigures expected, MetricFigures actual)
    {
        Assert.Equal(expected.Values.OrderBy(v => v.Key), actual.Values.OrderBy(v => v.Key));
        Assert.Equal(
            expected.Channels.Select(c => (c.Channel, c.Contacts, c.CostedContacts, c.Cost, c.Revenue)),
            actual.Channels.Select(c => (c.Channel, c.Contacts, c.CostedContacts, c.Cost, c.Revenue)));
    }

    /// <summary>
    /// 400 customers registered from mid-December to mid-January, each with 0–7 touchpoints from November to
    /// mid-February; the same ids, instants and touchpoints whoever is kept, because every customer draws from the random
    /// stream whether or not <paramref name="keep"/> stores them.
    /// </summary>
    private static async Task<World> CreateTenantAsync(Func<int, bool> keep)
    {
        var random = new Random(18);
        var clock = new FakeClock(Instant.FromUtc(2025, 12, 15, 0, 0));
        var customers = new InMemoryCustomerStore(new InMemoryCrmOutbox());
        var repository = new CustomerRepository(customers, clock);
        var touchpoints = new InMemoryTouchpointStore();
        var ids = new List<CustomerId>();
        var kept = new List<Touchpoint>();
        for (var c = 0; c < 400; c++)
        {
            clock.Reset(Instant.FromUtc(2025, 12, 15, 0, 0) + Duration.FromMinutes(c * 113));
            var id = new CustomerId(new Guid(c + 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 18));
            ids.Add(id);
            var stored = keep(c);
            if (stored)
            {
                await repository.SaveAsync(Customer.Register(Tenant, id, new PersonProfile("Test", "Customer"), clock));
            }

            for (var k = random.Next(8); k > 0; k--)
            {
                var kind = Kinds[random.Next(Kinds.Length)];
                var currency = random.Next(4) == 0 ? "EUR" : "GBP";
                var touchpoint = Touchpoint.Create(Tenant, new TouchpointId(new Guid(c + 1, (short)k, 0, 0, 0, 0, 0, 0, 0, 0, 18)), clock.GetCurrentInstant(), new NewTouchpoint
                {
                    CustomerId = id,
                    Channel = new ChannelId(ChannelNames[random.Next(ChannelNames.Length)]),
                    Direction = random.Next(2) == 0 ? InteractionDirection.Inbound : InteractionDirection.Outbound,
                    Function = kind == TouchpointKind.Purchase ? CrmFunction.Sales : (CrmFunction)random.Next(1, 5),
                    Kind = kind,
                    OccurredAt = Instant.FromUtc(2025, 11, 1, 0, 0) + Duration.FromMinutes(random.Next(105 * 24 * 60)),
                    Source = new ExternalIdentifier("test", $"{c}-{k}"),
                    Outcome = random.Next(3) == 0 ? TouchpointOutcome.Resolved : null,
                    Satisfaction = random.Next(4) == 0 ? new CsatScore(random.Next(1, 6)) : null,
                    Cost = random.Next(2) == 0 ? Money.Of(random.Next(0, 500) / 100m, currency) : null,
                    Revenue = kind == TouchpointKind.Purchase ? Money.Of(random.Next(100, 99_999) / 100m, currency) : null,
                });
                if (stored)
                {
                    kept.Add(touchpoint);
                }
            }
        }

        foreach (var batch in kept.Chunk(StoreLimits.MaxAppendBatch))
        {
            await touchpoints.AppendAsync(Tenant, batch, default);
        }

        return new World(customers, touchpoints, ids);
    }

    private sealed record World(InMemoryCustomerStore Customers, InMemoryTouchpointStore Touchpoints, IReadOnlyList<CustomerId> Ids);
}

using CrmKernel.Customers;
using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Primitives;
using CrmKernel.Services.Customers;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using CrmKernel.Touchpoints;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace CrmKernel.Tests.Metrics.Evaluation;

/// <summary>
/// Parallel evaluation over customer pages: any degree of parallelism, and either read path, gives the figures of one
/// sequential pass; progress is reported page by page in increasing order; cancellation stops it; bad options are refused.
/// </summary>
public sealed class ParallelEvaluationTests
{
    private static readonly TenantId Tenant = new("parallel");
    private static readonly DateInterval January = new(new LocalDate(2026, 1, 1), new LocalDate(2026, 1, 31));
    private static readonly FixedExchangeRateProvider Rates = new([new ExchangeRate(Currency.EUR, Currency.GBP, new LocalDate(2025, 11, 1), 0.86m)]);
    private static readonly string[] ChannelNames = ["web", "email", "phone", "store", "chat"];
    private static readonly TouchpointKind[] Kinds = [TouchpointKind.Purchase, TouchpointKind.Enquiry, TouchpointKind.Complaint, TouchpointKind.Resolution, TouchpointKind.CampaignContact, TouchpointKind.Response, TouchpointKind.Feedback];

    [Fact]
    public async Task AnyDegreeOfParallelism_AndEitherReadPath_GivesTheFiguresOfOneSequentialPass()
    {
        var (customers, touchpoints, _) = await CreateTenantAsync(2_600);
        var hierarchy = StandardMetrics.CreateHierarchy();
        var sequential = await new MetricEvaluator(customers, touchpoints, Rates).EvaluateAsync(Tenant, hierarchy, Request(1));
        Assert.True(sequential.Figures.Values[StandardFigures.Orders] > 100m);
        Assert.True(sequential.Figures.Values[LifecycleFunnel.Customer.StageFigure(0)] > 100m);
        Assert.Equal(ChannelNames.Length, sequential.Figures.Channels.Count);

        foreach (var (store, degree) in new (ITouchpointStore, int)[] { (touchpoints, 2), (touchpoints, 4), (new TimelineOnlyStore(touchpoints), 3) })
        {
            var parallel = await new MetricEvaluator(customers, store, Rates).EvaluateAsync(Tenant, hierarchy, Request(degree));
            AssertSameFigures(sequential.Figures, parallel.Figures);
            AssertSameFigures(sequential.PreviousFigures!, parallel.PreviousFigures!);
            Assert.Equal(sequential.Results.Select(r => (r.Id, r.Value.Value)), parallel.Results.Select(r => (r.Id, r.Value.Value)));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Progress_IsReportedAfterEachPage_InIncreasingOrder_EndingWithEverything(int degree)
    {
        var (customers, touchpoints, scanned) = await CreateTenantAsync(2_600);
        var progress = new Reports();

        await new MetricEvaluator(customers, touchpoints, Rates).EvaluateAsync(Tenant, StandardMetrics.CreateHierarchy(), Request(degree, progress));

        Assert.Equal(3, progress.Items.Count);
        Assert.Equal(progress.Items.OrderBy(p => p.CustomersScanned), progress.Items);
        Assert.Equal(progress.Items.OrderBy(p => p.TouchpointsScanned), progress.Items);
        Assert.Equal(new MetricEvaluationProgress(2_600, scanned), progress.Items[^1]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task ACancelledEvaluation_Stops(int degree)
    {
        var (customers, touchpoints, _) = await CreateTenantAsync(1_500);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await new MetricEvaluator(customers, touchpoints, Rates).EvaluateAsync(Tenant, StandardMetrics.CreateHierarchy(), Request(degree), cancelled.Token));
    }

    [Fact]
    public async Task AMissingRate_StopsAParallelEvaluation_WithTheRateError()
    {
        var (customers, touchpoints, _) = await CreateTenantAsync(2_600);

        // A worker that failed part-way through a page must never scan another: that once surfaced as "End the previous
        // customer first" instead of the rate error, in about 1 run of 1,500 on two cores, so the evaluation runs many times.
        for (var run = 0; run < 500; run++)
        {
            await Assert.ThrowsAsync<ExchangeRateNotFoundException>(async () =>
                await new MetricEvaluator(customers, touchpoints, new FixedExchangeRateProvider([])).EvaluateAsync(Tenant, StandardMetrics.CreateHierarchy(), Request(2)));
        }
    }

    [Fact]
    public void MaxDegreeOfParallelism_IsAllCoresByDefault_AndAtLeastOne()
    {
        Assert.Equal(Environment.ProcessorCount, new MetricEvaluationRequest(January, DateTimeZone.Utc, Currency.GBP).MaxDegreeOfParallelism);
        Assert.Null(new MetricEvaluationRequest(January, DateTimeZone.Utc, Currency.GBP).Progress);
        Assert.Throws<ArgumentOutOfRangeException>("value", () => Request(0));
        Assert.Throws<ArgumentOutOfRangeException>("value", () => Request(-1));
    }

    [Fact]
    public void Progress_CountsAreNotNegative()
    {
        Assert.Throws<ArgumentOutOfRangeException>("customersScanned", () => new MetricEvaluationProgress(-1, 0));
        Assert.Throws<ArgumentOutOfRangeException>("touchpointsScanned", () => new MetricEvaluationProgress(0, -1));
        Assert.Equal(5, new MetricEvaluationProgress(5, 7).CustomersScanned);
        Assert.Equal(7, new MetricEvaluationProgress(5, 7).TouchpointsScanned);
    }

    private static MetricEvaluationRequest Request(int degree, IProgress<MetricEvaluationProgress>? progress = null)
        => new(January, DateTimeZone.Utc, Currency.GBP) { MaxDegreeOfParallelism = degree, Progress = progress };

    private static void AssertSameFigures(MetricFigures expected, MetricFigures actual)
    {
        Assert.Equal(expected.Values.OrderBy(v => v.Key), actual.Values.OrderBy(v => v.Key));
        Assert.Equal(
            expected.Channels.Select(c => (c.Channel, c.Contacts, c.CostedContacts, c.Cost, c.Revenue)),
            actual.Channels.Select(c => (c.Channel, c.Contacts, c.CostedContacts, c.Cost, c.Revenue)));
    }

    /// <summary>
    /// Customers registered from mid-December to mid-January (so some join the funnel cohort), each with 0–9 touchpoints
    /// from November to mid-February on five channels, some in EUR; returns the stores and the touchpoints before the scan end.
    /// </summary>
    private static async Task<(InMemoryCustomerStore Customers, InMemoryTouchpointStore Touchpoints, long Scanned)> CreateTenantAsync(int count)
    {
        var random = new Random(15);
        var clock = new FakeClock(Instant.FromUtc(2025, 12, 15, 0, 0), Duration.FromMinutes(17));
        var customers = new InMemoryCustomerStore(new InMemoryCrmOutbox());
        var repository = new CustomerRepository(customers, clock);
        var touchpoints = new InMemoryTouchpointStore();
        var scanEnd = Instant.FromUtc(2026, 2, 8, 0, 0);
        var all = new List<Touchpoint>();
        for (var c = 0; c < count; c++)
        {
            var customer = Customer.Register(Tenant, new PersonProfile("Test", "Customer"), clock);
            await repository.SaveAsync(customer);
            for (var k = random.Next(10); k > 0; k--)
            {
                var kind = Kinds[random.Next(Kinds.Length)];
                var currency = random.Next(4) == 0 ? "EUR" : "GBP";
                all.Add(Touchpoint.Create(Tenant, TouchpointId.New(), clock.GetCurrentInstant(), new NewTouchpoint
                {
                    CustomerId = customer.Id,
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
                }));
            }
        }

        foreach (var batch in all.Chunk(StoreLimits.MaxAppendBatch))
        {
            await touchpoints.AppendAsync(Tenant, batch, default);
        }
        return (customers, touchpoints, all.Count(t => t.OccurredAt < scanEnd));
    }

    /// <summary>Collects progress reports synchronously, in the order they are made.</summary>
    private sealed class Reports : IProgress<MetricEvaluationProgress>
    {
        public List<MetricEvaluationProgress> Items { get; } = [];

        public void Report(MetricEvaluationProgress value)
        {
            lock (Items)
            {
                Items.Add(value);
            }
        }
    }

    /// <summary>Hides the scan capability.</summary>
    private sealed class TimelineOnlyStore(ITouchpointStore inner) : ITouchpointStore
    {
        public ValueTask<TouchpointAppendResult> AppendAsync(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, CancellationToken cancellationToken) => inner.AppendAsync(tenantId, touchpoints, cancellationToken);

        public ValueTask<Touchpoint?> FindAsync(TenantId tenantId, TouchpointId touchpointId, CancellationToken cancellationToken) => inner.FindAsync(tenantId, touchpointId, cancellationToken);

        public ValueTask<Touchpoint?> FindBySourceAsync(TenantId tenantId, ExternalIdentifier source, CancellationToken cancellationToken) => inner.FindBySourceAsync(tenantId, source, cancellationToken);

        public ValueTask<long> CountAsync(TenantId tenantId, CancellationToken cancellationToken) => inner.CountAsync(tenantId, cancellationToken);

        public ValueTask<IReadOnlyList<Touchpoint>> PageTimelineAsync(TenantId tenantId, TimelineFilter filter, TimelinePosition? after, int limit, CancellationToken cancellationToken)
            => inner.PageTimelineAsync(tenantId, filter, after, limit, cancellationToken);
    }
}

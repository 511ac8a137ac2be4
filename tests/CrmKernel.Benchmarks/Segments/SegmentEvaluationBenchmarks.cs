using System.Globalization;
using BenchmarkDotNet.Attributes;
using CrmKernel.Customers;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Services.Segments;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Benchmarks.Segments;

/// <summary>
/// A 5-clause segment — person, tag <c>vip</c>, lifecycle stage <c>active</c>, attribute <c>tier &gt;= 5</c>, spend of at
/// least 100 EUR in the last 365 days — over a tenant of 1,000,000 customers in the in-memory stores, evaluated through
/// <see cref="SegmentService"/> (paging customers, cheap clauses first, touchpoint rows scanned only for the survivors),
/// side by side with a hand-written LINQ filter over the same snapshots and a per-customer revenue list built in the
/// setup. Both count the same members (asserted in the setup). Goal: the service ≤ 1 s.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class SegmentEvaluationBenchmarks
{
    private static readonly TenantId Tenant = new("bench");
    private static readonly Instant AsOf = Instant.FromUtc(2026, 6, 1, 0, 0);
    private static readonly LifecycleStage Active = new("active");
    private static readonly CustomerTag Vip = new("vip");
    private static readonly SegmentId Segment = new("active-vip-spenders");

    private SegmentService _service = null!;
    private List<CustomerSnapshot> _snapshots = null!;
    private Dictionary<CustomerId, List<(Instant At, decimal Revenue)>> _purchases = null!;

    /// <summary>Customers in the tenant.</summary>
    [Params(1_000_000)]
    public int Customers { get; set; }

    [GlobalSetup]
    public void CreateBase()
    {
        var outbox = new InMemoryCrmOutbox();
        var customers = new InMemoryCustomerStore(outbox);
        var touchpoints = new InMemoryTouchpointStore();
        var random = new Random(42);
        var person = new PersonProfile("Bench", "Customer");
        var organization = new OrganizationProfile("Bench Ltd");
        var created = AsOf - Duration.FromDays(800);
        var batch = new List<CustomerCommit>(StoreLimits.MaxImportBatch);
        var rows = new List<Touchpoint>(StoreLimits.MaxAppendBatch);
        _purchases = [];
        for (var i = 0; i < Customers; i++)
        {
            var id = CustomerId.New();
            var stage = random.Next(2) == 0 ? Active : new LifecycleStage("lapsed");
            var snapshot = new CustomerSnapshot
            {
                Id = id,
                TenantId = Tenant,
                Profile = random.Next(5) == 0 ? organization : person,
                Tags = random.Next(10) < 3 ? [Vip] : [],
                CustomAttributes = new Dictionary<string, CustomAttributeValue> { ["tier"] = CustomAttributeValue.FromNumber(random.Next(1, 11)) },
                CreatedAt = created,
                UpdatedAt = created,
                Version = 1,
                LifecycleStage = stage,
                LifecycleHistory = [LifecycleTransitionRecord.Create(new LifecycleStage("prospect"), stage, created + Duration.FromDays(1), "bench", LifecycleTriggerKind.Command, null, "move", "bench", LifecycleTransitionRecord.SystemActor)],
            };
            batch.Add(new CustomerCommit(snapshot, 0, []));
            if (random.Next(2) == 0)
            {
                var at = AsOf - Duration.FromMinutes(random.NextInt64(400L * 24 * 60) + 1);
                var revenue = random.Next(0, 200);
                rows.Add(Touchpoint.Create(Tenant, TouchpointId.New(), at, new NewTouchpoint
                {
                    CustomerId = id,
                    Channel = new ChannelId("web"),
                    Direction = InteractionDirection.Inbound,
                    Function = CrmFunction.Sales,
                    Kind = TouchpointKind.Purchase,
                    OccurredAt = at,
                    Source = new ExternalIdentifier("bench", i.ToString(CultureInfo.InvariantCulture)),
                    Revenue = new Money(revenue, Currency.EUR),
                }));
                _purchases[id] = [(at, revenue)];
            }

            if (batch.Count == batch.Capacity)
            {
                customers.ImportAsync(Tenant, batch, default).AsTask().GetAwaiter().GetResult();
                batch.Clear();
            }

            if (rows.Count == rows.Capacity)
            {
                touchpoints.AppendAsync(Tenant, rows, default).AsTask().GetAwaiter().GetResult();
                rows.Clear();
            }
        }

        customers.ImportAsync(Tenant, batch, default).AsTask().GetAwaiter().GetResult();
        touchpoints.AppendAsync(Tenant, rows, default).AsTask().GetAwaiter().GetResult();
        var vocabulary = new SegmentVocabulary([KeyValuePair.Create("tier", CustomAttributeType.Number)]);
        _service = new SegmentService(new InMemorySegmentStore(), customers, touchpoints, new FixedClock(AsOf), new SegmentServiceOptions { Vocabulary = vocabulary, PageSize = StoreLimits.MaxPageSize });
        var rule = SegmentRule.And(
            new PartyKindRule(PartyKind.Person),
            new HasTagRule(Vip),
            new LifecycleStageRule(Active),
            AttributeRule.Compare("tier", SegmentComparison.GreaterThanOrEqual, CustomAttributeValue.FromNumber(5)),
            new SpendRule(Duration.FromDays(365), new Money(100m, Currency.EUR)));
        _service.DefineAsync(Tenant, Segment, "Active VIP spenders", rule, 0).AsTask().GetAwaiter().GetResult();
        _snapshots = [];
        CustomerId? after = null;
        while (customers.PageAsync(Tenant, after, StoreLimits.MaxPageSize, default).AsTask().GetAwaiter().GetResult() is { Count: > 0 } page)
        {
            _snapshots.AddRange(page);
            after = page[^1].Id;
        }

        var service = Service();
        var linq = Linq();
        if (service != linq)
        {
            throw new InvalidOperationException($"The service counts {service} members and the LINQ filter {linq}.");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// setup: {Customers:N0} customers, {_purchases.Count:N0} purchases, {service:N0} members"));
    }

    /// <summary>The segment's members counted through <see cref="SegmentService.CountAsync"/>.</summary>
    [Benchmark]
    public int Service() => _service.CountAsync(Tenant, Segment, AsOf).AsTask().GetAwaiter().GetResult();

    /// <summary>The same filter written by hand in LINQ over the snapshots and the per-customer purchases.</summary>
    [Benchmark(Baseline = true)]
    public int Linq()
    {
        var from = AsOf - Duration.FromDays(365);
        return _snapshots.Count(c =>
            c.CreatedAt <= AsOf
            && c.Profile.Kind == PartyKind.Person
            && c.Tags.Contains(Vip)
            && c.LifecycleStage == Active
            && c.CustomAttributes.TryGetValue("tier", out var tier) && tier.AsNumber() >= 5
            && _purchases.TryGetValue(c.Id, out var purchases) && purchases.Where(p => p.At >= from && p.At < AsOf).Sum(p => p.Revenue) >= 100m);
    }

    private sealed class FixedClock(Instant now) : IClock
    {
        public Instant GetCurrentInstant() => now;
    }
}

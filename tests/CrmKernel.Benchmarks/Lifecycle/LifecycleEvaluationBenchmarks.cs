using System.Globalization;
using BenchmarkDotNet.Attributes;
using CrmKernel.Customers;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Services.Lifecycle;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using NodaTime;

namespace CrmKernel.Benchmarks.Lifecycle;

/// <summary>
/// The nightly lifecycle run over a whole tenant held in the in-memory store: <see cref="LifecycleEvaluator"/> streams
/// every customer and lapses those whose 180 days without a purchase ran out since the previous run. Customers' last
/// purchases are spread uniformly over 400 days before the start, and the setup runs once so that the base is
/// evaluated; each invocation then evaluates one day later, so about 1/400 of the base lapses per invocation (the
/// realistic daily workload: a full scan plus a few commits). Goal: the 1M run within 12× the 100k run.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class LifecycleEvaluationBenchmarks
{
    private static readonly TenantId Tenant = new("bench");
    private static readonly Instant Start = Instant.FromUtc(2026, 1, 1, 0, 0);

    private LifecycleEvaluator _evaluator = null!;
    private Instant _asOf;

    /// <summary>Customers in the tenant.</summary>
    [Params(100_000, 1_000_000)]
    public int Customers { get; set; }

    [GlobalSetup]
    public void CreateBase()
    {
        var clock = new FixedClock(Start);
        var outbox = new InMemoryCrmOutbox();
        var store = new InMemoryCustomerStore(outbox);
        var model = DefaultLifecycleModel.Create();
        var profile = new PersonProfile("Bench", "Customer");
        var random = new Random(42);
        var batch = new List<CustomerCommit>(10_000);
        for (var i = 0; i < Customers; i++)
        {
            batch.Add(new CustomerCommit(Snapshot(profile, random), 0, []));
            if (batch.Count == batch.Capacity)
            {
                store.ImportAsync(Tenant, batch, default).AsTask().GetAwaiter().GetResult();
                batch.Clear();
            }
        }

        store.ImportAsync(Tenant, batch, default).AsTask().GetAwaiter().GetResult();
        _evaluator = new LifecycleEvaluator(new CrmKernel.Services.Customers.CustomerRepository(store, clock, outbox: outbox), model);
        _asOf = Start;
        var first = _evaluator.EvaluateAsync(Tenant, _asOf).AsTask().GetAwaiter().GetResult();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// setup: {first.Examined:N0} customers, {first.Changed:N0} lapsed at the start"));
    }

    /// <summary>One day's evaluation of the whole tenant.</summary>
    [Benchmark]
    public LifecycleEvaluationResult EvaluateNextDay()
    {
        _asOf += Duration.FromDays(1);
        return _evaluator.EvaluateAsync(Tenant, _asOf).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>A customer registered 2 years before the start with one or two purchases, the last uniformly within 400 days before the start.</summary>
    private static CustomerSnapshot Snapshot(PersonProfile profile, Random random)
    {
        var created = Start - Duration.FromDays(730);
        var last = Start - Duration.FromMinutes(random.NextInt64(400L * 24 * 60));
        var twice = random.Next(2) == 1;
        var first = twice ? last - Duration.FromDays(30) : last;
        var history = new List<LifecycleTransitionRecord>(2)
        {
            LifecycleTransitionRecord.Create(DefaultLifecycleModel.Prospect, DefaultLifecycleModel.FirstTimeCustomer, first, "first-purchase", LifecycleTriggerKind.Touchpoint, TouchpointId.New(), null, "first purchase", LifecycleTransitionRecord.SystemActor),
        };
        if (twice)
        {
            history.Add(LifecycleTransitionRecord.Create(DefaultLifecycleModel.FirstTimeCustomer, DefaultLifecycleModel.RepeatCustomer, last, "second-purchase", LifecycleTriggerKind.Touchpoint, TouchpointId.New(), null, "second purchase", LifecycleTransitionRecord.SystemActor));
        }

        return new CustomerSnapshot
        {
            Id = CustomerId.New(),
            TenantId = Tenant,
            Profile = profile,
            CreatedAt = created,
            UpdatedAt = last,
            Version = 1,
            LifecycleStage = history[^1].To,
            LifecycleHistory = history,
            LifecycleFacts = LifecycleFacts.Create(twice ? 2 : 1, first, last, twice ? [first, last] : [last], 0, null, null),
        };
    }

    private sealed class FixedClock(Instant now) : IClock
    {
        public Instant GetCurrentInstant() => now;
    }
}

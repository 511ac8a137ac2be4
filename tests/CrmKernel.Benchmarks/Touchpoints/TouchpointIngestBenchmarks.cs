using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Services.Ingestion;
using CrmKernel.Storage.InMemory;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Benchmarks.Touchpoints;

/// <summary>
/// In-memory ingest into a tenant that already has 100,000 customers (one touchpoint each): one million touchpoints
/// per invocation, appended in batches of <see cref="TouchpointIngestion.BatchSize"/>. One operation is one
/// touchpoint, so the time and allocation columns are per touchpoint. The goal is ≥ 1,000,000 touchpoints/s on one
/// thread. The plain-dictionary version is the baseline the store's ratio is taken against.
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, warmupCount: 1, iterationCount: 5)]
public class TouchpointIngestBenchmarks
{
    public const int Customers = 100_000;

    public const int Count = 1_000_000;

    private NewTouchpoint[] _feed = [];
    private Touchpoint[][] _batches = [];
    private Touchpoint[][] _seed = [];
    private InMemoryTouchpointStore _store = new();
    private PlainTouchpointIndex _plain = new();
    private TouchpointIngestion _ingestion = new(new InMemoryTouchpointStore(), SystemClock.Instance);
    private TouchpointIngestion _lifecycleIngestion = new(new InMemoryTouchpointStore(), SystemClock.Instance);
    private TouchpointIngestion _mergeAwareIngestion = new(new InMemoryTouchpointStore(), SystemClock.Instance);

    [GlobalSetup(Target = nameof(InMemoryStore))]
    public void SetupAndReportMemory()
    {
        var customers = Setup();
        TouchpointMemoryFootprint.Report(customers, Count);
    }

    [GlobalSetup(Targets = [nameof(PlainDictionaries), nameof(IngestionFromNewTouchpoint), nameof(LifecycleIngestionUnknownCustomers), nameof(MergeAwareIngestionUnknownCustomers)])]
    public void SetupOnly() => Setup();

    [IterationSetup]
    public void FreshTenant()
    {
        _store = new InMemoryTouchpointStore();
        TouchpointData.AppendAll(_store, _seed);
        _plain = new PlainTouchpointIndex();
        _plain.AppendAll(_seed);
        _ingestion = new TouchpointIngestion(_store, SystemClock.Instance);

        // As registered by AddCrmKernel with the in-memory stores; the customer store is empty: contacts arrive before master data.
        var customers = new InMemoryCustomerStore(new InMemoryCrmOutbox());
        _lifecycleIngestion = new TouchpointIngestion(_store, SystemClock.Instance, DefaultLifecycleModel.Create(), customers, new InMemoryCustomerTouchpointStore(customers, _store));

        // As AddCrmKernel registers it since ingestion honours merges: the merge capability too (no customer is merged away).
        _mergeAwareIngestion = new TouchpointIngestion(_store, SystemClock.Instance, DefaultLifecycleModel.Create(), customers, new InMemoryCustomerTouchpointStore(customers, _store), null, null, null, new InMemoryCustomerMergeStore(customers, _store, new InMemoryRelationshipStore()));
        GC.Collect();
    }

    /// <summary>A dictionary by source key and a list per customer under one lock: what a user would otherwise write.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Count)]
    public long PlainDictionaries() => Expect(_plain.AppendAll(_batches));

    /// <summary>Pre-built touchpoints appended to <see cref="InMemoryTouchpointStore"/>.</summary>
    [Benchmark(OperationsPerInvoke = Count)]
    public long InMemoryStore() => Expect(TouchpointData.AppendAll(_store, _batches));

    /// <summary>The whole ingestion path from source data: validation, a new id and the clock, then the store.</summary>
    [Benchmark(OperationsPerInvoke = Count)]
    public async Task<long> IngestionFromNewTouchpoint()
    {
        var report = await _ingestion.RecordManyAsync(TouchpointData.Tenant, _feed).ConfigureAwait(false);
        return Expect(report.Recorded);
    }

    /// <summary>
    /// The same path through a pipeline that applies the lifecycle (as <c>AddCrmKernel</c> registers it), for contacts whose
    /// customers are not in the customer store: each batch is grouped by customer and each customer looked up once.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Count)]
    public async Task<long> LifecycleIngestionUnknownCustomers()
    {
        var report = await _lifecycleIngestion.RecordManyAsync(TouchpointData.Tenant, _feed).ConfigureAwait(false);
        return Expect(report.Recorded);
    }

    /// <summary>
    /// <see cref="LifecycleIngestionUnknownCustomers"/> with the merge capability: one batched survivor look-up per batch
    /// for the ids not found, and the unknown customers' touchpoints appended through the redirecting append.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Count)]
    public async Task<long> MergeAwareIngestionUnknownCustomers()
    {
        var report = await _mergeAwareIngestion.RecordManyAsync(TouchpointData.Tenant, _feed).ConfigureAwait(false);
        return Expect(report.Recorded);
    }

    private static long Expect(long appended)
        => appended == Count ? appended : throw new InvalidOperationException($"Appended {appended} touchpoints instead of {Count}.");

    private CustomerId[] Setup()
    {
        var customers = TouchpointData.Customers(Customers, seed: 1);

        // The tenant's existing customers: one touchpoint each, a month before the measured feed starts.
        var random = new Random(2);
        var seed = new Touchpoint[customers.Length];
        for (var i = 0; i < seed.Length; i++)
        {
            var occurredAt = TouchpointData.Start - Duration.FromDays(30) + Duration.FromSeconds(i);
            seed[i] = TouchpointData.Record(TouchpointData.Details(i, "seed", customers[i], i % TouchpointData.Channels.Length, occurredAt, random), random);
        }

        _seed = TouchpointData.Batches(seed);
        _feed = TouchpointData.Feed(Count, customers, "tp", seed: 3);
        _batches = TouchpointData.Batches(TouchpointData.RecordAll(_feed, seed: 4));
        return customers;
    }

    private sealed class Config : BenchmarkDotNet.Configs.ManualConfig
    {
        public Config() => AddColumn(new ThroughputColumn());
    }
}

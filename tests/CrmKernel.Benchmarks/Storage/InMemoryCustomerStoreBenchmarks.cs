using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Services.Customers;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;

namespace CrmKernel.Benchmarks.Storage;

/// <summary>
/// Inserting N new customers into an empty <see cref="InMemoryCustomerStore"/> (one CommitAsync per customer, the
/// same without events to isolate the outbox, and ImportAsync in batches of 1,000) against inserting the same snapshots into the plain-dictionary baseline. Every
/// iteration starts from fresh, empty stores and inserts all N, so Mean/Median are totals; Median/customer and
/// Alloc/customer divide them by N.
/// </summary>
/// <remarks>One invocation takes 0.2 to 10 s, so a monitoring job (one invocation per iteration, no pilot) suffices.</remarks>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
[InvocationCount(1)]
[MemoryDiagnoser]
[MedianColumn]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[Config(typeof(PerCustomerColumns))]
public class InMemoryCustomerStoreBenchmarks
{
    private const string Insert = "Insert";

    private CustomerCommit[] _commits = [];
    private CustomerCommit[] _commitsWithoutEvents = [];
    private CustomerCommit[][] _batches = [];
    private InMemoryCustomerStore _store = null!;
    private PlainDictionaryCustomerStore _plain = null!;

    [Params(100_000, 1_000_000)]
    public int Customers;

    [GlobalSetup]
    public void CreateCommits()
    {
        _commits = CustomerDataSet.CreateCommits(Customers);
        _commitsWithoutEvents = [.. _commits.Select(c => new CustomerCommit(c.Customer, c.ExpectedVersion, []))];
        _batches = _commits.Chunk(CustomerRepository.ImportBatchSize).ToArray();
    }

    [IterationSetup]
    public void FreshStores()
    {
        _store = new InMemoryCustomerStore(new InMemoryCrmOutbox());
        _plain = new PlainDictionaryCustomerStore();
    }

    [IterationCleanup]
    public void DropStores()
    {
        _store = null!;
        _plain = null!;
    }

    [Benchmark(Baseline = true, Description = "Dictionary: insert N")]
    [BenchmarkCategory(Insert)]
    public int Baseline_Insert()
    {
        foreach (var commit in _commits)
        {
            _plain.Insert(commit.Customer);
        }

        return _plain.Count;
    }

    [Benchmark(Description = "Store: CommitAsync N")]
    [BenchmarkCategory(Insert)]
    public InMemoryCustomerStore Store_CommitAsync()
    {
        CustomerDataSet.Fill(_store, _commits);
        return _store;
    }

    /// <summary>The same inserts with commits that carry no events, to show what the outbox costs.</summary>
    [Benchmark(Description = "Store: CommitAsync N, commits without events")]
    [BenchmarkCategory(Insert)]
    public InMemoryCustomerStore Store_CommitAsync_WithoutEvents()
    {
        CustomerDataSet.Fill(_store, _commitsWithoutEvents);
        return _store;
    }

    [Benchmark(Description = "Store: ImportAsync N (batches of 1,000)")]
    [BenchmarkCategory(Insert)]
    public int Store_ImportAsync()
    {
        var inserted = 0;
        foreach (var batch in _batches)
        {
            inserted += Sync.Result(_store.ImportAsync(CustomerDataSet.Tenant, batch, CancellationToken.None)).Inserted;
        }

        return inserted;
    }
}

/// <summary>
/// Reading all N customers of a filled <see cref="InMemoryCustomerStore"/>: raw snapshots in keyset pages of
/// 1,000, and rehydrated customers through <see cref="CustomerRepository.StreamAsync"/>, against a scan over the
/// plain-dictionary baseline's values (plain, and with <see cref="Customer.Rehydrate"/>). One invocation reads all
/// N, so Mean/Median are totals; Median/customer and Alloc/customer divide them by N.
/// </summary>
/// <remarks>
/// The store's outbox is drained after filling, as a running CrmEventRelay would. One invocation takes 5 ms to
/// 1.5 s: a monitoring job with more iterations than the insert job keeps the median steady.
/// </remarks>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 10)]
[MemoryDiagnoser]
[MedianColumn]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[Config(typeof(PerCustomerColumns))]
public class InMemoryCustomerStoreScanBenchmarks
{
    private const string Scan = "Scan";
    private const string ScanRehydrated = "ScanRehydrated";

    private InMemoryCustomerStore _store = null!;
    private CustomerRepository _repository = null!;
    private PlainDictionaryCustomerStore _plain = null!;

    [Params(100_000, 1_000_000)]
    public int Customers;

    [GlobalSetup(Targets = [nameof(Store_ReadPageAsync), nameof(Repository_StreamAsync)])]
    public void SetupFilledStore()
    {
        var outbox = new InMemoryCrmOutbox();
        _store = new InMemoryCustomerStore(outbox);
        CustomerDataSet.Fill(_store, CustomerDataSet.CreateCommits(Customers));
        CustomerDataSet.DrainOutbox(outbox);
        _repository = new CustomerRepository(_store, CustomerDataSet.Clock);
        CustomerDataSet.Check(Sync.Result(_store.CountAsync(CustomerDataSet.Tenant, CancellationToken.None)) == Customers, "the store is not filled");
        GC.Collect();
    }

    [GlobalSetup(Targets = [nameof(Baseline_Scan), nameof(Baseline_ScanRehydrated)])]
    public void SetupFilledBaseline()
    {
        _plain = new PlainDictionaryCustomerStore();
        foreach (var commit in CustomerDataSet.CreateCommits(Customers))
        {
            _plain.Insert(commit.Customer);
        }

        CustomerDataSet.Check(_plain.Count == Customers, "the baseline is not filled");
        GC.Collect();
    }

    [Benchmark(Baseline = true, Description = "Dictionary: scan values")]
    [BenchmarkCategory(Scan)]
    public long Baseline_Scan() => _plain.Scan();

    [Benchmark(Description = "Store: PageAsync pages of 1,000")]
    [BenchmarkCategory(Scan)]
    public long Store_ReadPageAsync()
    {
        var sum = 0L;
        CustomerId? after = null;
        while (true)
        {
            var page = Sync.Result(_store.PageAsync(CustomerDataSet.Tenant, after, CustomerDataSet.PageSize, CancellationToken.None));
            foreach (var snapshot in page)
            {
                sum += Checksum.Of(snapshot);
            }

            if (page.Count < CustomerDataSet.PageSize)
            {
                return sum;
            }

            after = page[^1].Id;
        }
    }

    [Benchmark(Baseline = true, Description = "Dictionary: scan values + Rehydrate")]
    [BenchmarkCategory(ScanRehydrated)]
    public long Baseline_ScanRehydrated() => _plain.ScanRehydrated(CustomerDataSet.Clock);

    [Benchmark(Description = "Repository: StreamAsync pages of 1,000")]
    [BenchmarkCategory(ScanRehydrated)]
    public async Task<long> Repository_StreamAsync()
    {
        var sum = 0L;
        await foreach (var customer in _repository.StreamAsync(CustomerDataSet.Tenant, CustomerDataSet.PageSize).ConfigureAwait(false))
        {
            sum += Checksum.Of(customer);
        }

        return sum;
    }
}

/// <summary>
/// Single-key lookups on <see cref="InMemoryCustomerStore"/> against the plain-dictionary baseline, in a store
/// holding N customers. Each invocation looks up the same 1,000 random known keys (built afresh, as a caller's
/// keys would be, so equality compares contents, not references); OperationsPerInvoke makes every figure one lookup.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 7)]
[IterationTime(250)]
[MemoryDiagnoser]
[MedianColumn]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class InMemoryCustomerStoreLookupBenchmarks
{
    private const string ById = "FindById";
    private const string ByExternalIdentifier = "FindByExternalIdentifier";
    private const string ByEmail = "FindByEmail";

    private InMemoryCustomerStore _store = null!;
    private PlainDictionaryCustomerStore _plain = null!;
    private CustomerId[] _ids = [];
    private ExternalIdentifier[] _identifiers = [];
    private ContactPoint[] _emails = [];

    [Params(100_000, 1_000_000)]
    public int Customers;

    [GlobalSetup(Targets = [nameof(Store_FindAsync), nameof(Store_FindByExternalIdentifierAsync), nameof(Store_FindByContactPointAsync)])]
    public void SetupStore()
    {
        var commits = CustomerDataSet.CreateCommits(Customers);
        var outbox = new InMemoryCrmOutbox();
        _store = new InMemoryCustomerStore(outbox);
        CustomerDataSet.Fill(_store, commits);
        CustomerDataSet.DrainOutbox(outbox);
        CreateKeys(commits);
        GC.Collect();
    }

    [GlobalSetup(Targets = [nameof(Baseline_Find), nameof(Baseline_FindByExternalIdentifier), nameof(Baseline_FindByEmail)])]
    public void SetupBaseline()
    {
        var commits = CustomerDataSet.CreateCommits(Customers);
        _plain = new PlainDictionaryCustomerStore();
        foreach (var commit in commits)
        {
            _plain.Insert(commit.Customer);
        }

        CreateKeys(commits);
        GC.Collect();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = CustomerDataSet.LookupsPerInvoke, Description = "Dictionary: by id")]
    [BenchmarkCategory(ById)]
    public long Baseline_Find()
    {
        var found = 0L;
        foreach (var id in _ids)
        {
            found += _plain.Find(id)!.Version;
        }

        return found;
    }

    [Benchmark(OperationsPerInvoke = CustomerDataSet.LookupsPerInvoke, Description = "Store: FindAsync")]
    [BenchmarkCategory(ById)]
    public long Store_FindAsync()
    {
        var found = 0L;
        foreach (var id in _ids)
        {
            found += Sync.Result(_store.FindAsync(CustomerDataSet.Tenant, id, CancellationToken.None))!.Version;
        }

        return found;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = CustomerDataSet.LookupsPerInvoke, Description = "Dictionary: by external identifier")]
    [BenchmarkCategory(ByExternalIdentifier)]
    public long Baseline_FindByExternalIdentifier()
    {
        var found = 0L;
        foreach (var identifier in _identifiers)
        {
            found += _plain.FindByExternalIdentifier(identifier)!.Version;
        }

        return found;
    }

    [Benchmark(OperationsPerInvoke = CustomerDataSet.LookupsPerInvoke, Description = "Store: FindByExternalIdentifierAsync")]
    [BenchmarkCategory(ByExternalIdentifier)]
    public long Store_FindByExternalIdentifierAsync()
    {
        var found = 0L;
        foreach (var identifier in _identifiers)
        {
            found += Sync.Result(_store.FindByExternalIdentifierAsync(CustomerDataSet.Tenant, identifier, CancellationToken.None))!.Version;
        }

        return found;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = CustomerDataSet.LookupsPerInvoke, Description = "Dictionary: by email")]
    [BenchmarkCategory(ByEmail)]
    public long Baseline_FindByEmail()
    {
        var found = 0L;
        foreach (var email in _emails)
        {
            found += _plain.FindByContactPoint(email)!.Version;
        }

        return found;
    }

    [Benchmark(OperationsPerInvoke = CustomerDataSet.LookupsPerInvoke, Description = "Store: ListByContactPointAsync (email)")]
    [BenchmarkCategory(ByEmail)]
    public long Store_FindByContactPointAsync()
    {
        var found = 0L;
        foreach (var email in _emails)
        {
            found += Sync.Result(_store.ListByContactPointAsync(CustomerDataSet.Tenant, email, CancellationToken.None))[0].Version;
        }

        return found;
    }

    private void CreateKeys(CustomerCommit[] commits)
    {
        var indices = CustomerDataSet.RandomIndices(commits.Length);
        _ids = [.. indices.Select(i => commits[i].Customer.Id)];
        _identifiers = [.. indices.Select(i => new ExternalIdentifier(CustomerDataSet.Source, CustomerDataSet.KeyOf(i)))];
        _emails = [.. indices.Select(i => (ContactPoint)EmailAddress.Parse(CustomerDataSet.EmailOf(i)))];
        CustomerDataSet.Check(
            _identifiers.Zip(indices).All(p => commits[p.Second].Customer.ExternalIdentifiers[0].Equals(p.First))
            && _emails.Zip(indices).All(p => commits[p.Second].Customer.ContactPoints[0].Value.Equals(p.First)),
            "the lookup keys do not match the stored customers");
    }
}

using System.Globalization;
using BenchmarkDotNet.Attributes;
using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Metrics.Hierarchy;
using CrmKernel.Primitives;
using CrmKernel.Samples.Storage.Sqlite;
using CrmKernel.Storage;
using NodaTime;

namespace CrmKernel.Benchmarks.Metrics;

/// <summary>
/// What an application on the SQLite adapter calls: <see cref="MetricEvaluator.EvaluateAsync"/> over a
/// <see cref="SqliteCrmStore"/> file holding the <see cref="MetricTenant"/>'s customers (imported) and touchpoints
/// (appended in batches of 10,000), the customers read through <c>PageRowsAsync</c> and the touchpoints through
/// <c>StreamRowsByCustomerAsync</c>, against DuckDB over the same
/// rows (imported into DuckDB: its sqlite scanner extension is not available offline). Threads as in
/// <see cref="MetricPathBenchmarks"/>. The setup stops unless every figure is identical. Runs in process (<see cref="InProcessShortRunConfig"/>).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessShortRunConfig))]
[MedianColumn]
public class MetricSqliteBenchmarks
{
    private static readonly MetricHierarchy Hierarchy = StandardMetrics.CreateHierarchy();
    private static (int Customers, SqliteCrmStore Store, string Path)? _cached;

    private MetricTenant _tenant = null!;
    private MetricEvaluator _evaluator = null!;
    private MetricEvaluationRequest _request = null!;
    private SqliteCrmStore _store = null!;
    private CustomerId[][] _idPages = [];

    /// <summary>The sizes: 100,000 customers, or those listed in <c>CRMKERNEL_METRIC_SQLITE_CUSTOMERS</c> (comma-separated).</summary>
    public static IEnumerable<int> Sizes
        => Environment.GetEnvironmentVariable("CRMKERNEL_METRIC_SQLITE_CUSTOMERS") is { Length: > 0 } sizes
            ? sizes.Split(',').Select(static s => int.Parse(s, NumberStyles.AllowThousands, CultureInfo.InvariantCulture))
            : [100_000];

    [ParamsSource(nameof(Sizes))]
    public int Customers { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _tenant = MetricTenant.Get(Customers);
        _tenant.DuckDb.Threads = Threads;
        var store = Store(_tenant);
        _store = store;
        _idPages = [.. _tenant.Commits.Select(c => c.Customer.Id).Order().Chunk(ITouchpointScanStore.MaxCustomers)];
        _request = new MetricEvaluationRequest(MetricDataSet.Period, DateTimeZone.Utc, Currency.GBP, compareWithPrevious: false) { MaxDegreeOfParallelism = Threads };
        _evaluator = new MetricEvaluator(store, store.Touchpoints, new FixedExchangeRateProvider([]));

        var sql = DuckDbSql().Figures;
        Storage.CustomerDataSet.Check(
            ScanCustomers().GetAwaiter().GetResult() == ReadCustomerPages().GetAwaiter().GetResult() && ReadCustomerPages().GetAwaiter().GetResult() == _tenant.Data.Customers.Length,
            "the compact scan and the snapshot pages read every customer");
        MetricFigureCheck.Same("DuckDB", sql, "SQLite store", EvaluateFromSqlite().GetAwaiter().GetResult().Figures);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// SQLite file {new FileInfo(_cached!.Value.Path).Length / (1 << 20):N0} MiB; {MetricFigureCheck.Summary(sql)}; threads {Threads}"));
    }

    [Benchmark(Baseline = true)]
    public MetricEvaluation DuckDbSql()
        => MetricEvaluation.Create(Hierarchy, _request, _tenant.DuckDb.Figures(new MetricScan(_request.Period, _request.Zone), Currency.GBP), null);

    [Benchmark]
    public async Task<MetricEvaluation> EvaluateFromSqlite() => await _evaluator.EvaluateAsync(MetricTenant.Tenant, Hierarchy, _request);

    /// <summary>The first half of the SQLite path on its own: every customer page as the evaluator reads it.</summary>
    [Benchmark]
    public async Task<long> ReadCustomerPages()
    {
        long count = 0;
        CustomerId? after = null;
        while (true)
        {
            var page = await _store.PageAsync(MetricTenant.Tenant, after, ITouchpointScanStore.MaxCustomers, CancellationToken.None);
            count += page.Count;
            if (page.Count < ITouchpointScanStore.MaxCustomers)
            {
                return count;
            }

            after = page[^1].Id;
        }
    }

    /// <summary>
    /// The first half as the evaluator now reads it: every page of compact rows through the adapter's
    /// <see cref="ICustomerScanStore"/> (one lean statement, no snapshot rebuilt).
    /// </summary>
    [Benchmark]
    public async Task<long> ScanCustomers()
    {
        long count = 0;
        CustomerId? after = null;
        while (true)
        {
            var page = await _store.PageRowsAsync(MetricTenant.Tenant, after, ITouchpointScanStore.MaxCustomers, CancellationToken.None);
            count += page.Count;
            if (page.Count < ITouchpointScanStore.MaxCustomers)
            {
                return count;
            }

            after = page[^1].Id;
        }
    }

    /// <summary>The second half on its own: the scan rows of every page of 1,000 customers up to the scan's end, counted (one thread).</summary>
    [Benchmark]
    public async Task<long> StreamScanRows()
    {
        long count = 0;
        var end = new MetricScan(_request.Period, _request.Zone).ScanEnd;
        foreach (var ids in _idPages)
        {
            await foreach (var batch in _store.Touchpoints.StreamRowsByCustomerAsync(MetricTenant.Tenant, ids, end, CancellationToken.None))
            {
                count += batch.Length;
            }
        }

        return count;
    }

    private static SqliteCrmStore Store(MetricTenant tenant)
    {
        if (_cached is { } cached && cached.Customers == tenant.Data.Customers.Length)
        {
            return cached.Store;
        }

        var path = Path.Combine(Path.GetTempPath(), $"crmkernel-metrics-{Guid.NewGuid():N}.db");
        var store = new SqliteCrmStore($"Data Source={path}");
        foreach (var chunk in tenant.Commits.Chunk(1_000))
        {
            var result = store.ImportAsync(MetricTenant.Tenant, chunk, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            Storage.CustomerDataSet.Check(result.Inserted == chunk.Length, "every customer is imported into SQLite");
        }

        foreach (var batch in tenant.Batches)
        {
            var result = store.Touchpoints.AppendAsync(MetricTenant.Tenant, batch, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            Storage.CustomerDataSet.Check(result.Appended == batch.Length, "every touchpoint is appended to SQLite");
        }

        _cached = (tenant.Data.Customers.Length, store, path);
        return store;
    }
}

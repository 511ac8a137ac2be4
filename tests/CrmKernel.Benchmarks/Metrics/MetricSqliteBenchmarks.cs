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
/// <c>StreamRowsByCustomerAsync</c>, against DuckDB reading the same file (<see cref="DuckDbImportAndSql"/>: an import,
/// since DuckDB's sqlite scanner extension cannot be loaded or downloaded here, and the SQL, timed together) and against
/// DuckDB's SQL alone over its own columnar copy of the rows (<see cref="DuckDbSql"/>, the import excluded). Threads as in
/// <see cref="MetricPathBenchmarks"/>. The setup stops unless every figure is identical. Runs in process (<see cref="InProcessShortRunConfig"/>).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessShortRunConfig))]
[MedianColumn]
public class MetricSqliteBenchmarks
{
    private static readonly MetricHierarchy Hierarchy = StandardMetrics.CreateHierarchy();
    private static readonly HashSet<(int Customers, int Threads)> Checked = [];
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

        // Every case of a size and thread count reads the same file the same way: checked once per process for each.
        if (Checked.Add((Customers, Threads)))
        {
            var sql = DuckDbSql().Figures;
            var snapshots = ReadCustomerPages().GetAwaiter().GetResult();
            Storage.CustomerDataSet.Check(
                ScanCustomers().GetAwaiter().GetResult() == snapshots && snapshots == _tenant.Data.Customers.Length,
                "the compact scan and the snapshot pages read every customer");
            MetricFigureCheck.Same("DuckDB", sql, "SQLite store", EvaluateFromSqlite().GetAwaiter().GetResult().Figures);
            MetricFigureCheck.Same("DuckDB", sql, "DuckDB from the SQLite file", DuckDbImportAndSql().Figures);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// SQLite file {new FileInfo(_cached!.Value.Path).Length / (1 << 20):N0} MiB; {MetricFigureCheck.Summary(sql)}; threads {Threads}"));
        }
    }

    /// <summary>
    /// The baseline, DuckDB reading the same SQLite file: its import (<see cref="DuckDbSqliteImport"/>) and the
    /// same SQL as <see cref="DuckDbSql"/>, timed together, the DuckDB database dropped afterwards.
    /// </summary>
    [Benchmark(Baseline = true)]
    public MetricEvaluation DuckDbImportAndSql()
    {
        using var duck = DuckDbSqliteImport.Import(_cached!.Value.Path, MetricTenant.Tenant, Threads, out _);
        return MetricEvaluation.Create(Hierarchy, _request, duck.Figures(new MetricScan(_request.Period, _request.Zone), Currency.GBP), null);
    }

    /// <summary>The stricter baseline: DuckDB's SQL over its own columnar copy of the rows, the import excluded (loaded once per process).</summary>
    [Benchmark]
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

    /// <summary>The path of the tenant's SQLite file (<see cref="Store"/>).</summary>
    internal static string FileOf(MetricTenant tenant)
    {
        Store(tenant);
        return _cached!.Value.Path;
    }

    /// <summary>The tenant's rows in a SQLite file, filled on first use and kept for the process (also for the quick loop).</summary>
    internal static SqliteCrmStore Store(MetricTenant tenant)
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

        // The file is hundreds of MiB per 100,000 customers: it goes with the process.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            store.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        };
        return store;
    }
}

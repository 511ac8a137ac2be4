using System.Globalization;
using BenchmarkDotNet.Attributes;
using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Metrics.Hierarchy;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Benchmarks.Metrics;

/// <summary>
/// The whole standard catalogue (every metric, target and identity, both lifecycle funnels) for January 2026 over one
/// <see cref="MetricTenant"/>, three ways on the same rows and the same number of threads (<see cref="Threads"/>):
/// <list type="bullet">
/// <item><see cref="DuckDbSql"/> (the baseline): the figures as SQL in an in-process DuckDB holding the same rows,
/// <c>SET threads = Threads</c>;</item>
/// <item><see cref="EvaluateFromInMemoryStores"/>: what an application calls, <see cref="MetricEvaluator.EvaluateAsync"/>
/// over the in-memory reference stores with <see cref="MetricEvaluationRequest.MaxDegreeOfParallelism"/> = Threads;</item>
/// <item><see cref="KernelScanCompactRows"/>: the bare <see cref="MetricScan"/> over the rows as a precomputed compact
/// array (no store, no conversion), split into Threads customer ranges scanned in parallel and merged.</item>
/// </list>
/// The setup computes all three and stops unless every figure, funnel stage and channel is identical. All three end in
/// the same <see cref="MetricEvaluation.Create"/>. Runs in process (<see cref="InProcessShortRunConfig"/>) so the tenant is built once per size.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessShortRunConfig))]
[MedianColumn]
public class MetricPathBenchmarks
{
    private static readonly MetricHierarchy Hierarchy = StandardMetrics.CreateHierarchy();

    private MetricTenant _tenant = null!;
    private MetricEvaluator _evaluator = null!;
    private MetricEvaluationRequest _request = null!;

    /// <summary>The sizes: 100,000 and 1,000,000 customers, or those listed in <c>CRMKERNEL_METRIC_CUSTOMERS</c> (comma-separated).</summary>
    public static IEnumerable<int> Sizes
        => Environment.GetEnvironmentVariable("CRMKERNEL_METRIC_CUSTOMERS") is { Length: > 0 } sizes
            ? sizes.Split(',').Select(static s => int.Parse(s, NumberStyles.AllowThousands, CultureInfo.InvariantCulture))
            : [100_000, 1_000_000];

    [ParamsSource(nameof(Sizes))]
    public int Customers { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _tenant = MetricTenant.Get(Customers);
        _tenant.DuckDb.Threads = Threads;
        _request = new MetricEvaluationRequest(MetricDataSet.Period, DateTimeZone.Utc, Currency.GBP, compareWithPrevious: false) { MaxDegreeOfParallelism = Threads };
        _evaluator = new MetricEvaluator(_tenant.Customers, _tenant.Touchpoints, new FixedExchangeRateProvider([]));

        var sql = DuckDbSql().Figures;
        MetricFigureCheck.Same("DuckDB", sql, "in-memory stores", EvaluateFromInMemoryStores().GetAwaiter().GetResult().Figures);
        MetricFigureCheck.Same("DuckDB", sql, "compact scan", KernelScanCompactRows().Figures);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// {_tenant.Data.Touchpoints.Length:N0} touchpoints; {MetricFigureCheck.Summary(sql)}; threads {Threads}"));
    }

    [Benchmark(Baseline = true)]
    public MetricEvaluation DuckDbSql()
        => MetricEvaluation.Create(Hierarchy, _request, _tenant.DuckDb.Figures(new MetricScan(_request.Period, _request.Zone), Currency.GBP), null);

    [Benchmark]
    public async Task<MetricEvaluation> EvaluateFromInMemoryStores() => await _evaluator.EvaluateAsync(MetricTenant.Tenant, Hierarchy, _request);

    [Benchmark]
    public MetricEvaluation KernelScanCompactRows() => MetricEvaluation.Create(Hierarchy, _request, ScanCompact(_tenant, _request, Threads), null);

    /// <summary>The compact rows split into <paramref name="parts"/> customer ranges, each scanned on its own thread, merged.</summary>
    internal static MetricFigures ScanCompact(MetricTenant tenant, MetricEvaluationRequest request, int parts)
    {
        var data = tenant.Data;
        var count = data.Customers.Length;
        var scans = new MetricScan[parts];
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, p =>
        {
            var scan = new MetricScan(request.Period, request.Zone);
            foreach (var channel in MetricDataSet.ChannelNames)
            {
                scan.RegisterChannel(new ChannelId(channel));
            }

            for (var c = (int)((long)count * p / parts); c < (int)((long)count * (p + 1) / parts); c++)
            {
                scan.BeginCustomer(data.Customers[c]);
                scan.AddLifecycle(data.CreatedAt[c], tenant.Histories[c]);
                for (var k = data.Starts[c]; k < data.Starts[c + 1]; k++)
                {
                    scan.Add(in data.Touchpoints[k]);
                }

                scan.EndCustomer();
            }

            scans[p] = scan;
        });

        var merged = new MetricScan(request.Period, request.Zone);
        foreach (var scan in scans)
        {
            merged.Merge(scan);
        }

        return merged.ToFigures(Currency.GBP);
    }
}

using System.Globalization;
using BenchmarkDotNet.Attributes;
using CrmKernel.Benchmarks.Storage;
using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Metrics.Hierarchy;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Benchmarks.Metrics;

/// <summary>
/// The whole standard catalogue for one period (January 2026, with its look-back and 7-day look-ahead) over N customers
/// and about 10 N touchpoints held in memory: the kernel's one-pass <see cref="MetricScan"/> against the same figures as
/// SQL in an in-process DuckDB loaded with the same rows (the baseline). Both end in the same
/// <see cref="MetricEvaluation.Create"/> of every metric, target and identity. The DuckDB setup checks that both give
/// identical figures before anything is measured. <see cref="EvaluateFromStores"/> is what an application runs: the same
/// rows recorded as customers and touchpoints in the in-memory reference stores and evaluated by
/// <see cref="MetricEvaluator.EvaluateAsync"/> (store reads through the scan capability, money conversion, lifecycle
/// funnels); its setup checks its period figures against the compact scan.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class MetricCatalogueBenchmarks
{
    private static readonly MetricHierarchy Hierarchy = StandardMetrics.CreateHierarchy();
    private static readonly MetricEvaluationRequest Request = new(MetricDataSet.Period, DateTimeZone.Utc, Currency.GBP, compareWithPrevious: false);

    private MetricDataSet _data = null!;
    private DuckDbMetrics? _duckDb;
    private MetricEvaluator? _evaluator;

    [Params(1_000_000)]
    public int Customers { get; set; }

    [GlobalSetup(Target = nameof(KernelScan))]
    public void Generate() => _data = MetricDataSet.Generate(Customers, seed: 7);

    [GlobalSetup(Target = nameof(DuckDbSql))]
    public void GenerateAndLoad()
    {
        Generate();
        _duckDb = DuckDbMetrics.Load(_data);
        var kernel = Scan().Values;
        var sql = _duckDb.Figures(new MetricScan(Request.Period, Request.Zone), Currency.GBP).Values;
        var different = kernel.Where(k => sql[k.Key] != k.Value).Select(k => $"{k.Key}: kernel {k.Value}, DuckDB {sql[k.Key]}").ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// {_data.Customers.Length:N0} customers, {_data.Touchpoints.Length:N0} touchpoints; {kernel[StandardFigures.Orders]:N0} orders in the period"));
        if (different.Count > 0)
        {
            throw new InvalidOperationException("The kernel and DuckDB disagree: " + string.Join("; ", different));
        }
    }

    [GlobalSetup(Target = nameof(EvaluateFromStores))]
    public void GenerateAndFillStores()
    {
        Generate();
        var stores = MetricStores.Fill(_data);
        _evaluator = new MetricEvaluator(stores.Customers, stores.Touchpoints, new FixedExchangeRateProvider([]));
        var kernel = Scan().Values;
        var fromStores = EvaluateFromStores().GetAwaiter().GetResult().Figures.Values;

        // The completeness counts depend on the customer records, which the stores hold in full and the compact rows as facts.
        var different = kernel.Where(k => k.Key != StandardFigures.PopulatedValues && k.Key != StandardFigures.ExpectedValues && fromStores[k.Key] != k.Value)
            .Select(k => $"{k.Key}: compact {k.Value}, stores {fromStores[k.Key]}").ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// {_data.Customers.Length:N0} customers, {_data.Touchpoints.Length:N0} touchpoints in the in-memory stores; {GC.GetTotalMemory(forceFullCollection: true) / (1 << 20):N0} MiB managed"));
        if (different.Count > 0)
        {
            throw new InvalidOperationException("The store evaluation and the compact scan disagree: " + string.Join("; ", different));
        }

        _data = null!;
        GC.Collect();
    }

    [GlobalCleanup]
    public void Cleanup() => _duckDb?.Dispose();

    [Benchmark(Baseline = true)]
    public MetricEvaluation DuckDbSql()
        => MetricEvaluation.Create(Hierarchy, Request, _duckDb!.Figures(new MetricScan(Request.Period, Request.Zone), Currency.GBP), null);

    [Benchmark]
    public MetricEvaluation KernelScan() => MetricEvaluation.Create(Hierarchy, Request, Scan(), null);

    [Benchmark]
    public async Task<MetricEvaluation> EvaluateFromStores() => await _evaluator!.EvaluateAsync(CustomerDataSet.Tenant, Hierarchy, Request);

    private CrmKernel.Metrics.Definitions.MetricFigures Scan()
    {
        var scan = new MetricScan(Request.Period, Request.Zone);
        foreach (var channel in MetricDataSet.ChannelNames)
        {
            scan.RegisterChannel(new ChannelId(channel));
        }

        var touchpoints = _data.Touchpoints;
        var starts = _data.Starts;
        var customers = _data.Customers;
        for (var c = 0; c < customers.Length; c++)
        {
            scan.BeginCustomer(customers[c]);
            for (var k = starts[c]; k < starts[c + 1]; k++)
            {
                scan.Add(in touchpoints[k]);
            }

            scan.EndCustomer();
        }

        return scan.ToFigures(Currency.GBP);
    }
}

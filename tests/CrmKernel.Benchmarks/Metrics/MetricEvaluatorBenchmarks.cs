using System.Globalization;
using BenchmarkDotNet.Attributes;
using CrmKernel.Benchmarks.Storage;
using CrmKernel.Customers;
using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Primitives;
using CrmKernel.Storage.InMemory;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Benchmarks.Metrics;

/// <summary>
/// The whole catalogue evaluated from the stores, as an application does: <see cref="MetricEvaluator.EvaluateAsync"/>
/// over the in-memory reference stores (customers read in keyset pages, each page's touchpoints grouped by customer
/// through <see cref="CrmKernel.Storage.ITouchpointScanStore"/>, money converted, the period and the previous one scanned together), against the same scan over the same touchpoints
/// held as compact rows (the baseline): what reading and converting from a store costs on top of the scan. The setup
/// checks that both give the same period figures.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class MetricEvaluatorBenchmarks
{
    private static readonly MetricEvaluationRequest Request = new(MetricDataSet.Period, DateTimeZone.Utc, Currency.GBP);
    // The figures that depend on the customer records, which the two sides build differently.
    private static readonly HashSet<CrmKernel.Metrics.Definitions.FigureKey> CustomerFigures = [StandardFigures.PopulatedValues, StandardFigures.ExpectedValues];

    private MetricDataSet _data = null!;
    private MetricEvaluator _evaluator = null!;

    [Params(100_000)]
    public int Customers { get; set; }

    [GlobalSetup]
    public void Fill()
    {
        _data = MetricDataSet.Generate(Customers, seed: 7);
        var stores = MetricStores.Fill(_data);
        _evaluator = new MetricEvaluator(stores.Customers, stores.Touchpoints, new FixedExchangeRateProvider([]));

        var fromStores = EvaluateFromStores().GetAwaiter().GetResult().Figures.Values;
        var compact = ScanCompactRows().Values;
        var different = compact.Where(f => !CustomerFigures.Contains(f.Key) && fromStores[f.Key] != f.Value).Select(f => $"{f.Key}: compact {f.Value}, stores {fromStores[f.Key]}").ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// {Customers:N0} customers, {_data.Touchpoints.Length:N0} touchpoints in the stores"));
        if (different.Count > 0)
        {
            throw new InvalidOperationException("The store evaluation and the compact scan disagree: " + string.Join("; ", different));
        }
    }

    [Benchmark(Baseline = true)]
    public CrmKernel.Metrics.Definitions.MetricFigures ScanCompactRows()
    {
        var scan = new MetricScan(Request.Period, Request.Zone);
        foreach (var channel in MetricDataSet.ChannelNames)
        {
            scan.RegisterChannel(new ChannelId(channel));
        }

        for (var c = 0; c < _data.Customers.Length; c++)
        {
            scan.BeginCustomer(_data.Customers[c]);
            for (var k = _data.Starts[c]; k < _data.Starts[c + 1]; k++)
            {
                scan.Add(in _data.Touchpoints[k]);
            }

            scan.EndCustomer();
        }

        return scan.ToFigures(Currency.GBP);
    }

    [Benchmark]
    public async Task<MetricEvaluation> EvaluateFromStores()
        => await _evaluator.EvaluateAsync(CustomerDataSet.Tenant, StandardMetrics.CreateHierarchy(), Request);
}

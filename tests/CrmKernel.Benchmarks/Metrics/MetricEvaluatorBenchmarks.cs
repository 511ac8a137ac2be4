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
/// over the in-memory reference stores (customers read in keyset pages, each page's touchpoints in one timeline query,
/// money converted, the period and the previous one scanned together), against the same scan over the same touchpoints
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
        var commits = CustomerDataSet.CreateCommits(Customers);
        var outbox = new InMemoryCrmOutbox();
        var customers = new InMemoryCustomerStore(outbox);
        CustomerDataSet.Fill(customers, commits);
        CustomerDataSet.DrainOutbox(outbox);
        var touchpoints = new InMemoryTouchpointStore();
        var batch = new List<Touchpoint>(10_000);
        var recordedAt = Instant.FromUtc(2026, 3, 1, 0, 0);
        for (var c = 0; c < Customers; c++)
        {
            for (var k = _data.Starts[c]; k < _data.Starts[c + 1]; k++)
            {
                batch.Add(Touchpoint.Create(CustomerDataSet.Tenant, TouchpointId.New(), recordedAt, Details(commits[c].Customer.Id, c, k, in _data.Touchpoints[k])));
                if (batch.Count == batch.Capacity)
                {
                    _ = touchpoints.AppendAsync(CustomerDataSet.Tenant, batch, CancellationToken.None).AsTask().GetAwaiter().GetResult();
                    batch.Clear();
                }
            }
        }

        _ = touchpoints.AppendAsync(CustomerDataSet.Tenant, batch, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        _evaluator = new MetricEvaluator(customers, touchpoints, new FixedExchangeRateProvider([]));

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

    private static NewTouchpoint Details(CustomerId customer, int c, int k, in MetricTouchpoint t) => new()
    {
        CustomerId = customer,
        Channel = new ChannelId(MetricDataSet.ChannelNames[t.Channel]),
        Direction = t.Direction,
        Function = t.Function,
        Kind = t.Kind switch
        {
            MetricTouchpointKind.Purchase => TouchpointKind.Purchase,
            MetricTouchpointKind.Enquiry => TouchpointKind.Enquiry,
            MetricTouchpointKind.Complaint => TouchpointKind.Complaint,
            MetricTouchpointKind.Resolution => TouchpointKind.Resolution,
            MetricTouchpointKind.CampaignContact => TouchpointKind.CampaignContact,
            MetricTouchpointKind.Response => TouchpointKind.Response,
            _ => TouchpointKind.Feedback,
        },
        OccurredAt = t.OccurredAt,
        Source = new ExternalIdentifier("bench", string.Create(CultureInfo.InvariantCulture, $"{c}-{k}")),
        Outcome = t.Resolved ? TouchpointOutcome.Resolved : null,
        Satisfaction = t.Scale is { } scale ? SatisfactionScore.Create(scale, t.Score) : null,
        Cost = t.HasCost ? new Money(t.Cost, Currency.GBP) : null,
        Revenue = t.Kind == MetricTouchpointKind.Purchase ? new Money(t.Revenue, Currency.GBP) : null,
    };
}

using System.Diagnostics;
using CrmKernel.Benchmarks.Metrics;
using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Metrics.Hierarchy;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Benchmarks;

/// <summary>
/// A quick loop of one side of <see cref="MetricPathBenchmarks"/>: <c>duck</c>, <c>mem</c> (the evaluator over the
/// in-memory stores) or <c>compact</c>, on the same tenant, printing the median of all rounds but the first.
/// </summary>
internal static class ProfileMetrics
{
    public static async Task RunAsync(string mode, int rounds, int customers, int threads)
    {
        var hierarchy = StandardMetrics.CreateHierarchy();
        var tenant = MetricTenant.Get(customers);
        tenant.DuckDb.Threads = threads;
        var request = new MetricEvaluationRequest(MetricDataSet.Period, DateTimeZone.Utc, Currency.GBP, compareWithPrevious: false) { MaxDegreeOfParallelism = threads };
        var evaluator = new MetricEvaluator(tenant.Customers, tenant.Touchpoints, new FixedExchangeRateProvider([]));
        var times = new List<double>();
        var (gen0, gen1, gen2, paused) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        for (var r = 0; r < rounds; r++)
        {
            var sw = Stopwatch.StartNew();
            if (mode == "duck") MetricEvaluation.Create(hierarchy, request, tenant.DuckDb.Figures(new MetricScan(request.Period, request.Zone), Currency.GBP), null);
            else if (mode == "compact") MetricEvaluation.Create(hierarchy, request, MetricPathBenchmarks.ScanCompact(tenant, request, threads), null);
            else await evaluator.EvaluateAsync(MetricTenant.Tenant, hierarchy, request);
            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        times.RemoveAt(0);
        times.Sort();
        Console.WriteLine($"MEDIAN {mode} {customers} t{threads}: {times[times.Count / 2]:F1} ms (min {times[0]:F1})");
        Console.WriteLine($"GC over {rounds} rounds: gen0 {GC.CollectionCount(0) - gen0}, gen1 {GC.CollectionCount(1) - gen1}, gen2 {GC.CollectionCount(2) - gen2}, paused {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:F0} ms, allocated {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / rounds / 1024.0 / 1024.0:F1} MiB a round");
    }
}

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
/// in-memory stores), <c>sqlite</c> (the evaluator over the SQLite adapter, <see cref="MetricSqliteBenchmarks"/>), <c>import</c> (DuckDB's
/// import of that SQLite file and its SQL, the phases printed) or <c>compact</c>, on the same tenant, printing the median of the rounds after one warm-up round,
/// the collections and allocation over them, and the types allocated most (the runtime's allocation ticks).
/// <c>CRMKERNEL_PROFILE_FORCE_GC=1</c> collects fully before each round, as BenchmarkDotNet does before each iteration.
/// </summary>
internal static class ProfileMetrics
{
    public static async Task RunAsync(string mode, int rounds, int customers, int threads)
    {
        var hierarchy = StandardMetrics.CreateHierarchy();
        var tenant = MetricTenant.Get(customers);
        tenant.DuckDb.Threads = threads;
        var request = new MetricEvaluationRequest(MetricDataSet.Period, DateTimeZone.Utc, Currency.GBP, compareWithPrevious: false) { MaxDegreeOfParallelism = threads };
        var sqlite = mode is "sqlite" or "import" ? MetricSqliteBenchmarks.Store(tenant) : null;
        var evaluator = sqlite is null
            ? new MetricEvaluator(tenant.Customers, tenant.Touchpoints, new FixedExchangeRateProvider([]))
            : new MetricEvaluator(sqlite, sqlite.Touchpoints, new FixedExchangeRateProvider([]));
        // The first round builds what the stores keep between scans; allocation and collections are counted after it.
        var times = new List<double>();
        var first = await EvaluateAsync();
        if (mode != "duck")
        {
            // Every side must give DuckDB's figures before it is timed.
            MetricFigureCheck.Same("DuckDB", tenant.DuckDb.Figures(new MetricScan(request.Period, request.Zone), Currency.GBP), mode, first.Figures);
        }

        using var allocations = new AllocationSampler();
        var (gen0, gen1, gen2, paused) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var forceGc = Environment.GetEnvironmentVariable("CRMKERNEL_PROFILE_FORCE_GC") == "1";
        for (var r = 0; r < rounds; r++)
        {
            if (forceGc)
            {
                // What BenchmarkDotNet does before each iteration.
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
            }

            var sw = Stopwatch.StartNew();
            await EvaluateAsync();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        Console.WriteLine($"MEDIAN {mode} {customers} t{threads}: {times[times.Count / 2]:F1} ms (min {times[0]:F1})");
        Console.WriteLine($"GC over {rounds} rounds: gen0 {GC.CollectionCount(0) - gen0}, gen1 {GC.CollectionCount(1) - gen1}, gen2 {GC.CollectionCount(2) - gen2}, paused {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:F0} ms, allocated {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / rounds / 1024.0 / 1024.0:F1} MiB a round");
        Console.WriteLine($"sampled allocations (about one per 100 KB): {allocations.Top(8)}");

        async Task<MetricEvaluation> EvaluateAsync()
        {
            if (mode == "import")
            {
                using var duck = DuckDbSqliteImport.Import(MetricSqliteBenchmarks.FileOf(tenant), MetricTenant.Tenant, threads, out var timings);
                var sw = Stopwatch.StartNew();
                var evaluation = MetricEvaluation.Create(hierarchy, request, duck.Figures(new MetricScan(request.Period, request.Zone), Currency.GBP), null);
                Console.WriteLine($"import: customers {timings.Customers.TotalMilliseconds:F0} ms, touchpoints {timings.Touchpoints.TotalMilliseconds:F0} ms; SQL {sw.Elapsed.TotalMilliseconds:F0} ms");
                return evaluation;
            }

            if (mode == "duck") return MetricEvaluation.Create(hierarchy, request, tenant.DuckDb.Figures(new MetricScan(request.Period, request.Zone), Currency.GBP), null);
            if (mode == "compact") return MetricEvaluation.Create(hierarchy, request, MetricPathBenchmarks.ScanCompact(tenant, request, threads), null);
            return await evaluator.EvaluateAsync(MetricTenant.Tenant, hierarchy, request);
        }
    }

    /// <summary>Counts the runtime's allocation-tick events (one about every 100 KB allocated) by type.</summary>
    private sealed class AllocationSampler : System.Diagnostics.Tracing.EventListener
    {
        private readonly Dictionary<string, int> _ticks = [];

        public string Top(int count)
        {
            lock (_ticks)
            {
                return string.Join(", ", _ticks.OrderByDescending(t => t.Value).Take(count).Select(t => $"{t.Key} {t.Value}"));
            }
        }

        protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x1);
            }
        }

        protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs eventData)
        {
            if (eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) == true && eventData.PayloadNames is { } names)
            {
                var type = eventData.Payload![names.IndexOf("TypeName")] as string ?? "?";
                lock (_ticks)
                {
                    _ticks[type] = _ticks.GetValueOrDefault(type) + 1;
                }
            }
        }
    }
}

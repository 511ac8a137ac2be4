using System.Diagnostics;
using CrmKernel.Benchmarks.Touchpoints;
using CrmKernel.Services.Ingestion;
using CrmKernel.Storage.InMemory;
using NodaTime;

namespace CrmKernel.Benchmarks;

/// <summary>
/// A quick loop of one ingestion side (the feed of <see cref="TouchpointIngestBenchmarks"/> into an empty tenant, a fresh
/// store per round): <c>plain</c> dictionaries, the <c>store</c> alone, the <c>pipe</c>line, <c>create</c> (building
/// the touchpoints only), or <c>memory</c> (the heap report). Prints each round, GC counts and the median.
/// </summary>
internal static class ProfileIngest
{
    public static async Task RunAsync(string mode, int rounds, int count = 1_000_000)
    {
        if (mode == "memory")
        {
            TouchpointMemoryFootprint.Report(TouchpointData.Customers(100_000, seed: 1), 1_000_000);
            return;
        }

        var customers = TouchpointData.Customers(Math.Max(count / 10, 1), seed: 1);
        var feed = TouchpointData.Feed(count, customers, "tp", seed: 3);
        var batches = TouchpointData.Batches(TouchpointData.RecordAll(feed, seed: 4));
        var times = new List<double>();
        for (var r = 0; r < rounds; r++)
        {
            var store = new InMemoryTouchpointStore();
            var pi = new PlainTouchpointIndex();
            var ingestion = new TouchpointIngestion(store, SystemClock.Instance);
            GC.Collect();
            var (g0, g1, g2, pause) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
            var sw = Stopwatch.StartNew();
            long n;
            if (mode == "plain") n = pi.AppendAll(batches);
            else if (mode == "store") n = TouchpointData.AppendAll(store, batches);
            else if (mode == "create")
            {
                var list = new List<CrmKernel.Touchpoints.Touchpoint>(10_000);
                n = 0;
                foreach (var d in feed)
                {
                    list.Add(CrmKernel.Touchpoints.Touchpoint.Create(TouchpointData.Tenant, CrmKernel.Primitives.TouchpointId.New(), SystemClock.Instance.GetCurrentInstant(), d));
                    if (list.Count == 10_000) { n += list.Count; list.Clear(); }
                }
            }
            else n = (await ingestion.RecordManyAsync(TouchpointData.Tenant, feed)).Recorded;
            times.Add(sw.Elapsed.TotalNanoseconds / n);
            Console.WriteLine($"{mode} {n}: {sw.Elapsed.TotalMilliseconds:F0} ms = {sw.Elapsed.TotalNanoseconds / n:F0} ns/tp; gc {GC.CollectionCount(0) - g0}/{GC.CollectionCount(1) - g1}/{GC.CollectionCount(2) - g2} pause {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:F0} ms");
        }

        times.RemoveAt(0);
        times.Sort();
        Console.WriteLine($"MEDIAN {mode}: {times[times.Count / 2]:F0} ns/tp (min {times[0]:F0})");
    }
}

using System.Diagnostics;
using CrmKernel.Benchmarks.Channels;

namespace CrmKernel.Benchmarks;

/// <summary>
/// A quick loop of one <see cref="DispatchBenchmarks"/> side (<c>adapter</c>, <c>plain</c>, <c>registered</c> or <c>hand</c>) over
/// the benchmark's own setup, for a profiler: prints each round's cost a message, GC counts and the median.
/// </summary>
internal static class ProfileDispatch
{
    public static async Task RunAsync(string side, int rounds, int customers)
    {
        var benchmark = new DispatchBenchmarks { Customers = customers };
        benchmark.Setup();
        var times = new List<double>();
        for (var r = 0; r < rounds; r++)
        {
            var (g0, g1) = (GC.CollectionCount(0), GC.CollectionCount(1));
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var sw = Stopwatch.StartNew();
            var sent = side switch
            {
                "adapter" => await benchmark.AdapterOnly(),
                "plain" => await benchmark.Campaign(),
                "registered" => await benchmark.CampaignAsRegistered(),
                "hand" => await benchmark.CampaignByHand(),
                _ => throw new ArgumentException("adapter | plain | registered | hand", nameof(side)),
            };
            var perMessage = sw.Elapsed.TotalNanoseconds / sent;
            times.Add(perMessage);
            Console.WriteLine($"{side} {sent}: {perMessage:F0} ns a message, {(GC.GetAllocatedBytesForCurrentThread() - allocated) / sent} B; gc {GC.CollectionCount(0) - g0}/{GC.CollectionCount(1) - g1}");
        }

        benchmark.Cleanup();
        times.RemoveAt(0);
        times.Sort();
        Console.WriteLine($"MEDIAN {side}: {times[times.Count / 2]:F0} ns a message (min {times[0]:F0})");
    }
}

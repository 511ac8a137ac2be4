using System.Globalization;
using System.Runtime.CompilerServices;
using CrmKernel.Primitives;
using CrmKernel.Storage.InMemory;
using CrmKernel.Touchpoints;

namespace CrmKernel.Benchmarks.Touchpoints;

/// <summary>
/// Managed heap per stored touchpoint, by <see cref="GC.GetTotalMemory(bool)"/> before and after (full collections):
/// the touchpoint objects themselves (touchpoint, source identifier, key string) and what each index adds on top.
/// Printed into the benchmark log as lines starting with <c>// TouchpointMemory</c>.
/// </summary>
internal static class TouchpointMemoryFootprint
{
    public static void Report(CustomerId[] customers, int count)
    {
        // The store: what stays on the heap after the appended touchpoints themselves are garbage (it keeps columns,
        // not the objects).
        var empty = GC.GetTotalMemory(forceFullCollection: true);
        var store = new InMemoryTouchpointStore();
        var appended = Fill(store, customers, count);
        var stored = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(store);
        store = null;

        // The baseline: a dictionary by source key and a list per customer holding the touchpoint objects.
        var released = GC.GetTotalMemory(forceFullCollection: true);
        var (touchpoints, batches) = Build(customers, count);
        var built = GC.GetTotalMemory(forceFullCollection: true);
        var plain = new PlainTouchpointIndex();
        plain.AppendAll(batches);
        var plainStored = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(plain);
        GC.KeepAlive(touchpoints);

        // The benchmark holds every touchpoint twice by reference (the array and the batches): 16 bytes each, not the store's.
        var objects = ((double)(built - released) / count) - (2 * sizeof(long));
        var storeTotal = (double)(stored - empty) / count;
        var plainIndex = (double)(plainStored - built) / count;
        Print($"{count:N0} touchpoints over {customers.Length:N0} customers, {appended:N0} stored");
        Print($"InMemoryTouchpointStore: {storeTotal:F1} B per stored touchpoint (columns and indexes; the appended objects collected)");
        Print($"plain dictionaries: touchpoint objects (touchpoint, source, key) {objects:F1} B each + indexes {plainIndex:F1} B; total {objects + plainIndex:F1} B per stored touchpoint");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long Fill(InMemoryTouchpointStore store, CustomerId[] customers, int count)
    {
        var (_, batches) = Build(customers, count);
        return TouchpointData.AppendAll(store, batches);
    }

    /// <summary>
    /// Builds the touchpoints in a frame of its own, so the source feed is garbage when the caller measures: this runs
    /// once, unoptimised (tier 0), where a temporary would otherwise stay alive until the caller returns.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (Touchpoint[] Touchpoints, Touchpoint[][] Batches) Build(CustomerId[] customers, int count)
    {
        var touchpoints = TouchpointData.RecordAll(TouchpointData.Feed(count, customers, "memory", seed: 5), seed: 6);
        return (touchpoints, TouchpointData.Batches(touchpoints));
    }

    private static void Print(string line) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// TouchpointMemory: {line}"));
}

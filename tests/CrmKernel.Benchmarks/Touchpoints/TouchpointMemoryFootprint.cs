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
        var empty = GC.GetTotalMemory(forceFullCollection: true);
        var (touchpoints, batches) = Build(customers, count);
        var built = GC.GetTotalMemory(forceFullCollection: true);

        var store = new InMemoryTouchpointStore();
        var appended = TouchpointData.AppendAll(store, batches);
        var stored = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(store);
        store = null;

        var released = GC.GetTotalMemory(forceFullCollection: true);
        var plain = new PlainTouchpointIndex();
        plain.AppendAll(batches);
        var plainStored = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(plain);
        GC.KeepAlive(touchpoints);

        // The benchmark holds every touchpoint twice by reference (the array and the batches): 16 bytes each, not the store's.
        var objects = ((double)(built - empty) / count) - (2 * sizeof(long));
        var storeIndex = (double)(stored - built) / count;
        var plainIndex = (double)(plainStored - released) / count;
        Print($"{count:N0} touchpoints over {customers.Length:N0} customers, {appended:N0} stored");
        Print($"touchpoint objects (touchpoint, source, key): {objects:F1} B each");
        Print($"InMemoryTouchpointStore indexes: {storeIndex:F1} B per touchpoint; total {objects + storeIndex:F1} B per stored touchpoint");
        Print($"plain dictionaries: {plainIndex:F1} B per touchpoint; total {objects + plainIndex:F1} B per stored touchpoint");
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

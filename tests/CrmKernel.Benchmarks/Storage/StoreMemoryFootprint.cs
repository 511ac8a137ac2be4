using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.CompilerServices;
using CrmKernel.Customers;
using CrmKernel.Storage.InMemory;

namespace CrmKernel.Benchmarks.Storage;

/// <summary>
/// Measures how much managed heap stored customers take: GC.GetTotalMemory(true) before and after filling
/// a store with N realistic customers (the same ones the benchmarks use), the inputs dropped so only what the
/// store keeps is counted. Run with <c>dotnet run -c Release --project tests/CrmKernel.Benchmarks -- --memory 1000000</c>.
/// </summary>
/// <remarks>
/// Every phase builds its data in a method of its own that returns only what is kept: code that runs once is
/// not optimised by the JIT (tier 0), and tier-0 code keeps every temporary of a method alive until it returns,
/// which would count the inputs as if the store kept them.
/// </remarks>
internal static class StoreMemoryFootprint
{
    public static void Run(int customers)
    {
        Console.WriteLine($"{customers:N0} customers; .NET {Environment.Version}; {(GCSettings.IsServerGC ? "server" : "workstation")} GC; {Environment.ProcessorCount} cores; 64-bit: {Environment.Is64BitProcess}");
        var data = MeasureSnapshots(customers);
        Report("snapshots alone (the data, no index)", data, customers);
        var plain = MeasureDictionaryBaseline(customers);
        Report("Dictionary baseline, total", plain, customers);
        Report("  of which dictionaries over the data", plain - data, customers);
        var (withOutbox, drained, events, fill) = MeasureStore(customers);
        Report($"InMemoryCustomerStore + outbox holding {events:N0} pending events", withOutbox, customers);
        Report("  of which the outbox's pending events", withOutbox - drained, customers);
        Report("InMemoryCustomerStore, outbox drained (events published)", drained, customers);
        Report("  of which indexes, id order and copies over the data", drained - data, customers);
        Console.WriteLine($"(filling the store took {fill.TotalSeconds.ToString("N1", CultureInfo.InvariantCulture)} s, once, outside BenchmarkDotNet)");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long MeasureSnapshots(int customers)
    {
        var before = Heap();
        var snapshots = BuildSnapshots(customers);
        var after = Heap();
        GC.KeepAlive(snapshots);
        return after - before - ((long)IntPtr.Size * customers) - 24;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long MeasureDictionaryBaseline(int customers)
    {
        var before = Heap();
        var plain = BuildDictionaryBaseline(customers);
        var after = Heap();
        GC.KeepAlive(plain);
        return after - before;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (long WithOutbox, long Drained, int Events, TimeSpan Fill) MeasureStore(int customers)
    {
        var before = Heap();
        var outbox = new InMemoryCrmOutbox();
        var store = new InMemoryCustomerStore(outbox);
        var (events, fill) = FillStore(store, customers);
        var withOutbox = Heap();
        CustomerDataSet.DrainOutbox(outbox);
        var drained = Heap();
        GC.KeepAlive(store);
        return (withOutbox - before, drained - before, events, fill);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static CustomerSnapshot[] BuildSnapshots(int customers)
        => [.. CustomerDataSet.CreateCommits(customers).Select(c => c.Customer)];

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static PlainDictionaryCustomerStore BuildDictionaryBaseline(int customers)
    {
        var plain = new PlainDictionaryCustomerStore();
        foreach (var commit in CustomerDataSet.CreateCommits(customers))
        {
            plain.Insert(commit.Customer);
        }

        return plain;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (int Events, TimeSpan Fill) FillStore(InMemoryCustomerStore store, int customers)
    {
        var commits = CustomerDataSet.CreateCommits(customers);
        var watch = Stopwatch.StartNew();
        CustomerDataSet.Fill(store, commits);
        return (commits.Sum(c => c.Events.Count), watch.Elapsed);
    }

    private static long Heap()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static void Report(string what, long bytes, int customers)
        => Console.WriteLine($"{what,-66} {bytes / 1024.0 / 1024.0,9:N1} MiB {(double)bytes / customers,8:N0} B/customer");
}

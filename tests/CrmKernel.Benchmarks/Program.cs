using System.Globalization;
using BenchmarkDotNet.Running;
using CrmKernel.Benchmarks.Storage;

// `-- --memory [N]` measures how much managed heap N stored customers take (no BenchmarkDotNet involved);
// anything else goes to BenchmarkDotNet, e.g. `-- --filter '*'` or `-- --list flat`.
if (args is ["--memory", ..])
{
    StoreMemoryFootprint.Run(args.Length > 1 ? int.Parse(args[1], NumberStyles.AllowThousands, CultureInfo.InvariantCulture) : 1_000_000);
    return;
}

// `-- --import [N]` imports N CSV rows both ways once and prints rows/s (issue 17 §5 at sizes too slow for BenchmarkDotNet).
if (args is ["--import", ..])
{
    await CrmKernel.Benchmarks.Import.CsvImportBenchmarks.RunOnceAsync(args.Length > 1 ? int.Parse(args[1], NumberStyles.AllowThousands, CultureInfo.InvariantCulture) : 1_000_000);
    return;
}

// `-- --profile-ingest MODE ROUNDS COUNT`, `-- --profile-metrics MODE ROUNDS CUSTOMERS THREADS` and
// `-- --profile-dispatch SIDE ROUNDS CUSTOMERS`: quick loops of one side
// in one process, for a profiler (docs/benchmarks.md, "Running them"); the figures come from BenchmarkDotNet.
if (args is ["--profile-ingest", var mode, var rounds, var count])
{
    await CrmKernel.Benchmarks.ProfileIngest.RunAsync(mode, int.Parse(rounds, CultureInfo.InvariantCulture), int.Parse(count, CultureInfo.InvariantCulture));
    return;
}

if (args is ["--profile-metrics", var side, var times, var size, var threads])
{
    await CrmKernel.Benchmarks.ProfileMetrics.RunAsync(side, int.Parse(times, CultureInfo.InvariantCulture), int.Parse(size, CultureInfo.InvariantCulture), int.Parse(threads, CultureInfo.InvariantCulture));
    return;
}

if (args is ["--profile-dispatch", var dispatchSide, var dispatchRounds, var audience])
{
    await CrmKernel.Benchmarks.ProfileDispatch.RunAsync(dispatchSide, int.Parse(dispatchRounds, CultureInfo.InvariantCulture), int.Parse(audience, CultureInfo.InvariantCulture));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

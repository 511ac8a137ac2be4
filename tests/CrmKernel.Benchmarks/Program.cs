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

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

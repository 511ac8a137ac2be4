using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace CrmKernel.Benchmarks.Metrics;

/// <summary>
/// BenchmarkDotNet's short job (3 warm-ups, 3 iterations), run in this process so that a <see cref="MetricTenant"/> is
/// built once per size and shared by the cases, with a timeout that leaves room for building a million-customer tenant.
/// </summary>
public sealed class InProcessShortRunConfig : ManualConfig
{
    public InProcessShortRunConfig() => AddJob(Job.ShortRun.WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(40), logOutput: true)).AsDefault());
}

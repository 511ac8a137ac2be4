using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace CrmKernel.Benchmarks.Metrics;

/// <summary>
/// BenchmarkDotNet's short job (3 warm-ups, 3 iterations), run in this process so that a <see cref="MetricTenant"/> is
/// built once per size and shared by the cases, with a timeout that leaves room for building a million-customer tenant.
/// With <c>CRMKERNEL_BENCH_PROCESS_PER_CASE=1</c> each case runs in a process of its own instead (BenchmarkDotNet's
/// default toolchain) with 3 warm-ups and 10 iterations: every case then builds its tenant, which takes longer, but no
/// case runs in a process another size or another case has used, and the medians rest on more iterations. That is the
/// mode for measuring how a path grows between sizes (docs/benchmarks.md, "Linearity").
/// </summary>
public sealed class InProcessShortRunConfig : ManualConfig
{
    public InProcessShortRunConfig()
    {
        if (Environment.GetEnvironmentVariable("CRMKERNEL_BENCH_PROCESS_PER_CASE") == "1")
        {
            AddJob(Job.ShortRun.WithIterationCount(10).AsDefault());
            return;
        }

        AddJob(Job.ShortRun.WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(40), logOutput: true)).AsDefault());
    }
}

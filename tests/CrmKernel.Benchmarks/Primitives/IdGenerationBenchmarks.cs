using BenchmarkDotNet.Attributes;
using CrmKernel.Primitives;

namespace CrmKernel.Benchmarks.Primitives;

/// <summary>
/// Minting one id, as every recorded touchpoint, registered customer and raised event does: the kernel's generator
/// (what <c>TouchpointId.New()</c> calls) against the BCL's <see cref="Guid.CreateVersion7()"/> (the baseline: what the
/// kernel called before, one OS randomness call per id) and <see cref="Guid.NewGuid()"/>. One thread;
/// 10,000 ids per invocation, so every figure is one id.
/// </summary>
[MemoryDiagnoser]
public class IdGenerationBenchmarks
{
    private const int Ids = 10_000;

    [Benchmark(Baseline = true, OperationsPerInvoke = Ids)]
    public Guid GuidCreateVersion7()
    {
        var last = Guid.Empty;
        for (var i = 0; i < Ids; i++)
        {
            last = Guid.CreateVersion7();
        }

        return last;
    }

    [Benchmark(OperationsPerInvoke = Ids)]
    public Guid GuidNewGuid()
    {
        var last = Guid.Empty;
        for (var i = 0; i < Ids; i++)
        {
            last = Guid.NewGuid();
        }

        return last;
    }

    [Benchmark(OperationsPerInvoke = Ids)]
    public TouchpointId TouchpointIdNew()
    {
        var last = default(TouchpointId);
        for (var i = 0; i < Ids; i++)
        {
            last = TouchpointId.New();
        }

        return last;
    }
}

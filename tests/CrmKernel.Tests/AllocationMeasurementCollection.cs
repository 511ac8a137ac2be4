using Xunit;

namespace CrmKernel.Tests;

/// <summary>
/// Tests that read the per-thread allocation counter over a long stretch of work run on their own, after the parallel
/// tests, so that garbage collections caused by other tests do not land inside their measurements.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationMeasurementCollection
{
    public const string Name = "Allocation measurements";
}

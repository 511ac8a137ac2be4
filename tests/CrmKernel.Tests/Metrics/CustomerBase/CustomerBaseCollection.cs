using Xunit;

namespace CrmKernel.Tests.Metrics.CustomerBase;

/// <summary>
/// The customer-base tests load data sets and simulate bases of tens of thousands of customers. They run on their own,
/// after the parallel tests, so that their garbage collections do not land inside other tests' allocation
/// measurements (e.g. the Money no-allocation tests, which read the per-thread allocation counter).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CustomerBaseCollection
{
    public const string Name = "Customer-base analysis";
}

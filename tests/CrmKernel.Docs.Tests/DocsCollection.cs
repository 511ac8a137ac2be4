using Xunit;

namespace CrmKernel.Docs.Tests;

/// <summary>Tests that run blocks redirect <see cref="Console.Out"/>: they run one at a time, in this collection.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DocsCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Docs blocks";
}

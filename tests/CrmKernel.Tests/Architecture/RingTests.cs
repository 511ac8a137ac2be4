using System.Reflection;
using Xunit;

namespace CrmKernel.Tests.Architecture;

/// <summary>
/// The layout rule of docs/architecture.md, checked over the compiled CrmKernel assembly: every namespace sits in one
/// ring (model, storage, services, DI), no type depends on a type of a higher ring, and no namespaces depend on each
/// other in a loop. A new namespace fails <see cref="EveryNamespaceHasARing"/> until it is added to <see cref="Rings"/>.
/// </summary>
public sealed class RingTests
{
    /// <summary>The rings, lowest first: a type may depend on its own ring and the rings below.</summary>
    internal enum Ring
    {
        /// <summary>Value types, aggregates, events, rules; depends on nothing else of ours.</summary>
        Model,

        /// <summary>Extension-point contracts (stores, capabilities, channel adapters), serialisation, in-memory stores.</summary>
        Storage,

        /// <summary>What applications call: repository, ingestion, lifecycle, timeline, graph, dispatch, relay.</summary>
        Services,

        /// <summary><c>services.AddCrmKernel(...)</c>.</summary>
        DependencyInjection,
    }

    /// <summary>Every namespace of the CrmKernel assembly and its ring; docs/architecture.md shows the same table.</summary>
    internal static readonly IReadOnlyDictionary<string, Ring> Rings = new Dictionary<string, Ring>(StringComparer.Ordinal)
    {
        ["CrmKernel.Diagnostics"] = Ring.Model,
        ["CrmKernel.Primitives"] = Ring.Model,
        ["CrmKernel.ContactPoints"] = Ring.Model,
        ["CrmKernel.Events"] = Ring.Model,
        ["CrmKernel.Touchpoints"] = Ring.Model,
        ["CrmKernel.Consent"] = Ring.Model,
        ["CrmKernel.Lifecycle"] = Ring.Model,
        ["CrmKernel.Customers"] = Ring.Model,
        ["CrmKernel.Relationships"] = Ring.Model,
        ["CrmKernel.Sales"] = Ring.Model,
        ["CrmKernel.Cases"] = Ring.Model,
        ["CrmKernel.Calendars"] = Ring.Model,
        ["CrmKernel.ExchangeRates"] = Ring.Model,
        ["CrmKernel.Segments"] = Ring.Model,
        ["CrmKernel.Innovation"] = Ring.Model,
        ["CrmKernel.Identity"] = Ring.Model,
        ["CrmKernel.Privacy"] = Ring.Model,
        ["CrmKernel.Storage"] = Ring.Storage,
        ["CrmKernel.Storage.InMemory"] = Ring.Storage,
        ["CrmKernel.Channels"] = Ring.Storage,
        ["CrmKernel.Services.Customers"] = Ring.Services,
        ["CrmKernel.Services.Ingestion"] = Ring.Services,
        ["CrmKernel.Services.Lifecycle"] = Ring.Services,
        ["CrmKernel.Services.Timeline"] = Ring.Services,
        ["CrmKernel.Services.Relationships"] = Ring.Services,
        ["CrmKernel.Services.Channels"] = Ring.Services,
        ["CrmKernel.Services.Events"] = Ring.Services,
        ["CrmKernel.Services.Sales"] = Ring.Services,
        ["CrmKernel.Services.Cases"] = Ring.Services,
        ["CrmKernel.Services.Segments"] = Ring.Services,
        ["CrmKernel.Services.Identity"] = Ring.Services,
        ["CrmKernel.Services.Import"] = Ring.Services,
        ["CrmKernel.Services.Innovation"] = Ring.Services,
        ["CrmKernel.Services.Privacy"] = Ring.Services,
        ["CrmKernel"] = Ring.DependencyInjection,
    };

    private static readonly Assembly Kernel = typeof(CrmKernelBuilder).Assembly;

    [Fact]
    public void EveryNamespaceHasARing()
    {
        var missing = OurTypes(Kernel)
            .Select(TypeDependencies.NamespaceOf)
            .Distinct(StringComparer.Ordinal)
            .Where(ns => !Rings.ContainsKey(ns))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(missing.Count == 0, $"Namespaces without a ring (add each to RingTests.Rings and docs/architecture.md): {string.Join(", ", missing)}");
    }

    [Fact]
    public void TheTableNamesNoNamespaceThatIsGone()
    {
        var present = OurTypes(Kernel).Select(TypeDependencies.NamespaceOf).ToHashSet(StringComparer.Ordinal);
        var gone = Rings.Keys.Where(ns => !present.Contains(ns)).ToList();
        Assert.True(gone.Count == 0, $"Namespaces in RingTests.Rings that the assembly no longer has: {string.Join(", ", gone)}");
    }

    [Fact]
    public void NoTypeDependsOnAHigherRing()
    {
        var violations = AgainstTheRings(Dependencies(Kernel), Rings);
        Assert.True(violations.Count == 0, $"Types that depend on a higher ring:{Environment.NewLine}{string.Join(Environment.NewLine, violations)}");
    }

    [Fact]
    public void NoNamespacesDependOnEachOtherInALoop()
    {
        var loops = Loops(Dependencies(Kernel));
        Assert.True(loops.Count == 0, $"Namespace loops:{Environment.NewLine}{string.Join(Environment.NewLine, loops)}");
    }

    [Fact]
    public void TheCheck_FindsABackEdgeThatOnlyAMethodBodyMakes_AndALoop()
    {
        var samples = typeof(RingTests).Assembly.GetTypes().Where(t => TypeDependencies.NamespaceOf(t).StartsWith(RingSamples.Prefix, StringComparison.Ordinal)).ToList();
        var dependencies = TypeDependencies.Of(samples, t => TypeDependencies.NamespaceOf(t).StartsWith(RingSamples.Prefix, StringComparison.Ordinal));
        var rings = new Dictionary<string, Ring>(StringComparer.Ordinal)
        {
            [RingSamples.Prefix + ".Model"] = Ring.Model,
            [RingSamples.Prefix + ".Services"] = Ring.Services,
        };

        var violation = Assert.Single(AgainstTheRings(dependencies, rings));
        Assert.Equal($"Model ring {RingSamples.Prefix}.Model.SampleValue -> Services ring {RingSamples.Prefix}.Services.SampleService (method Describe body)", violation);
        var loop = Assert.Single(Loops(dependencies));
        Assert.StartsWith($"{RingSamples.Prefix}.Model <-> {RingSamples.Prefix}.Services", loop, StringComparison.Ordinal);
    }

    private static IEnumerable<Type> OurTypes(Assembly assembly) =>
        assembly.GetTypes().Where(t => t.Namespace is { } ns && (ns == "CrmKernel" || ns.StartsWith("CrmKernel.", StringComparison.Ordinal)));

    private static IReadOnlyList<TypeDependency> Dependencies(Assembly assembly) =>
        TypeDependencies.Of(OurTypes(assembly), t => t.Assembly == assembly && t.Namespace is not null);

    private static List<string> AgainstTheRings(IEnumerable<TypeDependency> dependencies, IReadOnlyDictionary<string, Ring> rings) =>
        dependencies
            .Where(d => rings.TryGetValue(d.FromNamespace, out var from) && rings.TryGetValue(d.ToNamespace, out var to) && to > from)
            .GroupBy(d => (d.From, d.To))
            .Select(g => $"{rings[g.First().FromNamespace]} ring {TypeDependencies.Name(g.Key.From)} -> {rings[g.First().ToNamespace]} ring {TypeDependencies.Name(g.Key.To)} ({string.Join("; ", g.Select(d => d.Via).Distinct(StringComparer.Ordinal))})")
            .Order(StringComparer.Ordinal)
            .ToList();

    private static List<string> Loops(IReadOnlyList<TypeDependency> dependencies)
    {
        var edges = dependencies.Where(d => d.FromNamespace != d.ToNamespace).ToList();
        var graph = edges.GroupBy(d => d.FromNamespace, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(d => d.ToNamespace).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        return TypeDependencies.Loops(graph)
            .Select(loop => string.Join(" <-> ", loop) + ": " + string.Join("; ", edges
                .Where(d => loop.Contains(d.FromNamespace) && loop.Contains(d.ToNamespace))
                .GroupBy(d => (d.FromNamespace, d.ToNamespace))
                .OrderBy(g => g.Key.FromNamespace, StringComparer.Ordinal)
                .ThenBy(g => g.Key.ToNamespace, StringComparer.Ordinal)
                .Select(g => g.First().ToString())))
            .ToList();
    }
}

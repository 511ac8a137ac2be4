using CrmKernel.Diagnostics;
using CrmKernel.Metrics.Definitions;

namespace CrmKernel.Metrics.Hierarchy;

/// <summary>
/// The four-level metric hierarchy: metric definitions joined by driver links from lower levels to higher ones (or
/// within a level), each link an identity or a hypothesised cause, validated as a directed acyclic graph. Build one
/// with <see cref="Create"/>, or start from the standard one (<see cref="Catalogue.StandardMetrics.CreateHierarchy"/>);
/// evaluate it with <see cref="Evaluation.MetricEvaluator"/>.
/// </summary>
public sealed class MetricHierarchy
{
    private readonly Dictionary<MetricId, MetricDefinition> _byId;
    private readonly Dictionary<MetricId, List<DriverLink>> _drivers;
    private readonly Dictionary<MetricId, List<DriverLink>> _driven;

    private MetricHierarchy(IReadOnlyList<MetricDefinition> order, Dictionary<MetricId, MetricDefinition> byId, IReadOnlyList<DriverLink> links, IReadOnlyList<MetricIdentity> identities)
    {
        Metrics = order;
        _byId = byId;
        Links = links;
        Identities = identities;
        _drivers = byId.Keys.ToDictionary(id => id, _ => new List<DriverLink>());
        _driven = byId.Keys.ToDictionary(id => id, _ => new List<DriverLink>());
        foreach (var link in links)
        {
            _drivers[link.Driven].Add(link);
            _driven[link.Driver].Add(link);
        }
    }

    /// <summary>Every metric, drivers before the metrics they drive (a topological order; ties by level, then id).</summary>
    public IReadOnlyList<MetricDefinition> Metrics { get; }

    /// <summary>Every driver link: the causal links given and one identity link per identity child.</summary>
    public IReadOnlyList<DriverLink> Links { get; }

    /// <summary>The identities, checked on every evaluation.</summary>
    public IReadOnlyList<MetricIdentity> Identities { get; }

    /// <summary>The metric with the id.</summary>
    /// <exception cref="MetricHierarchyException">No metric has the id (<c>CRM-METRIC-002</c>).</exception>
    public MetricDefinition this[MetricId id] => _byId.TryGetValue(id, out var definition) ? definition : throw Unknown(id, "asked for");

    /// <summary>
    /// Validates and builds a hierarchy.
    /// </summary>
    /// <param name="metrics">The metrics; ids unique.</param>
    /// <param name="causes">Hypothesised causal links (<see cref="DriverLink.Cause"/>).</param>
    /// <param name="identities">Identities; each adds an identity link from every child to its parent.</param>
    /// <exception cref="ArgumentNullException">An argument is null or holds null.</exception>
    /// <exception cref="MetricHierarchyException">A duplicate id or link (<c>CRM-METRIC-004</c>), an unknown id
    /// (<c>CRM-METRIC-002</c>), a link pointing down a level (<c>CRM-METRIC-003</c>) or a cycle (<c>CRM-METRIC-001</c>);
    /// the message and <see cref="MetricHierarchyException.Metrics"/> name the metrics.</exception>
    public static MetricHierarchy Create(IEnumerable<MetricDefinition> metrics, IEnumerable<DriverLink> causes, IEnumerable<MetricIdentity> identities)
    {
        Preconditions.NotNull(metrics);
        Preconditions.NotNull(causes);
        Preconditions.NotNull(identities);
        var definitions = metrics.ToList();
        var causeList = causes.ToList();
        var identityList = identities.ToList();
        if (definitions.Any(d => d is null))
        {
            throw new ArgumentNullException(nameof(metrics), "The metrics hold null.");
        }

        if (causeList.Any(l => l is null))
        {
            throw new ArgumentNullException(nameof(causes), "The links hold null.");
        }

        if (identityList.Any(i => i is null))
        {
            throw new ArgumentNullException(nameof(identities), "The identities hold null.");
        }

        var byId = new Dictionary<MetricId, MetricDefinition>();
        foreach (var definition in definitions)
        {
            if (!byId.TryAdd(definition.Id, definition))
            {
                throw new MetricHierarchyException(CrmErrorCodes.DuplicateMetric, $"Two metrics have the id '{definition.Id}'.", [definition.Id.Value]);
            }
        }

        var links = new List<DriverLink>(causeList);
        foreach (var identity in identityList)
        {
            Require(byId, identity.Parent, $"the identity '{identity.Text}'");
            foreach (var child in identity.Children)
            {
                Require(byId, child, $"the identity '{identity.Text}'");
                links.Add(new DriverLink(child, identity.Parent, DriverLinkKind.Identity, identity.Text));
            }
        }

        var pairs = new HashSet<(MetricId, MetricId)>();
        foreach (var link in links)
        {
            Require(byId, link.Driver, $"the link {link.Driver} → {link.Driven}");
            Require(byId, link.Driven, $"the link {link.Driver} → {link.Driven}");
            if (byId[link.Driver].Level > byId[link.Driven].Level)
            {
                throw new MetricHierarchyException(
                    CrmErrorCodes.MetricLinkPointsDown,
                    $"The link {link.Driver} ({byId[link.Driver].Level}) → {link.Driven} ({byId[link.Driven].Level}) points down a level; drivers sit on the same or a lower level.",
                    [link.Driver.Value, link.Driven.Value]);
            }

            if (!pairs.Add((link.Driver, link.Driven)))
            {
                throw new MetricHierarchyException(CrmErrorCodes.DuplicateMetric, $"The link {link.Driver} → {link.Driven} is given twice.", [link.Driver.Value, link.Driven.Value]);
            }
        }

        return new MetricHierarchy(TopologicalOrder(byId, links), byId, links, identityList);
    }

    /// <summary>Tries to find a metric by id.</summary>
    public bool TryGet(MetricId id, out MetricDefinition definition) => _byId.TryGetValue(id, out definition!);

    /// <summary>True when the hierarchy has a metric with the id.</summary>
    public bool Contains(MetricId id) => _byId.ContainsKey(id);

    /// <summary>The links into a metric: what drives it.</summary>
    /// <exception cref="MetricHierarchyException">No metric has the id (<c>CRM-METRIC-002</c>).</exception>
    public IReadOnlyList<DriverLink> DriversOf(MetricId id) => _drivers.TryGetValue(id, out var links) ? links : throw Unknown(id, "asked for");

    /// <summary>The links out of a metric: what it drives.</summary>
    /// <exception cref="MetricHierarchyException">No metric has the id (<c>CRM-METRIC-002</c>).</exception>
    public IReadOnlyList<DriverLink> DrivenBy(MetricId id) => _driven.TryGetValue(id, out var links) ? links : throw Unknown(id, "asked for");

    private static void Require(Dictionary<MetricId, MetricDefinition> byId, MetricId id, string where)
    {
        if (!byId.ContainsKey(id))
        {
            throw Unknown(id, $"named by {where}");
        }
    }

    private static MetricHierarchyException Unknown(MetricId id, string where)
        => new(CrmErrorCodes.UnknownMetric, $"The metric '{id}' {where} is not defined in the hierarchy.", [id.Value]);

    private static List<MetricDefinition> TopologicalOrder(Dictionary<MetricId, MetricDefinition> byId, List<DriverLink> links)
    {
        var incoming = byId.Keys.ToDictionary(id => id, _ => 0);
        var outgoing = byId.Keys.ToDictionary(id => id, _ => new List<MetricId>());
        foreach (var link in links)
        {
            incoming[link.Driven]++;
            outgoing[link.Driver].Add(link.Driven);
        }

        var ready = new SortedSet<(MetricLevel Level, MetricId Id)>(byId.Values.Where(d => incoming[d.Id] == 0).Select(d => (d.Level, d.Id)));
        var order = new List<MetricDefinition>(byId.Count);
        while (ready.Count > 0)
        {
            var next = ready.Min;
            ready.Remove(next);
            order.Add(byId[next.Id]);
            foreach (var driven in outgoing[next.Id])
            {
                if (--incoming[driven] == 0)
                {
                    ready.Add((byId[driven].Level, driven));
                }
            }
        }

        if (order.Count < byId.Count)
        {
            var cycle = FindCycle(incoming.Where(p => p.Value > 0).Select(p => p.Key).ToHashSet(), links);
            throw new MetricHierarchyException(
                CrmErrorCodes.MetricHierarchyCycle,
                $"The driver links form a cycle: {string.Join(" → ", cycle)}.",
                [.. cycle.Select(id => id.Value)]);
        }

        return order;
    }

    private static List<MetricId> FindCycle(HashSet<MetricId> remaining, List<DriverLink> links)
    {
        // Every metric left after the topological sort still has a driver that is also left, so walking back along
        // drivers inside that set must revisit a metric; the walk from its first visit, reversed, is a cycle.
        var drivers = remaining.ToDictionary(id => id, id => links.Where(l => l.Driven == id && remaining.Contains(l.Driver)).Select(l => l.Driver).Min());
        var path = new List<MetricId>();
        var seenAt = new Dictionary<MetricId, int>();
        var current = remaining.Min();
        while (!seenAt.ContainsKey(current))
        {
            seenAt[current] = path.Count;
            path.Add(current);
            current = drivers[current];
        }

        var cycle = path.GetRange(seenAt[current], path.Count - seenAt[current]);
        cycle.Add(current);
        cycle.Reverse();
        return cycle;
    }
}

using CrmKernel.Diagnostics;
using CrmKernel.Metrics.Definitions;

namespace CrmKernel.Metrics.Hierarchy;

/// <summary>
/// An exact relation between a metric and the metrics that drive it, e.g. revenue = purchasing customers × purchase
/// frequency × AOV, or churn = 1 − retention. Each evaluation checks it within a relative tolerance, so a definition
/// drifting out of step with its drivers (a different order definition, a different window) shows up at once.
/// </summary>
public sealed class MetricIdentity
{
    /// <summary>The most characters of an identity's text (after trimming).</summary>
    public const int MaxTextLength = 1000;

    /// <summary>The most children (driving metrics) of one identity.</summary>
    public const int MaxChildren = 64;

    private readonly Func<IReadOnlyList<decimal>, decimal> _relation;

    /// <summary>Creates an identity.</summary>
    /// <param name="parent">The metric that equals the function of its children.</param>
    /// <param name="children">The driving metrics, in the order <paramref name="relation"/> reads them.</param>
    /// <param name="text">The identity as text, e.g. <c>revenue = customers × frequency × AOV</c>.</param>
    /// <param name="relation">Computes the parent from the children's values.</param>
    /// <param name="relativeTolerance">How far the parent may differ, relative to its size (absolute below 1); 0 to 0.5.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An id is the default, there are no children, a child repeats or is the parent, the text is blank, or the tolerance is outside 0 to 0.5.</exception>
    /// <exception cref="InputLimitExceededException">The text is longer than <see cref="MaxTextLength"/> or there are more than <see cref="MaxChildren"/> children (<c>CRM-INPUT-001</c>).</exception>
    public MetricIdentity(MetricId parent, IEnumerable<MetricId> children, string text, Func<IReadOnlyList<decimal>, decimal> relation, decimal relativeTolerance = 1e-9m)
    {
        Preconditions.Check(parent != default, "The parent id is the default.", nameof(parent));
        Preconditions.NotNull(children);
        Preconditions.NotNull(text);
        Preconditions.NotNull(relation);
        var list = children.ToArray();
        Preconditions.MaxCount(list.Length, MaxChildren, "children", nameof(children));
        Preconditions.MaxLength(text.Trim(), MaxTextLength, nameof(text));
        Preconditions.Check(list.Length > 0 && !list.Contains(default) && list.Distinct().Count() == list.Length && !list.Contains(parent), "An identity needs distinct children other than the parent.", nameof(children));
        Preconditions.Check(!string.IsNullOrWhiteSpace(text), "State the identity.", nameof(text));
        Preconditions.Check(relativeTolerance is >= 0m and <= 0.5m, "The tolerance is 0 to 0.5.", nameof(relativeTolerance));
        Parent = parent;
        Children = list;
        Text = text.Trim();
        _relation = relation;
        RelativeTolerance = relativeTolerance;
    }

    /// <summary>The metric that equals the function of its children.</summary>
    public MetricId Parent { get; }

    /// <summary>The driving metrics.</summary>
    public IReadOnlyList<MetricId> Children { get; }

    /// <summary>The identity as text.</summary>
    public string Text { get; }

    /// <summary>The tolerance, relative to the parent's size (absolute when the parent is below 1 in size).</summary>
    public decimal RelativeTolerance { get; }

    /// <summary>parent = Π children.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> or <paramref name="children"/> is null.</exception>
    public static MetricIdentity Product(MetricId parent, IEnumerable<MetricId> children, string text)
        => new(parent, children, text, static values =>
        {
            var product = 1m;
            foreach (var value in values)
            {
                product *= value;
            }

            return product;
        });

    /// <summary>parent = 1 − child (churn and retention, duplicate rate and uniqueness).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static MetricIdentity Complement(MetricId parent, MetricId child, string text)
        => new(parent, [child], text, static values => 1m - values[0]);

    /// <summary>What the parent should be given the children's values.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="childValues"/> is null.</exception>
    /// <exception cref="ArgumentException">The number of values is not the number of children.</exception>
    public decimal Expected(IReadOnlyList<decimal> childValues)
    {
        Preconditions.NotNull(childValues);
        Preconditions.Check(childValues.Count == Children.Count, $"The identity of {Parent} reads {Children.Count} values.", nameof(childValues));
        return _relation(childValues);
    }

    /// <summary>True when <paramref name="parentValue"/> equals the expected value within the tolerance.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="childValues"/> is null.</exception>
    /// <exception cref="ArgumentException">The number of values is not the number of children.</exception>
    public bool Holds(decimal parentValue, IReadOnlyList<decimal> childValues)
    {
        var expected = Expected(childValues);
        return Math.Abs(parentValue - expected) <= RelativeTolerance * Math.Max(1m, Math.Abs(expected));
    }

    /// <summary>The identity's text.</summary>
    public override string ToString() => Text;
}

using System.Text;
using CrmKernel.Diagnostics;
using NodaTime;
using NodaTime.Text;

namespace CrmKernel.Segments;

/// <summary>
/// A rule over what the library knows about a customer: the condition of a <see cref="SegmentDefinition"/>. Build one
/// from clauses (<see cref="PartyKindRule"/>, <see cref="HasTagRule"/>, <see cref="AttributeRule"/>, lifecycle,
/// relationship, touchpoint, consent and score clauses, or <see cref="InSegmentRule"/> for another segment) and compose
/// them with <see cref="And"/>, <see cref="Or"/> and <see cref="Not"/>.
/// </summary>
/// <remarks>
/// A rule is immutable. Two rules are equal when they are the same tree of the same clauses; <see cref="ToString"/>
/// writes that tree as text, e.g. <c>and(kind(person), tag(vip), spend(&gt;= 100 EUR in 365:00:00:00))</c>. A rule is
/// checked for size (<see cref="MaxClauses"/>, <see cref="MaxDepth"/>) when it becomes a definition, and for the names it
/// uses when the definition is saved.
/// </remarks>
public abstract class SegmentRule : IEquatable<SegmentRule>
{
    /// <summary>The most clauses (combinators included) one definition's rule holds.</summary>
    public const int MaxClauses = 64;

    /// <summary>The deepest one definition's rule nests (a single clause has depth 1).</summary>
    public const int MaxDepth = 8;

    private string? _text;

    private protected SegmentRule()
    {
    }

    /// <summary>The rules directly inside this one (none for a clause).</summary>
    public virtual IReadOnlyList<SegmentRule> Children => [];

    /// <summary>Customers every one of <paramref name="rules"/> selects (the intersection).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="rules"/> or one of them is null.</exception>
    /// <exception cref="ArgumentException">There are no rules.</exception>
    public static SegmentRule And(params IEnumerable<SegmentRule> rules) => new AllOfRule(rules);

    /// <summary>Customers any one of <paramref name="rules"/> selects (the union).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="rules"/> or one of them is null.</exception>
    /// <exception cref="ArgumentException">There are no rules.</exception>
    public static SegmentRule Or(params IEnumerable<SegmentRule> rules) => new AnyOfRule(rules);

    /// <summary>Customers <paramref name="rule"/> does not select (the complement within the tenant's customers).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="rule"/> is null.</exception>
    public static SegmentRule Not(SegmentRule rule) => new NotRule(rule);

    /// <summary>Two rules are the same tree of the same clauses.</summary>
    public static bool operator ==(SegmentRule? left, SegmentRule? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Two rules differ.</summary>
    public static bool operator !=(SegmentRule? left, SegmentRule? right) => !(left == right);

    /// <summary>How many clauses and combinators the rule holds, itself included.</summary>
    public int CountClauses()
    {
        var count = 1;
        foreach (var child in Children)
        {
            count += child.CountClauses();
        }

        return count;
    }

    /// <summary>How deep the rule nests: 1 for a clause, one more than its deepest child for a combinator.</summary>
    public int Depth()
    {
        var depth = 0;
        foreach (var child in Children)
        {
            depth = Math.Max(depth, child.Depth());
        }

        return depth + 1;
    }

    /// <summary>Every segment the rule refers to (through <see cref="InSegmentRule"/> and <see cref="RelatedToSegmentRule"/>), each once, in id order.</summary>
    public IReadOnlyList<SegmentId> References()
    {
        var found = new SortedSet<SegmentId>();
        Collect(this, found);
        return [.. found];

        static void Collect(SegmentRule rule, SortedSet<SegmentId> found)
        {
            switch (rule)
            {
                case InSegmentRule reference:
                    found.Add(reference.Segment);
                    break;
                case RelatedToSegmentRule related:
                    found.Add(related.Segment);
                    break;
            }

            foreach (var child in rule.Children)
            {
                Collect(child, found);
            }
        }
    }

    /// <inheritdoc />
    public bool Equals(SegmentRule? other) => other is not null && string.Equals(ToString(), other.ToString(), StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SegmentRule);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

    /// <summary>The rule as text, e.g. <c>and(kind(person), not(tag(churned)))</c>: for logs and tests; names no customer.</summary>
    public override string ToString()
    {
        if (_text is null)
        {
            var text = new StringBuilder();
            Write(text);
            _text = text.ToString();
        }

        return _text;
    }

    /// <summary>Writes the rule's text form.</summary>
    internal abstract void Write(StringBuilder text);

    /// <summary>A duration in its round-trip text form.</summary>
    internal static string Text(Duration duration) => DurationPattern.Roundtrip.Format(duration);

    /// <summary>Checks a window of a touchpoint clause: positive and at most <see cref="SegmentLimits.MaxWindowDays"/> days.</summary>
    internal static Duration CheckWindow(Duration window, string parameterName)
    {
        if (window <= Duration.Zero || window > Duration.FromDays(SegmentLimits.MaxWindowDays))
        {
            throw new ArgumentOutOfRangeException(parameterName, $"A window is positive and at most {SegmentLimits.MaxWindowDays} days.");
        }

        return window;
    }

    /// <summary>Checks a list of child rules.</summary>
    internal static SegmentRule[] Rules(IEnumerable<SegmentRule> rules, string parameterName)
    {
        Preconditions.NotNull(rules, parameterName);
        var list = new List<SegmentRule>();
        foreach (var rule in rules)
        {
            Preconditions.NotNull(rule, parameterName);
            list.Add(rule);
            Preconditions.MaxCount(list.Count, MaxClauses, "rules", parameterName);
        }

        Preconditions.Check(list.Count > 0, "A combination needs at least one rule.", parameterName);
        return [.. list];
    }
}

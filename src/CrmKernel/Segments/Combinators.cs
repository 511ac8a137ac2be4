using System.Text;
using CrmKernel.Diagnostics;

namespace CrmKernel.Segments;

/// <summary>Customers every child rule selects; made by <see cref="SegmentRule.And"/>.</summary>
public sealed class AllOfRule : SegmentRule
{
    private readonly SegmentRule[] _rules;

    /// <summary>Combines rules with "and".</summary>
    /// <exception cref="ArgumentNullException"><paramref name="rules"/> or one of them is null.</exception>
    /// <exception cref="ArgumentException">There are no rules.</exception>
    /// <exception cref="InputLimitExceededException">There are more than <see cref="SegmentRule.MaxClauses"/> rules.</exception>
    public AllOfRule(IEnumerable<SegmentRule> rules) => _rules = Rules(rules, nameof(rules));

    /// <inheritdoc />
    public override IReadOnlyList<SegmentRule> Children => _rules;

    internal override void Write(StringBuilder text) => WriteList(text, "and", _rules);

    internal static void WriteList(StringBuilder text, string name, SegmentRule[] rules)
    {
        text.Append(name).Append('(');
        for (var i = 0; i < rules.Length; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            rules[i].Write(text);
        }

        text.Append(')');
    }
}

/// <summary>Customers any child rule selects; made by <see cref="SegmentRule.Or"/>.</summary>
public sealed class AnyOfRule : SegmentRule
{
    private readonly SegmentRule[] _rules;

    /// <summary>Combines rules with "or".</summary>
    /// <exception cref="ArgumentNullException"><paramref name="rules"/> or one of them is null.</exception>
    /// <exception cref="ArgumentException">There are no rules.</exception>
    /// <exception cref="InputLimitExceededException">There are more than <see cref="SegmentRule.MaxClauses"/> rules.</exception>
    public AnyOfRule(IEnumerable<SegmentRule> rules) => _rules = Rules(rules, nameof(rules));

    /// <inheritdoc />
    public override IReadOnlyList<SegmentRule> Children => _rules;

    internal override void Write(StringBuilder text) => AllOfRule.WriteList(text, "or", _rules);
}

/// <summary>The tenant's customers (existing at the as-of instant) that the child rule does not select; made by <see cref="SegmentRule.Not"/>.</summary>
public sealed class NotRule : SegmentRule
{
    /// <summary>Negates a rule.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="rule"/> is null.</exception>
    public NotRule(SegmentRule rule) => Rule = Preconditions.NotNull(rule);

    /// <summary>The negated rule.</summary>
    public SegmentRule Rule { get; }

    /// <inheritdoc />
    public override IReadOnlyList<SegmentRule> Children => [Rule];

    internal override void Write(StringBuilder text)
    {
        text.Append("not(");
        Rule.Write(text);
        text.Append(')');
    }
}

/// <summary>Members of another segment (its latest definition), evaluated as of the same instant: segments built from segments.</summary>
public sealed class InSegmentRule : SegmentRule
{
    /// <summary>Refers to a segment; it must be defined before a rule that refers to it is saved, and no cycle may form.</summary>
    /// <exception cref="ArgumentException"><paramref name="segment"/> is the default.</exception>
    public InSegmentRule(SegmentId segment) => Segment = Preconditions.NotDefault(segment);

    /// <summary>The segment referred to.</summary>
    public SegmentId Segment { get; }

    internal override void Write(StringBuilder text) => text.Append("segment(").Append(Segment.Value).Append(')');
}

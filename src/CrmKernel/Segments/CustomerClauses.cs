using System.Text;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Lifecycle;
using NodaTime;

namespace CrmKernel.Segments;

/// <summary>Customers of one party kind: people or organisations.</summary>
public sealed class PartyKindRule : SegmentRule
{
    /// <summary>Selects one party kind.</summary>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is not defined.</exception>
    public PartyKindRule(PartyKind kind) => Kind = Preconditions.Defined(kind);

    /// <summary>The party kind selected.</summary>
    public PartyKind Kind { get; }

    internal override void Write(StringBuilder text) => text.Append("kind(").Append(Kind == PartyKind.Person ? "person" : "organization").Append(')');
}

/// <summary>Customers carrying a tag (tags are current state: the library keeps no history of them).</summary>
public sealed class HasTagRule : SegmentRule
{
    /// <summary>Selects customers carrying <paramref name="tag"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="tag"/> is the default.</exception>
    public HasTagRule(CustomerTag tag) => Tag = Preconditions.NotDefault(tag);

    /// <summary>The tag.</summary>
    public CustomerTag Tag { get; }

    internal override void Write(StringBuilder text) => text.Append("tag(").Append(Tag.Value).Append(')');
}

/// <summary>
/// Customers whose custom attribute compares as the rule says (attributes are current state). Every comparison but
/// <see cref="SegmentComparison.Exists"/> needs the customer to have the attribute: <c>not(attr(tier = 1))</c> selects
/// customers without one too, <c>attr(tier != 1)</c> does not. The attribute must be declared in the host's
/// <see cref="SegmentVocabulary"/> with the type of the rule's values.
/// </summary>
/// <remarks>
/// Ordering (&lt;, &lt;=, &gt;, &gt;=) applies to numbers, dates, instants and money; money compares only with an amount
/// in the same currency (a value in another currency does not match). Text and booleans support =, !=, in and exists.
/// </remarks>
public sealed class AttributeRule : SegmentRule
{
    /// <summary>The most values an <see cref="SegmentComparison.In"/> comparison lists.</summary>
    public const int MaxValues = 100;

    private readonly CustomAttributeValue[] _values;

    /// <summary>Compares an attribute with values: none for <see cref="SegmentComparison.Exists"/>, 1 to <see cref="MaxValues"/> for <see cref="SegmentComparison.In"/>, exactly one otherwise.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="name"/>, <paramref name="values"/> or a value is null.</exception>
    /// <exception cref="ArgumentException">The name is not an attribute name, the comparison is undefined, the number of values does not fit it, or the values are of different types.</exception>
    /// <exception cref="InputLimitExceededException">The name is longer than <see cref="Customer.MaxAttributeNameLength"/> or there are more than <see cref="MaxValues"/> values.</exception>
    public AttributeRule(string name, SegmentComparison comparison, IEnumerable<CustomAttributeValue> values)
    {
        Preconditions.NotNull(name);
        Preconditions.MaxLength(name, Customer.MaxAttributeNameLength);
        Preconditions.Check(IsAttributeName(name), "An attribute name is a letter followed by letters, digits, _ . or -.", nameof(name));
        Preconditions.Defined(comparison);
        Preconditions.NotNull(values);
        var list = new List<CustomAttributeValue>();
        foreach (var value in values)
        {
            Preconditions.NotNull(value, nameof(values));
            list.Add(value);
            Preconditions.MaxCount(list.Count, MaxValues, "values", nameof(values));
        }

        var fits = comparison switch
        {
            SegmentComparison.Exists => list.Count == 0,
            SegmentComparison.In => list.Count > 0,
            _ => list.Count == 1,
        };
        Preconditions.Check(fits, "Exists takes no value, In takes one or more, every other comparison exactly one.", nameof(values));
        Preconditions.Check(list.TrueForAll(v => v.Type == list[0].Type), "The values of one comparison are of one type.", nameof(values));
        Name = name;
        Comparison = comparison;
        _values = [.. list];
    }

    /// <summary>The attribute's name.</summary>
    public string Name { get; }

    /// <summary>How it is compared.</summary>
    public SegmentComparison Comparison { get; }

    /// <summary>The values compared with (none for <see cref="SegmentComparison.Exists"/>).</summary>
    public IReadOnlyList<CustomAttributeValue> Values => _values;

    /// <summary>The type of the values, or null for <see cref="SegmentComparison.Exists"/>.</summary>
    public CustomAttributeType? ValueType => _values.Length == 0 ? null : _values[0].Type;

    /// <summary>Customers that have the attribute.</summary>
    /// <exception cref="ArgumentException">The name is not an attribute name.</exception>
    public static AttributeRule Exists(string name) => new(name, SegmentComparison.Exists, []);

    /// <summary>Customers whose attribute compares with <paramref name="value"/> as <paramref name="comparison"/> says.</summary>
    /// <exception cref="ArgumentException">The name is not an attribute name, or the comparison needs another number of values.</exception>
    public static AttributeRule Compare(string name, SegmentComparison comparison, CustomAttributeValue value) => new(name, comparison, [Preconditions.NotNull(value)]);

    /// <summary>Customers whose attribute equals one of <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException">The name is not an attribute name, or there are no values.</exception>
    public static AttributeRule In(string name, IEnumerable<CustomAttributeValue> values) => new(name, SegmentComparison.In, values);

    internal static string Operator(SegmentComparison comparison) => comparison switch
    {
        SegmentComparison.Equal => "=",
        SegmentComparison.NotEqual => "!=",
        SegmentComparison.LessThan => "<",
        SegmentComparison.LessThanOrEqual => "<=",
        SegmentComparison.GreaterThan => ">",
        SegmentComparison.GreaterThanOrEqual => ">=",
        SegmentComparison.In => "in",
        _ => "exists",
    };

    internal override void Write(StringBuilder text)
    {
        text.Append("attr(").Append(Name).Append(' ').Append(Operator(Comparison));
        for (var i = 0; i < _values.Length; i++)
        {
            text.Append(i == 0 ? " " : ", ").Append(_values[i].Type).Append(':');
            var value = _values[i].ToInvariantString();
            text.Append('"').Append(value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
        }

        text.Append(')');
    }

    private static bool IsAttributeName(string name)
    {
        if (name.Length == 0 || !char.IsAsciiLetter(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '.' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Customers in one of the given lifecycle stages as of the instant (read from the stage history).</summary>
public sealed class LifecycleStageRule : SegmentRule
{
    /// <summary>The most stages one rule lists.</summary>
    public const int MaxStages = 32;

    private readonly LifecycleStage[] _stages;

    /// <summary>Selects customers in any of 1 to <see cref="MaxStages"/> stages (one stage: "stage is").</summary>
    /// <exception cref="ArgumentNullException"><paramref name="stages"/> is null.</exception>
    /// <exception cref="ArgumentException">There are no stages, or one is the default.</exception>
    /// <exception cref="InputLimitExceededException">There are more than <see cref="MaxStages"/> stages.</exception>
    public LifecycleStageRule(params IEnumerable<LifecycleStage> stages)
    {
        Preconditions.NotNull(stages);
        var set = new SortedSet<LifecycleStage>();
        var count = 0;
        foreach (var stage in stages)
        {
            Preconditions.NotDefault(stage, nameof(stages));
            Preconditions.MaxCount(++count, MaxStages, "stages", nameof(stages));
            set.Add(stage);
        }

        Preconditions.Check(set.Count > 0, "A stage rule names at least one stage.", nameof(stages));
        _stages = [.. set];
    }

    /// <summary>The stages, in ordinal order, each once.</summary>
    public IReadOnlyList<LifecycleStage> Stages => _stages;

    internal override void Write(StringBuilder text) => text.Append("stage(").AppendJoin('|', _stages).Append(')');
}

/// <summary>Customers who have been in their current lifecycle stage (as of the instant) for at least, or at most, a duration.</summary>
public sealed class TimeInStageRule : SegmentRule
{
    /// <summary>Selects by time in the current stage.</summary>
    /// <exception cref="ArgumentException"><paramref name="bound"/> is not defined.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is negative.</exception>
    public TimeInStageRule(SegmentBound bound, Duration duration)
    {
        Bound = Preconditions.Defined(bound);
        if (duration < Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), "A time in stage is zero or more.");
        }

        Duration = duration;
    }

    /// <summary>At least or at most.</summary>
    public SegmentBound Bound { get; }

    /// <summary>The duration.</summary>
    public Duration Duration { get; }

    internal override void Write(StringBuilder text)
        => text.Append("time-in-stage(").Append(Bound == SegmentBound.AtLeast ? ">= " : "<= ").Append(Text(Duration)).Append(')');
}

/// <summary>Customers whose named score (e.g. <c>clv</c>, <c>p-alive</c>, <c>rfm</c>) as of the instant compares with a threshold; the score must be declared in the <see cref="SegmentVocabulary"/> and is read from the host's score source.</summary>
public sealed class ScoreRule : SegmentRule
{
    /// <summary>The longest score name.</summary>
    public const int MaxNameLength = 64;

    /// <summary>Compares a score with a threshold; a customer with no score is not selected.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="score"/> is null.</exception>
    /// <exception cref="ArgumentException">The name is not a slug, or the comparison is <see cref="SegmentComparison.In"/>, <see cref="SegmentComparison.Exists"/> or undefined.</exception>
    /// <exception cref="InputLimitExceededException">The name is longer than <see cref="MaxNameLength"/>.</exception>
    public ScoreRule(string score, SegmentComparison comparison, decimal threshold)
    {
        Preconditions.NotNull(score);
        Preconditions.MaxLength(score, MaxNameLength);
        Score = Primitives.Slug.Require(score, MaxNameLength, "score name", nameof(score));
        Preconditions.Defined(comparison);
        Preconditions.Check(comparison is not (SegmentComparison.In or SegmentComparison.Exists), "A score is compared with one threshold.", nameof(comparison));
        Comparison = comparison;
        Threshold = threshold;
    }

    /// <summary>The score's name.</summary>
    public string Score { get; }

    /// <summary>How it is compared.</summary>
    public SegmentComparison Comparison { get; }

    /// <summary>The threshold.</summary>
    public decimal Threshold { get; }

    internal override void Write(StringBuilder text)
        => text.Append("score(").Append(Score).Append(' ').Append(AttributeRule.Operator(Comparison)).Append(' ')
            .Append(Threshold.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(')');
}

using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

namespace CrmKernel.Segments;

/// <summary>
/// What segment rules may name, declared by the host: each custom attribute with its type, and the customer scores its
/// score source provides (<c>clv</c>, <c>p-alive</c>, <c>rfm</c>, …). <c>SegmentService</c> checks every rule against it
/// when a segment is defined, so a misspelt attribute or a comparison of a number with text is refused then, not
/// silently empty when evaluated.
/// </summary>
public sealed class SegmentVocabulary
{
    /// <summary>The most attributes one vocabulary declares.</summary>
    public const int MaxAttributes = 1000;

    /// <summary>The most scores one vocabulary declares.</summary>
    public const int MaxScores = 100;

    private readonly Dictionary<string, CustomAttributeType> _attributes;
    private readonly HashSet<string> _scores;

    /// <summary>Declares attributes and scores.</summary>
    /// <param name="attributes">Attribute name → type; names as customers carry them (case-sensitive).</param>
    /// <param name="scores">Score names (slugs), or null for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="attributes"/> is null.</exception>
    /// <exception cref="ArgumentException">A type is undefined, a name is given twice, or a score name is not a slug.</exception>
    /// <exception cref="InputLimitExceededException">There are more than <see cref="MaxAttributes"/> attributes or <see cref="MaxScores"/> scores.</exception>
    public SegmentVocabulary(IEnumerable<KeyValuePair<string, CustomAttributeType>> attributes, IEnumerable<string>? scores = null)
    {
        Preconditions.NotNull(attributes);
        _attributes = new Dictionary<string, CustomAttributeType>(StringComparer.Ordinal);
        foreach (var (name, type) in attributes)
        {
            Preconditions.NotNull(name, nameof(attributes));
            Preconditions.Defined(type, nameof(attributes));
            Preconditions.Check(_attributes.TryAdd(name, type), $"The attribute {name} is declared twice.", nameof(attributes));
            Preconditions.MaxCount(_attributes.Count, MaxAttributes, "attributes", nameof(attributes));
        }

        _scores = new HashSet<string>(StringComparer.Ordinal);
        foreach (var score in scores ?? [])
        {
            Preconditions.NotNull(score, nameof(scores));
            Preconditions.Check(_scores.Add(Slug.Require(score, ScoreRule.MaxNameLength, "score name", nameof(scores))), $"The score {score} is declared twice.", nameof(scores));
            Preconditions.MaxCount(_scores.Count, MaxScores, "scores", nameof(scores));
        }
    }

    /// <summary>A vocabulary with no attributes and no scores: rules may use every other clause.</summary>
    public static SegmentVocabulary Empty { get; } = new([]);

    /// <summary>The declared attributes and their types.</summary>
    public IReadOnlyDictionary<string, CustomAttributeType> Attributes => _attributes;

    /// <summary>The declared scores.</summary>
    public IReadOnlySet<string> Scores => _scores;

    /// <summary>
    /// Checks every attribute and score a rule names: declared, and compared with a value of the declared type by an
    /// operator that type supports.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="rule"/> is null.</exception>
    /// <exception cref="SegmentRuleException">
    /// <see cref="CrmErrorCodes.SegmentUnknownAttribute"/>, <see cref="CrmErrorCodes.SegmentUnknownScore"/> or
    /// <see cref="CrmErrorCodes.SegmentTypeMismatch"/>.
    /// </exception>
    public void Check(SegmentRule rule)
    {
        Preconditions.NotNull(rule);
        switch (rule)
        {
            case AttributeRule attribute:
                CheckAttribute(attribute);
                break;
            case ScoreRule score when !_scores.Contains(score.Score):
                throw new SegmentRuleException(CrmErrorCodes.SegmentUnknownScore, $"The score {score.Score} is not declared in the segment vocabulary.");
        }

        foreach (var child in rule.Children)
        {
            Check(child);
        }
    }

    private void CheckAttribute(AttributeRule attribute)
    {
        if (!_attributes.TryGetValue(attribute.Name, out var declared))
        {
            throw new SegmentRuleException(CrmErrorCodes.SegmentUnknownAttribute, $"The attribute {attribute.Name} is not declared in the segment vocabulary.");
        }

        if (attribute.ValueType is { } type && type != declared)
        {
            throw new SegmentRuleException(CrmErrorCodes.SegmentTypeMismatch, $"The attribute {attribute.Name} is {declared}; the rule compares it with {type}.");
        }

        var ordering = attribute.Comparison is SegmentComparison.LessThan or SegmentComparison.LessThanOrEqual or SegmentComparison.GreaterThan or SegmentComparison.GreaterThanOrEqual;
        if (ordering && declared is CustomAttributeType.Text or CustomAttributeType.Boolean)
        {
            throw new SegmentRuleException(CrmErrorCodes.SegmentTypeMismatch, $"The attribute {attribute.Name} is {declared}, which has no order; use =, !=, in or exists.");
        }
    }
}

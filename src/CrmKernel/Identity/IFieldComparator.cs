namespace CrmKernel.Identity;

/// <summary>
/// Compares one field (or group of fields) of two customers of the same kind. Implement it to score something the
/// built-in <see cref="FieldComparators"/> do not (use the measures of <see cref="Similarity"/> for the same scale),
/// and give it a weight in a <see cref="MatchField"/> of the rule. It must be symmetric (the same result whichever
/// record comes first), pure, and should not allocate.
/// </summary>
public interface IFieldComparator
{
    /// <summary>The field's name as explanations show it, e.g. <c>Email</c>; unique within a rule.</summary>
    string Field { get; }

    /// <summary>How alike the field is in the two records.</summary>
    /// <param name="first">One customer.</param>
    /// <param name="second">The other customer.</param>
    /// <returns>A similarity in [0, 1], or null when either record lacks the field (no evidence either way: weight 0).</returns>
    double? Compare(MatchRecord first, MatchRecord second);
}

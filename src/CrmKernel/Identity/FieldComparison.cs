using System.Globalization;

namespace CrmKernel.Identity;

/// <summary>
/// One field's part in a pair's score: which field, how alike, and the weight it added. It names the field, never the
/// values, so explanations can be logged and shown to reviewers who may not see the personal data.
/// </summary>
public sealed class FieldComparison
{
    internal FieldComparison(string field, double? similarity, double weight)
    {
        Field = field;
        Similarity = similarity;
        Weight = weight;
    }

    /// <summary>The field, e.g. <c>Email</c> or <c>Name</c> (<see cref="IFieldComparator.Field"/>).</summary>
    public string Field { get; }

    /// <summary>How alike the field is in [0, 1], or null when either customer lacks it.</summary>
    public double? Similarity { get; }

    /// <summary>The weight the field added to the score (log2 odds): positive for agreement, negative for disagreement, 0 when missing.</summary>
    public double Weight { get; }

    /// <summary>The field, similarity and weight, e.g. <c>Name 0.96 +8.0</c> or <c>BirthDate missing 0.0</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{Field} {(Similarity is { } s ? s.ToString("0.00", CultureInfo.InvariantCulture) : "missing")} {Weight:+0.0;-0.0;0.0}");
}

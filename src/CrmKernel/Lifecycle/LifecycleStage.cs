using CrmKernel.Primitives;

namespace CrmKernel.Lifecycle;

/// <summary>
/// A stage of the customer lifecycle, such as <c>prospect</c> or <c>lapsed</c>: a slug that a
/// <see cref="LifecycleModel"/> declares. Use the stages of <see cref="DefaultLifecycleModel"/>, or create your own
/// (<c>new LifecycleStage("trial")</c>) when you build a model with <see cref="LifecycleModelBuilder"/>.
/// </summary>
/// <remarks>1–64 characters from <c>a–z 0–9 - _ . : /</c>, trimmed and lower-cased; equal stages have equal text.</remarks>
public readonly record struct LifecycleStage : IComparable<LifecycleStage>
{
    /// <summary>The longest stage name accepted.</summary>
    public const int MaxLength = 64;

    /// <summary>Creates a stage, normalising its text.</summary>
    /// <param name="value">The stage's name, e.g. <c>loyal-advocate</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException">The text is not a valid stage name.</exception>
    public LifecycleStage(string value) => Value = Slug.Require(value, MaxLength, "lifecycle stage", nameof(value));

    /// <summary>The normalised name; null only for <c>default(LifecycleStage)</c>, which no method accepts.</summary>
    public string Value { get; }

    /// <summary>Orders stages by their names (ordinal), for stable output.</summary>
    /// <param name="other">The stage to compare with.</param>
    /// <returns>Negative, zero or positive, as for <see cref="string.CompareOrdinal(string, string)"/>.</returns>
    public int CompareTo(LifecycleStage other) => string.CompareOrdinal(Value, other.Value);

    /// <summary>The normalised name.</summary>
    public override string ToString() => Value ?? string.Empty;
}

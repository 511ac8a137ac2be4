using System.Diagnostics.CodeAnalysis;
using CrmKernel.Diagnostics;

namespace CrmKernel.Metrics.Definitions;

/// <summary>
/// The name of one aggregate figure a formula reads, e.g. <c>orders</c> or <c>category-spend</c>. The evaluator's scan
/// produces the figures listed in <see cref="Catalogue.StandardFigures"/>; any other figure a formula asks for is taken
/// from the <see cref="Evaluation.IMetricInputProvider"/>.
/// </summary>
/// <remarks>1–64 characters from <c>a–z 0–9 -</c>, starting with a letter; trimmed and lower-cased.</remarks>
public readonly record struct FigureKey : IComparable<FigureKey>
{
    /// <summary>The longest key accepted (after trimming), the same as <see cref="MetricId.MaxLength"/>.</summary>
    public const int MaxLength = MetricId.MaxLength;

    /// <summary>Creates a key, normalising its text.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException">The text is not a valid key.</exception>
    /// <exception cref="InputLimitExceededException">The text is longer than <see cref="MaxLength"/> (<c>CRM-INPUT-001</c>).</exception>
    public FigureKey(string value)
    {
        Preconditions.NotNull(value);
        Preconditions.MaxLength(value.Trim(), MaxLength, nameof(value));
        Value = MetricId.TryParse(value, out var id) ? id.Value : throw new ArgumentException("A figure key is 1 to 64 characters from a–z 0–9 -, starting with a letter.", nameof(value));
    }

    /// <summary>The normalised key; null only for <c>default(FigureKey)</c>.</summary>
    public string Value { get; }

    /// <summary>Tries to read a key; false when the text is not one.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out FigureKey key)
    {
        key = MetricId.TryParse(text, out _) ? new FigureKey(text) : default;
        return key != default;
    }

    /// <summary>Orders keys ordinally.</summary>
    public int CompareTo(FigureKey other) => string.CompareOrdinal(Value, other.Value);

    /// <summary>The key.</summary>
    public override string ToString() => Value ?? string.Empty;
}

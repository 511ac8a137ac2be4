using System.Diagnostics.CodeAnalysis;
using CrmKernel.Primitives;

namespace CrmKernel.Segments;

/// <summary>
/// Identifies a segment within a tenant by a key the host chooses — <c>lapsed-vip</c>, <c>households/london</c>,
/// <c>b2b:smb</c> — the key rules use to refer to another segment and applications use to ask for one.
/// </summary>
/// <remarks>1–64 characters from <c>a–z 0–9 - _ . : /</c>, trimmed and lower-cased, like a channel id.</remarks>
public readonly record struct SegmentId : IComparable<SegmentId>
{
    /// <summary>The longest segment id accepted.</summary>
    public const int MaxLength = 64;

    /// <summary>Creates a segment id, normalising its text.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException">The text is not a valid segment id.</exception>
    public SegmentId(string value) => Value = Slug.Require(value, MaxLength, "segment id", nameof(value));

    /// <summary>The normalised id; null only for <c>default(SegmentId)</c>, which no method accepts.</summary>
    public string Value { get; }

    /// <summary>Tries to create a segment id from text.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out SegmentId segment)
    {
        segment = text is not null && Slug.Normalize(text, MaxLength) is not null ? new SegmentId(text) : default;
        return segment != default;
    }

    /// <summary>Orders segment ids ordinally.</summary>
    public int CompareTo(SegmentId other) => string.CompareOrdinal(Value, other.Value);

    /// <summary>The normalised id.</summary>
    public override string ToString() => Value ?? string.Empty;
}

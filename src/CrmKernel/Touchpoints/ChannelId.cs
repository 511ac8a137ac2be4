using System.Diagnostics.CodeAnalysis;
using CrmKernel.Primitives;

namespace CrmKernel.Touchpoints;

/// <summary>
/// Identifies a channel the enterprise and its customers meet on — <c>email</c>, <c>web</c>, <c>phone</c>,
/// <c>store:london</c>, <c>partner/acme</c>. Channels are the host's own; channel adapters declare theirs.
/// </summary>
/// <remarks>1–64 characters from <c>a–z 0–9 - _ . : /</c>, trimmed and lower-cased.</remarks>
public readonly record struct ChannelId : IComparable<ChannelId>
{
    /// <summary>The longest channel id accepted.</summary>
    public const int MaxLength = 64;

    /// <summary>Creates a channel id, normalising its text.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException">The text is not a valid channel id.</exception>
    public ChannelId(string value) => Value = Slug.Require(value, MaxLength, "channel id", nameof(value));

    /// <summary>The normalised id; null only for <c>default(ChannelId)</c>, which no method accepts.</summary>
    public string Value { get; }

    /// <summary>Tries to create a channel id from text.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out ChannelId channel)
    {
        channel = text is not null && Slug.Normalize(text, MaxLength) is not null ? new ChannelId(text) : default;
        return channel != default;
    }

    /// <summary>Orders channel ids ordinally.</summary>
    public int CompareTo(ChannelId other) => string.CompareOrdinal(Value, other.Value);

    /// <summary>The normalised id.</summary>
    public override string ToString() => Value ?? string.Empty;
}

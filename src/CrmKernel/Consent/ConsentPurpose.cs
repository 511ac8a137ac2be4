using System.Diagnostics.CodeAnalysis;
using CrmKernel.Primitives;

namespace CrmKernel.Consent;

/// <summary>
/// Why the enterprise wants to contact a customer — <c>marketing</c>, <c>service</c>, <c>sales</c>,
/// <c>feedback</c>, or a host's own purpose such as <c>newsletter:weekly</c>. Consent and lawful bases are recorded
/// per purpose, so a customer who declined marketing can still be sent a service message under contract.
/// </summary>
/// <remarks>1–64 characters from <c>a–z 0–9 - _ . : /</c>, trimmed and lower-cased.</remarks>
public readonly record struct ConsentPurpose : IComparable<ConsentPurpose>
{
    /// <summary>The longest purpose accepted.</summary>
    public const int MaxLength = 64;

    /// <summary>Creates a purpose, normalising its text.</summary>
    /// <param name="value">The purpose text.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException">The text is not a valid purpose.</exception>
    public ConsentPurpose(string value) => Value = Slug.Require(value, MaxLength, "consent purpose", nameof(value));

    /// <summary>The normalised purpose; null only for <c>default(ConsentPurpose)</c>, which no method accepts.</summary>
    public string Value { get; }

    /// <summary>Offers, campaigns and newsletters: usually needs the customer's consent.</summary>
    public static ConsentPurpose Marketing { get; } = new("marketing");

    /// <summary>Messages about what the customer bought or asked for (order updates, support): usually under contract.</summary>
    public static ConsentPurpose Service { get; } = new("service");

    /// <summary>Quotes, renewals and follow-ups on an open sale.</summary>
    public static ConsentPurpose Sales { get; } = new("sales");

    /// <summary>Surveys, idea campaigns and telling customers what became of their ideas.</summary>
    public static ConsentPurpose Feedback { get; } = new("feedback");

    /// <summary>Tries to create a purpose from text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="purpose">The purpose, or the default when the text is not one.</param>
    /// <returns>True when the text is a valid purpose.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out ConsentPurpose purpose)
    {
        purpose = text is not null && Slug.Normalize(text, MaxLength) is not null ? new ConsentPurpose(text) : default;
        return purpose != default;
    }

    /// <summary>Orders purposes ordinally.</summary>
    /// <param name="other">The purpose to compare with.</param>
    /// <returns>The ordinal comparison of the texts.</returns>
    public int CompareTo(ConsentPurpose other) => string.CompareOrdinal(Value, other.Value);

    /// <summary>The normalised purpose.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Value ?? string.Empty;
}

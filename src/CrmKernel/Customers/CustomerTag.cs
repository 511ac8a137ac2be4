using System.Diagnostics.CodeAnalysis;
using CrmKernel.Primitives;

namespace CrmKernel.Customers;

/// <summary>
/// A segment or marker tag on a customer, such as <c>vip</c>, <c>newsletter</c> or <c>region:emea</c>.
/// Tags are the simplest way to organise customers around segments; rule-based segments build on them.
/// </summary>
/// <remarks>1–64 characters from <c>a–z 0–9 - _ . : /</c>; input is trimmed and lower-cased, inner white space becomes <c>-</c>.</remarks>
public readonly record struct CustomerTag : IComparable<CustomerTag>
{
    /// <summary>The longest tag accepted.</summary>
    public const int MaxLength = 64;

    /// <summary>Creates a tag, normalising its text.</summary>
    /// <param name="value">The tag text.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException">The normalised text is empty, too long or has a character outside the set.</exception>
    public CustomerTag(string value)
    {
        Value = Slug.Require(value, MaxLength, "tag", nameof(value));
    }

    /// <summary>The normalised tag; null only for <c>default(CustomerTag)</c>, which no method accepts.</summary>
    public string Value { get; }

    /// <summary>Tries to create a tag from text.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out CustomerTag tag)
    {
        if (text is not null && Slug.Normalize(text, MaxLength) is not null)
        {
            tag = new CustomerTag(text);
            return true;
        }

        tag = default;
        return false;
    }

    /// <summary>Orders tags ordinally.</summary>
    public int CompareTo(CustomerTag other) => string.CompareOrdinal(Value, other.Value);

    /// <summary>The normalised tag.</summary>
    public override string ToString() => Value ?? string.Empty;
}

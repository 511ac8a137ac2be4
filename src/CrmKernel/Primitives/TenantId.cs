using System.Diagnostics.CodeAnalysis;
using CrmKernel.Diagnostics;

namespace CrmKernel.Primitives;

/// <summary>
/// Identifies the tenant (the enterprise, brand or workspace) that owns a record. Every store call is
/// scoped to one tenant and nothing crosses tenants. Use the host's own tenant key, e.g. <c>acme</c>.
/// </summary>
/// <remarks>
/// 1 to 64 characters from <c>A–Z a–z 0–9 . _ -</c>, compared ordinally (case-sensitive).
/// <c>default(TenantId)</c> is not a tenant: every store rejects it.
/// </remarks>
public readonly record struct TenantId : IComparable<TenantId>
{
    /// <summary>The longest tenant key accepted.</summary>
    public const int MaxLength = 64;

    /// <summary>Creates a tenant id from its key.</summary>
    /// <param name="value">The tenant key.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty, too long or has a character outside the allowed set.</exception>
    public TenantId(string value)
    {
        Preconditions.NotNull(value);
        Preconditions.MaxLength(value, MaxLength);
        Preconditions.Check(IsValid(value), $"A tenant id is 1 to {MaxLength} characters from A-Z a-z 0-9 . _ -.", nameof(value));
        Value = value;
    }

    /// <summary>The tenant key; null only for <c>default(TenantId)</c>.</summary>
    public string Value { get; }

    /// <summary>Parses a tenant key (the same rules as the constructor).</summary>
    /// <exception cref="FormatException">The text is not a valid tenant key.</exception>
    public static TenantId Parse(string text)
    {
        Preconditions.NotNull(text);
        return TryParse(text, out var id)
            ? id
            : throw new FormatException($"The text is not a tenant id: 1 to {MaxLength} characters from A-Z a-z 0-9 . _ -.");
    }

    /// <summary>Tries to parse a tenant key.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out TenantId result)
    {
        if (text is not null && IsValid(text))
        {
            result = new TenantId(text);
            return true;
        }

        result = default;
        return false;
    }

    /// <summary>Orders tenants ordinally by key.</summary>
    public int CompareTo(TenantId other) => string.CompareOrdinal(Value, other.Value);

    /// <summary>The tenant key.</summary>
    public override string ToString() => Value ?? string.Empty;

    private static bool IsValid(string value)
    {
        if (value.Length is 0 or > MaxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}

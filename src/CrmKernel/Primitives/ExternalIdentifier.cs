using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using CrmKernel.Diagnostics;

namespace CrmKernel.Primitives;

/// <summary>
/// The key a source system (an ERP, a web shop, a billing platform) uses for a customer. Use it to find
/// the customer again when that system sends data; a store keeps it unique per tenant.
/// </summary>
/// <remarks>
/// The source is 1–64 characters from <c>a–z 0–9 . _ -</c>, stored lower-case; the key is 1–256
/// characters without control characters, trimmed and compared ordinally (case-sensitive), because source
/// systems' keys often are. The text form is <c>source:key</c>.
/// </remarks>
public sealed class ExternalIdentifier : IEquatable<ExternalIdentifier>
{
    /// <summary>The longest source name accepted.</summary>
    public const int MaxSourceLength = 64;

    /// <summary>The longest key accepted.</summary>
    public const int MaxKeyLength = 256;

    /// <summary>Creates an external identifier.</summary>
    /// <param name="source">The source system's name, e.g. <c>shopify</c>.</param>
    /// <param name="key">That system's key for the customer.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The source or key is empty, too long or has a character outside its set.</exception>
    public ExternalIdentifier(string source, string key)
    {
        Preconditions.NotNull(source);
        Preconditions.NotNull(key);
#pragma warning disable CA1308 // Source names are identifiers; lower case is their canonical form.
        var normalizedSource = source.Trim().ToLowerInvariant();
#pragma warning restore CA1308
        Preconditions.MaxLength(normalizedSource, MaxSourceLength, nameof(source));
        Preconditions.Check(IsValidSource(normalizedSource), $"The source is 1 to {MaxSourceLength} characters from a-z 0-9 . _ -.", nameof(source));
        var trimmedKey = Preconditions.MaxLength(key.Trim(), MaxKeyLength, nameof(key));
        Preconditions.Check(
            trimmedKey.Length is > 0 and <= MaxKeyLength && !Preconditions.HasControlCharacter(trimmedKey),
            $"The key is 1 to {MaxKeyLength} characters without control characters.",
            nameof(key));
        Source = normalizedSource;
        Key = trimmedKey;
    }

    /// <summary>Rebuilds an identifier from parts a store kept after they were validated; never for input.</summary>
    internal ExternalIdentifier(string normalizedSource, string trimmedKey, bool trusted)
    {
        Debug.Assert(trusted, "Only for parts validated before.");
        Source = normalizedSource;
        Key = trimmedKey;
    }

    /// <summary>The source system, lower-case.</summary>
    public string Source { get; }

    /// <summary>The source system's key.</summary>
    public string Key { get; }

    /// <summary>Parses the text form <c>source:key</c> (the first colon separates them).</summary>
    /// <exception cref="FormatException">The text is not a valid external identifier.</exception>
    public static ExternalIdentifier Parse(string text)
    {
        Preconditions.NotNull(text);
        return TryParse(text, out var result)
            ? result
            : throw new FormatException("The text is not an external identifier of the form source:key.");
    }

    /// <summary>Tries to parse the text form <c>source:key</c>.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out ExternalIdentifier? result)
    {
        result = null;
        var colon = text?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (colon <= 0)
        {
            return false;
        }

        try
        {
            result = new ExternalIdentifier(text![..colon], text[(colon + 1)..]);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The text form <c>source:key</c>.</summary>
    public override string ToString() => $"{Source}:{Key}";

    /// <inheritdoc />
    public bool Equals(ExternalIdentifier? other)
        => other is not null && string.Equals(Source, other.Source, StringComparison.Ordinal) && string.Equals(Key, other.Key, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ExternalIdentifier);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(Source), StringComparer.Ordinal.GetHashCode(Key));

    private static bool IsValidSource(string source)
        => source.Length is > 0 and <= MaxSourceLength
           && source.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-');
}

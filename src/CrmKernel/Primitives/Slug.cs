using CrmKernel.Diagnostics;

namespace CrmKernel.Primitives;

/// <summary>
/// The one text rule for short, case-insensitive identifiers (tags, channel ids, touchpoint kinds,
/// outcomes, roles): trimmed, lower-cased, inner white space turned into <c>-</c>, then 1 to
/// <c>maxLength</c> characters from <c>a–z 0–9 - _ . : /</c>.
/// </summary>
internal static class Slug
{
    public const string AllowedCharacters = "a-z 0-9 - _ . : /";

    /// <summary>Returns the normalised slug, or null when the text cannot be one.</summary>
    public static string? Normalize(string text, int maxLength)
    {
        var normalized = Fold(text);
        return normalized.Length is > 0 && normalized.Length <= maxLength && normalized.All(IsAllowed) ? normalized : null;
    }

    /// <summary>
    /// Normalises <paramref name="text"/> or throws an <see cref="ArgumentException"/> naming the parameter: an
    /// <see cref="InputLimitExceededException"/> when the normalised slug is longer than <paramref name="maxLength"/>.
    /// </summary>
    public static string Require(string text, int maxLength, string what, string parameterName)
    {
        Preconditions.NotNull(text, parameterName);
        var normalized = Preconditions.MaxLength(Fold(text), maxLength, parameterName);
        return normalized.Length > 0 && normalized.All(IsAllowed)
            ? normalized
            : throw new ArgumentException($"A {what} is 1 to {maxLength} characters from {AllowedCharacters}.", parameterName);
    }

#pragma warning disable CA1308 // Slugs are identifiers; lower case is their canonical form.
    private static string Fold(string text)
        => string.Join('-', text.Trim().ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
#pragma warning restore CA1308

    private static bool IsAllowed(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.' or ':' or '/';
}

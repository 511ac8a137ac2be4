using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace CrmKernel.ContactPoints;

/// <summary>
/// The text rules the contact point types share: well-formed UTF-16, Unicode NFC, case folding of
/// identifiers and white-space clean-up of free text. Every method returns its input unchanged
/// (no allocation) when there is nothing to do.
/// </summary>
internal static class ContactPointText
{
    /// <summary>True when <paramref name="text"/> has no unpaired surrogate, so it can be normalised and stored as UTF-8.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Unicode normalisation form C, so that canonically equivalent text compares equal. The text must be well formed.</summary>
    public static string ToNfc(string text)
        => text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);

    /// <summary>
    /// Lower-cases an identifier (invariant culture, then NFC again in case the new letters compose),
    /// so that the result is the same on every machine and lower-casing it again changes nothing.
    /// </summary>
    [SuppressMessage(
        "Globalization",
        "CA1308:Normalize strings to uppercase",
        Justification = "Email addresses and social handles are conventionally lower case; this builds a stored canonical identifier, not a case-insensitive comparison.")]
    public static string ToLowerIdentifier(string text)
    {
        var lower = text.ToLowerInvariant();
        return ReferenceEquals(lower, text) ? text : ToNfc(lower);
    }

    /// <summary>
    /// Trims free text, replaces every run of white space (including tabs and line breaks) with one
    /// space, and puts it in NFC. Fails on other control characters and on ill-formed UTF-16.
    /// </summary>
    /// <returns>False when the text has a control character or an unpaired surrogate.</returns>
    public static bool TryCleanFreeText(string text, [NotNullWhen(true)] out string? clean)
    {
        clean = null;
        if (!IsWellFormed(text))
        {
            return false;
        }

        var needsRewrite = false;
        var previousWasSpace = true; // so leading white space counts as a run to remove
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                needsRewrite |= previousWasSpace || c != ' ';
                previousWasSpace = true;
            }
            else if (char.IsControl(c))
            {
                return false;
            }
            else
            {
                previousWasSpace = false;
            }
        }

        needsRewrite |= previousWasSpace && text.Length > 0; // trailing white space

        if (!needsRewrite)
        {
            clean = ToNfc(text);
            return true;
        }

        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
            }
            else
            {
                if (pendingSpace)
                {
                    builder.Append(' ');
                    pendingSpace = false;
                }

                builder.Append(c);
            }
        }

        clean = ToNfc(builder.ToString());
        return true;
    }

    /// <summary>Lower-cases ASCII letters only; anything else is left for the caller's validation to reject.</summary>
    public static string ToLowerAscii(string text)
    {
        foreach (var c in text)
        {
            if (char.IsAsciiLetterUpper(c))
            {
                return string.Create(text.Length, text, static (span, source) =>
                {
                    for (var i = 0; i < source.Length; i++)
                    {
                        var ch = source[i];
                        span[i] = char.IsAsciiLetterUpper(ch) ? (char)(ch | 0x20) : ch;
                    }
                });
            }
        }

        return text;
    }

    /// <summary>Upper-cases free text (invariant culture), keeping it in NFC.</summary>
    public static string ToUpperFreeText(string text)
    {
        var upper = text.ToUpperInvariant();
        return ReferenceEquals(upper, text) ? text : ToNfc(upper);
    }

    /// <summary>The length of <paramref name="text"/> in UTF-8 bytes; the text must be well formed.</summary>
    public static int Utf8Length(ReadOnlySpan<char> text) => Encoding.UTF8.GetByteCount(text);

    /// <summary>True when the rune is a letter, a combining mark or a decimal digit in any script.</summary>
    public static bool IsLetterMarkOrDigit(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.DecimalDigitNumber => true,
        _ => false,
    };
}

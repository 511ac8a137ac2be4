using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using CrmKernel.Diagnostics;

namespace CrmKernel.ContactPoints;

/// <summary>
/// An email address, validated and normalised so that two spellings of the same mailbox compare
/// equal. Use it for every email a party gives you: <see cref="Parse(string)"/> when the text must
/// be valid, <see cref="TryParse(string?, out EmailAddress?)"/> when checking user input.
/// </summary>
/// <remarks>
/// <para>
/// Normalisation: surrounding white space is trimmed, the text is put in Unicode NFC, the whole
/// address is lower-cased (invariant culture), and an internationalised domain is converted to its
/// ASCII (IDNA, punycode) form, so <c>User@Bücher.Example</c> becomes
/// <c>user@xn--bcher-kva.example</c>. Lower-casing the local part is, strictly, more than RFC 5321
/// allows, but no mainstream mail provider distinguishes mailboxes by case, and treating
/// <c>Ann@x.example</c> and <c>ann@x.example</c> as two customers' addresses is the costlier mistake.
/// </para>
/// <para>
/// Validation: exactly one <c>@</c>. The local part is an RFC 5322 dot-atom — letters, digits and
/// <c>! # $ % &amp; ' * + - / = ? ^ _ ` { | } ~</c>, with dots only between other characters — plus,
/// as RFC 6531 allows, letters, combining marks and digits of any script; it is 1 to
/// <see cref="MaxLocalPartLength"/> bytes in UTF-8. The domain has at least two labels, each 1 to 63
/// letters, digits or hyphens (after IDNA conversion) not starting or ending with a hyphen, and a
/// top-level label that is not all digits. The whole address is at most <see cref="MaxLength"/> bytes.
/// </para>
/// <para>
/// Not accepted, by design: quoted local parts (<c>"john doe"@example.com</c>), comments, IP-literal
/// domains (<c>user@[192.0.2.1]</c>), single-label domains (<c>user@localhost</c>) and display names
/// (<c>Ann &lt;ann@example.com&gt;</c>). They are legal in RFC 5322 but almost never real customer
/// addresses, and accepting them makes matching and deduplication unreliable.
/// </para>
/// </remarks>
public sealed class EmailAddress : ContactPoint
{
    /// <summary>The longest address accepted, in UTF-8 bytes (the RFC 5321 path limit less its angle brackets).</summary>
    public const int MaxLength = 254;

    /// <summary>The longest local part (the text before <c>@</c>) accepted, in UTF-8 bytes (RFC 5321).</summary>
    public const int MaxLocalPartLength = 64;

    private const string NotAnEmailAddress = "The text is not an email address: ";

    // IdnMapping keeps no state between calls; one instance serves every thread.
    private static readonly IdnMapping Idn = new();

    private EmailAddress(string localPart, string domain)
    {
        LocalPart = localPart;
        Domain = domain;
        NormalizedValue = string.Concat(localPart, "@", domain);
    }

    /// <summary>Always <see cref="ContactPointKind.Email"/>.</summary>
    public override ContactPointKind Kind => ContactPointKind.Email;

    /// <summary>The normalised address, e.g. <c>user@xn--bcher-kva.example</c>.</summary>
    public override string NormalizedValue { get; }

    /// <summary>The normalised text before the <c>@</c>, lower case, in NFC; may contain non-ASCII letters.</summary>
    public string LocalPart { get; }

    /// <summary>The normalised domain after the <c>@</c>, lower case, in its ASCII (punycode) form.</summary>
    public string Domain { get; }

    /// <summary>Parses and normalises an email address.</summary>
    /// <param name="text">The address as entered, e.g. <c> Ann.Lee@Example.COM </c>.</param>
    /// <returns>The normalised address.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException"><paramref name="text"/> is not an email address this type accepts; the message says which rule failed.</exception>
    public static EmailAddress Parse(string text)
    {
        Preconditions.NotNull(text);
        return TryCreate(text, out var result, out var error) ? result : throw new FormatException(NotAnEmailAddress + error);
    }

    /// <summary>Tries to parse and normalise an email address, e.g. from a sign-up form or an import row.</summary>
    /// <param name="text">The address as entered; null gives <see langword="false"/>.</param>
    /// <param name="result">The normalised address, or null when the text is not valid.</param>
    /// <returns>True when <paramref name="text"/> is a valid email address.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out EmailAddress? result)
    {
        if (text is not null && TryCreate(text, out result, out _))
        {
            return true;
        }

        result = null;
        return false;
    }

    private static bool TryCreate(string text, [NotNullWhen(true)] out EmailAddress? result, [NotNullWhen(false)] out string? error)
    {
        result = null;
        var trimmed = text.Trim();
        if (!ContactPointText.IsWellFormed(trimmed))
        {
            error = "it contains an unpaired surrogate (ill-formed UTF-16).";
            return false;
        }

        var normalized = ContactPointText.ToLowerIdentifier(ContactPointText.ToNfc(trimmed));

        var at = normalized.IndexOf('@', StringComparison.Ordinal);
        if (at < 0 || normalized.IndexOf('@', at + 1) >= 0)
        {
            error = "it must contain exactly one '@'.";
            return false;
        }

        var localPart = normalized[..at];
        if (!IsValidLocalPart(localPart, out error))
        {
            return false;
        }

        if (!TryNormalizeDomain(normalized[(at + 1)..], out var domain, out error))
        {
            return false;
        }

        if (ContactPointText.Utf8Length(localPart) + 1 + domain.Length > MaxLength)
        {
            error = $"it is longer than {MaxLength} bytes.";
            return false;
        }

        result = new EmailAddress(localPart, domain);
        return true;
    }

    private static bool IsValidLocalPart(string localPart, [NotNullWhen(false)] out string? error)
    {
        if (localPart.Length == 0)
        {
            error = "the part before '@' is empty.";
            return false;
        }

        if (ContactPointText.Utf8Length(localPart) > MaxLocalPartLength)
        {
            error = $"the part before '@' is longer than {MaxLocalPartLength} bytes.";
            return false;
        }

        if (localPart[0] == '.' || localPart[^1] == '.' || localPart.Contains("..", StringComparison.Ordinal))
        {
            error = "the part before '@' may not start or end with a dot or have two dots in a row.";
            return false;
        }

        foreach (var rune in localPart.EnumerateRunes())
        {
            var valid = rune.IsAscii
                ? IsAtextOrDot((char)rune.Value)
                : ContactPointText.IsLetterMarkOrDigit(rune);
            if (!valid)
            {
                error = "the part before '@' has a character outside letters, digits, dots and ! # $ % & ' * + - / = ? ^ _ ` { | } ~ (quoted local parts are not accepted).";
                return false;
            }
        }

        error = null;
        return true;
    }

    // RFC 5322 atext, plus the dot of a dot-atom (dot placement is checked separately).
    private static bool IsAtextOrDot(char c)
        => char.IsAsciiLetterOrDigit(c) || c is '.' or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '/' or '=' or '?' or '^' or '_' or '`' or '{' or '|' or '}' or '~';

    private static bool TryNormalizeDomain(string domain, [NotNullWhen(true)] out string? ascii, [NotNullWhen(false)] out string? error)
    {
        ascii = null;
        if (domain.Length == 0)
        {
            error = "the domain after '@' is empty.";
            return false;
        }

        if (!Ascii.IsValid(domain) || domain.StartsWith("xn--", StringComparison.Ordinal) || domain.Contains(".xn--", StringComparison.Ordinal))
        {
            // Internationalised (or already punycode) domain: IDNA (UTS #46) maps, normalises and
            // validates it. Plain ASCII domains skip this: for them it would return its input.
            try
            {
                domain = Idn.GetAscii(domain);
            }
            catch (ArgumentException)
            {
                error = "the domain after '@' is not a valid internationalised domain name.";
                return false;
            }

            domain = ContactPointText.ToLowerAscii(domain);
        }

        if (!IsValidAsciiDomain(domain, out error))
        {
            return false;
        }

        ascii = domain;
        return true;
    }

    private static bool IsValidAsciiDomain(string domain, [NotNullWhen(false)] out string? error)
    {
        var labels = 0;
        var lastLabel = ReadOnlySpan<char>.Empty;
        foreach (var range in domain.AsSpan().Split('.'))
        {
            var label = domain.AsSpan(range);
            if (label.Length is 0 or > 63)
            {
                error = "a domain label is empty or longer than 63 characters.";
                return false;
            }

            if (label[0] == '-' || label[^1] == '-')
            {
                error = "a domain label starts or ends with a hyphen.";
                return false;
            }

            foreach (var c in label)
            {
                if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
                {
                    error = "a domain label has a character other than letters, digits and hyphens (IP literals are not accepted).";
                    return false;
                }
            }

            labels++;
            lastLabel = label;
        }

        if (labels < 2)
        {
            error = "the domain needs at least two labels, e.g. example.com.";
            return false;
        }

        if (!lastLabel.ContainsAnyExceptInRange('0', '9'))
        {
            error = "the top-level domain is all digits.";
            return false;
        }

        error = null;
        return true;
    }
}

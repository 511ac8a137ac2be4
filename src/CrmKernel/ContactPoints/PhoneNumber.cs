using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using CrmKernel.Diagnostics;
using PhoneNumbers;
using LibPhoneNumber = PhoneNumbers.PhoneNumber;

namespace CrmKernel.ContactPoints;

/// <summary>
/// A telephone number in E.164 form (<c>+</c>, country calling code, national number; e.g.
/// <c>+442079460958</c>). Use it for every phone number a party gives you:
/// <see cref="Parse(string)"/> for numbers already in international form (such as stored values),
/// <see cref="Parse(string, string?)"/> with the party's country when people type national numbers
/// such as <c>020 7946 0958</c>.
/// </summary>
/// <remarks>
/// <para>
/// Numbers are parsed and checked with libphonenumber-csharp, the .NET port of Google's
/// libphonenumber, whose numbering-plan metadata knows which number ranges each country has
/// assigned. Formatting (spaces, hyphens, dots, slashes, parentheses) is ignored; letters are not
/// accepted (so neither vanity numbers such as <c>+1 800 FLOWERS</c> nor text around the number).
/// </para>
/// <para>
/// A number must be <em>valid</em> (in an assigned range for its country), not merely
/// <em>possible</em> (of a plausible length). This is deliberate: a CRM keeps customer data for
/// years and uses it to deduplicate and to contact people, and a number that cannot be dialled is
/// worse than no number, because it looks like data. Clean data beats permissive input; when the
/// metadata changes (it does every few weeks), update the libphonenumber-csharp package.
/// </para>
/// <para>
/// Extensions (<c>+44 20 7946 0958 ext. 123</c>) are refused: E.164 has no extension, and an
/// extension is dialled after the call connects. Keep it in a separate field if you need it.
/// </para>
/// </remarks>
public sealed class PhoneNumber : ContactPoint
{
    private const string NotAPhoneNumber = "The text is not a phone number: ";

    // The region libphonenumber gives numbers of non-geographic entities (e.g. +800 freephone).
    private const string NonGeographicRegion = "001";

    // PhoneNumberUtil is a thread-safe singleton that loads its metadata once; keep the reference.
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    // Looked up case-insensitively, then replaced by the canonical upper-case code.
    private static readonly FrozenSet<string> SupportedRegions =
        Util.GetSupportedRegions().ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private PhoneNumber(string e164, int countryCallingCode, string? regionCode)
    {
        NormalizedValue = e164;
        CountryCallingCode = countryCallingCode;
        RegionCode = regionCode;
    }

    /// <summary>Always <see cref="ContactPointKind.Phone"/>.</summary>
    public override ContactPointKind Kind => ContactPointKind.Phone;

    /// <summary>The number in E.164 form: <c>+</c> followed by up to 15 digits, no spaces, e.g. <c>+442079460958</c>.</summary>
    public override string NormalizedValue { get; }

    /// <summary>The country calling code, e.g. 44 for the United Kingdom or 1 for the North American Numbering Plan.</summary>
    public int CountryCallingCode { get; }

    /// <summary>
    /// The ISO 3166-1 alpha-2 region the number belongs to according to libphonenumber's metadata,
    /// e.g. <c>GB</c>, or <c>CA</c> rather than <c>US</c> for a Canadian +1 number. Null for numbers
    /// of non-geographic entities such as <c>+800</c> international freephone numbers.
    /// </summary>
    public string? RegionCode { get; }

    /// <summary>Parses a phone number in international form, e.g. <c>+44 20 7946 0958</c> or a stored <c>+442079460958</c>.</summary>
    /// <param name="text">The number, starting with <c>+</c> and the country calling code.</param>
    /// <returns>The number in E.164 form.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException">
    /// <paramref name="text"/> does not start with <c>+</c>, is not a phone number, has an extension,
    /// or is not a valid number for its country; the message says which.
    /// </exception>
    public static PhoneNumber Parse(string text) => Parse(text, null);

    /// <summary>
    /// Parses a phone number as people type it: in international form, or in the national form of
    /// <paramref name="defaultRegion"/>, e.g. <c>020 7946 0958</c> with <c>GB</c> or
    /// <c>(202) 555-0123</c> with <c>US</c>.
    /// </summary>
    /// <param name="text">The number. A number starting with <c>+</c> is read in international form whatever the region.</param>
    /// <param name="defaultRegion">
    /// The ISO 3166-1 alpha-2 code (any case) of the country whose national format to assume, typically
    /// the party's country; null to require international form.
    /// </param>
    /// <returns>The number in E.164 form.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="defaultRegion"/> is not a region libphonenumber supports.</exception>
    /// <exception cref="FormatException">
    /// <paramref name="text"/> is not a phone number, has an extension, or is not a valid number for
    /// its country; the message says which.
    /// </exception>
    public static PhoneNumber Parse(string text, string? defaultRegion)
    {
        Preconditions.NotNull(text);
        var region = CheckRegion(defaultRegion);
        return TryCreate(text, region, out var result, out var error) ? result : throw new FormatException(NotAPhoneNumber + error);
    }

    /// <summary>Tries to parse a phone number in international form (starting with <c>+</c>).</summary>
    /// <param name="text">The number; null gives <see langword="false"/>.</param>
    /// <param name="result">The number in E.164 form, or null when the text is not a valid number.</param>
    /// <returns>True when <paramref name="text"/> is a valid phone number in international form.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out PhoneNumber? result)
        => TryParse(text, null, out result);

    /// <summary>Tries to parse a phone number in international form or in the national form of <paramref name="defaultRegion"/>.</summary>
    /// <param name="text">The number; null gives <see langword="false"/>.</param>
    /// <param name="defaultRegion">The ISO 3166-1 alpha-2 code (any case) of the country whose national format to assume; null to require international form.</param>
    /// <param name="result">The number in E.164 form, or null when the text is not a valid number.</param>
    /// <returns>True when <paramref name="text"/> is a valid phone number.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="defaultRegion"/> is not a region libphonenumber supports. A bad region is a
    /// programming error, not bad input, so it throws even here.
    /// </exception>
    public static bool TryParse([NotNullWhen(true)] string? text, string? defaultRegion, [NotNullWhen(true)] out PhoneNumber? result)
    {
        var region = CheckRegion(defaultRegion);
        if (text is not null && TryCreate(text, region, out result, out _))
        {
            return true;
        }

        result = null;
        return false;
    }

    private static string? CheckRegion(string? defaultRegion)
    {
        if (defaultRegion is null)
        {
            return null;
        }

        // Two ASCII letters first, so that case-insensitive lookup cannot match e.g. a dotless i.
        string? canonical = null;
        Preconditions.Check(
            defaultRegion.Length == 2
                && char.IsAsciiLetter(defaultRegion[0])
                && char.IsAsciiLetter(defaultRegion[1])
                && SupportedRegions.TryGetValue(defaultRegion, out canonical),
            "The default region must be an ISO 3166-1 alpha-2 code that libphonenumber supports, e.g. GB, US or DE.",
            nameof(defaultRegion));
        return canonical;
    }

    private static bool TryCreate(string text, string? region, [NotNullWhen(true)] out PhoneNumber? result, [NotNullWhen(false)] out string? error)
    {
        result = null;
        var trimmed = text.AsSpan().Trim();
        if (trimmed.IsEmpty)
        {
            error = "it is empty.";
            return false;
        }

        if (region is null && trimmed[0] != '+')
        {
            error = "without a default region it must be in international form, starting with '+' and the country calling code.";
            return false;
        }

        var plain = HasOnlyNumberCharacters(trimmed);
        LibPhoneNumber parsed;
        try
        {
            parsed = Util.Parse(text, region);
        }
        catch (NumberParseException)
        {
            error = plain
                ? "it is not a phone number (wrong country calling code, or too short or too long)."
                : "it may contain only digits, spaces and the separators + - . ( ) /.";
            return false;
        }

        if (parsed.HasExtension)
        {
            error = "it has an extension, and E.164 has no extension; keep extensions separately.";
            return false;
        }

        if (!plain)
        {
            error = "it may contain only digits, spaces and the separators + - . ( ) /.";
            return false;
        }

        // IsValidNumber(n) is IsValidNumberForRegion(n, GetRegionCodeForNumber(n)); calling the two
        // halves ourselves gets the region without working it out twice.
        var numberRegion = Util.GetRegionCodeForNumber(parsed);
        if (numberRegion is null || !Util.IsValidNumberForRegion(parsed, numberRegion))
        {
            error = "it is not a valid number: no country has assigned that number range.";
            return false;
        }

        result = new PhoneNumber(
            Util.Format(parsed, PhoneNumberFormat.E164),
            parsed.CountryCode,
            numberRegion == NonGeographicRegion ? null : numberRegion);
        error = null;
        return true;
    }

    // Digits (any script: libphonenumber folds them to ASCII), white space, and common separators.
    private static bool HasOnlyNumberCharacters(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!(char.IsDigit(c) || char.IsWhiteSpace(c) || c is '+' or '-' or '.' or '(' or ')' or '/' or (>= '\u2010' and <= '\u2015') or '\u2212'))
            {
                return false;
            }
        }

        return true;
    }
}

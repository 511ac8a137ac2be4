using System.Diagnostics.CodeAnalysis;
using CrmKernel.Diagnostics;

namespace CrmKernel.ContactPoints;

/// <summary>
/// A postal address: street lines, locality, region, postal code and country. Use
/// <see cref="Create"/> to build one from the fields of a form or an import row, and
/// <see cref="Parse(string)"/> to read back a stored <see cref="ContactPoint.NormalizedValue"/>.
/// </summary>
/// <remarks>
/// <para>
/// The kernel does not check that an address exists or that a postal code fits its country (that
/// needs a postal authority's data); it keeps addresses tidy enough to compare. Every field is
/// trimmed, each run of white space inside it (tabs and line breaks too) becomes one space, and it
/// is put in Unicode NFC. Empty street lines are dropped; empty optional fields become null. The
/// postal code is upper-cased; the case of street lines, locality and region is kept, because it
/// carries meaning people expect to see on an envelope (so <c>10 downing street</c> and
/// <c>10 Downing Street</c> are different values). The country is an officially assigned
/// ISO 3166-1 alpha-2 code, upper case, checked against a list embedded in the kernel.
/// </para>
/// <para>
/// The canonical form (<see cref="ContactPoint.NormalizedValue"/>) puts one field per line, separated
/// by line feeds (U+000A), from the most general to the most specific:
/// </para>
/// <code>
/// country code
/// region        (empty line when absent)
/// locality      (empty line when absent)
/// postal code   (empty line when absent)
/// street line 1 (then one line per further street line; none when there are no street lines)
/// </code>
/// <para>
/// For example <c>"GB\n\nLondon\nSW1A 2AA\n10 Downing Street"</c>. White-space clean-up turns every
/// line break inside a field into a space, so a field can never contain the separator and no escaping
/// is needed; the street lines, the only field that repeats, come last, so their number is simply the
/// number of lines after the fourth. The fixed, general-to-specific order also makes stored values
/// sort and index by country, then region and locality.
/// </para>
/// </remarks>
public sealed class PostalAddress : ContactPoint
{
    /// <summary>The most street lines an address may have (after empty lines are dropped).</summary>
    public const int MaxStreetLines = 5;

    /// <summary>The longest a field (each street line, locality, region, postal code) may be after clean-up, in UTF-16 characters.</summary>
    public const int MaxFieldLength = 200;

    private const string NotAPostalAddress = "The text is not a postal address: ";
    private const char Separator = '\n';

    // Country, region, locality, postal code.
    private const int FixedLineCount = 4;

    private PostalAddress(string[] streetLines, string? locality, string? region, string? postalCode, string countryCode)
    {
        StreetLines = Array.AsReadOnly(streetLines);
        Locality = locality;
        Region = region;
        PostalCode = postalCode;
        CountryCode = countryCode;
        NormalizedValue = string.Join(Separator, [countryCode, region ?? string.Empty, locality ?? string.Empty, postalCode ?? string.Empty, .. streetLines]);
    }

    /// <summary>Always <see cref="ContactPointKind.PostalAddress"/>.</summary>
    public override ContactPointKind Kind => ContactPointKind.PostalAddress;

    /// <summary>
    /// The canonical single-string form: country code, region, locality, postal code and then each
    /// street line, one per line, separated by line feeds; see the remarks on <see cref="PostalAddress"/>.
    /// </summary>
    public override string NormalizedValue { get; }

    /// <summary>The street lines (building, street, flat, and so on), cleaned up; 0 to <see cref="MaxStreetLines"/> of them, none empty.</summary>
    public IReadOnlyList<string> StreetLines { get; }

    /// <summary>The city, town or village, cleaned up; null when not given.</summary>
    public string? Locality { get; }

    /// <summary>The state, province, county or similar subdivision, cleaned up; null when not given.</summary>
    public string? Region { get; }

    /// <summary>The postal code, cleaned up and upper case, e.g. <c>SW1A 2AA</c>; null when not given.</summary>
    public string? PostalCode { get; }

    /// <summary>The ISO 3166-1 alpha-2 country code, upper case, e.g. <c>GB</c>.</summary>
    public string CountryCode { get; }

    /// <summary>Builds a postal address from its fields, cleaning each up as described on <see cref="PostalAddress"/>.</summary>
    /// <param name="streetLines">The street lines in order; blank lines are dropped. May be empty when <paramref name="locality"/> is given.</param>
    /// <param name="locality">The city, town or village; null or blank when not known.</param>
    /// <param name="region">The state, province or county; null or blank when not used.</param>
    /// <param name="postalCode">The postal code; null or blank when the country has none.</param>
    /// <param name="countryCode">The ISO 3166-1 alpha-2 country code, any case, e.g. <c>gb</c> or <c>GB</c>.</param>
    /// <returns>The cleaned-up address.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="streetLines"/> or <paramref name="countryCode"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// A street line is null; there is neither a street line nor a locality; there are more than
    /// <see cref="MaxStreetLines"/> street lines; a field is longer than <see cref="MaxFieldLength"/>
    /// or has a control character; or <paramref name="countryCode"/> is not an officially assigned
    /// ISO 3166-1 alpha-2 code. <see cref="ArgumentException.ParamName"/> names the field.
    /// </exception>
    /// <exception cref="InputLimitExceededException">More than <see cref="MaxStreetLines"/> non-empty street lines, or a field longer than <see cref="MaxFieldLength"/> after clean-up (<c>CRM-INPUT-001</c>).</exception>
    public static PostalAddress Create(IEnumerable<string> streetLines, string? locality, string? region, string? postalCode, string countryCode)
    {
        Preconditions.NotNull(streetLines);
        Preconditions.NotNull(countryCode);
        return TryCreate(streetLines, locality, region, postalCode, countryCode, out var result, out var error, out var parameterName, throwOnLimit: true)
            ? result
            : throw new ArgumentException(error, parameterName);
    }

    /// <summary>Reads the canonical form written by <see cref="NormalizedValue"/> (cleaning it up again on the way in).</summary>
    /// <param name="text">The canonical form: country code, region, locality, postal code, then street lines, separated by line feeds.</param>
    /// <returns>The address.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException"><paramref name="text"/> does not have the canonical layout or a field breaks a rule of <see cref="Create"/>.</exception>
    public static PostalAddress Parse(string text)
    {
        Preconditions.NotNull(text);
        return TryParseCore(text, out var result, out var error) ? result : throw new FormatException(NotAPostalAddress + error);
    }

    /// <summary>Tries to read the canonical form written by <see cref="NormalizedValue"/>.</summary>
    /// <param name="text">The canonical form; null gives <see langword="false"/>.</param>
    /// <param name="result">The address, or null when the text is not a valid canonical form.</param>
    /// <returns>True when <paramref name="text"/> is a valid postal address in canonical form.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out PostalAddress? result)
    {
        if (text is not null && TryParseCore(text, out result, out _))
        {
            return true;
        }

        result = null;
        return false;
    }

    private static bool TryParseCore(string text, [NotNullWhen(true)] out PostalAddress? result, [NotNullWhen(false)] out string? error)
    {
        result = null;
        var lineCount = text.AsSpan().Count(Separator) + 1;
        if (lineCount < FixedLineCount)
        {
            error = "expected country code, region, locality and postal code on the first four lines, separated by line feeds.";
            return false;
        }

        if (lineCount > FixedLineCount + MaxStreetLines)
        {
            error = $"it has more than {MaxStreetLines} street lines.";
            return false;
        }

        var lines = text.Split(Separator);
        return TryCreate(new ArraySegment<string>(lines, FixedLineCount, lines.Length - FixedLineCount), lines[2], lines[1], lines[3], lines[0], out result, out error, out _);
    }

    private static bool TryCreate(
        IEnumerable<string?> streetLines,
        string? locality,
        string? region,
        string? postalCode,
        string countryCode,
        [NotNullWhen(true)] out PostalAddress? result,
        [NotNullWhen(false)] out string? error,
        [NotNullWhen(false)] out string? parameterName,
        bool throwOnLimit = false)
    {
        result = null;

        // ASCII letters first: invariant upper-casing maps some other letters (e.g. a dotless i) onto ASCII.
        var country = countryCode.Trim();
        if (country.Length != 2
            || !char.IsAsciiLetter(country[0])
            || !char.IsAsciiLetter(country[1])
            || !CountryCodes.IsAssigned(country = country.ToUpperInvariant()))
        {
            return Fail("The country code must be an officially assigned ISO 3166-1 alpha-2 code, e.g. GB.", nameof(countryCode), out error, out parameterName);
        }

        var lines = new List<string>(capacity: 2);
        foreach (var line in streetLines)
        {
            if (line is null)
            {
                return Fail("A street line is null; leave it out instead.", nameof(streetLines), out error, out parameterName);
            }

            if (!TryCleanField(line, "A street line", out var clean, out error, throwOnLimit ? nameof(streetLines) : null))
            {
                parameterName = nameof(streetLines);
                return false;
            }

            if (clean.Length == 0)
            {
                continue;
            }

            if (lines.Count == MaxStreetLines)
            {
                if (throwOnLimit)
                {
                    Preconditions.MaxCount(MaxStreetLines + 1, MaxStreetLines, "non-empty lines", nameof(streetLines));
                }

                return Fail($"An address has at most {MaxStreetLines} street lines.", nameof(streetLines), out error, out parameterName);
            }

            lines.Add(clean);
        }

        if (!TryCleanOptionalField(locality, "The locality", out var cleanLocality, out error, throwOnLimit ? nameof(locality) : null))
        {
            parameterName = nameof(locality);
            return false;
        }

        if (!TryCleanOptionalField(region, "The region", out var cleanRegion, out error, throwOnLimit ? nameof(region) : null))
        {
            parameterName = nameof(region);
            return false;
        }

        if (!TryCleanOptionalField(postalCode, "The postal code", out var cleanPostalCode, out error, throwOnLimit ? nameof(postalCode) : null))
        {
            parameterName = nameof(postalCode);
            return false;
        }

        if (lines.Count == 0 && cleanLocality is null)
        {
            return Fail("An address needs at least one street line or a locality.", nameof(streetLines), out error, out parameterName);
        }

        result = new PostalAddress(
            [.. lines],
            cleanLocality,
            cleanRegion,
            cleanPostalCode is null ? null : ContactPointText.ToUpperFreeText(cleanPostalCode),
            country);
        error = null;
        parameterName = null;
        return true;
    }

    private static bool TryCleanOptionalField(string? value, string fieldName, out string? clean, [NotNullWhen(false)] out string? error, string? limitParameter = null)
    {
        clean = null;
        if (value is null)
        {
            error = null;
            return true;
        }

        if (!TryCleanField(value, fieldName, out var cleaned, out error, limitParameter))
        {
            return false;
        }

        clean = cleaned.Length == 0 ? null : cleaned;
        return true;
    }

    // With a limitParameter (Create), a field over MaxFieldLength throws InputLimitExceededException naming it; without
    // one (Parse, TryParse), it is reported as an error like any other malformed text.
    private static bool TryCleanField(string value, string fieldName, [NotNullWhen(true)] out string? clean, [NotNullWhen(false)] out string? error, string? limitParameter = null)
    {
        if (!ContactPointText.TryCleanFreeText(value, out clean))
        {
            error = $"{fieldName} has a control character or ill-formed text.";
            return false;
        }

        if (clean.Length > MaxFieldLength)
        {
            if (limitParameter is not null)
            {
                Preconditions.MaxLength(clean, MaxFieldLength, limitParameter);
            }

            clean = null;
            error = $"{fieldName} is longer than {MaxFieldLength} characters.";
            return false;
        }

        error = null;
        return true;
    }

    private static bool Fail(string message, string name, out string error, out string parameterName)
    {
        error = message;
        parameterName = name;
        return false;
    }
}

using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using CrmKernel.Diagnostics;

namespace CrmKernel.Primitives;

/// <summary>
/// An ISO 4217 currency, such as <see cref="EUR"/> or <see cref="JPY"/>. Use it wherever an amount's
/// currency matters: as the currency of a <see cref="Money"/> value, a reporting currency, or a price
/// list's currency. Get one from a well-known property (<see cref="USD"/>, <see cref="EUR"/>, …),
/// from a code with <see cref="FromCode(string)"/> / <see cref="TryFromCode"/>, or from an ISO numeric code with
/// <see cref="FromNumericCode"/>.
/// </summary>
/// <remarks>
/// <para>
/// Every code of ISO 4217 List One (as published on 1 January 2026) is known, including funds
/// (e.g. <c>CLF</c>, <c>USN</c>), precious metals (<c>XAU</c>, <c>XAG</c>, <c>XPT</c>, <c>XPD</c>) and
/// special codes (<c>XDR</c>, <c>XTS</c>, <c>XXX</c>). Withdrawn codes (e.g. <c>HRK</c>, <c>BGN</c>) are
/// not accepted. Where ISO 4217 gives the minor units as "N.A." (metals, bond-market units, <c>XDR</c>,
/// <c>XSU</c>, <c>XUA</c>, <c>XTS</c>, <c>XXX</c>), <see cref="MinorUnits"/> is 0.
/// </para>
/// <para>
/// <c>default(Currency)</c> is <see cref="XXX"/>, ISO's code for "no currency" (numeric 999): a
/// <see cref="Currency"/> is never invalid, but an uninitialised one means "no currency", and a
/// <see cref="Money"/> in <c>XXX</c> cannot be combined with one in a real currency.
/// </para>
/// <para>
/// The value is a two-byte index into one static table, so it is as cheap to copy, compare and hash as
/// a <see cref="short"/>, and every lookup is O(1) without allocation.
/// </para>
/// </remarks>
public readonly struct Currency : IEquatable<Currency>, IComparable<Currency>
{
    private static readonly ReadOnlyCollection<Currency> AllByCode = BuildAll();

    private readonly ushort _index;

    private Currency(int index) => _index = (ushort)index;

    /// <summary>No currency (<c>XXX</c>, numeric 999): the value of <c>default(Currency)</c>.</summary>
    /// <remarks>Use it for amounts that are not money, such as points or units in a test; never mix it with a real currency.</remarks>
    public static Currency XXX => default;

    /// <summary>US Dollar (<c>USD</c>, 2 minor units).</summary>
    public static Currency USD { get; } = Known("USD");

    /// <summary>Euro (<c>EUR</c>, 2 minor units).</summary>
    public static Currency EUR { get; } = Known("EUR");

    /// <summary>Pound Sterling (<c>GBP</c>, 2 minor units).</summary>
    public static Currency GBP { get; } = Known("GBP");

    /// <summary>Yen (<c>JPY</c>, 0 minor units: amounts are whole yen).</summary>
    public static Currency JPY { get; } = Known("JPY");

    /// <summary>Swiss Franc (<c>CHF</c>, 2 minor units).</summary>
    public static Currency CHF { get; } = Known("CHF");

    /// <summary>Canadian Dollar (<c>CAD</c>, 2 minor units).</summary>
    public static Currency CAD { get; } = Known("CAD");

    /// <summary>Australian Dollar (<c>AUD</c>, 2 minor units).</summary>
    public static Currency AUD { get; } = Known("AUD");

    /// <summary>Yuan Renminbi (<c>CNY</c>, 2 minor units).</summary>
    public static Currency CNY { get; } = Known("CNY");

    /// <summary>Swedish Krona (<c>SEK</c>, 2 minor units).</summary>
    public static Currency SEK { get; } = Known("SEK");

    /// <summary>Norwegian Krone (<c>NOK</c>, 2 minor units).</summary>
    public static Currency NOK { get; } = Known("NOK");

    /// <summary>Danish Krone (<c>DKK</c>, 2 minor units).</summary>
    public static Currency DKK { get; } = Known("DKK");

    /// <summary>Indian Rupee (<c>INR</c>, 2 minor units).</summary>
    public static Currency INR { get; } = Known("INR");

    /// <summary>Brazilian Real (<c>BRL</c>, 2 minor units).</summary>
    public static Currency BRL { get; } = Known("BRL");

    /// <summary>
    /// Every known currency, ordered by code (<c>AED</c> … <c>ZWG</c>, with <c>XXX</c> in its alphabetical
    /// place). Use it to fill a currency picker or to validate a configured list.
    /// </summary>
    public static IReadOnlyList<Currency> All => AllByCode;

    /// <summary>The alphabetic code: three upper-case ASCII letters, e.g. <c>EUR</c>. Use it to store or exchange the currency.</summary>
    public string Code => Entry.Code;

    /// <summary>The ISO 4217 numeric code, 1 to 999, e.g. 978 for <c>EUR</c>; for systems that exchange currencies as numbers.</summary>
    public int NumericCode => Entry.NumericCode;

    /// <summary>
    /// How many digits follow the decimal point in an amount of this currency: 0 to 4 (2 for <c>EUR</c>,
    /// 0 for <c>JPY</c>, 3 for <c>BHD</c>). <see cref="Money.Round"/> and <see cref="Money.Allocate"/> round to it.
    /// </summary>
    /// <remarks>0 for the codes where ISO 4217 says "N.A." (e.g. <c>XAU</c>, <c>XDR</c>, <c>XXX</c>).</remarks>
    public int MinorUnits => Entry.MinorUnits;

    /// <summary>The English name as ISO 4217 gives it, e.g. "Pound Sterling". For display to operators, not for matching.</summary>
    public string Name => Entry.Name;

    private Iso4217.Entry Entry => Iso4217.Entries[_index];

    /// <summary>Gets the currency with an alphabetic code, e.g. one read from a file or a request.</summary>
    /// <param name="code">Three letters in any case, surrounding white space ignored, e.g. <c>"eur"</c>.</param>
    /// <returns>The currency.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="code"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="code"/> is not an ISO 4217 code in the table.</exception>
    public static Currency FromCode(string code) => FromCode(code, nameof(code));

    /// <summary>Tries to get the currency with an alphabetic code; use it where unknown codes are expected (imports).</summary>
    /// <param name="code">Three letters in any case, surrounding white space ignored; null gives <see langword="false"/>.</param>
    /// <param name="currency">The currency, or <see cref="XXX"/> when the code is unknown.</param>
    /// <returns><see langword="true"/> when the code is known.</returns>
    public static bool TryFromCode([NotNullWhen(true)] string? code, out Currency currency)
        => TryFromCodeExact(code.AsSpan().Trim(), out currency);

    /// <summary>Gets the currency with an ISO 4217 numeric code, e.g. 978 for <c>EUR</c>.</summary>
    /// <param name="numericCode">The numeric code.</param>
    /// <returns>The currency.</returns>
    /// <exception cref="ArgumentException"><paramref name="numericCode"/> is not a numeric code in the table.</exception>
    public static Currency FromNumericCode(int numericCode)
    {
        if (!Iso4217.TryFindNumericCode(numericCode, out var index))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{numericCode} is not an ISO 4217 numeric currency code."),
                nameof(numericCode));
        }

        return new Currency(index);
    }

    /// <summary>Tries to get the currency with an ISO 4217 numeric code.</summary>
    /// <param name="numericCode">The numeric code.</param>
    /// <param name="currency">The currency, or <see cref="XXX"/> when the number is unknown.</param>
    /// <returns><see langword="true"/> when the number is known.</returns>
    public static bool TryFromNumericCode(int numericCode, out Currency currency)
    {
        var found = Iso4217.TryFindNumericCode(numericCode, out var index);
        currency = found ? new Currency(index) : default;
        return found;
    }

    /// <summary>The same lookup as <see cref="FromCode(string)"/>, naming the caller's parameter in the exception.</summary>
    internal static Currency FromCode(string code, string parameterName)
    {
        Preconditions.NotNull(code, parameterName);
        if (!TryFromCodeExact(code.AsSpan().Trim(), out var currency))
        {
            // The code is echoed only when it looks like one, so the message cannot carry arbitrary input.
            var shown = code.Length <= 3 && code.All(char.IsAsciiLetter) ? $"'{code}'" : "The text";
            throw new ArgumentException($"{shown} is not an ISO 4217 currency code.", parameterName);
        }

        return currency;
    }

    /// <summary>Looks up exactly three ASCII letters in either case (no trimming). O(1), no allocation.</summary>
    internal static bool TryFromCodeExact(ReadOnlySpan<char> code, out Currency currency)
    {
        var found = Iso4217.TryFindCode(code, out var index);
        currency = found ? new Currency(index) : default;
        return found;
    }

    /// <summary>Two currencies are equal when they have the same code.</summary>
    public bool Equals(Currency other) => _index == other._index;

    /// <inheritdoc cref="Equals(Currency)"/>
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is Currency other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _index;

    /// <summary>
    /// Orders currencies by code (ordinal), the order of <see cref="All"/>; for sorting lists. There are no
    /// <c>&lt;</c> / <c>&gt;</c> operators on purpose: one currency is not "less" than another.
    /// </summary>
    public int CompareTo(Currency other) => string.CompareOrdinal(Code, other.Code);

    /// <summary>The alphabetic code, e.g. <c>EUR</c>.</summary>
    public override string ToString() => Code;

    /// <summary>Whether two currencies are the same.</summary>
    public static bool operator ==(Currency left, Currency right) => left.Equals(right);

    /// <summary>Whether two currencies differ.</summary>
    public static bool operator !=(Currency left, Currency right) => !left.Equals(right);

    private static Currency Known(string code)
        => TryFromCodeExact(code, out var currency)
            ? currency
            : throw new InvalidOperationException($"The ISO 4217 table lacks {code}.");

    private static ReadOnlyCollection<Currency> BuildAll()
    {
        var all = new Currency[Iso4217.Entries.Length];
        for (var i = 0; i < all.Length; i++)
        {
            all[i] = new Currency(i);
        }

        Array.Sort(all);
        return Array.AsReadOnly(all);
    }
}

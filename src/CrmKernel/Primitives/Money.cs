using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.InteropServices;
using CrmKernel.Diagnostics;

namespace CrmKernel.Primitives;

/// <summary>
/// An amount of money in one ISO 4217 currency, e.g. <c>12.34 EUR</c>. Use it for every monetary figure
/// in the kernel — a touchpoint's cost or revenue, an order value, a metric in a reporting currency —
/// instead of a bare <see cref="decimal"/>, so that amounts in different currencies can never be added
/// by mistake.
/// </summary>
/// <remarks>
/// <para>
/// <b>One currency per operation.</b> <c>+</c>, <c>-</c>, <c>&lt;</c>, <c>&gt;</c>, <c>&lt;=</c>,
/// <c>&gt;=</c>, <see cref="CompareTo"/> and <see cref="Sum(ReadOnlySpan{Money}, Currency)"/> throw a
/// <see cref="CurrencyMismatchException"/> (<c>CRM-MONEY-001</c>) when the currencies differ; nothing
/// converts silently. <c>==</c> and <see cref="Equals(Money)"/> never throw: amounts in different
/// currencies are simply not equal.
/// </para>
/// <para>
/// <b>Exact, then rounded on request.</b> The amount is a <see cref="decimal"/> kept exactly as given or
/// computed, including its scale (<c>1.50</c> stays <c>1.50</c>), and may have more digits than the
/// currency's <see cref="Currency.MinorUnits"/> (a unit price, an average). Round with <see cref="Round"/>
/// before showing or booking an amount, and split it with <see cref="Allocate"/> rather than dividing, so
/// that no cent is lost or invented. Equality ignores the scale: <c>1.0 EUR == 1.00 EUR</c>.
/// </para>
/// <para>
/// <b>Default.</b> <c>default(Money)</c> is <c>0 XXX</c>: zero in ISO's "no currency". It cannot be
/// combined with an amount in a real currency, so start a running total with <see cref="Zero"/> in the
/// currency you mean, or use <see cref="Sum(IEnumerable{Money}, Currency)"/>.
/// </para>
/// <para>
/// <b>Text.</b> <see cref="ToString()"/> writes the culture-invariant form <c>"-12.34 EUR"</c> (the amount
/// with all its decimals, one space, the code), and <see cref="Parse(string)"/> reads exactly that form back.
/// </para>
/// </remarks>
public readonly struct Money : IEquatable<Money>, IComparable<Money>, ISpanFormattable, ISpanParsable<Money>
{
    /// <summary>Zero with 0 to 4 decimals; adding one gives a rounded amount exactly that many decimals.</summary>
    private static readonly decimal[] ZeroWithScale = [0m, 0.0m, 0.00m, 0.000m, 0.0000m];

    /// <summary>The smallest amount at 0 to 4 minor units: 1, 0.1, 0.01, 0.001, 0.0001.</summary>
    private static readonly decimal[] MinorUnit = [1m, 0.1m, 0.01m, 0.001m, 0.0001m];

    private readonly decimal _amount;
    private readonly Currency _currency;

    /// <summary>Creates an amount in a currency. The amount is kept exactly as given, with its scale.</summary>
    /// <param name="amount">The amount; any sign, any number of decimals.</param>
    /// <param name="currency">The currency.</param>
    public Money(decimal amount, Currency currency)
    {
        _amount = amount;
        _currency = currency;
    }

    /// <summary>The amount, exactly as given or computed (not rounded to the currency's minor units).</summary>
    public decimal Amount => _amount;

    /// <summary>The currency of <see cref="Amount"/>; <see cref="Currency.XXX"/> for <c>default(Money)</c>.</summary>
    public Currency Currency => _currency;

    /// <summary>Whether the amount is zero (of any scale).</summary>
    public bool IsZero => _amount == 0m;

    /// <summary>Whether the amount is below zero, e.g. a refund or a credit.</summary>
    public bool IsNegative => _amount < 0m;

    /// <summary>Whether the amount is above zero.</summary>
    public bool IsPositive => _amount > 0m;

    /// <summary>Creates an amount from a currency code, e.g. <c>Money.Of(12.34m, "EUR")</c>; handy in tests and when reading data.</summary>
    /// <param name="amount">The amount.</param>
    /// <param name="currencyCode">An ISO 4217 alphabetic code, in any case, surrounding white space ignored.</param>
    /// <returns>The amount in that currency.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="currencyCode"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="currencyCode"/> is not an ISO 4217 code.</exception>
    public static Money Of(decimal amount, string currencyCode)
        => new(amount, Currency.FromCode(currencyCode, nameof(currencyCode)));

    /// <summary>Zero in a currency: the starting point of a running total.</summary>
    /// <param name="currency">The currency.</param>
    /// <returns>0 in <paramref name="currency"/>.</returns>
    public static Money Zero(Currency currency) => new(0m, currency);

    /// <summary>
    /// Adds up amounts that must all be in <paramref name="currency"/>, e.g. the revenue of a customer's
    /// touchpoints in the reporting currency.
    /// </summary>
    /// <param name="values">The amounts.</param>
    /// <param name="currency">The currency of every amount and of the result; named so that an empty sequence has one.</param>
    /// <returns>The total; zero in <paramref name="currency"/> when <paramref name="values"/> is empty.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    /// <exception cref="CurrencyMismatchException">An amount is in another currency (<see cref="CurrencyMismatchException.Expected"/> is <paramref name="currency"/>).</exception>
    /// <exception cref="OverflowException">The total is outside the range of <see cref="decimal"/>.</exception>
    public static Money Sum(IEnumerable<Money> values, Currency currency)
    {
        Preconditions.NotNull(values);
        switch (values)
        {
            case Money[] array:
                return Sum(new ReadOnlySpan<Money>(array), currency);
            case List<Money> list:
                return Sum(CollectionsMarshal.AsSpan(list), currency);
        }

        var total = 0m;
        foreach (var value in values)
        {
            total += value.AmountIn(currency);
        }

        return new Money(total, currency);
    }

    /// <summary>Adds up amounts that must all be in <paramref name="currency"/>, without allocating.</summary>
    /// <param name="values">The amounts.</param>
    /// <param name="currency">The currency of every amount and of the result.</param>
    /// <returns>The total; zero in <paramref name="currency"/> when <paramref name="values"/> is empty.</returns>
    /// <exception cref="CurrencyMismatchException">An amount is in another currency (<see cref="CurrencyMismatchException.Expected"/> is <paramref name="currency"/>).</exception>
    /// <exception cref="OverflowException">The total is outside the range of <see cref="decimal"/>.</exception>
    public static Money Sum(ReadOnlySpan<Money> values, Currency currency)
    {
        var total = 0m;
        foreach (ref readonly var value in values)
        {
            total += value.AmountIn(currency);
        }

        return new Money(total, currency);
    }

    /// <summary>Adds an amount in the same currency; the same as <c>this + other</c>.</summary>
    /// <param name="other">The amount to add.</param>
    /// <returns>The sum, in this currency.</returns>
    /// <exception cref="CurrencyMismatchException"><paramref name="other"/> is in another currency.</exception>
    /// <exception cref="OverflowException">The result is outside the range of <see cref="decimal"/>.</exception>
    public Money Add(Money other) => new(_amount + other.AmountIn(_currency), _currency);

    /// <summary>Subtracts an amount in the same currency; the same as <c>this - other</c>.</summary>
    /// <param name="other">The amount to subtract.</param>
    /// <returns>The difference, in this currency.</returns>
    /// <exception cref="CurrencyMismatchException"><paramref name="other"/> is in another currency.</exception>
    /// <exception cref="OverflowException">The result is outside the range of <see cref="decimal"/>.</exception>
    public Money Subtract(Money other) => new(_amount - other.AmountIn(_currency), _currency);

    /// <summary>
    /// Multiplies the amount by a plain number (a quantity, a rate, a share); the same as <c>this * factor</c>.
    /// The result is exact and not rounded: call <see cref="Round"/> when you need whole minor units.
    /// </summary>
    /// <param name="factor">The number to multiply by.</param>
    /// <returns>The product, in this currency.</returns>
    /// <exception cref="OverflowException">The result is outside the range of <see cref="decimal"/>.</exception>
    public Money Multiply(decimal factor) => new(_amount * factor, _currency);

    /// <summary>
    /// Divides the amount by a plain number; the same as <c>this / divisor</c>. The result is not rounded
    /// (10 EUR / 3 is 3.3333… EUR): to split an amount into parts that add up, use <see cref="Allocate"/>.
    /// </summary>
    /// <param name="divisor">The number to divide by; not zero.</param>
    /// <returns>The quotient, in this currency.</returns>
    /// <exception cref="ArgumentException"><paramref name="divisor"/> is zero.</exception>
    /// <exception cref="OverflowException">The result is outside the range of <see cref="decimal"/>.</exception>
    public Money Divide(decimal divisor)
    {
        Preconditions.Check(divisor != 0m, "An amount of money cannot be divided by zero.", nameof(divisor));
        return new Money(_amount / divisor, _currency);
    }

    /// <summary>The amount with its sign reversed (a refund for a charge); the same as <c>-this</c>.</summary>
    /// <returns>The negated amount, in this currency.</returns>
    public Money Negate() => new(-_amount, _currency);

    /// <summary>The amount without its sign.</summary>
    /// <returns>The absolute amount, in this currency.</returns>
    public Money Abs() => new(Math.Abs(_amount), _currency);

    /// <summary>
    /// Rounds the amount to the currency's <see cref="Currency.MinorUnits"/> (cents for EUR, whole yen for
    /// JPY, fils for BHD), e.g. before showing, booking or comparing with a bank statement.
    /// </summary>
    /// <param name="mode">
    /// How to round a value exactly half-way between two minor units. The default,
    /// <see cref="MidpointRounding.ToEven"/> (banker's rounding), is the default of <see cref="decimal.Round(decimal, int)"/>
    /// and is unbiased: over many roundings the half-units go up as often as down, so totals and metrics
    /// built from rounded amounts do not drift. Pass <see cref="MidpointRounding.AwayFromZero"/> where an
    /// invoicing or tax rule asks for commercial rounding. The directed modes (e.g.
    /// <see cref="MidpointRounding.ToZero"/>) round every value, not just midpoints, in that direction.
    /// </param>
    /// <returns>
    /// The rounded amount, with exactly <see cref="Currency.MinorUnits"/> decimals (12 EUR becomes 12.00 EUR),
    /// or fewer for amounts so large that <see cref="decimal"/> cannot hold the extra digits.
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="mode"/> is not a defined <see cref="MidpointRounding"/> value.</exception>
    public Money Round(MidpointRounding mode = MidpointRounding.ToEven)
    {
        Preconditions.Defined(mode);
        var minorUnits = _currency.MinorUnits;
        return new Money(WithMinorUnits(decimal.Round(_amount, minorUnits, mode), minorUnits), _currency);
    }

    /// <summary>
    /// Splits the amount into <paramref name="parts"/> amounts in whole minor units that add up exactly to the
    /// amount rounded with <see cref="Round"/>: e.g. a discount spread over order lines, or a campaign's cost
    /// over the contacts it reached. 10.00 EUR in 3 parts is 3.34, 3.33, 3.33.
    /// </summary>
    /// <param name="parts">How many parts; at least 1.</param>
    /// <returns>
    /// <paramref name="parts"/> amounts, each with exactly <see cref="Currency.MinorUnits"/> decimals, that differ
    /// by at most one minor unit. The minor units left over after an even split go one each to the first
    /// parts (for a negative amount, the first parts are the more negative ones).
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parts"/> is less than 1.</exception>
    public Money[] Allocate(int parts)
    {
        Preconditions.Positive(parts, "An amount of money is allocated into at least one part.");
        var minorUnits = _currency.MinorUnits;
        var unit = MinorUnit[minorUnits];
        var total = Round()._amount;

        // All exact in decimal: the remainder has the sign of the total and is less than one unit per part,
        // and total - remainder is a whole number of units per part. Nothing here scales the total up, so
        // no amount that decimal can hold overflows.
        var remainder = total % (parts * unit);
        var share = WithMinorUnits((total - remainder) / parts, minorUnits);
        var extraUnits = (int)Math.Abs(remainder / unit);
        var larger = WithMinorUnits(share + (remainder < 0m ? -unit : unit), minorUnits);

        var result = new Money[parts];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new Money(i < extraUnits ? larger : share, _currency);
        }

        return result;
    }

    /// <summary>
    /// Orders two amounts in the same currency by amount, e.g. to find the largest purchase. Use it only
    /// within one currency; convert first to compare across currencies.
    /// </summary>
    /// <param name="other">An amount in the same currency.</param>
    /// <returns>Less than zero, zero or more than zero as this amount is smaller than, equal to or larger than <paramref name="other"/>.</returns>
    /// <exception cref="CurrencyMismatchException"><paramref name="other"/> is in another currency.</exception>
    public int CompareTo(Money other) => _amount.CompareTo(other.AmountIn(_currency));

    /// <summary>
    /// Two amounts are equal when they have the same currency and numerically equal amounts, whatever
    /// their scale (<c>1.0 EUR</c> equals <c>1.00 EUR</c>). Amounts in different currencies are never equal;
    /// this never throws.
    /// </summary>
    /// <param name="other">The amount to compare with.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public bool Equals(Money other) => _currency == other._currency && _amount == other._amount;

    /// <inheritdoc cref="Equals(Money)"/>
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is Money other && Equals(other);

    /// <summary>A hash code consistent with <see cref="Equals(Money)"/>: equal amounts of any scale hash alike.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(_amount, _currency);

    /// <summary>
    /// The culture-invariant text form: the amount with all its decimals, one space and the currency code,
    /// e.g. <c>"12.340 EUR"</c> or <c>"-5 JPY"</c>. <see cref="Parse(string)"/> reads it back exactly.
    /// </summary>
    /// <returns>The text form.</returns>
    public override string ToString() => ToString(null, null);

    /// <summary>
    /// Formats the amount with a <see cref="decimal"/> format and culture, followed by one space and the
    /// currency code, e.g. <c>ToString("N2", de)</c> gives <c>"1.234,50 EUR"</c>. For display only: only the
    /// default form (<see cref="ToString()"/>) can be parsed back.
    /// </summary>
    /// <param name="format">A standard or custom <see cref="decimal"/> format; null or empty keeps all decimals.</param>
    /// <param name="formatProvider">The culture; null means the invariant culture (not the current one), so that interpolating a <see cref="Money"/> gives the same text as <see cref="ToString()"/>.</param>
    /// <returns>The formatted amount and code.</returns>
    /// <exception cref="FormatException"><paramref name="format"/> is not a valid <see cref="decimal"/> format.</exception>
    public string ToString(string? format, IFormatProvider? formatProvider)
    {
        Span<char> buffer = stackalloc char[64];
        return TryFormat(buffer, out var written, format, formatProvider)
            ? new string(buffer[..written])
            : string.Concat(_amount.ToString(format, formatProvider ?? CultureInfo.InvariantCulture), " ", _currency.Code);
    }

    /// <summary>Writes the same text as <see cref="ToString(string?, IFormatProvider?)"/> into a buffer, without allocating.</summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="charsWritten">How many characters were written.</param>
    /// <param name="format">A <see cref="decimal"/> format; empty keeps all decimals.</param>
    /// <param name="provider">The culture; null means the invariant culture.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small.</returns>
    /// <exception cref="FormatException"><paramref name="format"/> is not a valid <see cref="decimal"/> format.</exception>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        var code = _currency.Code;
        if (_amount.TryFormat(destination, out var written, format, provider ?? CultureInfo.InvariantCulture)
            && destination.Length - written >= 1 + code.Length)
        {
            destination[written] = ' ';
            code.CopyTo(destination[(written + 1)..]);
            charsWritten = written + 1 + code.Length;
            return true;
        }

        charsWritten = 0;
        return false;
    }

    /// <summary>
    /// Reads the text form written by <see cref="ToString()"/>: an optional minus sign, digits, optionally a
    /// point and more digits, one space and an upper-case ISO 4217 code, e.g. <c>"-12.340 EUR"</c>. The
    /// amount keeps its scale. Nothing else is accepted: no plus sign, group separators, exponent, other
    /// white space or lower-case code.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <returns>The amount.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException">The text is not in that form, the code is unknown, or the amount is outside the range of <see cref="decimal"/>.</exception>
    public static Money Parse(string text)
    {
        Preconditions.NotNull(text);
        return ParseCore(text);
    }

    /// <summary>Tries to read the text form written by <see cref="ToString()"/>; see <see cref="Parse(string)"/> for the exact form.</summary>
    /// <param name="text">The text; null gives <see langword="false"/>.</param>
    /// <param name="result">The amount, or <c>default(Money)</c> when the text is not valid.</param>
    /// <returns><see langword="true"/> when the text was read.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out Money result) => TryParseCore(text, out result);

    /// <summary>Reads the text form written by <see cref="ToString()"/>; the provider is ignored because the form is culture-invariant.</summary>
    /// <param name="s">The text.</param>
    /// <param name="provider">Ignored.</param>
    /// <returns>The amount.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is null.</exception>
    /// <exception cref="FormatException">The text is not in the form described at <see cref="Parse(string)"/>.</exception>
    public static Money Parse(string s, IFormatProvider? provider)
    {
        Preconditions.NotNull(s);
        return ParseCore(s);
    }

    /// <inheritdoc cref="Parse(string, IFormatProvider?)"/>
    public static Money Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => ParseCore(s);

    /// <summary>Tries to read the text form written by <see cref="ToString()"/>; the provider is ignored because the form is culture-invariant.</summary>
    /// <param name="s">The text; null gives <see langword="false"/>.</param>
    /// <param name="provider">Ignored.</param>
    /// <param name="result">The amount, or <c>default(Money)</c> when the text is not valid.</param>
    /// <returns><see langword="true"/> when the text was read.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out Money result) => TryParseCore(s, out result);

    /// <inheritdoc cref="TryParse(string?, IFormatProvider?, out Money)"/>
    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out Money result) => TryParseCore(s, out result);

    /// <summary>Adds two amounts in the same currency.</summary>
    /// <param name="left">The first amount.</param>
    /// <param name="right">The second amount, in the same currency.</param>
    /// <returns>The sum.</returns>
    /// <exception cref="CurrencyMismatchException">The currencies differ.</exception>
    /// <exception cref="OverflowException">The result is outside the range of <see cref="decimal"/>.</exception>
    public static Money operator +(Money left, Money right) => left.Add(right);

    /// <summary>Subtracts an amount in the same currency.</summary>
    /// <param name="left">The amount to subtract from.</param>
    /// <param name="right">The amount to subtract, in the same currency.</param>
    /// <returns>The difference.</returns>
    /// <exception cref="CurrencyMismatchException">The currencies differ.</exception>
    /// <exception cref="OverflowException">The result is outside the range of <see cref="decimal"/>.</exception>
    public static Money operator -(Money left, Money right) => left.Subtract(right);

    /// <summary>Reverses the sign of an amount.</summary>
    /// <param name="money">The amount.</param>
    /// <returns>The negated amount.</returns>
    public static Money operator -(Money money) => money.Negate();

    /// <summary>Multiplies an amount by a plain number; exact, not rounded.</summary>
    /// <param name="money">The amount.</param>
    /// <param name="factor">The number.</param>
    /// <returns>The product.</returns>
    /// <exception cref="OverflowException">The result is outside the range of <see cref="decimal"/>.</exception>
    public static Money operator *(Money money, decimal factor) => money.Multiply(factor);

    /// <inheritdoc cref="operator *(Money, decimal)"/>
    public static Money operator *(decimal factor, Money money) => money.Multiply(factor);

    /// <summary>Divides an amount by a plain number; not rounded (use <see cref="Allocate"/> to split).</summary>
    /// <param name="money">The amount.</param>
    /// <param name="divisor">The number; not zero.</param>
    /// <returns>The quotient.</returns>
    /// <exception cref="ArgumentException"><paramref name="divisor"/> is zero.</exception>
    /// <exception cref="OverflowException">The result is outside the range of <see cref="decimal"/>.</exception>
    public static Money operator /(Money money, decimal divisor) => money.Divide(divisor);

    /// <summary>Whether two amounts have the same currency and equal amounts; never throws.</summary>
    /// <param name="left">The first amount.</param>
    /// <param name="right">The second amount.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public static bool operator ==(Money left, Money right) => left.Equals(right);

    /// <summary>Whether two amounts differ in currency or amount; never throws.</summary>
    /// <param name="left">The first amount.</param>
    /// <param name="right">The second amount.</param>
    /// <returns><see langword="true"/> when not equal.</returns>
    public static bool operator !=(Money left, Money right) => !left.Equals(right);

    /// <summary>Whether an amount is smaller than another in the same currency.</summary>
    /// <param name="left">The first amount.</param>
    /// <param name="right">The second amount, in the same currency.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is smaller.</returns>
    /// <exception cref="CurrencyMismatchException">The currencies differ.</exception>
    public static bool operator <(Money left, Money right) => left.CompareTo(right) < 0;

    /// <summary>Whether an amount is larger than another in the same currency.</summary>
    /// <param name="left">The first amount.</param>
    /// <param name="right">The second amount, in the same currency.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is larger.</returns>
    /// <exception cref="CurrencyMismatchException">The currencies differ.</exception>
    public static bool operator >(Money left, Money right) => left.CompareTo(right) > 0;

    /// <summary>Whether an amount is smaller than or equal to another in the same currency.</summary>
    /// <param name="left">The first amount.</param>
    /// <param name="right">The second amount, in the same currency.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is not larger.</returns>
    /// <exception cref="CurrencyMismatchException">The currencies differ.</exception>
    public static bool operator <=(Money left, Money right) => left.CompareTo(right) <= 0;

    /// <summary>Whether an amount is larger than or equal to another in the same currency.</summary>
    /// <param name="left">The first amount.</param>
    /// <param name="right">The second amount, in the same currency.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is not smaller.</returns>
    /// <exception cref="CurrencyMismatchException">The currencies differ.</exception>
    public static bool operator >=(Money left, Money right) => left.CompareTo(right) >= 0;

    /// <summary>The amount, after checking that it is in <paramref name="expected"/>.</summary>
    private decimal AmountIn(Currency expected)
    {
        if (_currency != expected)
        {
            ThrowCurrencyMismatch(expected, _currency);
        }

        return _amount;
    }

    [DoesNotReturn]
    private static void ThrowCurrencyMismatch(Currency expected, Currency actual)
        => throw new CurrencyMismatchException(expected, actual);

    /// <summary>Gives an amount already rounded to <paramref name="minorUnits"/> exactly that many decimals (when decimal can hold them).</summary>
    private static decimal WithMinorUnits(decimal rounded, int minorUnits) => rounded + ZeroWithScale[minorUnits];

    private static Money ParseCore(ReadOnlySpan<char> text)
        => TryParseCore(text, out var result)
            ? result
            : throw new FormatException(
                "The text is not an amount of money: expected an invariant-culture decimal, one space and an upper-case ISO 4217 code, e.g. \"-12.34 EUR\".");

    private static bool TryParseCore(ReadOnlySpan<char> text, out Money result)
    {
        // "<amount> <CODE>": the code is the last three characters, after exactly one space.
        if (text.Length >= 5
            && text[^4] == ' '
            && IsPlainDecimal(text[..^4])
            && AllInRange(text[^3..], 'A', 'Z')
            && Currency.TryFromCodeExact(text[^3..], out var currency)
            && decimal.TryParse(
                text[..^4],
                NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
                CultureInfo.InvariantCulture,
                out var amount))
        {
            result = new Money(amount, currency);
            return true;
        }

        result = default;
        return false;
    }

    /// <summary>Whether the text is <c>-?[0-9]+(\.[0-9]+)?</c>, the only form <see cref="decimal"/> writes in the invariant culture.</summary>
    private static bool IsPlainDecimal(ReadOnlySpan<char> text)
    {
        if (!text.IsEmpty && text[0] == '-')
        {
            text = text[1..];
        }

        var point = text.IndexOf('.');
        var whole = point < 0 ? text : text[..point];
        var fraction = point < 0 ? "0" : text[(point + 1)..];
        return !whole.IsEmpty
            && !fraction.IsEmpty
            && AllInRange(whole, '0', '9')
            && AllInRange(fraction, '0', '9');
    }

    /// <summary>Whether every character is in <paramref name="low"/>..<paramref name="high"/>; a plain loop that never allocates.</summary>
    private static bool AllInRange(ReadOnlySpan<char> text, char low, char high)
    {
        foreach (var c in text)
        {
            if (c < low || c > high)
            {
                return false;
            }
        }

        return true;
    }
}

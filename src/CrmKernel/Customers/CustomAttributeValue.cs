using System.Globalization;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using NodaTime;
using NodaTime.Text;

namespace CrmKernel.Customers;

/// <summary>
/// A typed value of a host-defined customer attribute (loyalty tier, credit limit, opted-in date…). Use
/// the factory for the type you mean; read it back with the matching <c>As…</c> method. Values of
/// different types are never equal, so a number is never silently read as text.
/// </summary>
public sealed class CustomAttributeValue : IEquatable<CustomAttributeValue>
{
    /// <summary>The longest text value accepted.</summary>
    public const int MaxTextLength = 2000;

    private readonly string? _text;
    private readonly decimal _number;
    private readonly LocalDate _date;
    private readonly Instant _instant;
    private readonly Currency _currency;

    private CustomAttributeValue(CustomAttributeType type, string? text = null, decimal number = 0, LocalDate date = default, Instant instant = default, Currency currency = default)
    {
        Type = type;
        _text = text;
        _number = number;
        _date = date;
        _instant = instant;
        _currency = currency;
    }

    /// <summary>The type of the value.</summary>
    public CustomAttributeType Type { get; }

    /// <summary>A text value; it is kept as given (not trimmed).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException">The text is longer than <see cref="MaxTextLength"/>.</exception>
    public static CustomAttributeValue FromText(string value)
    {
        Preconditions.NotNull(value);
        Preconditions.MaxLength(value, MaxTextLength);
        return new(CustomAttributeType.Text, text: value);
    }

    /// <summary>A decimal number value.</summary>
    public static CustomAttributeValue FromNumber(decimal value) => new(CustomAttributeType.Number, number: value);

    /// <summary>A boolean value.</summary>
    public static CustomAttributeValue FromBoolean(bool value) => new(CustomAttributeType.Boolean, number: value ? 1 : 0);

    /// <summary>A calendar date value (ISO calendar).</summary>
    /// <exception cref="ArgumentException">The date is not in the ISO calendar.</exception>
    public static CustomAttributeValue FromDate(LocalDate value)
    {
        Preconditions.Check(value.Calendar == CalendarSystem.Iso, "Dates must be in the ISO calendar.", nameof(value));
        return new(CustomAttributeType.Date, date: value);
    }

    /// <summary>A point-in-time value.</summary>
    public static CustomAttributeValue FromInstant(Instant value) => new(CustomAttributeType.Instant, instant: value);

    /// <summary>An amount of money, such as a credit limit.</summary>
    public static CustomAttributeValue FromMoney(Money value) => new(CustomAttributeType.Money, number: value.Amount, currency: value.Currency);

    /// <summary>The text value.</summary>
    /// <exception cref="InvalidOperationException">The value is not <see cref="CustomAttributeType.Text"/>.</exception>
    public string AsText() => Type == CustomAttributeType.Text ? _text! : throw WrongType(CustomAttributeType.Text);

    /// <summary>The number value.</summary>
    /// <exception cref="InvalidOperationException">The value is not <see cref="CustomAttributeType.Number"/>.</exception>
    public decimal AsNumber() => Type == CustomAttributeType.Number ? _number : throw WrongType(CustomAttributeType.Number);

    /// <summary>The boolean value.</summary>
    /// <exception cref="InvalidOperationException">The value is not <see cref="CustomAttributeType.Boolean"/>.</exception>
    public bool AsBoolean() => Type == CustomAttributeType.Boolean ? _number != 0 : throw WrongType(CustomAttributeType.Boolean);

    /// <summary>The date value.</summary>
    /// <exception cref="InvalidOperationException">The value is not <see cref="CustomAttributeType.Date"/>.</exception>
    public LocalDate AsDate() => Type == CustomAttributeType.Date ? _date : throw WrongType(CustomAttributeType.Date);

    /// <summary>The instant value.</summary>
    /// <exception cref="InvalidOperationException">The value is not <see cref="CustomAttributeType.Instant"/>.</exception>
    public Instant AsInstant() => Type == CustomAttributeType.Instant ? _instant : throw WrongType(CustomAttributeType.Instant);

    /// <summary>The money value.</summary>
    /// <exception cref="InvalidOperationException">The value is not <see cref="CustomAttributeType.Money"/>.</exception>
    public Money AsMoney() => Type == CustomAttributeType.Money ? new Money(_number, _currency) : throw WrongType(CustomAttributeType.Money);

    /// <summary>
    /// The invariant text form of the value, which <see cref="Parse(CustomAttributeType, string)"/> reads back:
    /// text as is, numbers in invariant culture, <c>true</c>/<c>false</c>, ISO dates (<c>uuuu-MM-dd</c>), instants (extended ISO)
    /// and money as <c>12.34 EUR</c>.
    /// Stores use it with <see cref="Type"/> to keep a value in one text column.
    /// </summary>
    public string ToInvariantString() => Type switch
    {
        CustomAttributeType.Text => _text!,
        CustomAttributeType.Number => _number.ToString(CultureInfo.InvariantCulture),
        CustomAttributeType.Boolean => _number != 0 ? "true" : "false",
        CustomAttributeType.Date => LocalDatePattern.Iso.Format(_date),
        CustomAttributeType.Instant => InstantPattern.ExtendedIso.Format(_instant),
        _ => new Money(_number, _currency).ToString(),
    };

    /// <summary>Reads a value written by <see cref="ToInvariantString"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="type"/> is undefined.</exception>
    /// <exception cref="FormatException">The text is not a value of that type.</exception>
    public static CustomAttributeValue Parse(CustomAttributeType type, string text)
    {
        Preconditions.NotNull(text);
        return Preconditions.Defined(type) switch
        {
            CustomAttributeType.Text => text.Length <= MaxTextLength ? FromText(text) : throw new FormatException("The text value is too long."),
            CustomAttributeType.Number => FromNumber(decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture)),
            CustomAttributeType.Boolean => text switch
            {
                "true" => FromBoolean(true),
                "false" => FromBoolean(false),
                _ => throw new FormatException("A boolean attribute is 'true' or 'false'."),
            },
            CustomAttributeType.Date => FromDate(LocalDatePattern.Iso.Parse(text).Value),
            CustomAttributeType.Instant => FromInstant(InstantPattern.ExtendedIso.Parse(text).Value),
            _ => FromMoney(Money.Parse(text)),
        };
    }

    /// <inheritdoc />
    public bool Equals(CustomAttributeValue? other)
        => other is not null
           && Type == other.Type
           && string.Equals(_text, other._text, StringComparison.Ordinal)
           && _number == other._number
           && _date == other._date
           && _instant == other._instant
           && _currency == other._currency;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as CustomAttributeValue);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Type, _text is null ? 0 : StringComparer.Ordinal.GetHashCode(_text), _number, _date, _instant, _currency);

    /// <summary>The invariant text form, prefixed by the type, e.g. <c>Number:12.5</c>.</summary>
    public override string ToString() => $"{Type}:{ToInvariantString()}";

    private InvalidOperationException WrongType(CustomAttributeType requested)
        => new($"The attribute holds a {Type} value, not a {requested} value.");
}

using System.Globalization;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Relationships;
using CrmKernel.Touchpoints;
using NodaTime;
using NodaTime.Text;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// How kernel values are written to the database's text columns, and read back. Every value the store
/// keeps as text is encoded here and nowhere else, so the file format is defined in one place.
/// </summary>
internal static class ColumnText
{
    /// <summary>
    /// Instants are written as UTC ISO-8601 with exactly nine fractional digits
    /// (<c>2026-03-01T09:00:00.123456789Z</c>): exact to the nanosecond, readable in any SQLite tool, and for
    /// years 0–9999 text order is time order.
    /// </summary>
    private static readonly InstantPattern InstantWritePattern =
        InstantPattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffff'Z'");

    /// <summary>
    /// A text that sorts after every instant written by <see cref="OfInstant(Instant)"/> (they start with a digit;
    /// <c>~</c> is above every digit), used as the upper bound of an open period.
    /// </summary>
    public const string AfterEveryInstant = "~";

    /// <summary>
    /// The earliest instant whose text sorts in time order: the start of ISO year 0. Earlier years are written with a
    /// minus sign (<c>-0001-…</c>), whose text order is not time order, so they cannot be a key of an ordered index.
    /// </summary>
    public static readonly Instant EarliestOrderedInstant = Instant.FromUtc(0, 1, 1, 0, 0);

    /// <summary>A customer id in its kernel text form: the GUID's lower-case "D" format, whose text order is the ids' order.</summary>
    public static string OfId(CustomerId id) => id.ToString();

    /// <summary>A touchpoint id in lower-case "D" format, whose text order is <see cref="TouchpointId.CompareTo(TouchpointId)"/> order.</summary>
    public static string OfId(TouchpointId id) => id.ToString();

    /// <summary>A relationship id in lower-case "D" format, whose text order is <see cref="RelationshipId.CompareTo(RelationshipId)"/> order.</summary>
    public static string OfId(RelationshipId id) => id.ToString();

    /// <summary>An event id in lower-case "D" format.</summary>
    public static string OfEventId(Guid id) => id.ToString("D", CultureInfo.InvariantCulture);

    /// <summary>Reads an event id written by <see cref="OfEventId(Guid)"/>.</summary>
    public static bool TryParseEventId(string text, out Guid id)
        => Guid.TryParseExact(text, "D", out id) && id != Guid.Empty;

    /// <summary>An instant with all nine fractional digits.</summary>
    public static string OfInstant(Instant instant) => InstantWritePattern.Format(instant);

    /// <summary>Reads an instant; any extended ISO-8601 UTC text is accepted, so hand-written values with fewer digits read too.</summary>
    public static bool TryParseInstant(string text, out Instant instant)
    {
        var result = InstantPattern.ExtendedIso.Parse(text);
        instant = result.Success ? result.Value : default;
        return result.Success;
    }

    /// <summary>A calendar date as <c>uuuu-MM-dd</c>.</summary>
    public static string OfDate(LocalDate date) => LocalDatePattern.Iso.Format(date);

    /// <summary>Reads a date written by <see cref="OfDate(LocalDate)"/>.</summary>
    public static bool TryParseDate(string text, out LocalDate date)
    {
        var result = LocalDatePattern.Iso.Parse(text);
        date = result.Success ? result.Value : default;
        return result.Success;
    }

    /// <summary>The stored name of a party kind.</summary>
    public static string OfPartyKind(PartyKind kind) => kind switch
    {
        PartyKind.Person => "person",
        PartyKind.Organization => "organization",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "The party kind is not one the store knows."),
    };

    /// <summary>Reads a stored party kind name.</summary>
    public static bool TryParsePartyKind(string text, out PartyKind kind)
    {
        kind = text switch
        {
            "person" => PartyKind.Person,
            "organization" => PartyKind.Organization,
            _ => default,
        };
        return kind != default;
    }

    /// <summary>The stored name of a contact point kind.</summary>
    public static string OfContactPointKind(ContactPointKind kind) => kind switch
    {
        ContactPointKind.Email => "email",
        ContactPointKind.Phone => "phone",
        ContactPointKind.PostalAddress => "postal_address",
        ContactPointKind.SocialHandle => "social_handle",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "The contact point kind is not one the store knows."),
    };

    /// <summary>Reads a stored contact point kind name.</summary>
    public static bool TryParseContactPointKind(string text, out ContactPointKind kind)
    {
        kind = text switch
        {
            "email" => ContactPointKind.Email,
            "phone" => ContactPointKind.Phone,
            "postal_address" => ContactPointKind.PostalAddress,
            "social_handle" => ContactPointKind.SocialHandle,
            _ => default,
        };
        return kind != default;
    }

    /// <summary>The stored name of a custom attribute type.</summary>
    public static string OfAttributeType(CustomAttributeType type) => type switch
    {
        CustomAttributeType.Text => "text",
        CustomAttributeType.Number => "number",
        CustomAttributeType.Boolean => "boolean",
        CustomAttributeType.Date => "date",
        CustomAttributeType.Instant => "instant",
        CustomAttributeType.Money => "money",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "The attribute type is not one the store knows."),
    };

    /// <summary>Reads a stored custom attribute type name.</summary>
    public static bool TryParseAttributeType(string text, out CustomAttributeType type)
    {
        type = text switch
        {
            "text" => CustomAttributeType.Text,
            "number" => CustomAttributeType.Number,
            "boolean" => CustomAttributeType.Boolean,
            "date" => CustomAttributeType.Date,
            "instant" => CustomAttributeType.Instant,
            "money" => CustomAttributeType.Money,
            _ => default,
        };
        return type != default;
    }

    /// <summary>The stored name of an interaction direction.</summary>
    public static string OfDirection(InteractionDirection direction) => direction switch
    {
        InteractionDirection.Inbound => "inbound",
        InteractionDirection.Outbound => "outbound",
        _ => throw new ArgumentOutOfRangeException(nameof(direction), direction, "The direction is not one the store knows."),
    };

    /// <summary>Reads a stored interaction direction name.</summary>
    public static bool TryParseDirection(string text, out InteractionDirection direction)
    {
        direction = text switch
        {
            "inbound" => InteractionDirection.Inbound,
            "outbound" => InteractionDirection.Outbound,
            _ => default,
        };
        return direction != default;
    }

    /// <summary>The stored name of a CRM function.</summary>
    public static string OfFunction(CrmFunction function) => function switch
    {
        CrmFunction.Marketing => "marketing",
        CrmFunction.Sales => "sales",
        CrmFunction.Service => "service",
        CrmFunction.Innovation => "innovation",
        _ => throw new ArgumentOutOfRangeException(nameof(function), function, "The CRM function is not one the store knows."),
    };

    /// <summary>Reads a stored CRM function name.</summary>
    public static bool TryParseFunction(string text, out CrmFunction function)
    {
        function = text switch
        {
            "marketing" => CrmFunction.Marketing,
            "sales" => CrmFunction.Sales,
            "service" => CrmFunction.Service,
            "innovation" => CrmFunction.Innovation,
            _ => default,
        };
        return function != default;
    }

    /// <summary>The stored name of a satisfaction scale.</summary>
    public static string OfSatisfactionScale(SatisfactionScale scale) => scale switch
    {
        SatisfactionScale.Csat => "csat",
        SatisfactionScale.Nps => "nps",
        SatisfactionScale.Ces => "ces",
        SatisfactionScale.Ces2 => "ces2",
        _ => throw new ArgumentOutOfRangeException(nameof(scale), scale, "The satisfaction scale is not one the store knows."),
    };

    /// <summary>Reads a stored satisfaction scale name.</summary>
    public static bool TryParseSatisfactionScale(string text, out SatisfactionScale scale)
    {
        scale = text switch
        {
            "csat" => SatisfactionScale.Csat,
            "nps" => SatisfactionScale.Nps,
            "ces" => SatisfactionScale.Ces,
            "ces2" => SatisfactionScale.Ces2,
            _ => default,
        };
        return scale != default;
    }

    /// <summary>The stored name of a relationship category.</summary>
    public static string OfCategory(RelationshipCategory category) => category switch
    {
        RelationshipCategory.Business => "business",
        RelationshipCategory.Family => "family",
        RelationshipCategory.Social => "social",
        RelationshipCategory.Commercial => "commercial",
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, "The relationship category is not one the store knows."),
    };

    /// <summary>Reads a stored relationship category name.</summary>
    public static bool TryParseCategory(string text, out RelationshipCategory category)
    {
        category = text switch
        {
            "business" => RelationshipCategory.Business,
            "family" => RelationshipCategory.Family,
            "social" => RelationshipCategory.Social,
            "commercial" => RelationshipCategory.Commercial,
            _ => default,
        };
        return category != default;
    }

    /// <summary>
    /// A decimal (a sentiment, an amount of money) in invariant culture with every digit and its scale, e.g.
    /// <c>12.50</c>: exact, where a REAL column would round.
    /// </summary>
    public static string OfDecimal(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads a decimal written by <see cref="OfDecimal(decimal)"/>: an optional minus sign, digits and an optional point; nothing else.</summary>
    public static bool TryParseDecimal(string text, out decimal value)
        => decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value)
           && !text.StartsWith('+');

    /// <summary>Reads an amount of money from its two columns (the amount as <see cref="OfDecimal(decimal)"/>, the upper-case ISO 4217 code).</summary>
    public static bool TryParseMoney(string amount, string currency, out Money money)
        => Money.TryParse(string.Concat(amount, " ", currency), out money);
}

using System.Globalization;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Primitives;
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

    /// <summary>A customer id in its kernel text form: the GUID's lower-case "D" format, whose text order is the ids' order.</summary>
    public static string OfId(CustomerId id) => id.ToString();

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
}

using CrmKernel.Customers;
using NodaTime;

namespace CrmKernel.Services.Import;

/// <summary>
/// Which column of an import source holds what: the customer's key in its source system (required), its names, email,
/// phone, tags and custom attributes, and optionally a touchpoint per row. Give <see cref="CustomerImporter"/> one mapping
/// per source layout; leave a property null when the source has no such column.
/// </summary>
/// <remarks>
/// A row is an organisation when <see cref="OrganizationNameColumn"/> is mapped and non-empty, otherwise a person (given
/// and/or family name). The customer is stored with the external identifier <see cref="SourceSystem"/>:<i>key</i>, which
/// is what makes re-running an import change nothing. A row with a non-empty <see cref="TouchpointKeyColumn"/> also
/// records a touchpoint for its customer under the source key <see cref="EffectiveTouchpointSourceSystem"/>:<i>key</i>.
/// </remarks>
public sealed class ImportMapping
{
    /// <summary>The source system the customer keys belong to (e.g. <c>webshop</c>): the source of the customers' external identifiers.</summary>
    public required string SourceSystem { get; init; }

    /// <summary>The column holding each customer's key in <see cref="SourceSystem"/> (required in every row).</summary>
    public required string CustomerKeyColumn { get; init; }

    /// <summary>The column holding a person's given name.</summary>
    public string? GivenNameColumn { get; init; }

    /// <summary>The column holding a person's family name.</summary>
    public string? FamilyNameColumn { get; init; }

    /// <summary>The column holding an organisation's legal name; a row with a value here is an organisation.</summary>
    public string? OrganizationNameColumn { get; init; }

    /// <summary>The column holding an email address, checked by <see cref="ContactPoints.EmailAddress"/>'s rules.</summary>
    public string? EmailColumn { get; init; }

    /// <summary>The column holding a phone number, checked by <see cref="ContactPoints.PhoneNumber"/>'s rules.</summary>
    public string? PhoneColumn { get; init; }

    /// <summary>The region (ISO 3166 alpha-2, e.g. <c>GB</c>) phone numbers without a country code are read in; null requires <c>+</c> numbers.</summary>
    public string? PhoneRegion { get; init; }

    /// <summary>The column holding tags, separated by <see cref="TagSeparator"/>.</summary>
    public string? TagsColumn { get; init; }

    /// <summary>What separates the tags of one cell; <c>;</c> unless set.</summary>
    public char TagSeparator { get; init; } = ';';

    /// <summary>Columns stored as typed custom attributes, in the invariant text form of <see cref="CustomAttributeValue.Parse"/>.</summary>
    public IReadOnlyList<ImportAttributeColumn> AttributeColumns { get; init; } = [];

    /// <summary>The column holding a touchpoint's key in its source system; a row with a value records a touchpoint. Requires the other touchpoint columns.</summary>
    public string? TouchpointKeyColumn { get; init; }

    /// <summary>The source system of touchpoint keys; <see cref="SourceSystem"/> when null.</summary>
    public string? TouchpointSourceSystem { get; init; }

    /// <summary>The column holding the touchpoint's channel id (e.g. <c>email</c>, <c>webshop</c>).</summary>
    public string? ChannelColumn { get; init; }

    /// <summary>The column holding the touchpoint's kind (e.g. <c>purchase</c>).</summary>
    public string? TouchpointKindColumn { get; init; }

    /// <summary>The column holding the CRM function (<c>Marketing</c>, <c>Sales</c>, <c>Service</c>, <c>Innovation</c>; any case).</summary>
    public string? FunctionColumn { get; init; }

    /// <summary>The column holding the direction (<c>Inbound</c> or <c>Outbound</c>; any case).</summary>
    public string? DirectionColumn { get; init; }

    /// <summary>
    /// The column holding when the touchpoint occurred: an ISO instant (<c>2026-03-01T09:30:00Z</c>) or offset date-time
    /// (<c>2026-03-01T10:30:00+01:00</c>); with <see cref="OccurredAtZone"/> set, also a local <c>2026-03-01T10:30:00</c> or <c>2026-03-01 10:30</c> (seconds optional, <c>T</c> or a space) read in that zone.
    /// </summary>
    public string? OccurredAtColumn { get; init; }

    /// <summary>The zone local occurred-at values are read in (earlier offset when ambiguous, shifted forward in a gap); null accepts only instants and offsets.</summary>
    public DateTimeZone? OccurredAtZone { get; init; }

    /// <summary>The column holding the touchpoint's revenue as money text (<c>12.50 EUR</c>).</summary>
    public string? RevenueColumn { get; init; }

    /// <summary>The column holding the touchpoint's cost as money text (<c>0.40 EUR</c>).</summary>
    public string? CostColumn { get; init; }

    /// <summary>The column holding the campaign id the touchpoint belongs to.</summary>
    public string? CampaignColumn { get; init; }

    /// <summary>The source system of touchpoint keys: <see cref="TouchpointSourceSystem"/>, or <see cref="SourceSystem"/> when that is null.</summary>
    public string EffectiveTouchpointSourceSystem => TouchpointSourceSystem ?? SourceSystem;
}

using System.Globalization;
using System.Text.Json;
using CrmKernel.Cases;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Innovation;
using CrmKernel.Primitives;
using CrmKernel.Privacy;
using CrmKernel.Sales;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using NodaTime;
using NodaTime.Text;

namespace CrmKernel.Services.Privacy;

/// <summary>
/// Answers an access request: writes everything the kernel holds about one customer (profile, contact points,
/// identifiers, tags, attributes, consent ledger, lifecycle history, touchpoints, service cases, opportunities,
/// relationships, the ideas, comments, votes and feedback the person gave, the merge records naming the customer and the
/// erasure record, if any) as one JSON document with the schema documented in docs/privacy.md.
/// Touchpoints, cases, opportunities, ideas and feedback are read page by page and written as they arrive, so a customer
/// with a long history is exported in constant memory. The innovation part reads every idea and feedback record of the
/// tenant (a store keeps no index by author), so its cost grows with the tenant's ideas, not the customer's.
/// </summary>
public sealed class PersonalDataExporter
{
    /// <summary>The value of the document's <c>schema</c> property.</summary>
    public const string Schema = "crm-kernel/personal-data-export";

    /// <summary>The value of the document's <c>schemaVersion</c> property; it grows when a property is removed or changes meaning.</summary>
    public const int SchemaVersion = 1;

    private const int PageSize = 500;

    private readonly ICustomerStore _customers;
    private readonly ITouchpointStore _touchpoints;
    private readonly ICaseStore _cases;
    private readonly IOpportunityStore _opportunities;
    private readonly IRelationshipStore _relationships;
    private readonly IClock _clock;
    private readonly ICustomerErasureStore? _erasures;
    private readonly IIdeaStore? _ideas;
    private readonly ICustomerMergeStore? _merges;

    /// <summary>Creates the exporter.</summary>
    /// <param name="customers">Where customers are kept.</param>
    /// <param name="touchpoints">Where touchpoints are kept.</param>
    /// <param name="cases">Where service cases are kept.</param>
    /// <param name="opportunities">Where opportunities are kept.</param>
    /// <param name="relationships">Where relationships are kept.</param>
    /// <param name="clock">Gives the export time.</param>
    /// <param name="erasures">Where erasure records are kept; null to leave the document's <c>erasure</c> null.</param>
    /// <param name="ideas">Where ideas and feedback are kept; null to leave the innovation arrays empty.</param>
    /// <param name="merges">Where merge records are kept; null to leave <c>merges</c> empty.</param>
    /// <exception cref="ArgumentNullException">A store or the clock is null.</exception>
    public PersonalDataExporter(ICustomerStore customers, ITouchpointStore touchpoints, ICaseStore cases, IOpportunityStore opportunities, IRelationshipStore relationships, IClock clock, ICustomerErasureStore? erasures = null, IIdeaStore? ideas = null, ICustomerMergeStore? merges = null)
    {
        _ideas = ideas;
        _merges = merges;
        _customers = Preconditions.NotNull(customers);
        _touchpoints = Preconditions.NotNull(touchpoints);
        _cases = Preconditions.NotNull(cases);
        _opportunities = Preconditions.NotNull(opportunities);
        _relationships = Preconditions.NotNull(relationships);
        _clock = Preconditions.NotNull(clock);
        _erasures = erasures;
    }

    /// <summary>Writes the customer's export document (UTF-8 JSON) to <paramref name="destination"/>, flushing after every page.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
    /// <exception cref="ArgumentException">An id is the default, or the stream cannot be written.</exception>
    /// <exception cref="CustomerNotFoundException">The customer is not stored (<c>CRM-CUSTOMER-010</c>).</exception>
    public async ValueTask ExportAsync(TenantId tenantId, CustomerId customerId, Stream destination, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(customerId);
        Preconditions.NotNull(destination);
        Preconditions.Check(destination.CanWrite, "The stream must be writable.", nameof(destination));
        var customer = await _customers.FindAsync(tenantId, customerId, cancellationToken).ConfigureAwait(false)
            ?? throw new CustomerNotFoundException(tenantId, customerId);
        var erasure = _erasures is null ? null : await _erasures.FindErasureAsync(tenantId, customerId, cancellationToken).ConfigureAwait(false);
        var relationships = await _relationships.ListByPartyAsync(tenantId, customerId, cancellationToken).ConfigureAwait(false);

        await using var w = new Utf8JsonWriter(destination, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("schema", Schema);
        w.WriteNumber("schemaVersion", SchemaVersion);
        WriteInstant(w, "exportedAt", _clock.GetCurrentInstant());
        w.WriteString("tenant", tenantId.Value);
        w.WritePropertyName("customer");
        WriteCustomer(w, customer);
        w.WritePropertyName("erasure");
        WriteErasure(w, erasure);
        w.WriteStartArray("relationships");
        foreach (var r in relationships)
        {
            WriteRelationship(w, r, customerId);
        }

        w.WriteEndArray();
        await w.FlushAsync(cancellationToken).ConfigureAwait(false);

        await WritePagesAsync(w, "touchpoints", _touchpoints.TimelinePagesAsync(tenantId, new TimelineFilter([customerId]), PageSize, cancellationToken), WriteTouchpoint, cancellationToken).ConfigureAwait(false);
        await WritePagesAsync(w, "cases", StorePaging.CasePagesAsync((after, ct) => _cases.PageByCustomerAsync(tenantId, customerId, after, PageSize, ct), PageSize, cancellationToken), WriteCase, cancellationToken).ConfigureAwait(false);
        await WritePagesAsync(w, "opportunities", StorePaging.OpportunityPagesAsync((after, ct) => _opportunities.PageByCustomerAsync(tenantId, customerId, after, PageSize, ct), PageSize, cancellationToken), WriteOpportunity, cancellationToken).ConfigureAwait(false);
        await WriteInnovationAsync(w, tenantId, customerId, cancellationToken).ConfigureAwait(false);
        w.WriteStartArray("merges");
        foreach (var merge in _merges is null ? [] : await _merges.ListMergesByCustomerAsync(tenantId, customerId, cancellationToken).ConfigureAwait(false))
        {
            w.WriteStartObject();
            w.WriteString("id", merge.Id.ToString());
            w.WriteString("survivor", merge.SurvivorId.ToString());
            w.WriteString("merged", merge.MergedId.ToString());
            WriteInstant(w, "mergedAt", merge.MergedAt);
            WriteInstant(w, "unmergedAt", merge.UnmergedAt);
            WriteInstant(w, "erasedAt", merge.ErasedAt);
            w.WritePropertyName("survivorBefore");
            WriteCustomer(w, merge.SurvivorBefore);
            w.WritePropertyName("mergedBefore");
            WriteCustomer(w, merge.MergedBefore);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        await w.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes one array of the document from a store's pages, flushing after every page (constant memory).</summary>
    private static async ValueTask WritePagesAsync<T>(Utf8JsonWriter w, string name, IAsyncEnumerable<IReadOnlyList<T>> pages, Action<Utf8JsonWriter, T> write, CancellationToken cancellationToken)
    {
        w.WriteStartArray(name);
        await foreach (var page in pages.ConfigureAwait(false))
        {
            foreach (var item in page)
            {
                write(w, item);
            }

            await w.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        w.WriteEndArray();
    }

    /// <summary>The ideas the person submitted, their comments and votes on any idea, and their feedback records.</summary>
    private async ValueTask WriteInnovationAsync(Utf8JsonWriter w, TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken)
    {
        var comments = new List<(IdeaId Idea, IdeaComment Comment)>();
        var votes = new List<IdeaVote>();
        w.WriteStartArray("ideas");
        if (_ideas is not null)
        {
            await foreach (var page in _ideas.IdeaPagesAsync(tenantId, PageSize, cancellationToken).ConfigureAwait(false))
            {
                foreach (var idea in page)
                {
                    if (idea.SubmittedBy == customerId)
                    {
                        w.WriteStartObject();
                        w.WriteString("id", idea.Id.ToString());
                        w.WriteString("title", idea.Title);
                        w.WriteString("description", idea.Description);
                        w.WriteString("subject", idea.Subject.Value);
                        w.WriteString("status", idea.Status.ToString());
                        WriteInstant(w, "submittedAt", idea.SubmittedAt);
                        w.WriteEndObject();
                    }

                    foreach (var comment in idea.Comments)
                    {
                        if (comment.Author == customerId)
                        {
                            comments.Add((idea.Id, comment));
                        }
                    }

                    if (await _ideas.FindVoteAsync(tenantId, idea.Id, customerId, cancellationToken).ConfigureAwait(false) is { } vote)
                    {
                        votes.Add(vote);
                    }
                }

                await w.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        w.WriteEndArray();
        w.WriteStartArray("ideaComments");
        foreach (var (idea, comment) in comments)
        {
            w.WriteStartObject();
            w.WriteString("idea", idea.ToString());
            w.WriteString("text", comment.Text);
            WriteInstant(w, "at", comment.At);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("ideaVotes");
        foreach (var vote in votes)
        {
            w.WriteStartObject();
            w.WriteString("idea", vote.Idea.ToString());
            w.WriteString("value", vote.Value.ToString());
            WriteInstant(w, "castAt", vote.CastAt);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("voices");
        if (_ideas is not null)
        {
            await foreach (var page in _ideas.VoicePagesAsync(tenantId, PageSize, cancellationToken).ConfigureAwait(false))
            {
                foreach (var voice in page)
                {
                    if (voice.CustomerId != customerId)
                    {
                        continue;
                    }

                    w.WriteStartObject();
                    w.WriteString("id", voice.Id.ToString());
                    w.WriteString("kind", voice.Kind.ToString());
                    w.WriteString("subject", voice.Subject.Value);
                    w.WriteString("channel", voice.Channel.Value);
                    WriteInstant(w, "occurredAt", voice.OccurredAt);
                    w.WriteString("source", voice.Source.ToString());
                    w.WriteString("title", voice.Title);
                    w.WriteString("text", voice.Text);
                    w.WriteString("idea", voice.Idea?.ToString());
                    w.WriteStartArray("relatedParties");
                    foreach (var party in voice.RelatedParties)
                    {
                        w.WriteStringValue(party.ToString());
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                }

                await w.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        w.WriteEndArray();
    }

    private static void WriteCustomer(Utf8JsonWriter w, CustomerSnapshot c)
    {
        w.WriteStartObject();
        w.WriteString("id", c.Id.ToString());
        w.WriteString("kind", c.Profile.Kind.ToString());
        w.WriteString("displayName", c.Profile.DisplayName);
        w.WritePropertyName("profile");
        WriteProfile(w, c.Profile);
        w.WriteString("homeTimeZone", c.HomeTimeZoneId);
        WriteInstant(w, "createdAt", c.CreatedAt);
        WriteInstant(w, "updatedAt", c.UpdatedAt);
        w.WriteNumber("version", c.Version);
        w.WriteString("lifecycleStage", c.LifecycleStage?.Value);
        w.WriteStartArray("contactPoints");
        foreach (var p in c.ContactPoints)
        {
            w.WriteStartObject();
            w.WriteString("kind", p.Value.Kind.ToString());
            w.WriteString("value", p.Value.NormalizedValue);
            w.WriteBoolean("primary", p.IsPrimary);
            w.WriteString("label", p.Label);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("externalIdentifiers");
        foreach (var identifier in c.ExternalIdentifiers)
        {
            w.WriteStartObject();
            w.WriteString("source", identifier.Source);
            w.WriteString("key", identifier.Key);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("tags");
        foreach (var tag in c.Tags.Order())
        {
            w.WriteStringValue(tag.Value);
        }

        w.WriteEndArray();
        w.WriteStartArray("customAttributes");
        foreach (var (name, value) in c.CustomAttributes.OrderBy(static a => a.Key, StringComparer.Ordinal))
        {
            w.WriteStartObject();
            w.WriteString("name", name);
            w.WriteString("type", value.Type.ToString());
            w.WriteString("value", value.ToInvariantString());
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("consents");
        foreach (var e in c.Consents)
        {
            w.WriteStartObject();
            w.WriteString("purpose", e.Purpose.Value);
            w.WriteString("channel", e.Channel?.Value);
            w.WriteString("contactPointKind", e.ContactPoint?.Kind.ToString());
            w.WriteString("contactPoint", e.ContactPoint?.NormalizedValue);
            w.WriteString("status", e.Status.ToString());
            w.WriteString("basis", e.Basis.ToString());
            w.WriteString("source", e.Source);
            w.WriteString("evidence", e.Evidence);
            WriteInstant(w, "capturedAt", e.CapturedAt);
            WriteInstant(w, "validFrom", e.ValidFrom);
            WriteInstant(w, "validUntil", e.ValidUntil);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("lifecycleHistory");
        foreach (var t in c.LifecycleHistory)
        {
            w.WriteStartObject();
            w.WriteString("from", t.From.Value);
            w.WriteString("to", t.To.Value);
            WriteInstant(w, "at", t.At);
            w.WriteString("rule", t.Rule);
            w.WriteString("cause", t.Cause.ToString());
            w.WriteString("touchpoint", t.TouchpointId?.ToString());
            w.WriteString("command", t.Command);
            w.WriteString("reason", t.Reason);
            w.WriteString("actor", t.Actor);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteProfile(Utf8JsonWriter w, PartyProfile profile)
    {
        w.WriteStartObject();
        switch (profile)
        {
            case PersonProfile p:
                w.WriteString("givenName", p.GivenName);
                w.WriteString("familyName", p.FamilyName);
                w.WriteString("preferredName", p.PreferredName);
                w.WriteString("honorific", p.Honorific);
                w.WriteString("birthDate", p.BirthDate is { } birth ? LocalDatePattern.Iso.Format(birth) : null);
                w.WriteString("preferredLanguage", p.PreferredLanguage);
                w.WriteString("jobTitle", p.JobTitle);
                break;
            case OrganizationProfile o:
                w.WriteString("legalName", o.LegalName);
                w.WriteString("tradingName", o.TradingName);
                w.WriteString("registrationNumber", o.RegistrationNumber);
                w.WriteString("taxId", o.TaxId);
                w.WriteString("industry", o.Industry);
                w.WriteString("website", o.Website?.OriginalString);
                if (o.EmployeeCount is { } employees)
                {
                    w.WriteNumber("employeeCount", employees);
                }
                else
                {
                    w.WriteNull("employeeCount");
                }

                break;
        }

        w.WriteEndObject();
    }

    private static void WriteErasure(Utf8JsonWriter w, ErasureRecord? record)
    {
        if (record is null)
        {
            w.WriteNullValue();
            return;
        }

        w.WriteStartObject();
        WriteInstant(w, "erasedAt", record.ErasedAt);
        w.WriteString("requestedBy", record.RequestedBy);
        w.WriteString("reference", record.Reference);
        w.WriteStartArray("counts");
        foreach (var c in record.Counts)
        {
            w.WriteStartObject();
            w.WriteString("category", c.Category);
            w.WriteNumber("count", c.Count);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteRelationship(Utf8JsonWriter w, CrmKernel.Relationships.Relationship r, CustomerId self)
    {
        var forward = r.From == self;
        w.WriteStartObject();
        w.WriteString("id", r.Id.ToString());
        w.WriteString("type", r.Type.Id);
        w.WriteString("role", forward ? r.Type.ForwardRole : r.Type.ReverseRole);
        w.WriteString("otherParty", (forward ? r.To : r.From).ToString());
        w.WriteBoolean("primary", r.IsPrimary);
        WriteInstant(w, "validFrom", r.ValidFrom);
        WriteInstant(w, "validTo", r.ValidTo);
        w.WriteEndObject();
    }

    private static void WriteTouchpoint(Utf8JsonWriter w, Touchpoint t)
    {
        w.WriteStartObject();
        w.WriteString("id", t.Id.ToString());
        WriteInstant(w, "occurredAt", t.OccurredAt);
        WriteInstant(w, "recordedAt", t.RecordedAt);
        w.WriteString("channel", t.Channel.Value);
        w.WriteString("direction", t.Direction.ToString());
        w.WriteString("function", t.Function.ToString());
        w.WriteString("kind", t.Kind.Value);
        w.WriteString("source", t.Source.ToString());
        w.WriteString("outcome", t.Outcome?.Value);
        w.WriteString("satisfaction", t.Satisfaction?.ToString());
        w.WriteString("sentiment", t.Sentiment?.ToString());
        w.WriteString("cost", t.Cost?.ToString());
        w.WriteString("revenue", t.Revenue?.ToString());
        w.WriteString("campaign", t.CampaignId);
        w.WriteStartArray("products");
        foreach (var product in t.ProductIds)
        {
            w.WriteStringValue(product);
        }

        w.WriteEndArray();
        w.WriteStartArray("participants");
        foreach (var p in t.Participants)
        {
            w.WriteStartObject();
            w.WriteString("role", p.Role);
            w.WriteString("customer", p.CustomerId?.ToString());
            w.WriteString("user", p.UserId);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteCase(Utf8JsonWriter w, ServiceCase c)
    {
        w.WriteStartObject();
        w.WriteString("id", c.Id.ToString());
        w.WriteString("subject", c.Subject);
        w.WriteString("category", c.Category);
        w.WriteString("priority", c.Priority.ToString());
        w.WriteString("status", c.Status.ToString());
        w.WriteString("owner", c.Owner);
        w.WriteBoolean("complaint", c.IsComplaint);
        WriteInstant(w, "openedAt", c.OpenedAt);
        w.WriteString("originTouchpoint", c.OriginTouchpointId?.ToString());
        w.WriteStartArray("history");
        foreach (var change in c.History)
        {
            w.WriteStartObject();
            w.WriteString("from", change.FromStatus?.ToString());
            w.WriteString("to", change.ToStatus.ToString());
            WriteInstant(w, "at", change.At);
            w.WriteString("actor", change.Actor);
            w.WriteString("reason", change.Reason);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("escalations");
        foreach (var e in c.Escalations)
        {
            w.WriteStartObject();
            w.WriteNumber("level", e.Level);
            WriteInstant(w, "at", e.At);
            w.WriteString("actor", e.Actor);
            w.WriteString("reason", e.Reason);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (c.Resolution is { } r)
        {
            w.WriteStartObject("resolution");
            WriteInstant(w, "at", r.At);
            w.WriteString("note", r.Note);
            w.WriteString("satisfaction", r.Satisfaction?.ToString());
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("resolution");
        }

        w.WriteEndObject();
    }

    private static void WriteOpportunity(Utf8JsonWriter w, Opportunity o)
    {
        w.WriteStartObject();
        w.WriteString("id", o.Id.ToString());
        w.WriteString("name", o.Name);
        w.WriteString("pipeline", o.PipelineId.ToString());
        w.WriteString("stage", o.StageKey);
        w.WriteString("status", o.Status.ToString());
        w.WriteString("owner", o.Owner);
        w.WriteString("amount", o.Amount.ToString());
        w.WriteString("expectedClose", LocalDatePattern.Iso.Format(o.ExpectedCloseDate));
        w.WriteStartArray("contactRoles");
        foreach (var role in o.ContactRoles)
        {
            w.WriteStartObject();
            w.WriteString("contact", role.ContactId.ToString());
            w.WriteString("role", role.Role);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("history");
        foreach (var change in o.History)
        {
            w.WriteStartObject();
            w.WriteString("fromStage", change.FromStage);
            w.WriteString("toStage", change.ToStage);
            w.WriteString("toStatus", change.ToStatus.ToString());
            WriteInstant(w, "at", change.At);
            w.WriteString("actor", change.Actor);
            w.WriteString("reason", change.Reason);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteInstant(Utf8JsonWriter w, string name, Instant? value)
    {
        if (value is { } instant)
        {
            w.WriteString(name, InstantPattern.ExtendedIso.Format(instant));
        }
        else
        {
            w.WriteNull(name);
        }
    }
}

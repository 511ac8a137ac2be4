using CrmKernel.Consent;
using CrmKernel.Customers;
using CrmKernel.Lifecycle;
using CrmKernel.Relationships;
using CrmKernel.Touchpoints;
using NodaTime;
using NodaTime.Text;

namespace CrmKernel.Samples.WebApi.Api;

/// <summary>One page of a list, with the cursor of the next page (null on the last).</summary>
internal sealed record Page<T>(IReadOnlyList<T> Items, string? Next);

internal sealed record ExternalIdDto(string System, string Key);

internal sealed record ContactPointDto(string Kind, string Value, string? Label, bool IsPrimary);

internal sealed record CustomerDto(
    string Id, string Kind, string DisplayName, string? GivenName, string? FamilyName, string? LegalName,
    IReadOnlyList<ContactPointDto> ContactPoints, IReadOnlyList<ExternalIdDto> ExternalIds, IReadOnlyList<string> Tags,
    string? HomeTimeZone, string LifecycleStage, string CreatedAt, string UpdatedAt, long Version);

internal sealed record NewCustomerRequest(
    string Kind, string? GivenName = null, string? FamilyName = null, string? LegalName = null, string? Email = null, string? Phone = null, string? PhoneRegion = null,
    ExternalIdDto? ExternalId = null, IReadOnlyList<string>? Tags = null, string? HomeTimeZone = null);

internal sealed record ProfileRequest(string? GivenName = null, string? FamilyName = null, string? LegalName = null, string? HomeTimeZone = null);

internal sealed record ContactPointRequest(string Kind, string Value, string? Region = null, string? Label = null, bool MakePrimary = false);

internal sealed record RelationshipDto(string Id, string Type, string From, string To, string Role, string Other, bool IsPrimary, string ValidFrom, string? ValidTo);

internal sealed record NewRelationshipRequest(string Type, string From, string To, string? ValidFrom = null, bool IsPrimary = false);

internal sealed record EndRelationshipRequest(string? At = null);

internal sealed record TouchpointRequest(
    string CustomerId, string Channel, string Direction, string Function, string Kind, string OccurredAt, ExternalIdDto Source,
    decimal? Revenue = null, decimal? Cost = null, string? Currency = null, int? Csat = null, string? CampaignId = null);

internal sealed record BulkTouchpointRequest(IReadOnlyList<TouchpointRequest> Items);

internal sealed record TouchpointDto(
    string Id, string CustomerId, string Channel, string Direction, string Function, string Kind, string OccurredAt, ExternalIdDto Source,
    decimal? Revenue, decimal? Cost, string? Currency, int? Satisfaction, string? CampaignId, string? Via, string? ViaRole);

internal sealed record IngestionDto(bool Recorded, bool AlreadyRecorded, TouchpointDto? Touchpoint, IReadOnlyList<string> Transitions);

internal sealed record BulkIngestionDto(int Received, int Recorded, IReadOnlyList<int> AlreadyPresent, IReadOnlyList<BulkItemProblem> Conflicts, IReadOnlyList<BulkItemProblem> Invalid);

internal sealed record BulkItemProblem(int Index, string Reason);

internal sealed record ConsentRequest(string Action, string Purpose, string Source, string? Channel = null, ContactPointRequest? ContactPoint = null, string? Evidence = null, string? ValidUntil = null);

internal sealed record ConsentDto(string Purpose, string? Channel, string? ContactPointKind, string Status, string Basis, string Source, string CapturedAt, string ValidFrom, string? ValidUntil);

internal sealed record MayContactDto(string Purpose, string Channel, string ContactPointKind, bool Allowed, string Answer, ConsentDto? DecidingEntry);

internal sealed record TransitionDto(string From, string To, string At, string Rule, string Cause, string? Command, string Reason, string Actor);

internal sealed record LifecycleDto(string CustomerId, string Stage, string EnteredStageAt, int PurchaseCount, IReadOnlyList<TransitionDto> History);

internal sealed record LifecycleCommandRequest(string Command, string Reason);

internal static class Dto
{
    public static string Text(Instant instant) => InstantPattern.ExtendedIso.Format(instant);

    public static Instant ParseInstant(string text, string name) => InstantPattern.ExtendedIso.Parse(text) is { Success: true } parsed
        ? parsed.Value
        : throw Hosting.ApiProblemException.Invalid($"{name} must be an ISO 8601 instant in UTC (e.g. 2025-12-01T10:00:00Z).");

    public static LocalDate ParseDate(string? text, string name, LocalDate fallback) => text is null
        ? fallback
        : LocalDatePattern.Iso.Parse(text) is { Success: true } parsed ? parsed.Value : throw Hosting.ApiProblemException.Invalid($"{name} must be an ISO date (yyyy-MM-dd).");

    public static CustomerDto Customer(Customer c, LifecycleModel model)
    {
        var person = c.Profile as PersonProfile;
        var organisation = c.Profile as OrganizationProfile;
        return new CustomerDto(
            c.Id.ToString(), c.Kind.ToString(), c.DisplayName, person?.GivenName, person?.FamilyName, organisation?.LegalName,
            [.. c.ContactPoints.Select(p => new ContactPointDto(p.Value.Kind.ToString(), p.Value.NormalizedValue, p.Label, p.IsPrimary))],
            [.. c.ExternalIdentifiers.Select(i => new ExternalIdDto(i.Source, i.Key))],
            [.. c.Tags.Select(t => t.ToString()).Order(StringComparer.Ordinal)],
            c.HomeTimeZone?.Id, c.LifecycleStageIn(model).Value, Text(c.CreatedAt), Text(c.UpdatedAt), c.Version);
    }

    public static TouchpointDto Touchpoint(Touchpoint t, Relationship? via = null) => new(
        t.Id.ToString(), t.CustomerId.ToString(), t.Channel.ToString(), t.Direction.ToString(), t.Function.ToString(), t.Kind.ToString(),
        Text(t.OccurredAt), new ExternalIdDto(t.Source.Source, t.Source.Key),
        t.Revenue?.Amount, t.Cost?.Amount, (t.Revenue ?? t.Cost)?.Currency.ToString(), t.Satisfaction?.Value, t.CampaignId,
        via?.Id.ToString(), via is null ? null : via.Type.Id);

    public static ConsentDto Consent(ConsentEntry e) => new(
        e.Purpose.Value, e.Channel?.ToString(), e.ContactPoint?.Kind.ToString(), e.Status.ToString(), e.Basis.ToString(), e.Source,
        Text(e.CapturedAt), Text(e.ValidFrom), e.ValidUntil is { } until ? Text(until) : null);

    public static TransitionDto Transition(LifecycleTransitionRecord t) => new(
        t.From.Value, t.To.Value, Text(t.At), t.Rule, t.Cause.ToString(), t.Command, t.Reason, t.Actor);

    public static RelationshipDto Relationship(Relationship r, Primitives.CustomerId party) => new(
        r.Id.ToString(), r.Type.Id, r.From.ToString(), r.To.ToString(), r.RoleOf(party), r.Other(party).ToString(), r.IsPrimary,
        Text(r.ValidFrom), r.ValidTo is { } to ? Text(to) : null);
}

internal sealed record FieldComparisonDto(string Field, double? Similarity, double Weight);

internal sealed record DuplicateDto(string First, string Second, string Kind, double Score, string Decision, IReadOnlyList<FieldComparisonDto> Fields);

internal sealed record MergeRequest(string Survivor, string Merged);

internal sealed record MergeDto(
    string Id, string Survivor, string Merged, string MergedAt, bool Active, string? UnmergedAt,
    int MovedTouchpoints, int RedirectedTouchpoints, int MovedRelationships);

internal sealed record ErasureRequest(string? Reference = null);

internal sealed record ErasureDto(string CustomerId, string ErasedAt, long ShellVersion, string RequestedBy, string? Reference, IReadOnlyDictionary<string, int> Removed);

using System.Text.Json;
using CrmKernel.Cases;
using CrmKernel.Diagnostics;
using CrmKernel.Events;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using NodaTime;
using NodaTime.Text;

using static CrmKernel.Storage.RecordJson;

namespace CrmKernel.Storage;

/// <summary>
/// The one JSON form of service cases and their events: the documents adapters store verbatim (see
/// <see cref="CaseDocuments"/>) and the payloads of case events in outboxes.
/// </summary>
internal static class CaseJson
{
    public const string CaseAggregate = "service-case";

    public static string WriteCase(ServiceCase c, long version) => Write(w =>
    {
        w.WriteString("id", c.Id.ToString());
        w.WriteString("customer", c.CustomerId.ToString());
        w.WriteString("subject", c.Subject);
        w.WriteString("category", c.Category);
        w.WriteString("priority", c.Priority.ToString());
        w.WriteString("owner", c.Owner);
        w.WriteString("origin", c.OriginTouchpointId?.ToString());
        w.WriteBoolean("complaint", c.IsComplaint);
        w.WriteString("slaPolicy", c.SlaPolicy);
        WriteInstant(w, "firstResponse", c.FirstResponseAt);
        w.WriteString("mergedInto", c.MergedInto?.ToString());
        w.WriteNumber("version", version);
        w.WriteStartArray("touchpoints");
        foreach (var t in c.Touchpoints)
        {
            w.WriteStringValue(t.ToString());
        }

        w.WriteEndArray();
        w.WriteStartArray("history");
        foreach (var change in c.History)
        {
            WriteChange(w, change);
        }

        w.WriteEndArray();
        w.WriteStartArray("escalations");
        foreach (var e in c.Escalations)
        {
            WriteEscalation(w, e);
        }

        w.WriteEndArray();
        if (c.Resolution is { } r)
        {
            w.WritePropertyName("resolution");
            WriteResolution(w, r);
        }
    });

    public static ServiceCase ReadCase(TenantId tenantId, string key, string document) => Read(CaseAggregate, key, document, p =>
        ServiceCase.Rehydrate(
            tenantId,
            CaseId.Parse(Text(p, "id")),
            CustomerId.Parse(Text(p, "customer")),
            Text(p, "subject"),
            Text(p, "category"),
            Enum.Parse<CasePriority>(Text(p, "priority")),
            OptionalText(p, "owner"),
            OptionalText(p, "origin") is { } origin ? TouchpointId.Parse(origin) : null,
            p.GetProperty("complaint").GetBoolean(),
            OptionalText(p, "slaPolicy"),
            [.. p.GetProperty("touchpoints").EnumerateArray().Select(static t => TouchpointId.Parse(t.GetString()!))],
            [.. p.GetProperty("history").EnumerateArray().Select(ReadChange)],
            [.. p.GetProperty("escalations").EnumerateArray().Select(ReadEscalation)],
            OptionalInstant(p, "firstResponse"),
            p.TryGetProperty("resolution", out var r) ? ReadResolution(r) : null,
            OptionalText(p, "mergedInto") is { } merged ? CaseId.Parse(merged) : null,
            p.GetProperty("version").GetInt64()));

    public static CrmEventEnvelope ToEnvelope(CaseEvent e, long version)
    {
        var payload = Write(w =>
        {
            w.WriteString("customer", e.CustomerId.ToString());
            switch (e)
            {
                case CaseOpened o:
                    w.WriteString("subject", o.Subject);
                    w.WriteString("category", o.Category);
                    w.WriteString("priority", o.Priority.ToString());
                    w.WriteString("origin", o.OriginTouchpointId?.ToString());
                    w.WriteBoolean("complaint", o.IsComplaint);
                    w.WriteString("slaPolicy", o.SlaPolicy);
                    w.WritePropertyName("change");
                    WriteChange(w, o.Change);
                    break;
                case CaseStatusChanged c:
                    w.WritePropertyName("change");
                    WriteChange(w, c.Change);
                    break;
                case CaseResolved r:
                    w.WritePropertyName("change");
                    WriteChange(w, r.Change);
                    w.WritePropertyName("resolution");
                    WriteResolution(w, r.Resolution);
                    break;
                case CaseReopened r:
                    w.WritePropertyName("change");
                    WriteChange(w, r.Change);
                    break;
                case CaseAssigned a:
                    w.WriteString("owner", a.Owner);
                    break;
                case CaseResponded r:
                    w.WriteBoolean("first", r.IsFirstResponse);
                    break;
                case CaseTouchpointAttached t:
                    w.WriteString("touchpoint", t.TouchpointId.ToString());
                    break;
                case CaseEscalated x:
                    w.WritePropertyName("escalation");
                    WriteEscalation(w, x.Escalation);
                    break;
                case CaseMerged m:
                    w.WriteString("survivor", m.SurvivorId.ToString());
                    w.WritePropertyName("change");
                    WriteChange(w, m.Change);
                    break;
                case CaseDuplicateAbsorbed d:
                    w.WriteString("duplicate", d.DuplicateId.ToString());
                    w.WriteStartArray("touchpoints");
                    foreach (var t in d.TouchpointIds)
                    {
                        w.WriteStringValue(t.ToString());
                    }

                    w.WriteEndArray();
                    break;
                default:
                    throw new InvalidOperationException($"No JSON form for event type {e.GetType().Name}.");
            }
        });
        return new CrmEventEnvelope(e.EventId, e.TenantId, CaseAggregate, e.CaseId.ToString(), version, e.GetType().Name, e.OccurredAt, payload);
    }

    public static ICrmEvent FromEnvelope(CrmEventEnvelope envelope) => Read("outbox", envelope.EventId.ToString(), envelope.Payload, p =>
    {
        var (t, id, at) = (envelope.TenantId, CaseId.Parse(envelope.AggregateId), envelope.OccurredAt);
        var customer = CustomerId.Parse(Text(p, "customer"));
        CaseEvent e = envelope.EventType switch
        {
            nameof(CaseOpened) => new CaseOpened(t, id, customer, at, Text(p, "subject"), Text(p, "category"), Enum.Parse<CasePriority>(Text(p, "priority")), OptionalText(p, "origin") is { } o ? TouchpointId.Parse(o) : null, p.GetProperty("complaint").GetBoolean(), OptionalText(p, "slaPolicy"), ReadChange(p.GetProperty("change"))),
            nameof(CaseStatusChanged) => new CaseStatusChanged(t, id, customer, at, ReadChange(p.GetProperty("change"))),
            nameof(CaseResolved) => new CaseResolved(t, id, customer, at, ReadChange(p.GetProperty("change")), ReadResolution(p.GetProperty("resolution"))),
            nameof(CaseReopened) => new CaseReopened(t, id, customer, at, ReadChange(p.GetProperty("change"))),
            nameof(CaseAssigned) => new CaseAssigned(t, id, customer, at, Text(p, "owner")),
            nameof(CaseResponded) => new CaseResponded(t, id, customer, at, p.GetProperty("first").GetBoolean()),
            nameof(CaseTouchpointAttached) => new CaseTouchpointAttached(t, id, customer, at, TouchpointId.Parse(Text(p, "touchpoint"))),
            nameof(CaseEscalated) => new CaseEscalated(t, id, customer, at, ReadEscalation(p.GetProperty("escalation"))),
            nameof(CaseMerged) => new CaseMerged(t, id, customer, at, CaseId.Parse(Text(p, "survivor")), ReadChange(p.GetProperty("change"))),
            nameof(CaseDuplicateAbsorbed) => new CaseDuplicateAbsorbed(t, id, customer, at, CaseId.Parse(Text(p, "duplicate")), [.. p.GetProperty("touchpoints").EnumerateArray().Select(static x => TouchpointId.Parse(x.GetString()!))]),
            _ => throw new FormatException($"unknown event type '{envelope.EventType}'"),
        };
        return (ICrmEvent)e.WithEventId(envelope.EventId);
    });

    private static void WriteChange(Utf8JsonWriter w, CaseStatusChange c)
    {
        w.WriteStartObject();
        w.WriteString("from", c.FromStatus?.ToString());
        w.WriteString("to", c.ToStatus.ToString());
        w.WriteString("at", InstantPattern.ExtendedIso.Format(c.At));
        w.WriteString("actor", c.Actor);
        w.WriteString("reason", c.Reason);
        w.WriteEndObject();
    }

    private static CaseStatusChange ReadChange(JsonElement e) => new(
        OptionalText(e, "from") is { } from ? Enum.Parse<CaseStatus>(from) : null,
        Enum.Parse<CaseStatus>(Text(e, "to")),
        RequiredInstant(e, "at"),
        Text(e, "actor"),
        Text(e, "reason"));

    private static void WriteEscalation(Utf8JsonWriter w, CaseEscalation e)
    {
        w.WriteStartObject();
        w.WriteNumber("level", e.Level);
        w.WriteString("priority", e.Priority.ToString());
        w.WriteString("at", InstantPattern.ExtendedIso.Format(e.At));
        w.WriteString("actor", e.Actor);
        w.WriteString("reason", e.Reason);
        w.WriteEndObject();
    }

    private static CaseEscalation ReadEscalation(JsonElement e) => new(
        e.GetProperty("level").GetInt32(),
        Enum.Parse<CasePriority>(Text(e, "priority")),
        RequiredInstant(e, "at"),
        Text(e, "actor"),
        Text(e, "reason"));

    private static void WriteResolution(Utf8JsonWriter w, CaseResolution r)
    {
        w.WriteStartObject();
        w.WriteString("at", InstantPattern.ExtendedIso.Format(r.At));
        w.WriteString("note", r.Note);
        if (r.Satisfaction is { } s)
        {
            w.WriteString("scale", s.Scale.ToString());
            w.WriteNumber("score", s.Value);
        }

        w.WriteEndObject();
    }

    private static CaseResolution ReadResolution(JsonElement e) => new(
        RequiredInstant(e, "at"),
        OptionalText(e, "note"),
        OptionalText(e, "scale") is { } scale ? SatisfactionScore.Create(Enum.Parse<SatisfactionScale>(scale), e.GetProperty("score").GetInt32()) : null);
}

using System.Globalization;
using System.Text.Json;
using CrmKernel.Diagnostics;
using CrmKernel.Events;
using CrmKernel.Primitives;
using CrmKernel.Sales;
using NodaTime;
using NodaTime.Text;

using static CrmKernel.Storage.RecordJson;

namespace CrmKernel.Storage;

/// <summary>
/// The one JSON form of sales pipelines, opportunities and their events: the documents adapters store verbatim (see
/// <see cref="SalesDocuments"/>) and the payloads of opportunity events in outboxes.
/// </summary>
internal static class SalesJson
{
    public const string OpportunityAggregate = "opportunity";
    public const string PipelineAggregate = "sales-pipeline";

    public static string WritePipeline(SalesPipeline pipeline) => Write(w =>
    {
        w.WriteString("id", pipeline.Id.ToString());
        w.WriteString("name", pipeline.Name);
        w.WriteNumber("version", pipeline.Version);
        w.WriteStartArray("stages");
        foreach (var s in pipeline.Stages)
        {
            w.WriteStartObject();
            w.WriteString("key", s.Key);
            w.WriteString("name", s.Name);
            w.WriteString("probability", s.DefaultProbability.ToString(CultureInfo.InvariantCulture));
            w.WriteString("category", s.ForecastCategory.ToString());
            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    public static SalesPipeline ReadPipeline(TenantId tenantId, string key, string document) => Read(PipelineAggregate, key, document, p =>
        SalesPipeline.Rehydrate(
            tenantId,
            SalesPipelineId.Parse(Text(p, "id")),
            Text(p, "name"),
            [.. p.GetProperty("stages").EnumerateArray().Select(s => new SalesStage(Text(s, "key"), Text(s, "name"), Decimal(s, "probability"), Enum.Parse<ForecastCategory>(Text(s, "category"))))],
            p.GetProperty("version").GetInt64()));

    public static string WriteOpportunity(Opportunity o, long version) => Write(w =>
    {
        w.WriteString("id", o.Id.ToString());
        w.WriteString("customer", o.CustomerId.ToString());
        w.WriteString("pipeline", o.PipelineId.ToString());
        w.WriteString("name", o.Name);
        w.WriteString("owner", o.Owner);
        w.WriteString("currency", o.Currency.Code);
        w.WriteString("expectedClose", LocalDatePattern.Iso.Format(o.ExpectedCloseDate));
        w.WriteString("stageProbability", o.StageProbability.ToString(CultureInfo.InvariantCulture));
        w.WriteString("stageCategory", o.StageForecastCategory.ToString());
        w.WriteNumber("version", version);
        w.WriteStartArray("lineItems");
        foreach (var item in o.LineItems)
        {
            WriteLineItem(w, item);
        }

        w.WriteEndArray();
        w.WriteStartArray("contactRoles");
        foreach (var role in o.ContactRoles)
        {
            WriteContactRole(w, role);
        }

        w.WriteEndArray();
        w.WriteStartArray("history");
        foreach (var change in o.History)
        {
            WriteChange(w, change);
        }

        w.WriteEndArray();
    });

    public static Opportunity ReadOpportunity(TenantId tenantId, string key, string document) => Read(OpportunityAggregate, key, document, p =>
        Opportunity.Rehydrate(
            tenantId,
            OpportunityId.Parse(Text(p, "id")),
            CustomerId.Parse(Text(p, "customer")),
            SalesPipelineId.Parse(Text(p, "pipeline")),
            Text(p, "name"),
            Text(p, "owner"),
            Currency.FromCode(Text(p, "currency")),
            LocalDatePattern.Iso.Parse(Text(p, "expectedClose")).Value,
            Decimal(p, "stageProbability"),
            Enum.Parse<ForecastCategory>(Text(p, "stageCategory")),
            [.. p.GetProperty("lineItems").EnumerateArray().Select(ReadLineItem)],
            [.. p.GetProperty("contactRoles").EnumerateArray().Select(ReadContactRole)],
            [.. p.GetProperty("history").EnumerateArray().Select(ReadChange)],
            p.GetProperty("version").GetInt64()));

    public static CrmEventEnvelope ToEnvelope(OpportunityEvent e, long version)
    {
        var payload = Write(w =>
        {
            w.WriteString("customer", e.CustomerId.ToString());
            switch (e)
            {
                case OpportunityOpened o:
                    w.WriteString("pipeline", o.PipelineId.ToString());
                    w.WriteString("name", o.Name);
                    w.WriteString("owner", o.Owner);
                    w.WriteString("currency", o.Currency.Code);
                    w.WriteString("expectedClose", LocalDatePattern.Iso.Format(o.ExpectedCloseDate));
                    w.WritePropertyName("change");
                    WriteChange(w, o.Change);
                    break;
                case OpportunityStageChanged c:
                    w.WritePropertyName("change");
                    WriteChange(w, c.Change);
                    break;
                case OpportunityWon won:
                    w.WriteString("amount", won.Amount.ToString());
                    w.WritePropertyName("change");
                    WriteChange(w, won.Change);
                    break;
                case OpportunityLost lost:
                    w.WritePropertyName("change");
                    WriteChange(w, lost.Change);
                    break;
                case OpportunityReopened r:
                    w.WritePropertyName("change");
                    WriteChange(w, r.Change);
                    break;
                case OpportunityLineItemAdded a:
                    w.WriteString("amount", a.Amount.ToString());
                    w.WritePropertyName("lineItem");
                    WriteLineItem(w, a.LineItem);
                    break;
                case OpportunityLineItemRemoved r:
                    w.WriteString("amount", r.Amount.ToString());
                    w.WriteNumber("lineNumber", r.LineNumber);
                    break;
                case OpportunityContactRoleAdded a:
                    w.WritePropertyName("contactRole");
                    WriteContactRole(w, a.ContactRole);
                    break;
                case OpportunityContactRoleRemoved r:
                    w.WritePropertyName("contactRole");
                    WriteContactRole(w, r.ContactRole);
                    break;
                case OpportunityRescheduled s:
                    w.WriteString("expectedClose", LocalDatePattern.Iso.Format(s.ExpectedCloseDate));
                    break;
                case OpportunityReassigned a:
                    w.WriteString("owner", a.Owner);
                    break;
                default:
                    throw new InvalidOperationException($"No JSON form for event type {e.GetType().Name}.");
            }
        });
        return new CrmEventEnvelope(e.EventId, e.TenantId, OpportunityAggregate, e.OpportunityId.ToString(), version, e.GetType().Name, e.OccurredAt, payload);
    }

    public static ICrmEvent FromEnvelope(CrmEventEnvelope envelope) => Read("outbox", envelope.EventId.ToString(), envelope.Payload, p =>
    {
        var (t, id, at) = (envelope.TenantId, OpportunityId.Parse(envelope.AggregateId), envelope.OccurredAt);
        var customer = CustomerId.Parse(Text(p, "customer"));
        OpportunityEvent e = envelope.EventType switch
        {
            nameof(OpportunityOpened) => new OpportunityOpened(t, id, customer, at, SalesPipelineId.Parse(Text(p, "pipeline")), Text(p, "name"), Text(p, "owner"), Currency.FromCode(Text(p, "currency")), LocalDatePattern.Iso.Parse(Text(p, "expectedClose")).Value, ReadChange(p.GetProperty("change"))),
            nameof(OpportunityStageChanged) => new OpportunityStageChanged(t, id, customer, at, ReadChange(p.GetProperty("change"))),
            nameof(OpportunityWon) => new OpportunityWon(t, id, customer, at, ReadChange(p.GetProperty("change")), Money.Parse(Text(p, "amount"))),
            nameof(OpportunityLost) => new OpportunityLost(t, id, customer, at, ReadChange(p.GetProperty("change"))),
            nameof(OpportunityReopened) => new OpportunityReopened(t, id, customer, at, ReadChange(p.GetProperty("change"))),
            nameof(OpportunityLineItemAdded) => new OpportunityLineItemAdded(t, id, customer, at, ReadLineItem(p.GetProperty("lineItem")), Money.Parse(Text(p, "amount"))),
            nameof(OpportunityLineItemRemoved) => new OpportunityLineItemRemoved(t, id, customer, at, p.GetProperty("lineNumber").GetInt32(), Money.Parse(Text(p, "amount"))),
            nameof(OpportunityContactRoleAdded) => new OpportunityContactRoleAdded(t, id, customer, at, ReadContactRole(p.GetProperty("contactRole"))),
            nameof(OpportunityContactRoleRemoved) => new OpportunityContactRoleRemoved(t, id, customer, at, ReadContactRole(p.GetProperty("contactRole"))),
            nameof(OpportunityRescheduled) => new OpportunityRescheduled(t, id, customer, at, LocalDatePattern.Iso.Parse(Text(p, "expectedClose")).Value),
            nameof(OpportunityReassigned) => new OpportunityReassigned(t, id, customer, at, Text(p, "owner")),
            _ => throw new FormatException($"unknown event type '{envelope.EventType}'"),
        };
        return (ICrmEvent)e.WithEventId(envelope.EventId);
    });

    private static void WriteLineItem(Utf8JsonWriter w, OpportunityLineItem item)
    {
        w.WriteStartObject();
        w.WriteNumber("line", item.LineNumber);
        w.WriteString("product", item.ProductId);
        w.WriteString("quantity", item.Quantity.ToString(CultureInfo.InvariantCulture));
        w.WriteString("unitPrice", item.UnitPrice.ToString());
        w.WriteString("discount", item.Discount.ToString(CultureInfo.InvariantCulture));
        w.WriteEndObject();
    }

    private static OpportunityLineItem ReadLineItem(JsonElement e)
        => new(e.GetProperty("line").GetInt32(), Text(e, "product"), Decimal(e, "quantity"), Money.Parse(Text(e, "unitPrice")), Decimal(e, "discount"));

    private static void WriteContactRole(Utf8JsonWriter w, OpportunityContactRole role)
    {
        w.WriteStartObject();
        w.WriteString("contact", role.ContactId.ToString());
        w.WriteString("role", role.Role);
        w.WriteEndObject();
    }

    private static OpportunityContactRole ReadContactRole(JsonElement e) => new(CustomerId.Parse(Text(e, "contact")), Text(e, "role"));

    private static void WriteChange(Utf8JsonWriter w, OpportunityStageChange c)
    {
        w.WriteStartObject();
        w.WriteString("fromStage", c.FromStage);
        w.WriteString("toStage", c.ToStage);
        w.WriteString("fromStatus", c.FromStatus?.ToString());
        w.WriteString("toStatus", c.ToStatus.ToString());
        w.WriteString("at", InstantPattern.ExtendedIso.Format(c.At));
        w.WriteString("actor", c.Actor);
        w.WriteString("reason", c.Reason);
        w.WriteEndObject();
    }

    private static OpportunityStageChange ReadChange(JsonElement e) => new(
        OptionalText(e, "fromStage"),
        Text(e, "toStage"),
        OptionalText(e, "fromStatus") is { } from ? Enum.Parse<OpportunityStatus>(from) : null,
        Enum.Parse<OpportunityStatus>(Text(e, "toStatus")),
        RequiredInstant(e, "at"),
        Text(e, "actor"),
        Text(e, "reason"));
}

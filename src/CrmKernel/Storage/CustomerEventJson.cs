using System.Buffers;
using System.Text;
using System.Text.Json;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Events;
using CrmKernel.Primitives;
using NodaTime;
using NodaTime.Text;
using NodaTime.TimeZones;

namespace CrmKernel.Storage;

/// <summary>
/// The one JSON form of customer events in outboxes: written when a change is committed, read when
/// <c>CrmEventRelay</c> publishes what could not be published at once.
/// </summary>
internal static class CustomerEventJson
{
    public const string AggregateType = "customer";

    public static CrmEventEnvelope ToEnvelope(CustomerEvent e, long aggregateVersion)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            switch (e)
            {
                case CustomerRegistered r:
                    WriteProfile(w, r.Profile);
                    break;
                case CustomerProfileChanged c:
                    WriteProfile(w, c.Profile);
                    break;
                case ContactPointAdded a:
                    WriteContactPoint(w, "contactPoint", a.ContactPoint.Value);
                    w.WriteBoolean("primary", a.ContactPoint.IsPrimary);
                    w.WriteString("label", a.ContactPoint.Label);
                    break;
                case ContactPointRemoved r:
                    WriteContactPoint(w, "contactPoint", r.ContactPoint);
                    w.WriteBoolean("wasPrimary", r.WasPrimary);
                    break;
                case PrimaryContactPointChanged p:
                    WriteContactPoint(w, "contactPoint", p.ContactPoint);
                    if (p.Previous is not null)
                    {
                        WriteContactPoint(w, "previous", p.Previous);
                    }

                    break;
                case ExternalIdentifierAdded a:
                    w.WriteString("identifier", a.Identifier.ToString());
                    break;
                case ExternalIdentifierRemoved r:
                    w.WriteString("identifier", r.Identifier.ToString());
                    break;
                case CustomerTagged t:
                    w.WriteString("tag", t.Tag.Value);
                    break;
                case CustomerUntagged u:
                    w.WriteString("tag", u.Tag.Value);
                    break;
                case CustomAttributeSet s:
                    w.WriteString("name", s.Name);
                    w.WriteString("type", s.Value.Type.ToString());
                    w.WriteString("value", s.Value.ToInvariantString());
                    break;
                case CustomAttributeRemoved r:
                    w.WriteString("name", r.Name);
                    break;
                case HomeTimeZoneChanged z:
                    w.WriteString("zone", z.Zone?.Id);
                    break;
                case ConsentChanged c:
                    ConsentEventJson.Write(w, c.Entry);
                    break;
                case LifecycleStageChanged l:
                    LifecycleJson.WriteTransition(w, l.Transition);
                    break;
                case Privacy.CustomerErased:
                    break;
                case CustomerMerged m:
                    w.WriteString("merge", m.MergeId.ToString());
                    w.WriteString("merged", m.MergedCustomerId.ToString());
                    break;
                case CustomerUnmerged u:
                    w.WriteString("merge", u.MergeId.ToString());
                    w.WriteString("restored", u.RestoredCustomerId.ToString());
                    break;
                default:
                    throw new InvalidOperationException($"No JSON form for event type {e.GetType().Name}.");
            }

            w.WriteEndObject();
        }

        return new CrmEventEnvelope(
            e.EventId,
            e.TenantId,
            AggregateType,
            e.CustomerId.ToString(),
            aggregateVersion,
            e.GetType().Name,
            e.OccurredAt,
            Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    public static ICrmEvent FromEnvelope(CrmEventEnvelope envelope)
    {
        try
        {
            using var document = JsonDocument.Parse(envelope.Payload);
            var p = document.RootElement;
            var tenant = envelope.TenantId;
            var id = Primitives.CustomerId.Parse(envelope.AggregateId);
            var at = envelope.OccurredAt;
            CustomerEvent e = envelope.EventType switch
            {
                nameof(CustomerRegistered) => new CustomerRegistered(tenant, id, at, ReadProfile(p)),
                nameof(CustomerProfileChanged) => new CustomerProfileChanged(tenant, id, at, ReadProfile(p)),
                nameof(ContactPointAdded) => new ContactPointAdded(tenant, id, at, new CustomerContactPoint(ReadContactPoint(p, "contactPoint")!, p.GetProperty("primary").GetBoolean(), p.GetProperty("label").GetString())),
                nameof(ContactPointRemoved) => new ContactPointRemoved(tenant, id, at, ReadContactPoint(p, "contactPoint")!, p.GetProperty("wasPrimary").GetBoolean()),
                nameof(PrimaryContactPointChanged) => new PrimaryContactPointChanged(tenant, id, at, ReadContactPoint(p, "contactPoint")!, ReadContactPoint(p, "previous")),
                nameof(ExternalIdentifierAdded) => new ExternalIdentifierAdded(tenant, id, at, ExternalIdentifier.Parse(Text(p, "identifier")!)),
                nameof(ExternalIdentifierRemoved) => new ExternalIdentifierRemoved(tenant, id, at, ExternalIdentifier.Parse(Text(p, "identifier")!)),
                nameof(CustomerTagged) => new CustomerTagged(tenant, id, at, new CustomerTag(Text(p, "tag")!)),
                nameof(CustomerUntagged) => new CustomerUntagged(tenant, id, at, new CustomerTag(Text(p, "tag")!)),
                nameof(CustomAttributeSet) => new CustomAttributeSet(tenant, id, at, Text(p, "name")!, CustomAttributeValue.Parse(Enum.Parse<CustomAttributeType>(Text(p, "type")!), Text(p, "value")!)),
                nameof(CustomAttributeRemoved) => new CustomAttributeRemoved(tenant, id, at, Text(p, "name")!),
                nameof(HomeTimeZoneChanged) => new HomeTimeZoneChanged(tenant, id, at, Text(p, "zone") is { } zone ? DateTimeZoneProviders.Tzdb[zone] : null),
                nameof(LifecycleStageChanged) => new LifecycleStageChanged(tenant, id, at, LifecycleJson.ReadTransition(p)),
                nameof(ConsentChanged) => new ConsentChanged(tenant, id, at, ConsentEventJson.Read(p)),
                nameof(Privacy.CustomerErased) => new Privacy.CustomerErased(tenant, id, at),
                nameof(CustomerMerged) => new CustomerMerged(tenant, id, at, CustomerMergeId.Parse(Text(p, "merge")!), CustomerId.Parse(Text(p, "merged")!)),
                nameof(CustomerUnmerged) => new CustomerUnmerged(tenant, id, at, CustomerMergeId.Parse(Text(p, "merge")!), CustomerId.Parse(Text(p, "restored")!)),
                _ => throw new FormatException($"unknown event type '{envelope.EventType}'"),
            };
            return e.WithEventId(envelope.EventId);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or ArgumentException or KeyNotFoundException or InvalidOperationException or DateTimeZoneNotFoundException)
        {
            throw new InvalidStoredStateException("outbox", envelope.EventId.ToString(), "the event payload cannot be read", ex);
        }
    }

    private static string? Text(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetString() : null;

    internal static void WriteContactPoint(Utf8JsonWriter w, string name, ContactPoint point)
    {
        w.WriteStartObject(name);
        w.WriteString("kind", point.Kind.ToString());
        w.WriteString("value", point.NormalizedValue);
        w.WriteEndObject();
    }

    internal static ContactPoint? ReadContactPoint(JsonElement element, string name)
        => element.TryGetProperty(name, out var point) && point.ValueKind == JsonValueKind.Object
            ? ContactPoint.Parse(Enum.Parse<ContactPointKind>(Text(point, "kind")!), Text(point, "value")!)
            : null;

    internal static void WriteProfile(Utf8JsonWriter w, PartyProfile profile)
    {
        w.WriteStartObject("profile");
        w.WriteString("kind", profile.Kind.ToString());
        switch (profile)
        {
            case PersonProfile p:
                w.WriteString("givenName", p.GivenName);
                w.WriteString("familyName", p.FamilyName);
                w.WriteString("preferredName", p.PreferredName);
                w.WriteString("honorific", p.Honorific);
                w.WriteString("birthDate", p.BirthDate is { } born ? LocalDatePattern.Iso.Format(born) : null);
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
                if (o.EmployeeCount is { } count)
                {
                    w.WriteNumber("employeeCount", count);
                }

                break;
        }

        w.WriteEndObject();
    }

    internal static PartyProfile ReadProfile(JsonElement payload)
    {
        var p = payload.GetProperty("profile");
        return Enum.Parse<PartyKind>(Text(p, "kind")!) switch
        {
            PartyKind.Person => new PersonProfile(
                Text(p, "givenName"),
                Text(p, "familyName"),
                Text(p, "preferredName"),
                Text(p, "honorific"),
                Text(p, "birthDate") is { } born ? LocalDatePattern.Iso.Parse(born).Value : null,
                Text(p, "preferredLanguage"),
                Text(p, "jobTitle")),
            _ => new OrganizationProfile(
                Text(p, "legalName")!,
                Text(p, "tradingName"),
                Text(p, "registrationNumber"),
                Text(p, "taxId"),
                Text(p, "industry"),
                Text(p, "website") is { } site ? new Uri(site, UriKind.Absolute) : null,
                p.TryGetProperty("employeeCount", out var count) ? count.GetInt32() : null),
        };
    }
}

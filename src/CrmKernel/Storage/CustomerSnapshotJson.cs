using System.Buffers;
using System.Text;
using System.Text.Json;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using NodaTime;
using NodaTime.Text;

namespace CrmKernel.Storage;

/// <summary>
/// The one JSON document form of a customer's whole state (profile, contact points, identifiers, tags, attributes,
/// time zone, lifecycle and consent ledger), for adapters that keep a customer as one document rather than one row per
/// child: the PostgreSQL sample's <c>customers.state</c> column. Reuses the event codecs' forms of a profile, a contact
/// point, a consent entry and a lifecycle transition, so the outbox and the state speak one language. Ids, the version
/// and the two instants live in the adapter's own columns and are passed to <see cref="Read"/>.
/// </summary>
internal static class CustomerSnapshotJson
{
    public static string Write(CustomerSnapshot s)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            CustomerEventJson.WriteProfile(w, s.Profile);
            w.WriteStartArray("contactPoints");
            foreach (var c in s.ContactPoints)
            {
                w.WriteStartObject();
                w.WriteString("kind", c.Value.Kind.ToString());
                w.WriteString("value", c.Value.NormalizedValue);
                w.WriteBoolean("primary", c.IsPrimary);
                w.WriteString("label", c.Label);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("identifiers");
            foreach (var i in s.ExternalIdentifiers)
            {
                w.WriteStartObject();
                w.WriteString("source", i.Source);
                w.WriteString("key", i.Key);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("tags");
            foreach (var t in s.Tags)
            {
                w.WriteStringValue(t.Value);
            }

            w.WriteEndArray();
            w.WriteStartArray("attributes");
            foreach (var a in s.CustomAttributes.OrderBy(static a => a.Key, StringComparer.Ordinal))
            {
                w.WriteStartObject();
                w.WriteString("name", a.Key);
                w.WriteString("type", a.Value.Type.ToString());
                w.WriteString("value", a.Value.ToInvariantString());
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("zone", s.HomeTimeZoneId);
            w.WriteString("lifecycleStage", s.LifecycleStage?.Value);
            w.WriteStartArray("lifecycleHistory");
            foreach (var t in s.LifecycleHistory)
            {
                w.WriteStartObject();
                LifecycleJson.WriteTransition(w, t);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (s.LifecycleFacts is { } f && !f.Equals(LifecycleFacts.Empty))
            {
                w.WriteStartObject("lifecycleFacts");
                w.WriteNumber("purchases", f.PurchaseCount);
                WriteInstant(w, "firstPurchase", f.FirstPurchaseAt);
                WriteInstant(w, "lastPurchase", f.LastPurchaseAt);
                w.WriteStartArray("recentPurchases");
                foreach (var at in f.RecentPurchases)
                {
                    w.WriteStringValue(InstantPattern.ExtendedIso.Format(at));
                }

                w.WriteEndArray();
                w.WriteNumber("openComplaints", f.OpenComplaints);
                WriteInstant(w, "lastComplaint", f.LastComplaintAt);
                WriteInstant(w, "lastResolution", f.LastResolutionAt);
                w.WriteEndObject();
            }

            w.WriteStartArray("consents");
            foreach (var c in s.Consents)
            {
                w.WriteStartObject();
                ConsentEventJson.Write(w, c);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Rebuilds a snapshot, or throws <see cref="InvalidStoredStateException"/> naming <paramref name="origin"/> and the id.</summary>
    public static CustomerSnapshot Read(string origin, TenantId tenantId, CustomerId id, long version, Instant createdAt, Instant updatedAt, string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var p = document.RootElement;
            var contactPoints = new List<CustomerContactPoint>();
            foreach (var c in p.GetProperty("contactPoints").EnumerateArray())
            {
                var point = ContactPoint.Parse(Enum.Parse<ContactPointKind>(Text(c, "kind")!), Text(c, "value")!);
                contactPoints.Add(new CustomerContactPoint(point, c.GetProperty("primary").GetBoolean(), Text(c, "label")));
            }

            var identifiers = new List<ExternalIdentifier>();
            foreach (var i in p.GetProperty("identifiers").EnumerateArray())
            {
                identifiers.Add(new ExternalIdentifier(Text(i, "source")!, Text(i, "key")!));
            }

            var tags = new List<CustomerTag>();
            foreach (var t in p.GetProperty("tags").EnumerateArray())
            {
                tags.Add(new CustomerTag(t.GetString()!));
            }

            var attributes = new Dictionary<string, CustomAttributeValue>(StringComparer.Ordinal);
            foreach (var a in p.GetProperty("attributes").EnumerateArray())
            {
                attributes.Add(Text(a, "name")!, CustomAttributeValue.Parse(Enum.Parse<CustomAttributeType>(Text(a, "type")!), Text(a, "value")!));
            }

            var zone = Text(p, "zone");
            if (zone is not null && DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) is null)
            {
                throw new FormatException("zone is not a TZDB time zone id");
            }

            var history = new List<LifecycleTransitionRecord>();
            foreach (var t in p.GetProperty("lifecycleHistory").EnumerateArray())
            {
                history.Add(LifecycleJson.ReadTransition(t));
            }

            LifecycleFacts? facts = null;
            if (p.TryGetProperty("lifecycleFacts", out var f) && f.ValueKind == JsonValueKind.Object)
            {
                var recent = new List<Instant>();
                foreach (var at in f.GetProperty("recentPurchases").EnumerateArray())
                {
                    recent.Add(InstantPattern.ExtendedIso.Parse(at.GetString()!).GetValueOrThrow());
                }

                facts = LifecycleFacts.Create(
                    f.GetProperty("purchases").GetInt32(),
                    ReadInstant(f, "firstPurchase"),
                    ReadInstant(f, "lastPurchase"),
                    recent,
                    f.GetProperty("openComplaints").GetInt32(),
                    ReadInstant(f, "lastComplaint"),
                    ReadInstant(f, "lastResolution"));
            }

            var consents = new List<Consent.ConsentEntry>();
            foreach (var c in p.GetProperty("consents").EnumerateArray())
            {
                consents.Add(ConsentEventJson.Read(c));
            }

            return new CustomerSnapshot
            {
                Id = id,
                TenantId = tenantId,
                Profile = CustomerEventJson.ReadProfile(p),
                ContactPoints = contactPoints,
                ExternalIdentifiers = identifiers,
                Tags = tags,
                CustomAttributes = attributes,
                HomeTimeZoneId = zone,
                CreatedAt = createdAt,
                UpdatedAt = updatedAt,
                Version = version,
                LifecycleStage = Text(p, "lifecycleStage") is { } stage ? new LifecycleStage(stage) : null,
                LifecycleHistory = history,
                LifecycleFacts = facts,
                Consents = consents,
            };
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException or KeyNotFoundException or InvalidOperationException or OverflowException or UnparsableValueException)
        {
            // The message names the column and the id, never a stored value: the document holds personal data.
            throw new InvalidStoredStateException(origin, id.ToString(), "state is not a valid customer document.", e);
        }
    }

    private static string? Text(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetString() : null;

    private static void WriteInstant(Utf8JsonWriter w, string name, Instant? at)
    {
        if (at is { } value)
        {
            w.WriteString(name, InstantPattern.ExtendedIso.Format(value));
        }
    }

    private static Instant? ReadInstant(JsonElement element, string name)
        => Text(element, name) is { } text ? InstantPattern.ExtendedIso.Parse(text).GetValueOrThrow() : null;
}

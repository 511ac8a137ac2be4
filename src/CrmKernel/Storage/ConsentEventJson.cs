using System.Text.Json;
using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Touchpoints;
using NodaTime.Text;

namespace CrmKernel.Storage;

/// <summary>The JSON form of a <see cref="ConsentEntry"/> inside a <see cref="ConsentChanged"/> outbox payload.</summary>
internal static class ConsentEventJson
{
    public static void Write(Utf8JsonWriter w, ConsentEntry entry)
    {
        w.WriteStartObject("entry");
        w.WriteString("purpose", entry.Purpose.Value);
        w.WriteString("channel", entry.Channel?.Value);
        if (entry.ContactPoint is { } point)
        {
            w.WriteStartObject("contactPoint");
            w.WriteString("kind", point.Kind.ToString());
            w.WriteString("value", point.NormalizedValue);
            w.WriteEndObject();
        }

        w.WriteString("status", entry.Status.ToString());
        w.WriteString("basis", entry.Basis.ToString());
        w.WriteString("source", entry.Source);
        w.WriteString("evidence", entry.Evidence);
        w.WriteString("capturedAt", InstantPattern.ExtendedIso.Format(entry.CapturedAt));
        w.WriteString("validFrom", InstantPattern.ExtendedIso.Format(entry.ValidFrom));
        w.WriteString("validUntil", entry.ValidUntil is { } until ? InstantPattern.ExtendedIso.Format(until) : null);
        w.WriteEndObject();
    }

    public static ConsentEntry Read(JsonElement payload)
    {
        var e = payload.GetProperty("entry");
        ContactPoint? point = null;
        if (e.TryGetProperty("contactPoint", out var p) && p.ValueKind == JsonValueKind.Object)
        {
            point = ContactPoint.Parse(Enum.Parse<ContactPointKind>(Text(p, "kind")!), Text(p, "value")!);
        }

        return new ConsentEntry(
            new ConsentPurpose(Text(e, "purpose")!),
            Text(e, "channel") is { } channel ? new ChannelId(channel) : null,
            point,
            Enum.Parse<ConsentStatus>(Text(e, "status")!),
            Enum.Parse<LawfulBasis>(Text(e, "basis")!),
            Text(e, "source")!,
            InstantPattern.ExtendedIso.Parse(Text(e, "capturedAt")!).Value,
            Text(e, "evidence"),
            InstantPattern.ExtendedIso.Parse(Text(e, "validFrom")!).Value,
            Text(e, "validUntil") is { } until ? InstantPattern.ExtendedIso.Parse(until).Value : null);
    }

    private static string? Text(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetString() : null;
}

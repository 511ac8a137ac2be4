using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CrmKernel.Diagnostics;
using NodaTime;
using NodaTime.Text;

namespace CrmKernel.Storage;

/// <summary>
/// What every record codec of the kernel (deals and pipelines in <c>SalesJson</c>, service cases in <c>CaseJson</c>)
/// writes and reads the same way: one JSON object per document, instants in extended ISO form, decimals as invariant
/// text, and a document that cannot be read reported as <see cref="InvalidStoredStateException"/> naming its record.
/// </summary>
internal static class RecordJson
{
    /// <summary>Writes one JSON object with <paramref name="body"/> as its members.</summary>
    public static string Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads a stored document; anything malformed becomes <see cref="InvalidStoredStateException"/> (CRM-STORE-001).</summary>
    public static T Read<T>(string source, string key, string document, Func<JsonElement, T> read)
    {
        Preconditions.NotNull(document);
        try
        {
            using var parsed = JsonDocument.Parse(document);
            return read(parsed.RootElement);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or ArgumentException or KeyNotFoundException or InvalidOperationException or UnparsableValueException or OverflowException)
        {
            throw new InvalidStoredStateException(source, key, "the document cannot be read as a valid record", ex);
        }
    }

    /// <summary>A required string member.</summary>
    public static string Text(JsonElement element, string name)
        => OptionalText(element, name) ?? throw new FormatException($"'{name}' is missing");

    /// <summary>A string member that may be missing or null.</summary>
    public static string? OptionalText(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetString() : null;

    /// <summary>A required decimal written as invariant text.</summary>
    public static decimal Decimal(JsonElement element, string name)
        => decimal.Parse(Text(element, name), NumberStyles.Number, CultureInfo.InvariantCulture);

    /// <summary>Writes an instant (null as JSON null).</summary>
    public static void WriteInstant(Utf8JsonWriter w, string name, Instant? value)
        => w.WriteString(name, value is { } v ? InstantPattern.ExtendedIso.Format(v) : null);

    /// <summary>A required instant.</summary>
    public static Instant RequiredInstant(JsonElement element, string name) => InstantPattern.ExtendedIso.Parse(Text(element, name)).Value;

    /// <summary>An instant that may be missing or null.</summary>
    public static Instant? OptionalInstant(JsonElement element, string name)
        => OptionalText(element, name) is { } text ? InstantPattern.ExtendedIso.Parse(text).Value : null;
}

using System.Buffers;
using System.Text;
using System.Text.Json;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using NodaTime;
using NodaTime.Text;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// The customer's lifecycle in the <c>customers</c> row (schema version 3): the stage as text, and the history and
/// facts as JSON documents written with <see cref="Utf8JsonWriter"/> (no reflection). Read back strictly: a
/// document that does not parse or breaks a rule is <see cref="InvalidStoredStateException"/>.
/// </summary>
internal static class LifecycleRows
{
    private const string Table = "customers";

    public static readonly SqlStatement Update = new(
        "UPDATE customers SET lifecycle_stage = $stage, lifecycle_history = $history, lifecycle_facts = $facts WHERE tenant = $tenant AND id = $id",
        "$stage", "$history", "$facts", "$tenant", "$id");

    public static readonly SqlStatement Select = new(
        """
        SELECT id, lifecycle_stage, lifecycle_history, lifecycle_facts FROM customers
        WHERE tenant = $tenant AND id BETWEEN $first AND $last AND lifecycle_history IS NOT NULL ORDER BY id
        """,
        "$tenant", "$first", "$last");

    /// <summary>Writes the lifecycle columns of a customer row just inserted or updated (in the caller's transaction).</summary>
    public static async ValueTask WriteAsync(SqliteSession session, CustomerSnapshot state, string tenant, string id, CancellationToken cancellationToken)
    {
        if (state.LifecycleHistory.Count == 0 && (state.LifecycleFacts is null || state.LifecycleFacts.Equals(LifecycleFacts.Empty)))
        {
            return;
        }

        var update = session.Command(Update);
        update.Parameters[0].Value = (object?)state.LifecycleStage?.Value ?? DBNull.Value;
        update.Parameters[1].Value = HistoryJson(state.LifecycleHistory);
        update.Parameters[2].Value = FactsJson(state.LifecycleFacts ?? LifecycleFacts.Empty);
        update.Parameters[3].Value = tenant;
        update.Parameters[4].Value = id;
        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the lifecycle columns of one row (id, stage, history, facts), failing loudly on bad data.</summary>
    public static (LifecycleStage? Stage, IReadOnlyList<LifecycleTransitionRecord> History, LifecycleFacts Facts) Read(Microsoft.Data.Sqlite.SqliteDataReader reader, string idText)
    {
        try
        {
            LifecycleStage? stage = reader.IsDBNull(1) ? null : new LifecycleStage(reader.GetString(1));
            var history = ReadHistory(reader.GetString(2));
            var facts = reader.IsDBNull(3) ? LifecycleFacts.Empty : ReadFacts(reader.GetString(3));
            return (stage, history, facts);
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException or InvalidOperationException or KeyNotFoundException)
        {
            throw new InvalidStoredStateException(Table, idText, "the lifecycle columns are not valid lifecycle JSON.", e);
        }
    }

    private static string HistoryJson(IReadOnlyList<LifecycleTransitionRecord> history)
    {
        var buffer = new ArrayBufferWriter<byte>(128 * (history.Count + 1));
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var t in history)
            {
                w.WriteStartObject();
                w.WriteString("from", t.From.Value);
                w.WriteString("to", t.To.Value);
                w.WriteString("at", InstantPattern.ExtendedIso.Format(t.At));
                w.WriteString("rule", t.Rule);
                w.WriteString("cause", t.Cause.ToString());
                if (t.TouchpointId is { } touchpoint)
                {
                    w.WriteString("touchpoint", ColumnText.OfId(touchpoint));
                }

                if (t.Command is { } command)
                {
                    w.WriteString("command", command);
                }

                w.WriteString("reason", t.Reason);
                w.WriteString("actor", t.Actor);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string FactsJson(LifecycleFacts f)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
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

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteInstant(Utf8JsonWriter w, string name, Instant? at)
    {
        if (at is { } value)
        {
            w.WriteString(name, InstantPattern.ExtendedIso.Format(value));
        }
    }

    private static LifecycleTransitionRecord[] ReadHistory(string json)
    {
        using var document = JsonDocument.Parse(json);
        var items = document.RootElement;
        var history = new LifecycleTransitionRecord[items.GetArrayLength()];
        var i = 0;
        foreach (var t in items.EnumerateArray())
        {
            history[i++] = LifecycleTransitionRecord.Create(
                new LifecycleStage(t.GetProperty("from").GetString()!),
                new LifecycleStage(t.GetProperty("to").GetString()!),
                Instant(t, "at")!.Value,
                t.GetProperty("rule").GetString()!,
                Enum.Parse<LifecycleTriggerKind>(t.GetProperty("cause").GetString()!),
                t.TryGetProperty("touchpoint", out var touchpoint) ? TouchpointId.Parse(touchpoint.GetString()!) : null,
                t.TryGetProperty("command", out var command) ? command.GetString() : null,
                t.GetProperty("reason").GetString()!,
                t.GetProperty("actor").GetString()!);
        }

        return history;
    }

    private static LifecycleFacts ReadFacts(string json)
    {
        using var document = JsonDocument.Parse(json);
        var f = document.RootElement;
        var recent = f.GetProperty("recentPurchases").EnumerateArray().Select(e => InstantPattern.ExtendedIso.Parse(e.GetString()!).GetValueOrThrow()).ToArray();
        return LifecycleFacts.Create(
            f.GetProperty("purchases").GetInt32(),
            Instant(f, "firstPurchase"),
            Instant(f, "lastPurchase"),
            recent,
            f.GetProperty("openComplaints").GetInt32(),
            Instant(f, "lastComplaint"),
            Instant(f, "lastResolution"));
    }

    private static Instant? Instant(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) ? InstantPattern.ExtendedIso.Parse(value.GetString()!).GetValueOrThrow() : null;
}

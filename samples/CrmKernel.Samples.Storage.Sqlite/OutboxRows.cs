using System.Globalization;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// The <c>outbox</c> table: events appended in the transaction of the change that raised them, numbered by
/// <c>seq</c> (AUTOINCREMENT, so commit order and never reused), and flagged once published.
/// </summary>
internal static class OutboxRows
{
    public const string Table = "outbox";

    private static readonly SqlStatement Insert = new(
        """
        INSERT INTO outbox (tenant, event_id, aggregate_type, aggregate_id, aggregate_version, event_type, occurred_at, payload)
        VALUES ($tenant, $event_id, $aggregate_type, $aggregate_id, $aggregate_version, $event_type, $occurred_at, $payload)
        """,
        "$tenant", "$event_id", "$aggregate_type", "$aggregate_id", "$aggregate_version", "$event_type", "$occurred_at", "$payload");

    private static readonly SqlStatement SelectPending = new(
        """
        SELECT seq, event_id, aggregate_type, aggregate_id, aggregate_version, event_type, occurred_at, payload
        FROM outbox WHERE tenant = $tenant AND published = 0 ORDER BY seq LIMIT $limit
        """,
        "$tenant", "$limit");

    private static readonly SqlStatement MarkPublished = new(
        "UPDATE outbox SET published = 1 WHERE tenant = $tenant AND event_id = $event_id AND published = 0", "$tenant", "$event_id");

    /// <summary>Appends events, in order, inside the caller's write transaction.</summary>
    public static async ValueTask AppendAsync(SqliteSession session, IReadOnlyList<CrmEventEnvelope> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        var command = session.Command(Insert);
        var p = command.Parameters;
        foreach (var e in events)
        {
            p[0].Value = e.TenantId.Value;
            p[1].Value = ColumnText.OfEventId(e.EventId);
            p[2].Value = e.AggregateType;
            p[3].Value = e.AggregateId;
            p[4].Value = e.AggregateVersion;
            p[5].Value = e.EventType;
            p[6].Value = ColumnText.OfInstant(e.OccurredAt);
            p[7].Value = e.Payload;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads up to <paramref name="limit"/> unpublished events of a tenant in commit order.</summary>
    /// <exception cref="InvalidStoredStateException">A row cannot be turned back into an envelope.</exception>
    public static async ValueTask<IReadOnlyList<CrmEventEnvelope>> ListPendingAsync(SqliteSession session, TenantId tenantId, int limit, CancellationToken cancellationToken)
    {
        var command = session.Command(SelectPending);
        command.Parameters[0].Value = tenantId.Value;
        command.Parameters[1].Value = limit;
        var pending = new List<CrmEventEnvelope>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            pending.Add(ReadEnvelope(reader, tenantId));
        }

        return pending;
    }

    /// <summary>Flags events of a tenant as published inside the caller's write transaction; unknown or already published ids change nothing.</summary>
    public static async ValueTask MarkPublishedAsync(SqliteSession session, TenantId tenantId, IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken)
    {
        var command = session.Command(MarkPublished);
        command.Parameters[0].Value = tenantId.Value;
        foreach (var id in eventIds)
        {
            command.Parameters[1].Value = ColumnText.OfEventId(id);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static CrmEventEnvelope ReadEnvelope(SqliteDataReader reader, TenantId tenantId)
    {
        var key = reader.GetInt64(0).ToString(CultureInfo.InvariantCulture);
        if (!ColumnText.TryParseEventId(reader.GetString(1), out var eventId))
        {
            throw new InvalidStoredStateException(Table, key, "event_id is not a non-empty GUID in \"D\" format.");
        }

        if (!ColumnText.TryParseInstant(reader.GetString(6), out Instant occurredAt))
        {
            throw new InvalidStoredStateException(Table, key, "occurred_at is not an ISO-8601 UTC instant.");
        }

        try
        {
            return new CrmEventEnvelope(
                eventId,
                tenantId,
                reader.GetString(2),
                reader.GetString(3),
                reader.GetInt64(4),
                reader.GetString(5),
                occurredAt,
                reader.GetString(7));
        }
        catch (ArgumentException e)
        {
            throw new InvalidStoredStateException(Table, key, $"the row breaks a rule of the event envelope ({e.ParamName}).", e);
        }
    }
}

using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using Npgsql;

namespace CrmKernel.Samples.Storage.PostgreSql;

/// <summary>The outbox: pending events of one tenant in sequence order, and marking them published.</summary>
internal static class OutboxRows
{
    private const string Table = "outbox";

    private const string SelectPending = """
        SELECT event_id, aggregate_type, aggregate_id, aggregate_version, event_type, occurred_at, payload FROM outbox
        WHERE tenant_id = @tenant AND NOT published ORDER BY seq LIMIT @limit
        """;

    private const string MarkPublished = "UPDATE outbox SET published = true WHERE tenant_id = @tenant AND event_id = ANY(@ids) AND NOT published";

    public static async ValueTask<IReadOnlyList<CrmEventEnvelope>> ListPendingAsync(PostgreSqlDatabase db, NpgsqlConnection connection, TenantId tenantId, int limit, CancellationToken cancellationToken)
    {
        await using var select = db.Command(connection, null, SelectPending).With("tenant", tenantId.Value).With("limit", limit);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var events = new List<CrmEventEnvelope>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var eventId = reader.GetGuid(0);
            if (!InstantText.TryParse(reader.GetString(5), out var occurredAt))
            {
                throw new InvalidStoredStateException(Table, eventId.ToString(), "occurred_at is not an ISO-8601 UTC instant with nine fractional digits.");
            }

            try
            {
                events.Add(new CrmEventEnvelope(eventId, tenantId, reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4), occurredAt, reader.GetString(6)));
            }
            catch (ArgumentException e)
            {
                throw new InvalidStoredStateException(Table, eventId.ToString(), $"the row breaks a rule of {nameof(CrmEventEnvelope)} ({e.ParamName}).", e);
            }
        }

        return events;
    }

    public static async ValueTask MarkPublishedAsync(PostgreSqlDatabase db, NpgsqlConnection connection, TenantId tenantId, IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken)
    {
        await using var update = db.Command(connection, null, MarkPublished).With("tenant", tenantId.Value).With("ids", eventIds.ToArray());
        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}

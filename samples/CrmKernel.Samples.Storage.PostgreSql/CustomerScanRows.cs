using CrmKernel.Diagnostics;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using Npgsql;
using NodaTime.Text;

namespace CrmKernel.Samples.Storage.PostgreSql;

/// <summary>
/// The compact customer scan (<see cref="ICustomerScanStore"/>): one statement per keyset page that has the server
/// take from each customer's <c>state</c> document only what a <see cref="CustomerScanRow"/> holds — whether there is a
/// home time zone, a contact point and an external identifier, the first transition's source stage, and each
/// transition's target stage and time as two text arrays — so no snapshot is rebuilt and no whole document crosses the
/// wire. The values come from the same document the snapshot path reads, so a row equals
/// <see cref="CustomerScanRow.From"/> of the snapshot.
/// </summary>
internal static class CustomerScanRows
{
    private const string Table = "customers";

    private const string SelectPage = """
        SELECT c.id, c.created_at,
            c.state->>'zone' IS NOT NULL,
            jsonb_array_length(c.state->'contactPoints') > 0,
            jsonb_array_length(c.state->'identifiers') > 0,
            c.state->'lifecycleHistory'->0->>'from',
            ARRAY(SELECT t.h->>'to' FROM jsonb_array_elements(c.state->'lifecycleHistory') WITH ORDINALITY AS t(h, n) ORDER BY t.n),
            ARRAY(SELECT t.h->>'at' FROM jsonb_array_elements(c.state->'lifecycleHistory') WITH ORDINALITY AS t(h, n) ORDER BY t.n)
        FROM customers c WHERE c.tenant_id = @tenant AND c.id > @after ORDER BY c.id LIMIT @limit
        """;

    public static async ValueTask<IReadOnlyList<CustomerScanRow>> PageAsync(PostgreSqlDatabase db, NpgsqlConnection connection, TenantId tenantId, CustomerId? after, int limit, CancellationToken cancellationToken)
    {
        await using var select = db.Command(connection, null, SelectPage)
            .With("tenant", tenantId.Value).With("after", after?.Value ?? Guid.Empty).With("limit", limit);
        var rows = new List<CustomerScanRow>();
        var stages = new Dictionary<string, LifecycleStage>(StringComparer.Ordinal);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var guid = reader.GetGuid(0);
            if (guid == Guid.Empty)
            {
                throw new InvalidStoredStateException(Table, guid.ToString(), "id is the empty GUID.");
            }

            var id = new CustomerId(guid);
            if (!InstantText.TryParse(reader.GetString(1), out var createdAt))
            {
                throw new InvalidStoredStateException(Table, id.ToString(), "created_at is not an ISO-8601 UTC instant with nine fractional digits.");
            }

            try
            {
                var to = reader.GetFieldValue<string[]>(6);
                var at = reader.GetFieldValue<string[]>(7);
                var entries = to.Length == 0 ? [] : new LifecycleStageEntry[to.Length];
                for (var i = 0; i < entries.Length; i++)
                {
                    entries[i] = new LifecycleStageEntry(Stage(stages, to[i]), InstantPattern.ExtendedIso.Parse(at[i]).GetValueOrThrow());
                }

                rows.Add(CustomerScanRow.Owning(
                    id,
                    createdAt,
                    hasContactPoint: reader.GetBoolean(3),
                    hasHomeTimeZone: reader.GetBoolean(2),
                    hasExternalIdentifier: reader.GetBoolean(4),
                    reader.IsDBNull(5) ? null : Stage(stages, reader.GetString(5)),
                    entries));
            }
            catch (Exception e) when (e is FormatException or ArgumentException or InvalidCastException or IndexOutOfRangeException or NodaTime.Text.UnparsableValueException)
            {
                throw new InvalidStoredStateException(Table, id.ToString(), "the state document's lifecycle history is not valid lifecycle JSON.", e);
            }
        }

        return rows;
    }

    private static LifecycleStage Stage(Dictionary<string, LifecycleStage> stages, string? text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!stages.TryGetValue(text, out var stage))
        {
            stage = new LifecycleStage(text);
            stages.Add(text, stage);
        }

        return stage;
    }
}

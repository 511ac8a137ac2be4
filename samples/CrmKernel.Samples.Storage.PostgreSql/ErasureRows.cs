using CrmKernel.Primitives;
using CrmKernel.Privacy;
using CrmKernel.Storage;
using Npgsql;

namespace CrmKernel.Samples.Storage.PostgreSql;

/// <summary>
/// The erasure of one customer in one transaction of <see cref="PostgreSqlCrmStore.EraseAsync"/>: every statement the
/// <see cref="ICustomerErasureStore"/> contract asks for, and the <c>customer_erasures</c> table of its records. The
/// customer's row is locked first, so that two erasures (or an erasure and a commit) of one customer run one after
/// the other.
/// </summary>
internal static class ErasureRows
{
    /// <summary>The erasure records, one per erased customer (appended as its own migration so it can be renumbered).</summary>
    internal const string Migration = """
        CREATE TABLE customer_erasures (
            tenant_id text COLLATE "C" NOT NULL,
            customer_id uuid NOT NULL,
            erased_at text COLLATE "C" NOT NULL,
            document text NOT NULL,
            PRIMARY KEY (tenant_id, customer_id)
        );
        """;

    private const string SelectRecord = "SELECT document FROM customer_erasures WHERE tenant_id = @tenant AND customer_id = @customer";

    private const string InsertRecord = "INSERT INTO customer_erasures (tenant_id, customer_id, erased_at, document) VALUES (@tenant, @customer, @erased, @document)";

    private const string LockCustomer = "SELECT version FROM customers WHERE tenant_id = @tenant AND id = @customer FOR UPDATE";

    private const string SelectEvents = "SELECT seq, aggregate_type, aggregate_id, payload FROM outbox WHERE tenant_id = @tenant AND (aggregate_id = @id OR strpos(payload, @marker) > 0) FOR UPDATE";

    private const string RedactEvent = "UPDATE outbox SET payload = @payload, published = true WHERE tenant_id = @tenant AND seq = @seq";

    private const string SelectCases = "SELECT id, document FROM service_cases WHERE tenant_id = @tenant AND customer_id = @customer ORDER BY id FOR UPDATE";

    private const string UpdateCase = "UPDATE service_cases SET version = @version, document = @document WHERE tenant_id = @tenant AND id = @id";

    private const string SelectOpportunities = "SELECT id, document FROM opportunities WHERE tenant_id = @tenant AND customer_id = @customer ORDER BY id FOR UPDATE";

    private const string UpdateOpportunity = "UPDATE opportunities SET version = @version, document = @document WHERE tenant_id = @tenant AND id = @id";

    private const string DeleteDispatches = "DELETE FROM pending_dispatches WHERE tenant_id = @tenant AND customer_id = @customer";

    private const string SelectMerges = "SELECT id, document FROM customer_merges WHERE tenant_id = @tenant AND (survivor_id = @customer OR merged_id = @customer) ORDER BY id FOR UPDATE";

    private const string UpdateMerge = "UPDATE customer_merges SET document = @document WHERE tenant_id = @tenant AND id = @id";

    private const string SelectIdeas = "SELECT id, version, document FROM ideas WHERE tenant_id = @tenant AND strpos(document, @marker) > 0 ORDER BY id FOR UPDATE";

    private const string UpdateIdea = "UPDATE ideas SET version = @version, document = @document WHERE tenant_id = @tenant AND id = @id";

    private const string SelectVoices = "SELECT id, document FROM customer_voices WHERE tenant_id = @tenant AND strpos(document, @marker) > 0 ORDER BY id FOR UPDATE";

    private const string UpdateVoice = "UPDATE customer_voices SET document = @document WHERE tenant_id = @tenant AND id = @id";

    public static async ValueTask<ErasureRecord?> FindAsync(PostgreSqlDatabase db, NpgsqlConnection connection, NpgsqlTransaction? transaction, TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken)
    {
        await using var select = db.Command(connection, transaction, SelectRecord).With("tenant", tenantId.Value).With("customer", customerId.Value);
        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string document
            ? ErasureDocuments.ReadRecord(tenantId, customerId, document)
            : null;
    }

    public static async ValueTask<ErasureRecord> EraseAsync(PostgreSqlDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, CustomerErasure erasure, CancellationToken cancellationToken)
    {
        var tenant = erasure.TenantId.Value;
        var customer = erasure.CustomerId.Value;
        long? stored;
        await using (var lockRow = db.Command(connection, transaction, LockCustomer).With("tenant", tenant).With("customer", customer))
        {
            stored = await lockRow.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long?;
        }

        if (await FindAsync(db, connection, transaction, erasure.TenantId, erasure.CustomerId, cancellationToken).ConfigureAwait(false) is { } earlier)
        {
            return earlier;
        }

        if (stored is null)
        {
            throw new CustomerNotFoundException(erasure.TenantId, erasure.CustomerId);
        }

        if (stored != erasure.Commit.ExpectedVersion)
        {
            throw new ConcurrencyConflictException(CustomerRows.AggregateType, erasure.CustomerId.ToString(), erasure.Commit.ExpectedVersion, stored);
        }

        var events = await RedactEventsAsync(db, connection, transaction, erasure, cancellationToken).ConfigureAwait(false);
        await CustomerRows.CommitAsync(db, connection, transaction, erasure.Commit, cancellationToken).ConfigureAwait(false);
        var cases = await RewriteAsync(db, connection, transaction, SelectCases, UpdateCase, erasure, (id, document) => ErasureDocuments.EraseCase(erasure.TenantId, new CaseId(id), document), cancellationToken).ConfigureAwait(false);
        var opportunities = await RewriteAsync(db, connection, transaction, SelectOpportunities, UpdateOpportunity, erasure, (id, document) => ErasureDocuments.EraseOpportunity(erasure.TenantId, new OpportunityId(id), document), cancellationToken).ConfigureAwait(false);
        int dispatches;
        await using (var delete = db.Command(connection, transaction, DeleteDispatches).With("tenant", tenant).With("customer", customer))
        {
            dispatches = await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var merges = await RewriteTextAsync(db, connection, transaction, SelectMerges, UpdateMerge, erasure, (id, document) => ErasureDocuments.EraseMerge(erasure.TenantId, new CustomerMergeId(id), document, erasure.At), cancellationToken).ConfigureAwait(false);
        var (ideas, comments) = await RewriteIdeasAsync(db, connection, transaction, erasure, cancellationToken).ConfigureAwait(false);
        var voices = await RewriteTextAsync(db, connection, transaction, SelectVoices, UpdateVoice, erasure, (_, document) => ErasureDocuments.EraseVoice(erasure.TenantId, document, erasure.CustomerId), cancellationToken).ConfigureAwait(false);

        var record = erasure.ToRecord(cases, opportunities, events, dispatches, merges, ideas, comments, voices);
        await using (var insert = db.Command(connection, transaction, InsertRecord)
            .With("tenant", tenant).With("customer", customer).With("erased", InstantText.Of(record.ErasedAt)).With("document", ErasureDocuments.WriteRecord(record)))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return record;
    }

    private static async ValueTask<int> RedactEventsAsync(PostgreSqlDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, CustomerErasure erasure, CancellationToken cancellationToken)
    {
        var tenant = erasure.TenantId.Value;
        var sequences = new List<long>();
        await using (var select = db.Command(connection, transaction, SelectEvents)
            .With("tenant", tenant).With("id", erasure.CustomerId.ToString()).With("marker", ErasureDocuments.PayloadMarker(erasure.CustomerId)))
        {
            await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (ErasureDocuments.ConcernsCustomer(erasure.CustomerId, reader.GetString(1), reader.GetString(2), reader.GetString(3)))
                {
                    sequences.Add(reader.GetInt64(0));
                }
            }
        }

        foreach (var seq in sequences)
        {
            await using var redact = db.Command(connection, transaction, RedactEvent).With("payload", ErasureDocuments.RedactedPayload).With("tenant", tenant).With("seq", seq);
            await redact.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return sequences.Count;
    }

    private static async ValueTask<int> RewriteAsync(PostgreSqlDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, string select, string update, CustomerErasure erasure, Func<Guid, string, ErasedDocument> erase, CancellationToken cancellationToken)
    {
        var tenant = erasure.TenantId.Value;
        var rewritten = new List<(Guid Id, ErasedDocument Erased)>();
        await using (var read = db.Command(connection, transaction, select).With("tenant", tenant).With("customer", erasure.CustomerId.Value))
        {
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = reader.GetGuid(0);
                rewritten.Add((id, erase(id, reader.GetString(1))));
            }
        }

        foreach (var (id, erased) in rewritten)
        {
            await using var write = db.Command(connection, transaction, update).With("version", erased.Version).With("document", erased.Document).With("tenant", tenant).With("id", id);
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return rewritten.Count;
    }

    /// <summary>
    /// Rewrites the rows (uuid id, document) <paramref name="select"/> finds and locks that <paramref name="erase"/> changes
    /// (null: unchanged); returns how many. The query takes <c>@tenant</c> and either <c>@customer</c> (a uuid) or
    /// <c>@marker</c> (the id's text, to prefilter documents).
    /// </summary>
    private static async ValueTask<int> RewriteTextAsync(PostgreSqlDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, string select, string update, CustomerErasure erasure, Func<Guid, string, string?> erase, CancellationToken cancellationToken)
    {
        var tenant = erasure.TenantId.Value;
        var rewritten = new List<(Guid Id, string Document)>();
        await using (var read = db.Command(connection, transaction, select).With("tenant", tenant))
        {
            if (select.Contains("@customer", StringComparison.Ordinal))
            {
                read.With("customer", erasure.CustomerId.Value);
            }
            else
            {
                read.With("marker", erasure.CustomerId.ToString());
            }

            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = reader.GetGuid(0);
                if (erase(id, reader.GetString(1)) is { } document)
                {
                    rewritten.Add((id, document));
                }
            }
        }

        foreach (var (id, document) in rewritten)
        {
            await using var write = db.Command(connection, transaction, update).With("document", document).With("tenant", tenant).With("id", id);
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return rewritten.Count;
    }

    /// <summary>Rewrites the ideas whose document names the customer (prefiltered in SQL, decided by <see cref="ErasureDocuments.EraseIdea"/>); returns the ideas and comments rewritten.</summary>
    private static async ValueTask<(int Ideas, int Comments)> RewriteIdeasAsync(PostgreSqlDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, CustomerErasure erasure, CancellationToken cancellationToken)
    {
        var tenant = erasure.TenantId.Value;
        var rewritten = new List<(Guid Id, ErasedIdea Erased)>();
        await using (var read = db.Command(connection, transaction, SelectIdeas).With("tenant", tenant).With("marker", erasure.CustomerId.ToString()))
        {
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = reader.GetGuid(0);
                if (ErasureDocuments.EraseIdea(erasure.TenantId, new IdeaId(id), reader.GetInt32(1), reader.GetString(2), erasure.CustomerId) is { } erased)
                {
                    rewritten.Add((id, erased));
                }
            }
        }

        int ideas = 0, comments = 0;
        foreach (var (id, erased) in rewritten)
        {
            await using var write = db.Command(connection, transaction, UpdateIdea).With("version", erased.Version).With("document", erased.Document).With("tenant", tenant).With("id", id);
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            ideas += erased.TextReplaced ? 1 : 0;
            comments += erased.CommentsReplaced;
        }

        return (ideas, comments);
    }
}

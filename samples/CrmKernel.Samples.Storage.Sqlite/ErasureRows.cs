using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Privacy;
using CrmKernel.Storage;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// The erasure of one customer in the write transaction of <see cref="SqliteCrmStore.EraseAsync"/>: every statement
/// the <see cref="ICustomerErasureStore"/> contract asks for, and the <c>customer_erasures</c> table of its records.
/// </summary>
internal static class ErasureRows
{
    /// <summary>The erasure records, one per erased customer (appended as its own migration so it can be renumbered).</summary>
    public const string Migration = """
        CREATE TABLE customer_erasures (
            tenant TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            erased_at TEXT NOT NULL,
            document TEXT NOT NULL,
            PRIMARY KEY (tenant, customer_id)
        ) STRICT, WITHOUT ROWID;
        """;

    private static readonly SqlStatement SelectRecord = new(
        "SELECT document FROM customer_erasures WHERE tenant = $tenant AND customer_id = $customer", "$tenant", "$customer");

    private static readonly SqlStatement InsertRecord = new(
        "INSERT INTO customer_erasures (tenant, customer_id, erased_at, document) VALUES ($tenant, $customer, $erased_at, $document)",
        "$tenant", "$customer", "$erased_at", "$document");

    private static readonly SqlStatement SelectVersion = new(
        "SELECT version FROM customers WHERE tenant = $tenant AND id = $customer", "$tenant", "$customer");

    private static readonly SqlStatement SelectEvents = new(
        "SELECT seq, aggregate_type, aggregate_id, payload FROM outbox WHERE tenant = $tenant AND (aggregate_id = $customer OR instr(payload, $marker) > 0)",
        "$tenant", "$customer", "$marker");

    private static readonly SqlStatement RedactEvent = new(
        "UPDATE outbox SET payload = $payload, published = 1 WHERE seq = $seq", "$payload", "$seq");

    private static readonly SqlStatement DeleteConsents = new(
        "DELETE FROM customer_consents WHERE tenant = $tenant AND customer_id = $customer", "$tenant", "$customer");

    private static readonly SqlStatement SelectCases = new(
        "SELECT id, document FROM service_cases WHERE tenant = $tenant AND customer_id = $customer", "$tenant", "$customer");

    private static readonly SqlStatement UpdateCase = new(
        "UPDATE service_cases SET version = $version, document = $document WHERE tenant = $tenant AND id = $id", "$version", "$document", "$tenant", "$id");

    private static readonly SqlStatement SelectOpportunities = new(
        "SELECT id, document FROM opportunities WHERE tenant = $tenant AND customer_id = $customer", "$tenant", "$customer");

    private static readonly SqlStatement UpdateOpportunity = new(
        "UPDATE opportunities SET version = $version, document = $document WHERE tenant = $tenant AND id = $id", "$version", "$document", "$tenant", "$id");

    private static readonly SqlStatement DeleteDispatches = new(
        "DELETE FROM pending_dispatches WHERE tenant = $tenant AND customer_id = $customer", "$tenant", "$customer");

    private static readonly SqlStatement SelectMerges = new(
        "SELECT id, document FROM customer_merges WHERE tenant = $tenant AND (survivor_id = $customer OR merged_id = $customer)", "$tenant", "$customer");

    private static readonly SqlStatement UpdateMerge = new(
        "UPDATE customer_merges SET document = $document WHERE tenant = $tenant AND id = $id", "$document", "$tenant", "$id");

    private static readonly SqlStatement SelectIdeas = new(
        "SELECT id, version, document FROM ideas WHERE tenant = $tenant AND instr(document, $customer) > 0", "$tenant", "$customer");

    private static readonly SqlStatement UpdateIdea = new(
        "UPDATE ideas SET version = $version, document = $document WHERE tenant = $tenant AND id = $id", "$version", "$document", "$tenant", "$id");

    private static readonly SqlStatement SelectVoices = new(
        "SELECT id, document FROM customer_voices WHERE tenant = $tenant AND instr(document, $customer) > 0", "$tenant", "$customer");

    private static readonly SqlStatement UpdateVoice = new(
        "UPDATE customer_voices SET document = $document WHERE tenant = $tenant AND id = $id", "$document", "$tenant", "$id");

    public static async ValueTask<ErasureRecord?> FindAsync(SqliteSession session, TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken)
    {
        var select = session.Command(SelectRecord);
        select.Parameters[0].Value = tenantId.Value;
        select.Parameters[1].Value = ColumnText.OfId(customerId);
        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string document
            ? ErasureDocuments.ReadRecord(tenantId, customerId, document)
            : null;
    }

    public static async ValueTask<ErasureRecord> EraseAsync(SqliteSession session, CustomerErasure erasure, CancellationToken cancellationToken)
    {
        if (await FindAsync(session, erasure.TenantId, erasure.CustomerId, cancellationToken).ConfigureAwait(false) is { } earlier)
        {
            return earlier;
        }

        var tenant = erasure.TenantId.Value;
        var id = ColumnText.OfId(erasure.CustomerId);
        var version = session.Command(SelectVersion);
        version.Parameters[0].Value = tenant;
        version.Parameters[1].Value = id;
        var stored = await version.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        if (stored is null or DBNull)
        {
            throw new CustomerNotFoundException(erasure.TenantId, erasure.CustomerId);
        }

        if (Convert.ToInt64(stored, System.Globalization.CultureInfo.InvariantCulture) != erasure.Commit.ExpectedVersion)
        {
            throw new ConcurrencyConflictException(CustomerRowWriter.AggregateType, id, erasure.Commit.ExpectedVersion, Convert.ToInt64(stored, System.Globalization.CultureInfo.InvariantCulture));
        }

        var events = await RedactEventsAsync(session, erasure.CustomerId, tenant, id, cancellationToken).ConfigureAwait(false);
        await CustomerRowWriter.CommitAsync(session, erasure.Commit, cancellationToken).ConfigureAwait(false);
        var deleteConsents = session.Command(DeleteConsents);
        deleteConsents.Parameters[0].Value = tenant;
        deleteConsents.Parameters[1].Value = id;
        await deleteConsents.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await ConsentRows.InsertNewAsync(session, erasure.Shell, tenant, id, isInsert: true, cancellationToken).ConfigureAwait(false);

        var cases = await RewriteAsync(session, SelectCases, UpdateCase, tenant, id, (key, document) => ErasureDocuments.EraseCase(erasure.TenantId, CaseId.Parse(key), document), cancellationToken).ConfigureAwait(false);
        var opportunities = await RewriteAsync(session, SelectOpportunities, UpdateOpportunity, tenant, id, (key, document) => ErasureDocuments.EraseOpportunity(erasure.TenantId, OpportunityId.Parse(key), document), cancellationToken).ConfigureAwait(false);
        var deleteDispatches = session.Command(DeleteDispatches);
        deleteDispatches.Parameters[0].Value = tenant;
        deleteDispatches.Parameters[1].Value = id;
        var dispatches = await deleteDispatches.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

        var merges = await RewriteTextAsync(session, SelectMerges, UpdateMerge, tenant, id, (key, document) => ErasureDocuments.EraseMerge(erasure.TenantId, CustomerMergeId.Parse(key), document, erasure.At), cancellationToken).ConfigureAwait(false);
        var (ideas, comments) = await RewriteIdeasAsync(session, erasure, tenant, id, cancellationToken).ConfigureAwait(false);
        var voices = await RewriteTextAsync(session, SelectVoices, UpdateVoice, tenant, id, (_, document) => ErasureDocuments.EraseVoice(erasure.TenantId, document, erasure.CustomerId), cancellationToken).ConfigureAwait(false);

        var record = erasure.ToRecord(cases, opportunities, events, dispatches, merges, ideas, comments, voices);
        var insert = session.Command(InsertRecord);
        insert.Parameters[0].Value = tenant;
        insert.Parameters[1].Value = id;
        insert.Parameters[2].Value = ColumnText.OfInstant(record.ErasedAt);
        insert.Parameters[3].Value = ErasureDocuments.WriteRecord(record);
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return record;
    }

    private static async ValueTask<int> RedactEventsAsync(SqliteSession session, CustomerId customerId, string tenant, string id, CancellationToken cancellationToken)
    {
        var select = session.Command(SelectEvents);
        select.Parameters[0].Value = tenant;
        select.Parameters[1].Value = id;
        select.Parameters[2].Value = ErasureDocuments.PayloadMarker(customerId);
        var sequences = new List<long>();
        using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (ErasureDocuments.ConcernsCustomer(customerId, reader.GetString(1), reader.GetString(2), reader.GetString(3)))
                {
                    sequences.Add(reader.GetInt64(0));
                }
            }
        }

        var redact = session.Command(RedactEvent);
        redact.Parameters[0].Value = ErasureDocuments.RedactedPayload;
        foreach (var seq in sequences)
        {
            redact.Parameters[1].Value = seq;
            await redact.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return sequences.Count;
    }

    /// <summary>Rewrites the documents <paramref name="select"/> finds (key, document) that <paramref name="erase"/> changes (null: unchanged); returns how many.</summary>
    private static async ValueTask<int> RewriteTextAsync(SqliteSession session, SqlStatement select, SqlStatement update, string tenant, string id, Func<string, string, string?> erase, CancellationToken cancellationToken)
    {
        var read = session.Command(select);
        read.Parameters[0].Value = tenant;
        read.Parameters[1].Value = id;
        var rewritten = new List<(string Key, string Document)>();
        using (var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = reader.GetString(0);
                if (erase(key, reader.GetString(1)) is { } document)
                {
                    rewritten.Add((key, document));
                }
            }
        }

        var write = session.Command(update);
        foreach (var (key, document) in rewritten)
        {
            write.Parameters[0].Value = document;
            write.Parameters[1].Value = tenant;
            write.Parameters[2].Value = key;
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return rewritten.Count;
    }

    /// <summary>Rewrites the ideas whose document names the customer (prefiltered in SQL, decided by <see cref="ErasureDocuments.EraseIdea"/>); returns the ideas and comments rewritten.</summary>
    private static async ValueTask<(int Ideas, int Comments)> RewriteIdeasAsync(SqliteSession session, CustomerErasure erasure, string tenant, string id, CancellationToken cancellationToken)
    {
        var read = session.Command(SelectIdeas);
        read.Parameters[0].Value = tenant;
        read.Parameters[1].Value = id;
        var rewritten = new List<(string Key, ErasedIdea Erased)>();
        using (var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = reader.GetString(0);
                var ideaId = IdeaId.TryParse(key, out var parsed) ? parsed : throw new InvalidStoredStateException("ideas", key, "id is not an idea id");
                if (ErasureDocuments.EraseIdea(erasure.TenantId, ideaId, reader.GetInt32(1), reader.GetString(2), erasure.CustomerId) is { } erased)
                {
                    rewritten.Add((key, erased));
                }
            }
        }

        var write = session.Command(UpdateIdea);
        int ideas = 0, comments = 0;
        foreach (var (key, erased) in rewritten)
        {
            write.Parameters[0].Value = erased.Version;
            write.Parameters[1].Value = erased.Document;
            write.Parameters[2].Value = tenant;
            write.Parameters[3].Value = key;
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            ideas += erased.TextReplaced ? 1 : 0;
            comments += erased.CommentsReplaced;
        }

        return (ideas, comments);
    }

    private static async ValueTask<int> RewriteAsync(SqliteSession session, SqlStatement select, SqlStatement update, string tenant, string id, Func<string, string, ErasedDocument> erase, CancellationToken cancellationToken)
    {
        var read = session.Command(select);
        read.Parameters[0].Value = tenant;
        read.Parameters[1].Value = id;
        var rewritten = new List<(string Key, ErasedDocument Erased)>();
        using (var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = reader.GetString(0);
                rewritten.Add((key, erase(key, reader.GetString(1))));
            }
        }

        var write = session.Command(update);
        foreach (var (key, erased) in rewritten)
        {
            write.Parameters[0].Value = erased.Version;
            write.Parameters[1].Value = erased.Document;
            write.Parameters[2].Value = tenant;
            write.Parameters[3].Value = key;
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return rewritten.Count;
    }
}

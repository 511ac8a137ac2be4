using CrmKernel.Innovation;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using Microsoft.Data.Sqlite;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// The innovation tables: <c>ideas</c> (one row per idea, the kernel's document from <see cref="IdeaDocuments"/> beside
/// its version), <c>customer_voices</c> (one row per voice record, unique per source key) and <c>idea_votes</c> (one row
/// per customer and idea: the primary key is the one-vote rule).
/// </summary>
internal static class IdeaRows
{
    /// <summary>The innovation migration (version 10 when appended after the segment tables): three tables, keys starting with the tenant.</summary>
    public const string Migration = """
        CREATE TABLE ideas (
            tenant TEXT NOT NULL,
            id TEXT NOT NULL,
            version INTEGER NOT NULL,
            document TEXT NOT NULL,
            PRIMARY KEY (tenant, id)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE customer_voices (
            tenant TEXT NOT NULL,
            id TEXT NOT NULL,
            source_key TEXT NOT NULL,
            document TEXT NOT NULL,
            PRIMARY KEY (tenant, id),
            UNIQUE (tenant, source_key)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE idea_votes (
            tenant TEXT NOT NULL,
            idea TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            value INTEGER NOT NULL,
            cast_at TEXT NOT NULL,
            PRIMARY KEY (tenant, idea, customer_id)
        ) STRICT, WITHOUT ROWID;
        """;

    private static readonly SqlStatement Version = new("SELECT version FROM ideas WHERE tenant = $tenant AND id = $id", "$tenant", "$id");

    private static readonly SqlStatement Insert = new("INSERT INTO ideas (tenant, id, version, document) VALUES ($tenant, $id, $version, $document)", "$tenant", "$id", "$version", "$document");

    private static readonly SqlStatement Update = new("UPDATE ideas SET version = $version, document = $document WHERE tenant = $tenant AND id = $id", "$tenant", "$id", "$version", "$document");

    private static readonly SqlStatement Select = new("SELECT version, document FROM ideas WHERE tenant = $tenant AND id = $id", "$tenant", "$id");

    private static readonly SqlStatement Page = new("SELECT id, version, document FROM ideas WHERE tenant = $tenant AND id > $after ORDER BY id LIMIT $limit", "$tenant", "$after", "$limit");

    private static readonly SqlStatement VoiceByKey = new("SELECT document FROM customer_voices WHERE tenant = $tenant AND source_key = $key", "$tenant", "$key");

    private static readonly SqlStatement InsertVoice = new("INSERT INTO customer_voices (tenant, id, source_key, document) VALUES ($tenant, $id, $key, $document)", "$tenant", "$id", "$key", "$document");

    private static readonly SqlStatement PageVoices = new("SELECT document FROM customer_voices WHERE tenant = $tenant AND id > $after ORDER BY id LIMIT $limit", "$tenant", "$after", "$limit");

    private static readonly SqlStatement SelectVote = new("SELECT customer_id, value, cast_at FROM idea_votes WHERE tenant = $tenant AND idea = $idea AND customer_id = $customer", "$tenant", "$idea", "$customer");

    private static readonly SqlStatement UpsertVote = new(
        "INSERT INTO idea_votes (tenant, idea, customer_id, value, cast_at) VALUES ($tenant, $idea, $customer, $value, $cast_at) ON CONFLICT (tenant, idea, customer_id) DO UPDATE SET value = excluded.value, cast_at = excluded.cast_at",
        "$tenant", "$idea", "$customer", "$value", "$cast_at");

    private static readonly SqlStatement DeleteVote = new("DELETE FROM idea_votes WHERE tenant = $tenant AND idea = $idea AND customer_id = $customer", "$tenant", "$idea", "$customer");

    private static readonly SqlStatement PageVotes = new(
        "SELECT customer_id, value, cast_at FROM idea_votes WHERE tenant = $tenant AND idea = $idea AND customer_id > $after ORDER BY customer_id LIMIT $limit",
        "$tenant", "$idea", "$after", "$limit");

    public static async ValueTask SaveAsync(SqliteSession session, Idea idea, int expectedVersion, CancellationToken cancellationToken)
    {
        var version = session.Command(Version);
        version.Parameters[0].Value = idea.TenantId.Value;
        version.Parameters[1].Value = idea.Id.ToString();
        var stored = await version.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long v ? v : 0L;
        if (stored != expectedVersion)
        {
            throw new ConcurrencyConflictException("idea", idea.Id.ToString(), expectedVersion, stored == 0 ? null : stored);
        }

        var write = session.Command(expectedVersion == 0 ? Insert : Update);
        write.Parameters[0].Value = idea.TenantId.Value;
        write.Parameters[1].Value = idea.Id.ToString();
        write.Parameters[2].Value = idea.Version;
        write.Parameters[3].Value = IdeaDocuments.Write(idea);
        await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async ValueTask<Idea?> FindAsync(SqliteSession session, TenantId tenantId, IdeaId idea, CancellationToken cancellationToken)
    {
        var select = session.Command(Select);
        select.Parameters[0].Value = tenantId.Value;
        select.Parameters[1].Value = idea.ToString();
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? IdeaDocuments.Read(tenantId, idea, reader.GetInt32(0), reader.GetString(1)) : null;
    }

    public static async ValueTask<IReadOnlyList<Idea>> PageAsync(SqliteSession session, TenantId tenantId, IdeaId? after, int limit, CancellationToken cancellationToken)
    {
        var select = session.Command(Page);
        select.Parameters[0].Value = tenantId.Value;
        select.Parameters[1].Value = after?.ToString() ?? string.Empty;
        select.Parameters[2].Value = limit;
        var page = new List<Idea>();
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var text = reader.GetString(0);
            var id = IdeaId.TryParse(text, out var parsed) ? parsed : throw new CrmKernel.Diagnostics.InvalidStoredStateException("ideas", text, "id is not an idea id");
            page.Add(IdeaDocuments.Read(tenantId, id, reader.GetInt32(1), reader.GetString(2)));
        }

        return page;
    }

    public static async ValueTask<CustomerVoice?> FindVoiceAsync(SqliteSession session, TenantId tenantId, ExternalIdentifier source, CancellationToken cancellationToken)
    {
        var select = session.Command(VoiceByKey);
        select.Parameters[0].Value = tenantId.Value;
        select.Parameters[1].Value = source.ToString();
        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string document ? IdeaDocuments.ReadVoice(tenantId, document) : null;
    }

    public static async ValueTask<CustomerVoice> AddVoiceAsync(SqliteSession session, CustomerVoice voice, Idea? idea, CancellationToken cancellationToken)
    {
        if (await FindVoiceAsync(session, voice.TenantId, voice.Source, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }

        if (idea is not null)
        {
            await SaveAsync(session, idea, 0, cancellationToken).ConfigureAwait(false);
        }

        var insert = session.Command(InsertVoice);
        insert.Parameters[0].Value = voice.TenantId.Value;
        insert.Parameters[1].Value = voice.Id.ToString();
        insert.Parameters[2].Value = voice.Source.ToString();
        insert.Parameters[3].Value = IdeaDocuments.Write(voice);
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return voice;
    }

    public static async ValueTask<IReadOnlyList<CustomerVoice>> PageVoicesAsync(SqliteSession session, TenantId tenantId, TouchpointId? after, int limit, CancellationToken cancellationToken)
    {
        var select = session.Command(PageVoices);
        select.Parameters[0].Value = tenantId.Value;
        select.Parameters[1].Value = after?.ToString() ?? string.Empty;
        select.Parameters[2].Value = limit;
        var page = new List<CustomerVoice>();
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            page.Add(IdeaDocuments.ReadVoice(tenantId, reader.GetString(0)));
        }

        return page;
    }

    public static async ValueTask<IdeaVote?> FindVoteAsync(SqliteSession session, TenantId tenantId, IdeaId idea, CustomerId customer, CancellationToken cancellationToken)
    {
        var select = session.Command(SelectVote);
        select.Parameters[0].Value = tenantId.Value;
        select.Parameters[1].Value = idea.ToString();
        select.Parameters[2].Value = customer.ToString();
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Vote(reader, tenantId, idea) : null;
    }

    public static async ValueTask SetVoteAsync(SqliteSession session, IdeaVote vote, CancellationToken cancellationToken)
    {
        var upsert = session.Command(UpsertVote);
        var p = upsert.Parameters;
        p[0].Value = vote.TenantId.Value;
        p[1].Value = vote.Idea.ToString();
        p[2].Value = vote.Customer.ToString();
        p[3].Value = (int)vote.Value;
        p[4].Value = ColumnText.OfInstant(vote.CastAt);
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async ValueTask<bool> RemoveVoteAsync(SqliteSession session, TenantId tenantId, IdeaId idea, CustomerId customer, CancellationToken cancellationToken)
    {
        var delete = session.Command(DeleteVote);
        delete.Parameters[0].Value = tenantId.Value;
        delete.Parameters[1].Value = idea.ToString();
        delete.Parameters[2].Value = customer.ToString();
        return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public static async ValueTask<IReadOnlyList<IdeaVote>> PageVotesAsync(SqliteSession session, TenantId tenantId, IdeaId idea, CustomerId? after, int limit, CancellationToken cancellationToken)
    {
        var select = session.Command(PageVotes);
        var p = select.Parameters;
        p[0].Value = tenantId.Value;
        p[1].Value = idea.ToString();
        p[2].Value = after?.ToString() ?? string.Empty;
        p[3].Value = limit;
        var page = new List<IdeaVote>();
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            page.Add(Vote(reader, tenantId, idea));
        }

        return page;
    }

    private static IdeaVote Vote(SqliteDataReader reader, TenantId tenantId, IdeaId idea)
    {
        var customerText = reader.GetString(0);
        var value = (IdeaVoteValue)reader.GetInt32(1);
        if (!CustomerId.TryParse(customerText, out var customer) || !Enum.IsDefined(value) || !ColumnText.TryParseInstant(reader.GetString(2), out var castAt))
        {
            throw new CrmKernel.Diagnostics.InvalidStoredStateException("idea_votes", $"{idea}/{customerText}", "a column is not valid");
        }

        return new IdeaVote(tenantId, idea, customer, value, castAt);
    }
}

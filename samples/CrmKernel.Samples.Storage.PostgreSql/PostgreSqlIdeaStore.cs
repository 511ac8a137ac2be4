using CrmKernel.Diagnostics;
using CrmKernel.Innovation;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using Npgsql;

namespace CrmKernel.Samples.Storage.PostgreSql;

/// <summary>
/// The idea store of a <see cref="PostgreSqlCrmStore"/>'s database: ideas and voice records as the kernel's documents
/// (<see cref="IdeaDocuments"/>), votes as rows whose primary key is the one-vote-per-customer rule, every key led by
/// <c>tenant_id</c> (Citus-ready). Obtain it from <see cref="PostgreSqlCrmStore.Ideas"/>; application code uses
/// <c>InnovationService</c> over it.
/// </summary>
public sealed class PostgreSqlIdeaStore : IIdeaStore
{
    /// <summary>The innovation migration (version 6 when appended after the segment tables): three tables, every key led by <c>tenant_id</c>.</summary>
    internal const string Migration = """
        CREATE TABLE ideas (
            tenant_id text COLLATE "C" NOT NULL,
            id uuid NOT NULL,
            version integer NOT NULL,
            document text NOT NULL,
            PRIMARY KEY (tenant_id, id)
        );

        CREATE TABLE customer_voices (
            tenant_id text COLLATE "C" NOT NULL,
            id uuid NOT NULL,
            source_key text COLLATE "C" NOT NULL,
            document text NOT NULL,
            PRIMARY KEY (tenant_id, id),
            UNIQUE (tenant_id, source_key)
        );

        CREATE TABLE idea_votes (
            tenant_id text COLLATE "C" NOT NULL,
            idea uuid NOT NULL,
            customer_id uuid NOT NULL,
            value smallint NOT NULL,
            cast_at text NOT NULL,
            PRIMARY KEY (tenant_id, idea, customer_id)
        );
        """;

    private const string Insert = "INSERT INTO ideas (tenant_id, id, version, document) VALUES (@tenant, @id, @version, @document) ON CONFLICT (tenant_id, id) DO NOTHING";

    private const string Update = "UPDATE ideas SET version = @version, document = @document WHERE tenant_id = @tenant AND id = @id AND version = @expected";

    private const string Version = "SELECT version FROM ideas WHERE tenant_id = @tenant AND id = @id";

    private const string Select = "SELECT version, document FROM ideas WHERE tenant_id = @tenant AND id = @id";

    private const string Page = "SELECT id, version, document FROM ideas WHERE tenant_id = @tenant AND id > @after ORDER BY id LIMIT @limit";

    private const string VoiceByKey = "SELECT document FROM customer_voices WHERE tenant_id = @tenant AND source_key = @key";

    private const string InsertVoice = "INSERT INTO customer_voices (tenant_id, id, source_key, document) VALUES (@tenant, @id, @key, @document) ON CONFLICT DO NOTHING";

    private const string PageVoices = "SELECT document FROM customer_voices WHERE tenant_id = @tenant AND id > @after ORDER BY id LIMIT @limit";

    private const string SelectVote = "SELECT customer_id, value, cast_at FROM idea_votes WHERE tenant_id = @tenant AND idea = @idea AND customer_id = @customer";

    private const string UpsertVote = """
        INSERT INTO idea_votes (tenant_id, idea, customer_id, value, cast_at) VALUES (@tenant, @idea, @customer, @value, @cast_at)
        ON CONFLICT (tenant_id, idea, customer_id) DO UPDATE SET value = excluded.value, cast_at = excluded.cast_at
        """;

    private const string DeleteVote = "DELETE FROM idea_votes WHERE tenant_id = @tenant AND idea = @idea AND customer_id = @customer";

    private const string PageVotes = "SELECT customer_id, value, cast_at FROM idea_votes WHERE tenant_id = @tenant AND idea = @idea AND customer_id > @after ORDER BY customer_id LIMIT @limit";

    private readonly PostgreSqlCrmStore _store;

    internal PostgreSqlIdeaStore(PostgreSqlCrmStore store) => _store = store;

    /// <inheritdoc />
    public async ValueTask SaveAsync(Idea idea, int expectedVersion, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(idea);
        CheckExpected(idea, expectedVersion);
        cancellationToken.ThrowIfCancellationRequested();
        await _store.WriteAsync(
            async (c, t, ct) =>
            {
                await SaveCoreAsync(c, t, idea, expectedVersion, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<Idea?> FindAsync(TenantId tenantId, IdeaId idea, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(idea);
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync<Idea?>(
            async (c, ct) =>
            {
                await using var select = _store.Database.Command(c, null, Select).With("tenant", tenantId.Value).With("id", idea.Value);
                await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
                return await reader.ReadAsync(ct).ConfigureAwait(false) ? IdeaDocuments.Read(tenantId, idea, reader.GetInt32(0), reader.GetString(1)) : null;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Idea>> PageAsync(TenantId tenantId, IdeaId? after, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync<IReadOnlyList<Idea>>(
            async (c, ct) =>
            {
                await using var select = _store.Database.Command(c, null, Page).With("tenant", tenantId.Value).With("after", after?.Value ?? Guid.Empty).With("limit", limit);
                await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
                var page = new List<Idea>();
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    page.Add(IdeaDocuments.Read(tenantId, new IdeaId(reader.GetGuid(0)), reader.GetInt32(1), reader.GetString(2)));
                }

                return page;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<CustomerVoice> AddVoiceAsync(CustomerVoice voice, Idea? idea, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(voice);
        var ok = voice.Kind == VoiceKind.Idea
            ? idea is not null && idea.Id == voice.Idea && idea.TenantId == voice.TenantId && idea.Version == 1
            : idea is null;
        Preconditions.Check(ok, "An idea's voice record is stored with the new idea it submitted (version 1); feedback with none.", nameof(idea));
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await _store.WriteAsync(
                async (c, t, ct) =>
                {
                    if (await FindVoiceCoreAsync(c, t, voice.TenantId, voice.Source, ct).ConfigureAwait(false) is { } existing)
                    {
                        return existing;
                    }

                    if (idea is not null)
                    {
                        await SaveCoreAsync(c, t, idea, 0, ct).ConfigureAwait(false);
                    }

                    await using var insert = _store.Database.Command(c, t, InsertVoice)
                        .With("tenant", voice.TenantId.Value).With("id", voice.Id.Value).With("key", voice.Source.ToString()).With("document", IdeaDocuments.Write(voice));
                    return await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1 ? voice : throw new VoiceTakenException();
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (VoiceTakenException)
        {
            // Another writer stored the same source key between the check and the insert; this write was rolled back.
            return await FindVoiceAsync(voice.TenantId, voice.Source, cancellationToken).ConfigureAwait(false)
                ?? throw new ConcurrencyConflictException("customer-voice", voice.Source.ToString(), 0, null);
        }
    }

    /// <inheritdoc />
    public ValueTask<CustomerVoice?> FindVoiceAsync(TenantId tenantId, ExternalIdentifier source, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(source);
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((c, ct) => FindVoiceCoreAsync(c, null, tenantId, source, ct), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CustomerVoice>> PageVoicesAsync(TenantId tenantId, TouchpointId? after, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync<IReadOnlyList<CustomerVoice>>(
            async (c, ct) =>
            {
                await using var select = _store.Database.Command(c, null, PageVoices).With("tenant", tenantId.Value).With("after", after?.Value ?? Guid.Empty).With("limit", limit);
                await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
                var page = new List<CustomerVoice>();
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    page.Add(IdeaDocuments.ReadVoice(tenantId, reader.GetString(0)));
                }

                return page;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IdeaVote?> FindVoteAsync(TenantId tenantId, IdeaId idea, CustomerId customer, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(idea);
        Preconditions.NotDefault(customer);
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync<IdeaVote?>(
            async (c, ct) =>
            {
                await using var select = _store.Database.Command(c, null, SelectVote).With("tenant", tenantId.Value).With("idea", idea.Value).With("customer", customer.Value);
                await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
                return await reader.ReadAsync(ct).ConfigureAwait(false) ? Vote(reader, tenantId, idea) : null;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask SetVoteAsync(IdeaVote vote, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(vote);
        cancellationToken.ThrowIfCancellationRequested();
        await _store.WriteAsync(
            async (c, t, ct) =>
            {
                await using var upsert = _store.Database.Command(c, t, UpsertVote)
                    .With("tenant", vote.TenantId.Value).With("idea", vote.Idea.Value).With("customer", vote.Customer.Value).With("value", (short)vote.Value).With("cast_at", InstantText.Of(vote.CastAt));
                await upsert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<bool> RemoveVoteAsync(TenantId tenantId, IdeaId idea, CustomerId customer, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(idea);
        Preconditions.NotDefault(customer);
        cancellationToken.ThrowIfCancellationRequested();
        return _store.WriteAsync(
            async (c, t, ct) =>
            {
                await using var delete = _store.Database.Command(c, t, DeleteVote).With("tenant", tenantId.Value).With("idea", idea.Value).With("customer", customer.Value);
                return await delete.ExecuteNonQueryAsync(ct).ConfigureAwait(false) > 0;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<IdeaVote>> PageVotesAsync(TenantId tenantId, IdeaId idea, CustomerId? after, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(idea);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync<IReadOnlyList<IdeaVote>>(
            async (c, ct) =>
            {
                await using var select = _store.Database.Command(c, null, PageVotes)
                    .With("tenant", tenantId.Value).With("idea", idea.Value).With("after", after?.Value ?? Guid.Empty).With("limit", limit);
                await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
                var page = new List<IdeaVote>();
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    page.Add(Vote(reader, tenantId, idea));
                }

                return page;
            },
            cancellationToken);
    }

    private static void CheckExpected(Idea idea, int expectedVersion)
    {
        if (expectedVersion < 0 || expectedVersion >= idea.Version)
        {
            throw new ArgumentOutOfRangeException(nameof(expectedVersion), expectedVersion, "The expected version is 0 (new) or the version the idea was read at, below its current version.");
        }
    }

    private static IdeaVote Vote(NpgsqlDataReader reader, TenantId tenantId, IdeaId idea)
    {
        var customer = reader.GetGuid(0);
        var value = (IdeaVoteValue)reader.GetInt16(1);
        if (customer == Guid.Empty || !Enum.IsDefined(value) || !InstantText.TryParse(reader.GetString(2), out var castAt))
        {
            throw new InvalidStoredStateException("idea_votes", $"{idea}/{customer}", "a column is not valid");
        }

        return new IdeaVote(tenantId, idea, new CustomerId(customer), value, castAt);
    }

    private async ValueTask SaveCoreAsync(NpgsqlConnection c, NpgsqlTransaction t, Idea idea, int expectedVersion, CancellationToken ct)
    {
        var db = _store.Database;
        await using var write = expectedVersion == 0
            ? db.Command(c, t, Insert).With("tenant", idea.TenantId.Value).With("id", idea.Id.Value).With("version", idea.Version).With("document", IdeaDocuments.Write(idea))
            : db.Command(c, t, Update).With("tenant", idea.TenantId.Value).With("id", idea.Id.Value).With("version", idea.Version).With("document", IdeaDocuments.Write(idea)).With("expected", expectedVersion);
        if (await write.ExecuteNonQueryAsync(ct).ConfigureAwait(false) != 1)
        {
            await using var version = db.Command(c, t, Version).With("tenant", idea.TenantId.Value).With("id", idea.Id.Value);
            long? stored = await version.ExecuteScalarAsync(ct).ConfigureAwait(false) is int v ? v : null;
            throw new ConcurrencyConflictException("idea", idea.Id.ToString(), expectedVersion, stored);
        }
    }

    private async ValueTask<CustomerVoice?> FindVoiceCoreAsync(NpgsqlConnection c, NpgsqlTransaction? t, TenantId tenantId, ExternalIdentifier source, CancellationToken ct)
    {
        await using var select = _store.Database.Command(c, t, VoiceByKey).With("tenant", tenantId.Value).With("key", source.ToString());
        return await select.ExecuteScalarAsync(ct).ConfigureAwait(false) is string document ? IdeaDocuments.ReadVoice(tenantId, document) : null;
    }

    private sealed class VoiceTakenException : Exception
    {
    }
}

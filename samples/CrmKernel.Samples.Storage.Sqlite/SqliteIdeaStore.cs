using CrmKernel.Innovation;
using CrmKernel.Primitives;
using CrmKernel.Storage;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// CrmKernel's idea store over the SQLite file of a <see cref="SqliteCrmStore"/>: ideas and voice records as the kernel's
/// documents, votes as rows whose key enforces one vote per customer and idea. Obtain it from <see cref="SqliteCrmStore.Ideas"/>
/// (or as <see cref="IIdeaStore"/> after <c>UseSqlite</c>); application code uses <c>InnovationService</c> over it.
/// </summary>
/// <remarks>Thread-safe. Disposing the owning <see cref="SqliteCrmStore"/> closes it too.</remarks>
public sealed class SqliteIdeaStore : IIdeaStore
{
    private readonly SqliteCrmStore _store;

    internal SqliteIdeaStore(SqliteCrmStore store) => _store = store;

    /// <inheritdoc />
    public async ValueTask SaveAsync(Idea idea, int expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(idea);
        CheckExpected(idea, expectedVersion);
        cancellationToken.ThrowIfCancellationRequested();
        await _store.WriteAsync(
            async (session, ct) =>
            {
                await IdeaRows.SaveAsync(session, idea, expectedVersion, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<Idea?> FindAsync(TenantId tenantId, IdeaId idea, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.NotDefault(idea, nameof(idea));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => IdeaRows.FindAsync(session, tenantId, idea, ct), inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Idea>> PageAsync(TenantId tenantId, IdeaId? after, int limit, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => IdeaRows.PageAsync(session, tenantId, after, limit, ct), inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<CustomerVoice> AddVoiceAsync(CustomerVoice voice, Idea? idea, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(voice);
        var ok = voice.Kind == VoiceKind.Idea
            ? idea is not null && idea.Id == voice.Idea && idea.TenantId == voice.TenantId && idea.Version == 1
            : idea is null;
        if (!ok)
        {
            throw new ArgumentException("An idea's voice record is stored with the new idea it submitted (version 1); feedback with none.", nameof(idea));
        }

        cancellationToken.ThrowIfCancellationRequested();
        return await _store.WriteAsync((session, ct) => IdeaRows.AddVoiceAsync(session, voice, idea, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<CustomerVoice?> FindVoiceAsync(TenantId tenantId, ExternalIdentifier source, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        ArgumentNullException.ThrowIfNull(source);
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => IdeaRows.FindVoiceAsync(session, tenantId, source, ct), inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CustomerVoice>> PageVoicesAsync(TenantId tenantId, TouchpointId? after, int limit, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => IdeaRows.PageVoicesAsync(session, tenantId, after, limit, ct), inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IdeaVote?> FindVoteAsync(TenantId tenantId, IdeaId idea, CustomerId customer, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.NotDefault(idea, nameof(idea));
        StoreArguments.NotDefault(customer, nameof(customer));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => IdeaRows.FindVoteAsync(session, tenantId, idea, customer, ct), inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask SetVoteAsync(IdeaVote vote, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vote);
        cancellationToken.ThrowIfCancellationRequested();
        await _store.WriteAsync(
            async (session, ct) =>
            {
                await IdeaRows.SetVoteAsync(session, vote, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<bool> RemoveVoteAsync(TenantId tenantId, IdeaId idea, CustomerId customer, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.NotDefault(idea, nameof(idea));
        StoreArguments.NotDefault(customer, nameof(customer));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.WriteAsync((session, ct) => IdeaRows.RemoveVoteAsync(session, tenantId, idea, customer, ct), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<IdeaVote>> PageVotesAsync(TenantId tenantId, IdeaId idea, CustomerId? after, int limit, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.NotDefault(idea, nameof(idea));
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => IdeaRows.PageVotesAsync(session, tenantId, idea, after, limit, ct), inTransaction: false, cancellationToken);
    }

    private static void CheckExpected(Idea idea, int expectedVersion)
    {
        if (expectedVersion < 0 || expectedVersion >= idea.Version)
        {
            throw new ArgumentOutOfRangeException(nameof(expectedVersion), expectedVersion, "The expected version is 0 (new) or the version the idea was read at, below its current version.");
        }
    }
}

using CrmKernel.Primitives;
using CrmKernel.Relationships;
using CrmKernel.Services.Relationships;
using CrmKernel.Storage;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// CrmKernel's relationship store over the SQLite file of a <see cref="SqliteCrmStore"/>: typed, time-valid links
/// between parties, each with its whole type, versioned with optimistic concurrency. Obtain it from
/// <see cref="SqliteCrmStore.Relationships"/> (or as <see cref="IRelationshipStore"/> after <c>UseSqlite</c>); it shares
/// the store's connections and lifetime. Application code uses <see cref="RelationshipGraph"/> over it.
/// </summary>
/// <remarks>Thread-safe. Disposing the owning <see cref="SqliteCrmStore"/> closes it too.</remarks>
public sealed class SqliteRelationshipStore : IRelationshipStore
{
    private readonly SqliteCrmStore _store;

    internal SqliteRelationshipStore(SqliteCrmStore store) => _store = store;

    /// <inheritdoc />
    public ValueTask<Relationship?> FindAsync(TenantId tenantId, RelationshipId relationshipId, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.NotDefault(relationshipId, nameof(relationshipId));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => RelationshipRows.FindAsync(session, tenantId, relationshipId, ct), inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Relationship>> ListByPartyAsync(TenantId tenantId, CustomerId party, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.NotDefault(party, nameof(party));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => RelationshipRows.ListByPartyAsync(session, tenantId, party, ct), inTransaction: false, cancellationToken);
    }

    /// <summary>
    /// Stores a relationship at its <see cref="Relationship.Version"/> in one transaction: inserts it when
    /// <paramref name="expectedVersion"/> is 0, otherwise replaces the row only if it is still at that version.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="relationship"/> is null.</exception>
    /// <exception cref="ConcurrencyConflictException">
    /// The stored version is not <paramref name="expectedVersion"/>, or the relationship's version is not the next one; nothing was stored.
    /// </exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; nothing was stored.</exception>
    /// <exception cref="ObjectDisposedException">The owning store was disposed.</exception>
    public async ValueTask CommitAsync(Relationship relationship, long expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relationship);
        cancellationToken.ThrowIfCancellationRequested();
        await _store.WriteAsync(
            async (session, ct) =>
            {
                if (expectedVersion == 0)
                {
                    // In the write transaction, as a merge re-points relationships: a new one never names a merged-away customer.
                    await CustomerMergeRows.EnsurePartiesNotMergedAwayAsync(session, relationship.TenantId, relationship.From, relationship.To, ct).ConfigureAwait(false);
                }

                await RelationshipRows.CommitAsync(session, relationship, expectedVersion, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }
}

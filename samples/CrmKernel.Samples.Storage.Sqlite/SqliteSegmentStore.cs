using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Storage;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// CrmKernel's segment store over the SQLite file of a <see cref="SqliteCrmStore"/>: every version of every definition
/// as the kernel's document, and frozen memberships with one row per member. Obtain it from
/// <see cref="SqliteCrmStore.Segments"/> (or as <see cref="ISegmentStore"/> after <c>UseSqlite</c>); application code
/// uses <c>SegmentService</c> over it.
/// </summary>
/// <remarks>Thread-safe. Disposing the owning <see cref="SqliteCrmStore"/> closes it too.</remarks>
public sealed class SqliteSegmentStore : ISegmentStore
{
    private readonly SqliteCrmStore _store;

    internal SqliteSegmentStore(SqliteCrmStore store) => _store = store;

    /// <inheritdoc />
    public async ValueTask SaveAsync(TenantId tenantId, SegmentDefinition definition, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        ArgumentNullException.ThrowIfNull(definition);
        cancellationToken.ThrowIfCancellationRequested();
        await _store.WriteAsync(
            async (session, ct) =>
            {
                await SegmentRows.SaveAsync(session, tenantId, definition, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<SegmentDefinition?> FindAsync(TenantId tenantId, SegmentId segment, int? version, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.NotDefault(segment, nameof(segment));
        if (version is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, "A segment's versions start at 1.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => SegmentRows.FindAsync(session, tenantId, segment, version, ct), inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SegmentDefinition>> PageAsync(TenantId tenantId, SegmentId? after, int limit, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => SegmentRows.PageAsync(session, tenantId, after, limit, ct), inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask SaveSnapshotAsync(SegmentSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        cancellationToken.ThrowIfCancellationRequested();
        await _store.WriteAsync(
            async (session, ct) =>
            {
                await SegmentRows.SaveSnapshotAsync(session, snapshot, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<SegmentSnapshot?> FindLatestSnapshotAsync(TenantId tenantId, SegmentId segment, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.NotDefault(segment, nameof(segment));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => SegmentRows.FindLatestSnapshotAsync(session, tenantId, segment, ct), inTransaction: true, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CustomerId>> PageSnapshotMembersAsync(TenantId tenantId, SegmentId segment, CustomerId? after, int limit, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.NotDefault(segment, nameof(segment));
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => SegmentRows.PageMembersAsync(session, tenantId, segment, after, limit, ct), inTransaction: true, cancellationToken);
    }
}

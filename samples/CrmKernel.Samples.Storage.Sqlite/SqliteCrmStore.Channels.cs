namespace CrmKernel.Samples.Storage.Sqlite;

/// <content>The channel dispatcher's pending messages, kept in the same file.</content>
public sealed partial class SqliteCrmStore
{
    private SqlitePendingDispatchStore? _pendingDispatches;

    /// <summary>
    /// The dispatcher's pending messages kept in this store's file, through this store's connections: register it (as
    /// <c>UseSqlite</c> does) so that a message kept for retry survives a restart.
    /// </summary>
    public SqlitePendingDispatchStore PendingDispatches
        => LazyInitializer.EnsureInitialized(ref _pendingDispatches, () => new SqlitePendingDispatchStore(this));
}

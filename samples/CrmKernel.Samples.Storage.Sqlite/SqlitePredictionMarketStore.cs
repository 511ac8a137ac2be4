using CrmKernel.Innovation;
using CrmKernel.Primitives;
using CrmKernel.Storage;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// CrmKernel's prediction market store over the SQLite file of a <see cref="SqliteCrmStore"/>: each market as the
/// kernel's document beside its key columns, versioned with optimistic concurrency, and its trades appended in the same
/// transaction. Obtain it from <see cref="SqliteCrmStore.PredictionMarkets"/> (or as <see cref="IPredictionMarketStore"/>
/// after <c>UseSqlite</c>); application code uses <c>PredictionMarketService</c> over it.
/// </summary>
/// <remarks>Thread-safe. Disposing the owning <see cref="SqliteCrmStore"/> closes it too.</remarks>
public sealed class SqlitePredictionMarketStore : IPredictionMarketStore
{
    private readonly SqliteCrmStore _store;

    internal SqlitePredictionMarketStore(SqliteCrmStore store) => _store = store;

    /// <inheritdoc />
    public ValueTask<PredictionMarket?> FindAsync(TenantId tenantId, PredictionMarketId marketId, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.NotDefault(marketId, nameof(marketId));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => PredictionMarketRows.FindAsync(session, tenantId, marketId, ct), inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<PredictionMarket>> PageAsync(TenantId tenantId, PredictionMarketId? after, int limit, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => PredictionMarketRows.PageAsync(session, tenantId, null, after, limit, ct), inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<PredictionMarket>> PageByIdeaAsync(TenantId tenantId, IdeaId ideaId, PredictionMarketId? after, int limit, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.NotDefault(ideaId, nameof(ideaId));
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => PredictionMarketRows.PageAsync(session, tenantId, ideaId, after, limit, ct), inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<MarketTrade>> PageTradesAsync(TenantId tenantId, PredictionMarketId marketId, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.NotDefault(marketId, nameof(marketId));
        ArgumentOutOfRangeException.ThrowIfNegative(afterSequence);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => PredictionMarketRows.PageTradesAsync(session, tenantId, marketId, afterSequence, limit, ct), inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<MarketTrade?> FindTradeAsync(TenantId tenantId, PredictionMarketId marketId, string idempotencyKey, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.NotDefault(marketId, nameof(marketId));
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => PredictionMarketRows.FindTradeAsync(session, tenantId, marketId, idempotencyKey, ct), inTransaction: false, cancellationToken);
    }

    /// <summary>Stores a market's new state and its new trades in one transaction.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="commit"/> is null.</exception>
    /// <exception cref="ConcurrencyConflictException">The stored version is not the commit's expected version, or a trade's key is already stored; nothing was stored.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; nothing was stored.</exception>
    /// <exception cref="ObjectDisposedException">The owning store was disposed.</exception>
    public async ValueTask CommitAsync(PredictionMarketCommit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        cancellationToken.ThrowIfCancellationRequested();
        await _store.WriteAsync(
            async (session, ct) =>
            {
                await PredictionMarketRows.CommitAsync(session, commit, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }
}

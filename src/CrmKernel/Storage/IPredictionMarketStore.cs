using CrmKernel.Innovation;
using CrmKernel.Primitives;

namespace CrmKernel.Storage;

/// <summary>
/// Where prediction markets and their trades are kept. Application code uses <c>PredictionMarketService</c>, which
/// enforces the market's rules, makes trades idempotent and retries lost races.
/// </summary>
/// <remarks>
/// Contract (proven by <c>PredictionMarketStoreConformanceTests</c>): tenant-scoped; <see cref="CommitAsync"/> stores the
/// state and appends the commit's trades in one transaction, inserting when the expected version is 0 and otherwise
/// replacing only if the stored version equals it, else <see cref="ConcurrencyConflictException"/> and nothing stored (so
/// of two concurrent trades on one market, each commits or gets the conflict, never a lost update); a trade whose
/// idempotency key the market already has is a conflict too; pages are keyset pages in ascending order (market id, or
/// trade sequence), at most <see cref="StoreLimits.MaxPageSize"/> items, a short page being the last.
/// </remarks>
public interface IPredictionMarketStore
{
    /// <summary>Reads a market by id; null when the tenant has none.</summary>
    /// <exception cref="Diagnostics.InvalidStoredStateException">The stored market is not valid.</exception>
    ValueTask<PredictionMarket?> FindAsync(TenantId tenantId, PredictionMarketId marketId, CancellationToken cancellationToken);

    /// <summary>Reads one page of the tenant's markets: those after <paramref name="after"/> (from the start when null), in id order.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is less than 1.</exception>
    /// <exception cref="Diagnostics.InputLimitExceededException"><paramref name="limit"/> is more than <see cref="StoreLimits.MaxPageSize"/>.</exception>
    ValueTask<IReadOnlyList<PredictionMarket>> PageAsync(TenantId tenantId, PredictionMarketId? after, int limit, CancellationToken cancellationToken);

    /// <summary>Reads one page of the markets on an idea: those after <paramref name="after"/> (from the start when null), in id order.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is less than 1.</exception>
    /// <exception cref="Diagnostics.InputLimitExceededException"><paramref name="limit"/> is more than <see cref="StoreLimits.MaxPageSize"/>.</exception>
    ValueTask<IReadOnlyList<PredictionMarket>> PageByIdeaAsync(TenantId tenantId, IdeaId ideaId, PredictionMarketId? after, int limit, CancellationToken cancellationToken);

    /// <summary>Reads one page of a market's trades: those with a sequence greater than <paramref name="afterSequence"/> (0 for the first page), in sequence order.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="afterSequence"/> is negative, or <paramref name="limit"/> is less than 1.</exception>
    /// <exception cref="Diagnostics.InputLimitExceededException"><paramref name="limit"/> is more than <see cref="StoreLimits.MaxPageSize"/>.</exception>
    ValueTask<IReadOnlyList<MarketTrade>> PageTradesAsync(TenantId tenantId, PredictionMarketId marketId, long afterSequence, int limit, CancellationToken cancellationToken);

    /// <summary>Reads the market's trade made under an idempotency key; null when there is none.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="idempotencyKey"/> is null.</exception>
    ValueTask<MarketTrade?> FindTradeAsync(TenantId tenantId, PredictionMarketId marketId, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Stores a market's new state and its new trades atomically.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="commit"/> is null.</exception>
    /// <exception cref="ConcurrencyConflictException">The stored version is not the commit's expected version (an insert of an existing id, an update of a missing one, a stale write), or a trade's key or sequence is already stored; nothing was stored.</exception>
    ValueTask CommitAsync(PredictionMarketCommit commit, CancellationToken cancellationToken);
}

using CrmKernel.Diagnostics;
using CrmKernel.Innovation;
using CrmKernel.Primitives;

namespace CrmKernel.Storage.InMemory;

/// <summary>
/// The reference prediction market store: thread-safe, each market's latest document and all its trades kept in memory
/// per tenant. Registered with <c>builder.UseInMemoryStores()</c>; data lives as long as the instance.
/// </summary>
public sealed class InMemoryPredictionMarketStore : IPredictionMarketStore
{
    private readonly TenantPartitions<TenantMarkets> _tenants = new();

    /// <inheritdoc />
    public ValueTask<PredictionMarket?> FindAsync(TenantId tenantId, PredictionMarketId marketId, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(marketId);
        cancellationToken.ThrowIfCancellationRequested();
        var stored = _tenants.Read(tenantId, marketId, static (t, id) => t.Markets.TryGetValue(id, out var m) ? (m.Version, m.Document) : default, default);
        return ValueTask.FromResult(stored.Document is null ? null : PredictionMarketDocuments.ReadMarket(tenantId, marketId, stored.Version, stored.Document));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<PredictionMarket>> PageAsync(TenantId tenantId, PredictionMarketId? after, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        var page = _tenants.Read(tenantId, (after, limit), static (t, request) => Page(t, t.Order, request.after, request.limit), []);
        return ValueTask.FromResult(Rebuild(tenantId, page));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<PredictionMarket>> PageByIdeaAsync(TenantId tenantId, IdeaId ideaId, PredictionMarketId? after, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(ideaId);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        var page = _tenants.Read(tenantId, (ideaId, after, limit), static (t, request) => t.ByIdea.TryGetValue(request.ideaId, out var ids) ? Page(t, ids, request.after, request.limit) : [], []);
        return ValueTask.FromResult(Rebuild(tenantId, page));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<MarketTrade>> PageTradesAsync(TenantId tenantId, PredictionMarketId marketId, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(marketId);
        if (afterSequence < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(afterSequence), afterSequence, "Trade sequences start at 1; give 0 for the first page.");
        }

        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        var documents = _tenants.Read(tenantId, (marketId, afterSequence, limit), static (t, request) =>
        {
            if (!t.Markets.TryGetValue(request.marketId, out var market) || request.afterSequence >= market.Trades.Count)
            {
                return Array.Empty<string>();
            }

            var start = (int)request.afterSequence;
            return market.Trades.GetRange(start, Math.Min(request.limit, market.Trades.Count - start)).ToArray();
        }, []);
        var trades = new MarketTrade[documents.Length];
        for (var i = 0; i < trades.Length; i++)
        {
            trades[i] = PredictionMarketDocuments.ReadTrade(marketId, afterSequence + i + 1, documents[i]);
        }

        return ValueTask.FromResult<IReadOnlyList<MarketTrade>>(trades);
    }

    /// <inheritdoc />
    public ValueTask<MarketTrade?> FindTradeAsync(TenantId tenantId, PredictionMarketId marketId, string idempotencyKey, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(marketId);
        Preconditions.NotNull(idempotencyKey);
        cancellationToken.ThrowIfCancellationRequested();
        var found = _tenants.Read(tenantId, (marketId, idempotencyKey), static (t, request) =>
            t.Markets.TryGetValue(request.marketId, out var market) && market.Keys.TryGetValue(request.idempotencyKey, out var sequence)
                ? (sequence, market.Trades[(int)sequence - 1])
                : default,
            default);
        return ValueTask.FromResult(found.Item2 is null ? null : PredictionMarketDocuments.ReadTrade(marketId, found.sequence, found.Item2));
    }

    /// <inheritdoc />
    public ValueTask CommitAsync(PredictionMarketCommit commit, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(commit);
        cancellationToken.ThrowIfCancellationRequested();
        _tenants.Write(commit.TenantId, commit, static (t, commit) =>
        {
            var exists = t.Markets.TryGetValue(commit.MarketId, out var market);
            if ((exists ? market!.Version : 0) != commit.ExpectedVersion || (exists && market!.IdeaId != commit.IdeaId))
            {
                throw new ConcurrencyConflictException(PredictionMarketJson.Source, commit.MarketId.ToString(), commit.ExpectedVersion, exists ? market!.Version : null);
            }

            var stored = exists ? market!.Trades.Count : 0;
            var keys = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < commit.Trades.Count; i++)
            {
                var trade = commit.Trades[i];
                if (trade.Sequence != stored + i + 1 || !keys.Add(trade.IdempotencyKey) || (exists && market!.Keys.ContainsKey(trade.IdempotencyKey)))
                {
                    throw new ConcurrencyConflictException(PredictionMarketJson.Source, commit.MarketId.ToString(), commit.ExpectedVersion, exists ? market!.Version : null);
                }
            }

            if (!exists)
            {
                market = new StoredMarket { IdeaId = commit.IdeaId };
                t.Markets.Add(commit.MarketId, market);
                t.Order.Add(commit.MarketId);
                if (commit.IdeaId is { } idea)
                {
                    if (!t.ByIdea.TryGetValue(idea, out var ids))
                    {
                        ids = [];
                        t.ByIdea.Add(idea, ids);
                    }

                    ids.Add(commit.MarketId);
                }
            }

            market!.Version = commit.NewVersion;
            market.Document = commit.Document;
            for (var i = 0; i < commit.Trades.Count; i++)
            {
                market.Keys.Add(commit.Trades[i].IdempotencyKey, commit.Trades[i].Sequence);
                market.Trades.Add(commit.TradeDocuments[i]);
            }

            return true;
        });
        return ValueTask.CompletedTask;
    }

    private static (PredictionMarketId Id, long Version, string Document)[] Page(TenantMarkets t, OrderedIdSet<PredictionMarketId> ids, PredictionMarketId? after, int limit)
    {
        var page = new List<(PredictionMarketId, long, string)>(Math.Min(limit, ids.Count));
        foreach (var id in ids.Page(after, limit))
        {
            var market = t.Markets[id];
            page.Add((id, market.Version, market.Document!));
        }

        return [.. page];
    }

    private static IReadOnlyList<PredictionMarket> Rebuild(TenantId tenantId, (PredictionMarketId Id, long Version, string Document)[] page)
    {
        var markets = new PredictionMarket[page.Length];
        for (var i = 0; i < markets.Length; i++)
        {
            markets[i] = PredictionMarketDocuments.ReadMarket(tenantId, page[i].Id, page[i].Version, page[i].Document);
        }

        return markets;
    }

    private sealed class StoredMarket
    {
        public IdeaId? IdeaId { get; init; }

        public long Version { get; set; }

        public string? Document { get; set; }

        public List<string> Trades { get; } = [];

        public Dictionary<string, long> Keys { get; } = new(StringComparer.Ordinal);
    }

    private sealed class TenantMarkets : ITenantPartition
    {
        public Lock Gate { get; } = new();

        public Dictionary<PredictionMarketId, StoredMarket> Markets { get; } = [];

        public OrderedIdSet<PredictionMarketId> Order { get; } = [];

        public Dictionary<IdeaId, OrderedIdSet<PredictionMarketId>> ByIdea { get; } = [];
    }
}

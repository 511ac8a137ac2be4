using CrmKernel.Diagnostics;
using CrmKernel.Innovation;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using Npgsql;

namespace CrmKernel.Samples.Storage.PostgreSql;

/// <summary>
/// The prediction market store of a <see cref="PostgreSqlCrmStore"/>'s database: one row per market holding the kernel's
/// document beside its key columns, versioned with optimistic concurrency, and one row per trade (its idempotency key
/// unique per market), appended in the same transaction; every key led by <c>tenant_id</c> (Citus-ready). Obtain it from
/// <see cref="PostgreSqlCrmStore.PredictionMarkets"/>; application code uses <c>PredictionMarketService</c> over it.
/// </summary>
public sealed class PostgreSqlPredictionMarketStore : IPredictionMarketStore
{
    /// <summary>The prediction market schema step (version 6 when appended after the segment tables): two tables and the per-idea index. A market without an idea has the empty <c>idea_id</c>.</summary>
    internal const string Migration = """
        CREATE TABLE prediction_markets (
            tenant_id text COLLATE "C" NOT NULL,
            id uuid NOT NULL,
            idea_id text COLLATE "C" NOT NULL,
            status text NOT NULL,
            version bigint NOT NULL,
            document text NOT NULL,
            PRIMARY KEY (tenant_id, id)
        );

        CREATE INDEX prediction_markets_by_idea ON prediction_markets (tenant_id, idea_id, id);

        CREATE TABLE prediction_market_trades (
            tenant_id text COLLATE "C" NOT NULL,
            market_id uuid NOT NULL,
            seq bigint NOT NULL,
            idempotency_key text COLLATE "C" NOT NULL,
            customer_id uuid NOT NULL,
            document text NOT NULL,
            PRIMARY KEY (tenant_id, market_id, seq),
            UNIQUE (tenant_id, market_id, idempotency_key)
        );
        """;

    private const string Insert = """
        INSERT INTO prediction_markets (tenant_id, id, idea_id, status, version, document)
        VALUES (@tenant, @id, @idea, @status, @version, @document)
        ON CONFLICT (tenant_id, id) DO NOTHING
        """;

    private const string Update = """
        UPDATE prediction_markets SET status = @status, version = @version, document = @document
        WHERE tenant_id = @tenant AND id = @id AND idea_id = @idea AND version = @expected
        """;

    private const string Version = "SELECT version FROM prediction_markets WHERE tenant_id = @tenant AND id = @id";

    private const string InsertTrade = """
        INSERT INTO prediction_market_trades (tenant_id, market_id, seq, idempotency_key, customer_id, document)
        VALUES (@tenant, @market, @seq, @key, @customer, @document)
        ON CONFLICT DO NOTHING
        """;

    private const string Select = "SELECT id, version, document FROM prediction_markets WHERE tenant_id = @tenant AND id = @id";

    private const string Page = "SELECT id, version, document FROM prediction_markets WHERE tenant_id = @tenant AND id > @after ORDER BY id LIMIT @limit";

    private const string PageByIdea = """
        SELECT id, version, document FROM prediction_markets WHERE tenant_id = @tenant AND idea_id = @idea AND id > @after ORDER BY id LIMIT @limit
        """;

    private const string PageTrades = """
        SELECT seq, document FROM prediction_market_trades WHERE tenant_id = @tenant AND market_id = @market AND seq > @after ORDER BY seq LIMIT @limit
        """;

    private const string SelectTrade = "SELECT seq, document FROM prediction_market_trades WHERE tenant_id = @tenant AND market_id = @market AND idempotency_key = @key";

    private readonly PostgreSqlCrmStore _store;

    internal PostgreSqlPredictionMarketStore(PostgreSqlCrmStore store) => _store = store;

    /// <inheritdoc />
    public ValueTask<PredictionMarket?> FindAsync(TenantId tenantId, PredictionMarketId marketId, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(marketId);
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync<PredictionMarket?>(
            async (c, ct) =>
            {
                await using var select = _store.Database.Command(c, null, Select).With("tenant", tenantId.Value).With("id", marketId.Value);
                var rows = await ReadMarketsAsync(select, tenantId, ct).ConfigureAwait(false);
                return rows.Count == 0 ? null : rows[0];
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<PredictionMarket>> PageAsync(TenantId tenantId, PredictionMarketId? after, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync(
            async (c, ct) =>
            {
                await using var select = _store.Database.Command(c, null, Page).With("tenant", tenantId.Value).With("after", after?.Value ?? Guid.Empty).With("limit", limit);
                return await ReadMarketsAsync(select, tenantId, ct).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<PredictionMarket>> PageByIdeaAsync(TenantId tenantId, IdeaId ideaId, PredictionMarketId? after, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(ideaId);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync(
            async (c, ct) =>
            {
                await using var select = _store.Database.Command(c, null, PageByIdea)
                    .With("tenant", tenantId.Value).With("idea", ideaId.ToString()).With("after", after?.Value ?? Guid.Empty).With("limit", limit);
                return await ReadMarketsAsync(select, tenantId, ct).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<MarketTrade>> PageTradesAsync(TenantId tenantId, PredictionMarketId marketId, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(marketId);
        ArgumentOutOfRangeException.ThrowIfNegative(afterSequence);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync<IReadOnlyList<MarketTrade>>(
            async (c, ct) =>
            {
                await using var select = _store.Database.Command(c, null, PageTrades)
                    .With("tenant", tenantId.Value).With("market", marketId.Value).With("after", afterSequence).With("limit", limit);
                var trades = new List<MarketTrade>();
                await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    trades.Add(PredictionMarketDocuments.ReadTrade(marketId, reader.GetInt64(0), reader.GetString(1)));
                }

                return trades;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<MarketTrade?> FindTradeAsync(TenantId tenantId, PredictionMarketId marketId, string idempotencyKey, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(marketId);
        Preconditions.NotNull(idempotencyKey);
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync<MarketTrade?>(
            async (c, ct) =>
            {
                await using var select = _store.Database.Command(c, null, SelectTrade).With("tenant", tenantId.Value).With("market", marketId.Value).With("key", idempotencyKey);
                await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
                return await reader.ReadAsync(ct).ConfigureAwait(false) ? PredictionMarketDocuments.ReadTrade(marketId, reader.GetInt64(0), reader.GetString(1)) : null;
            },
            cancellationToken);
    }

    /// <summary>Stores a market's new state and its new trades in one transaction.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="commit"/> is null.</exception>
    /// <exception cref="ConcurrencyConflictException">The stored version is not the commit's expected version, or a trade's key is already stored; nothing was stored.</exception>
    public async ValueTask CommitAsync(PredictionMarketCommit commit, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(commit);
        cancellationToken.ThrowIfCancellationRequested();
        await _store.WriteAsync(
            async (c, t, ct) =>
            {
                var db = _store.Database;
                var (tenant, id) = (commit.TenantId.Value, commit.MarketId.Value);
                await using var write = db.Command(c, t, commit.IsInsert ? Insert : Update)
                    .With("tenant", tenant).With("id", id).With("idea", commit.IdeaId?.ToString() ?? string.Empty)
                    .With("status", commit.Status.ToString()).With("version", commit.NewVersion).With("document", commit.Document);
                if (!commit.IsInsert)
                {
                    write.With("expected", commit.ExpectedVersion);
                }

                if (await write.ExecuteNonQueryAsync(ct).ConfigureAwait(false) != 1)
                {
                    await using var version = db.Command(c, t, Version).With("tenant", tenant).With("id", id);
                    var stored = await version.ExecuteScalarAsync(ct).ConfigureAwait(false) as long?;
                    throw new ConcurrencyConflictException("prediction-market", id.ToString(), commit.ExpectedVersion, stored);
                }

                for (var i = 0; i < commit.Trades.Count; i++)
                {
                    var trade = commit.Trades[i];
                    await using var insert = db.Command(c, t, InsertTrade)
                        .With("tenant", tenant).With("market", id).With("seq", trade.Sequence).With("key", trade.IdempotencyKey)
                        .With("customer", trade.CustomerId.Value).With("document", commit.TradeDocuments[i]);
                    if (await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false) != 1)
                    {
                        throw new ConcurrencyConflictException("prediction-market", id.ToString(), commit.ExpectedVersion, commit.NewVersion);
                    }
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask<IReadOnlyList<PredictionMarket>> ReadMarketsAsync(NpgsqlCommand select, TenantId tenantId, CancellationToken cancellationToken)
    {
        var rows = new List<(Guid Id, long Version, string Document)>();
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add((reader.GetGuid(0), reader.GetInt64(1), reader.GetString(2)));
            }
        }

        return [.. rows.Select(r => PredictionMarketDocuments.ReadMarket(tenantId, new PredictionMarketId(r.Id), r.Version, r.Document))];
    }
}

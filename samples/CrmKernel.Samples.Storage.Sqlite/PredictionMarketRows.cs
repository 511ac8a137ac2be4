using CrmKernel.Innovation;
using CrmKernel.Primitives;
using CrmKernel.Storage;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// The prediction market tables: <c>prediction_markets</c> (one row per market: the kernel's document from
/// <see cref="PredictionMarketCommit"/> beside its key columns, versioned) and <c>prediction_market_trades</c> (one row per
/// trade, numbered per market, its idempotency key unique per market). A write replaces the market row only if its stored
/// version is still the expected one and appends the trades in the same transaction.
/// </summary>
internal static class PredictionMarketRows
{
    /// <summary>The prediction market schema step (version 10 when appended after the segment tables): two tables and the per-idea index, keys starting with the tenant.</summary>
    public const string Migration = """
        CREATE TABLE prediction_markets (
            tenant TEXT NOT NULL,
            id TEXT NOT NULL,
            idea_id TEXT,
            status TEXT NOT NULL,
            version INTEGER NOT NULL,
            document TEXT NOT NULL,
            PRIMARY KEY (tenant, id)
        ) STRICT, WITHOUT ROWID;

        CREATE INDEX prediction_markets_by_idea ON prediction_markets (tenant, idea_id, id);

        CREATE TABLE prediction_market_trades (
            tenant TEXT NOT NULL,
            market_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            idempotency_key TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            document TEXT NOT NULL,
            PRIMARY KEY (tenant, market_id, seq),
            UNIQUE (tenant, market_id, idempotency_key)
        ) STRICT, WITHOUT ROWID;
        """;

    private static readonly SqlStatement Insert = new(
        """
        INSERT INTO prediction_markets (tenant, id, idea_id, status, version, document)
        VALUES ($tenant, $id, $idea_id, $status, $version, $document)
        ON CONFLICT (tenant, id) DO NOTHING
        """,
        "$tenant", "$id", "$idea_id", "$status", "$version", "$document");

    private static readonly SqlStatement Update = new(
        """
        UPDATE prediction_markets SET status = $status, version = $version, document = $document
        WHERE tenant = $tenant AND id = $id AND idea_id IS $idea_id AND version = $expected
        """,
        "$tenant", "$id", "$idea_id", "$status", "$version", "$document", "$expected");

    private static readonly SqlStatement Version = new("SELECT version FROM prediction_markets WHERE tenant = $tenant AND id = $id", "$tenant", "$id");

    private static readonly SqlStatement InsertTrade = new(
        """
        INSERT INTO prediction_market_trades (tenant, market_id, seq, idempotency_key, customer_id, document)
        VALUES ($tenant, $market_id, $seq, $key, $customer_id, $document)
        ON CONFLICT DO NOTHING
        """,
        "$tenant", "$market_id", "$seq", "$key", "$customer_id", "$document");

    private static readonly SqlStatement Select = new("SELECT id, version, document FROM prediction_markets WHERE tenant = $tenant AND id = $id", "$tenant", "$id");

    /// <summary>A keyset page in id order; <c>$after</c> is the empty text for the first page (it sorts before every id).</summary>
    private static readonly SqlStatement Page = new(
        "SELECT id, version, document FROM prediction_markets WHERE tenant = $tenant AND id > $after ORDER BY id LIMIT $limit", "$tenant", "$after", "$limit");

    private static readonly SqlStatement PageByIdea = new(
        """
        SELECT id, version, document FROM prediction_markets INDEXED BY prediction_markets_by_idea
        WHERE tenant = $tenant AND idea_id = $idea_id AND id > $after ORDER BY id LIMIT $limit
        """,
        "$tenant", "$idea_id", "$after", "$limit");

    private static readonly SqlStatement PageTrades = new(
        "SELECT seq, document FROM prediction_market_trades WHERE tenant = $tenant AND market_id = $market_id AND seq > $after ORDER BY seq LIMIT $limit",
        "$tenant", "$market_id", "$after", "$limit");

    private static readonly SqlStatement SelectTrade = new(
        "SELECT seq, document FROM prediction_market_trades WHERE tenant = $tenant AND market_id = $market_id AND idempotency_key = $key",
        "$tenant", "$market_id", "$key");

    /// <summary>Stores a market's new state and appends its trades, inside the caller's write transaction (a conflict rolls it all back).</summary>
    /// <exception cref="ConcurrencyConflictException">The stored version is not the commit's expected version, or a trade's sequence or key is already stored.</exception>
    public static async ValueTask CommitAsync(SqliteSession session, PredictionMarketCommit commit, CancellationToken cancellationToken)
    {
        var (tenant, id) = (commit.TenantId.Value, commit.MarketId.ToString());
        var command = session.Command(commit.IsInsert ? Insert : Update);
        var p = command.Parameters;
        p[0].Value = tenant;
        p[1].Value = id;
        p[2].Value = commit.IdeaId is { } idea ? idea.ToString() : DBNull.Value;
        p[3].Value = commit.Status.ToString();
        p[4].Value = commit.NewVersion;
        p[5].Value = commit.Document;
        if (!commit.IsInsert)
        {
            p[6].Value = commit.ExpectedVersion;
        }

        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            throw await ConflictAsync(session, tenant, id, commit.ExpectedVersion, cancellationToken).ConfigureAwait(false);
        }

        var insert = session.Command(InsertTrade);
        var t = insert.Parameters;
        t[0].Value = tenant;
        t[1].Value = id;
        for (var i = 0; i < commit.Trades.Count; i++)
        {
            var trade = commit.Trades[i];
            t[2].Value = trade.Sequence;
            t[3].Value = trade.IdempotencyKey;
            t[4].Value = trade.CustomerId.ToString();
            t[5].Value = commit.TradeDocuments[i];
            if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new ConcurrencyConflictException("prediction-market", id, commit.ExpectedVersion, commit.NewVersion);
            }
        }
    }

    public static async ValueTask<PredictionMarket?> FindAsync(SqliteSession session, TenantId tenantId, PredictionMarketId marketId, CancellationToken cancellationToken)
    {
        var select = session.Command(Select);
        select.Parameters[0].Value = tenantId.Value;
        select.Parameters[1].Value = marketId.ToString();
        var rows = await ReadAsync(select, tenantId, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public static ValueTask<IReadOnlyList<PredictionMarket>> PageAsync(SqliteSession session, TenantId tenantId, IdeaId? ideaId, PredictionMarketId? after, int limit, CancellationToken cancellationToken)
    {
        var select = session.Command(ideaId is null ? Page : PageByIdea);
        var p = select.Parameters;
        var i = 0;
        p[i++].Value = tenantId.Value;
        if (ideaId is { } idea)
        {
            p[i++].Value = idea.ToString();
        }

        p[i++].Value = after?.ToString() ?? string.Empty;
        p[i].Value = limit;
        return ReadAsync(select, tenantId, cancellationToken);
    }

    public static async ValueTask<IReadOnlyList<MarketTrade>> PageTradesAsync(SqliteSession session, TenantId tenantId, PredictionMarketId marketId, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        var select = session.Command(PageTrades);
        var p = select.Parameters;
        p[0].Value = tenantId.Value;
        p[1].Value = marketId.ToString();
        p[2].Value = afterSequence;
        p[3].Value = limit;
        var trades = new List<MarketTrade>();
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            trades.Add(PredictionMarketDocuments.ReadTrade(marketId, reader.GetInt64(0), reader.GetString(1)));
        }

        return trades;
    }

    public static async ValueTask<MarketTrade?> FindTradeAsync(SqliteSession session, TenantId tenantId, PredictionMarketId marketId, string idempotencyKey, CancellationToken cancellationToken)
    {
        var select = session.Command(SelectTrade);
        var p = select.Parameters;
        p[0].Value = tenantId.Value;
        p[1].Value = marketId.ToString();
        p[2].Value = idempotencyKey;
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? PredictionMarketDocuments.ReadTrade(marketId, reader.GetInt64(0), reader.GetString(1)) : null;
    }

    private static async ValueTask<IReadOnlyList<PredictionMarket>> ReadAsync(Microsoft.Data.Sqlite.SqliteCommand select, TenantId tenantId, CancellationToken cancellationToken)
    {
        var rows = new List<(string Id, long Version, string Document)>();
        using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add((reader.GetString(0), reader.GetInt64(1), reader.GetString(2)));
            }
        }

        var markets = new PredictionMarket[rows.Count];
        for (var i = 0; i < markets.Length; i++)
        {
            var id = PredictionMarketId.TryParse(rows[i].Id, out var parsed) ? parsed : throw new CrmKernel.Diagnostics.InvalidStoredStateException("prediction_markets", rows[i].Id, "id is not a market id");
            markets[i] = PredictionMarketDocuments.ReadMarket(tenantId, id, rows[i].Version, rows[i].Document);
        }

        return markets;
    }

    private static async ValueTask<ConcurrencyConflictException> ConflictAsync(SqliteSession session, string tenant, string id, long expectedVersion, CancellationToken cancellationToken)
    {
        var select = session.Command(Version);
        select.Parameters[0].Value = tenant;
        select.Parameters[1].Value = id;
        var stored = await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return new ConcurrencyConflictException("prediction-market", id, expectedVersion, stored is long version ? version : null);
    }
}

using CrmKernel.Diagnostics;
using CrmKernel.Innovation;
using CrmKernel.Primitives;

namespace CrmKernel.Storage;

/// <summary>
/// What <see cref="IPredictionMarketStore.CommitAsync"/> stores in one atomic step: a market's new state as a document
/// with the key columns to index, the version it was read at, and the trades made since (each with its document).
/// <c>PredictionMarketService</c> builds it with <see cref="Create"/>; adapters read it.
/// </summary>
public sealed class PredictionMarketCommit
{
    private PredictionMarketCommit(PredictionMarket market, string document, IReadOnlyList<MarketTrade> trades, IReadOnlyList<string> tradeDocuments)
    {
        TenantId = market.TenantId;
        MarketId = market.Id;
        IdeaId = market.IdeaId;
        Status = market.Status;
        ExpectedVersion = market.Version;
        Document = document;
        Trades = trades;
        TradeDocuments = tradeDocuments;
    }

    /// <summary>The commit that stores a market's state and pending trades at its next version.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="market"/> is null.</exception>
    public static PredictionMarketCommit Create(PredictionMarket market)
    {
        Preconditions.NotNull(market);
        var trades = market.PendingTrades.ToArray();
        var documents = new string[trades.Length];
        for (var i = 0; i < trades.Length; i++)
        {
            documents[i] = PredictionMarketJson.WriteTrade(trades[i]);
        }

        return new PredictionMarketCommit(market, PredictionMarketJson.WriteMarket(market), trades, documents);
    }

    /// <summary>The tenant.</summary>
    public TenantId TenantId { get; }

    /// <summary>The market's id (the key).</summary>
    public PredictionMarketId MarketId { get; }

    /// <summary>The idea the market forecasts, if any (index it: markets are listed per idea).</summary>
    public IdeaId? IdeaId { get; }

    /// <summary>The market's status after the commit.</summary>
    public PredictionMarketStatus Status { get; }

    /// <summary>The version the change was made from: 0 means insert.</summary>
    public long ExpectedVersion { get; }

    /// <summary>The version stored by this commit (<see cref="ExpectedVersion"/> + 1).</summary>
    public long NewVersion => ExpectedVersion + 1;

    /// <summary>True when this commit inserts a new market.</summary>
    public bool IsInsert => ExpectedVersion == 0;

    /// <summary>The new state; store it verbatim and read it back with <see cref="PredictionMarketDocuments.ReadMarket"/>.</summary>
    public string Document { get; }

    /// <summary>The trades to append, in sequence order (none for a commit without trades); their idempotency keys are unique per market.</summary>
    public IReadOnlyList<MarketTrade> Trades { get; }

    /// <summary>The document of each of <see cref="Trades"/>, same order; read back with <see cref="PredictionMarketDocuments.ReadTrade"/>.</summary>
    public IReadOnlyList<string> TradeDocuments { get; }
}

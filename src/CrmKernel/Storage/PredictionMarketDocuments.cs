using CrmKernel.Diagnostics;
using CrmKernel.Innovation;
using CrmKernel.Primitives;

namespace CrmKernel.Storage;

/// <summary>
/// The kernel's text form of prediction markets and their trades, for storage adapters: store the documents a
/// <see cref="PredictionMarketCommit"/> carries verbatim beside the key columns you index, and turn them back into the
/// kernel's types with these methods. The kernel owns the format.
/// </summary>
public static class PredictionMarketDocuments
{
    /// <summary>The document of one trade (store it beside the market id, sequence and idempotency key).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="trade"/> is null.</exception>
    public static string WriteTrade(MarketTrade trade) => PredictionMarketJson.WriteTrade(Preconditions.NotNull(trade));

    /// <summary>Rebuilds the stored market <paramref name="marketId"/> of <paramref name="tenantId"/> at the <paramref name="version"/> its row holds.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is null.</exception>
    /// <exception cref="InvalidStoredStateException">The document is not a valid market, or holds another one (<c>CRM-STORE-001</c>).</exception>
    public static PredictionMarket ReadMarket(TenantId tenantId, PredictionMarketId marketId, long version, string document)
    {
        Preconditions.NotNull(document);
        var market = PredictionMarketJson.ReadMarket(tenantId, marketId.ToString(), version, document);
        return market.Id == marketId ? market : throw new InvalidStoredStateException(PredictionMarketJson.Source, marketId.ToString(), "the document holds another market");
    }

    /// <summary>Rebuilds a stored trade, checking it belongs to the market and sequence its row says.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is null.</exception>
    /// <exception cref="InvalidStoredStateException">The document is not a valid trade, or holds another one (<c>CRM-STORE-001</c>).</exception>
    public static MarketTrade ReadTrade(PredictionMarketId marketId, long sequence, string document)
    {
        Preconditions.NotNull(document);
        var key = $"{marketId}#{sequence}";
        var trade = PredictionMarketJson.ReadTrade(key, document);
        return trade.MarketId == marketId && trade.Sequence == sequence ? trade : throw new InvalidStoredStateException(PredictionMarketJson.TradeSource, key, "the document holds another trade");
    }
}

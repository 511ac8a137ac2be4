using System.Globalization;
using System.Text.Json;
using CrmKernel.Innovation;
using CrmKernel.Primitives;

using static CrmKernel.Storage.RecordJson;

namespace CrmKernel.Storage;

/// <summary>
/// The one JSON form of prediction markets: the market document (state and participants, without its trades) and one
/// document per trade. Decimals are invariant text, so points and shares round-trip exactly; prices are JSON numbers in
/// their shortest round-trip form.
/// </summary>
internal static class PredictionMarketJson
{
    public const string Source = "prediction-market";

    public const string TradeSource = "prediction-market-trade";

    public static string WriteMarket(PredictionMarket market) => Write(w =>
    {
        w.WriteString("id", market.Id.ToString());
        w.WriteString("idea", market.IdeaId?.ToString());
        w.WriteString("question", market.Question);
        w.WriteStartArray("outcomes");
        foreach (var outcome in market.Outcomes)
        {
            w.WriteStringValue(outcome);
        }

        w.WriteEndArray();
        w.WriteString("liquidity", Points(market.Liquidity));
        WriteInstant(w, "openedAt", market.OpenedAt);
        WriteInstant(w, "closesAt", market.ClosesAt);
        w.WriteString("status", market.Status.ToString());
        WriteInstant(w, "closedAt", market.ClosedAt);
        if (market.WinningOutcome is { } winner)
        {
            w.WriteNumber("winner", winner);
        }
        else
        {
            w.WriteNull("winner");
        }

        WriteInstant(w, "settledAt", market.SettledAt);
        WriteDecimals(w, "quantities", market.Quantities);
        w.WriteString("collected", Points(market.Collected));
        w.WriteString("paidOut", Points(market.PaidOut));
        w.WriteNumber("tradeCount", market.TradeCount);
        w.WriteStartArray("participants");
        foreach (var p in market.Participants)
        {
            w.WriteStartObject();
            w.WriteString("customer", p.CustomerId.ToString());
            w.WriteString("granted", Points(p.Granted));
            w.WriteString("balance", Points(p.Balance));
            w.WriteString("netPaid", Points(p.NetPaid));
            w.WriteString("payout", Points(p.Payout));
            WriteDecimals(w, "shares", p.Shares);
            w.WriteNumber("trades", p.Trades);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    /// <summary>Reads a stored market at <paramref name="version"/>; anything malformed or inconsistent is <see cref="Diagnostics.InvalidStoredStateException"/>.</summary>
    public static PredictionMarket ReadMarket(TenantId tenantId, string key, long version, string document) => Read(Source, key, document, e => PredictionMarket.Rehydrate(
        tenantId,
        PredictionMarketId.Parse(Text(e, "id")),
        OptionalText(e, "idea") is { } idea ? IdeaId.Parse(idea) : null,
        Text(e, "question"),
        [.. e.GetProperty("outcomes").EnumerateArray().Select(o => o.GetString()!)],
        Decimal(e, "liquidity"),
        RequiredInstant(e, "openedAt"),
        OptionalInstant(e, "closesAt"),
        Enum.Parse<PredictionMarketStatus>(Text(e, "status")),
        OptionalInstant(e, "closedAt"),
        e.GetProperty("winner").ValueKind == JsonValueKind.Null ? null : e.GetProperty("winner").GetInt32(),
        OptionalInstant(e, "settledAt"),
        Decimals(e, "quantities"),
        Decimal(e, "collected"),
        Decimal(e, "paidOut"),
        [.. e.GetProperty("participants").EnumerateArray().Select(p => MarketParticipant.Rehydrate(
            CustomerId.Parse(Text(p, "customer")),
            Decimal(p, "granted"),
            Decimal(p, "balance"),
            Decimal(p, "netPaid"),
            Decimal(p, "payout"),
            Decimals(p, "shares"),
            p.GetProperty("trades").GetInt32()))],
        e.GetProperty("tradeCount").GetInt64(),
        version));

    public static string WriteTrade(MarketTrade trade) => Write(w =>
    {
        w.WriteString("market", trade.MarketId.ToString());
        w.WriteNumber("seq", trade.Sequence);
        w.WriteString("key", trade.IdempotencyKey);
        w.WriteString("customer", trade.CustomerId.ToString());
        w.WriteNumber("outcome", trade.Outcome);
        w.WriteString("shares", Points(trade.Shares));
        w.WriteString("cost", Points(trade.Cost));
        WriteInstant(w, "at", trade.At);
        w.WriteStartArray("prices");
        foreach (var price in trade.PricesAfter)
        {
            w.WriteNumberValue(price);
        }

        w.WriteEndArray();
    });

    public static MarketTrade ReadTrade(string key, string document) => Read(TradeSource, key, document, e => new MarketTrade(
        PredictionMarketId.Parse(Text(e, "market")),
        e.GetProperty("seq").GetInt64(),
        Text(e, "key"),
        CustomerId.Parse(Text(e, "customer")),
        e.GetProperty("outcome").GetInt32(),
        Decimal(e, "shares"),
        Decimal(e, "cost"),
        RequiredInstant(e, "at"),
        [.. e.GetProperty("prices").EnumerateArray().Select(p => p.GetDouble())]));

    private static string Points(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static void WriteDecimals(Utf8JsonWriter w, string name, IReadOnlyList<decimal> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(Points(value));
        }

        w.WriteEndArray();
    }

    private static decimal[] Decimals(JsonElement element, string name)
        => [.. element.GetProperty(name).EnumerateArray().Select(v => decimal.Parse(v.GetString()!, NumberStyles.Number, CultureInfo.InvariantCulture))];
}

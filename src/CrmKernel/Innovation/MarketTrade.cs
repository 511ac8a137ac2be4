using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Innovation;

/// <summary>
/// One recorded trade of a <see cref="PredictionMarket"/>: who bought (positive <see cref="Shares"/>) or sold (negative)
/// how many shares of which outcome, what it cost in points (negative: what the sale paid), when, and the prices after
/// it. The trades of a market, in <see cref="Sequence"/> order, are its price and trade history.
/// </summary>
public sealed class MarketTrade
{
    /// <summary>Creates a trade record; markets create them, stores rebuild them through <c>PredictionMarketDocuments</c>.</summary>
    /// <exception cref="ArgumentException">An id is the default, the sequence is less than 1, the key is blank, the shares are zero or fewer than two prices are given.</exception>
    /// <exception cref="InputLimitExceededException"><paramref name="idempotencyKey"/> is longer than <see cref="PredictionMarket.MaxTradeKeyLength"/>, or there are more than <see cref="PredictionMarket.MaxOutcomes"/> prices.</exception>
    public MarketTrade(PredictionMarketId marketId, long sequence, string idempotencyKey, CustomerId customerId, int outcome, decimal shares, decimal cost, Instant at, IReadOnlyList<double> pricesAfter)
    {
        MarketId = Preconditions.NotDefault(marketId);
        Preconditions.Check(sequence >= 1, "A trade's sequence starts at 1.", nameof(sequence));
        Sequence = sequence;
        IdempotencyKey = Preconditions.MaxLength(Preconditions.NotBlank(idempotencyKey), PredictionMarket.MaxTradeKeyLength, nameof(idempotencyKey));
        CustomerId = Preconditions.NotDefault(customerId);
        Preconditions.Check(outcome >= 0, "An outcome is a zero-based index.", nameof(outcome));
        Outcome = outcome;
        Preconditions.Check(shares != 0m, "A trade moves at least one share unit.", nameof(shares));
        Shares = shares;
        Cost = cost;
        At = at;
        Preconditions.NotNull(pricesAfter);
        Preconditions.MaxCount(pricesAfter.Count, PredictionMarket.MaxOutcomes, "prices", nameof(pricesAfter));
        Preconditions.Check(pricesAfter.Count >= 2 && outcome < pricesAfter.Count, "A trade records one price per outcome of its market.", nameof(pricesAfter));
        PricesAfter = [.. pricesAfter];
    }

    /// <summary>The market traded on.</summary>
    public PredictionMarketId MarketId { get; }

    /// <summary>The trade's number within its market, from 1, in the order trades were made.</summary>
    public long Sequence { get; }

    /// <summary>The caller's idempotency key: a trade repeated with the same key is not made twice.</summary>
    public string IdempotencyKey { get; }

    /// <summary>The participant.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>The outcome's zero-based index in <see cref="PredictionMarket.Outcomes"/>.</summary>
    public int Outcome { get; }

    /// <summary>Shares bought (positive) or sold (negative).</summary>
    public decimal Shares { get; }

    /// <summary>Points paid (positive) or received (negative): C(q after) − C(q before), each rounded to <see cref="PredictionMarket.PointDecimals"/> decimals.</summary>
    public decimal Cost { get; }

    /// <summary>When the trade was made.</summary>
    public Instant At { get; }

    /// <summary>Every outcome's price (probability) right after the trade.</summary>
    public IReadOnlyList<double> PricesAfter { get; }
}

using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

namespace CrmKernel.Innovation;

/// <summary>
/// A customer's account in one <see cref="PredictionMarket"/>: points granted, the balance (never below zero), net
/// points paid for shares, the shares held of each outcome and what settlement paid. Read it from
/// <see cref="PredictionMarket.Participants"/>; the market changes it, nothing else.
/// </summary>
/// <remarks>Invariant (checked when a market is rebuilt): <c>Balance = Granted − NetPaid + Payout</c>, every value at most <see cref="PredictionMarket.PointDecimals"/> decimals, balance and shares never negative.</remarks>
public sealed class MarketParticipant
{
    internal MarketParticipant(CustomerId customerId, decimal granted, decimal balance, decimal netPaid, decimal payout, IReadOnlyList<decimal> shares, int trades)
    {
        CustomerId = customerId;
        Granted = granted;
        Balance = balance;
        NetPaid = netPaid;
        Payout = payout;
        Shares = shares;
        Trades = trades;
    }

    /// <summary>Rebuilds a stored account (storage adapters use <c>PredictionMarketDocuments</c>; this is what it calls).</summary>
    /// <exception cref="ArgumentException">The id is the default, a share count or the granted points are negative, or the balance does not equal granted − net paid + payout.</exception>
    public static MarketParticipant Rehydrate(CustomerId customerId, decimal granted, decimal balance, decimal netPaid, decimal payout, IReadOnlyList<decimal> shares, int trades)
    {
        Preconditions.NotDefault(customerId);
        Preconditions.NotNull(shares);
        Preconditions.MaxCount(shares.Count, PredictionMarket.MaxOutcomes, "outcomes", nameof(shares));
        Preconditions.Check(granted >= 0m && balance >= 0m, "Granted points and the balance are never negative.", nameof(balance));
        Preconditions.Check(balance == granted - netPaid + payout, "The balance must equal granted − net paid + payout.", nameof(balance));
        Preconditions.Check(trades >= 0, "The trade count is never negative.", nameof(trades));
        foreach (var s in shares)
        {
            Preconditions.Check(s >= 0m, "Shares held are never negative.", nameof(shares));
        }

        return new MarketParticipant(customerId, granted, balance, netPaid, payout, [.. shares], trades);
    }

    /// <summary>The customer.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>Points granted to the customer in this market (the endowment).</summary>
    public decimal Granted { get; }

    /// <summary>Points the customer can spend now; never below zero.</summary>
    public decimal Balance { get; }

    /// <summary>Points paid for shares minus points received for shares sold (negative when selling earned more than buying cost).</summary>
    public decimal NetPaid { get; }

    /// <summary>What settlement paid: 1 point per winning share on resolution, <see cref="NetPaid"/> back on voiding; 0 before.</summary>
    public decimal Payout { get; }

    /// <summary>Shares held of each outcome, in the order of <see cref="PredictionMarket.Outcomes"/>.</summary>
    public IReadOnlyList<decimal> Shares { get; }

    /// <summary>How many trades the customer made in this market (0 for someone only granted points).</summary>
    public int Trades { get; }
}

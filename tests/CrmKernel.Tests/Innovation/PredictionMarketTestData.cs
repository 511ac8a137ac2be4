using CrmKernel.Innovation;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Tests.Innovation;

/// <summary>Shared values for the prediction market tests.</summary>
internal static class PredictionMarketTestData
{
    public static readonly TenantId Tenant = new("markets");
    public static readonly Instant Start = Instant.FromUtc(2026, 4, 1, 9, 0);
    public static readonly CustomerId[] Traders = [CustomerId.New(), CustomerId.New(), CustomerId.New()];

    public static PredictionMarket Binary(decimal liquidity = 100m, Instant? closesAt = null)
        => PredictionMarket.Open(Tenant, PredictionMarketId.New(), IdeaId.New(), "Adopted by at least 20% of customers within 90 days?", ["yes", "no"], liquidity, Start, closesAt);

    public static PredictionMarket WithOutcomes(int n, decimal liquidity)
        => PredictionMarket.Open(Tenant, PredictionMarketId.New(), null, "Which plan sells best?", [.. Enumerable.Range(0, n).Select(i => $"plan {i}")], liquidity, Start);

    /// <summary>C(q) computed independently of <see cref="Lmsr"/> (shifted by the smallest quantity, not the largest), unrounded.</summary>
    public static double ReferenceCost(IReadOnlyList<decimal> quantities, decimal liquidity)
    {
        var b = (double)liquidity;
        var min = (double)quantities.Min();
        var sum = quantities.Sum(q => Math.Exp(((double)q - min) / b));
        return min + (b * Math.Log(sum));
    }

    /// <summary>The market's observable state as text: status, quantities, prices, every account.</summary>
    public static string Describe(PredictionMarket m)
        => $"{m.Status} q=[{string.Join(",", m.Quantities.Select(N))}] p=[{string.Join(",", m.Prices.Select(p => p.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}] "
           + $"collected={N(m.Collected)} paid={N(m.PaidOut)} trades={m.TradeCount} winner={m.WinningOutcome} "
           + string.Join(" ", m.Participants.Select(a => $"{a.CustomerId}:{N(a.Granted)}/{N(a.Balance)}/{N(a.NetPaid)}/{N(a.Payout)}/[{string.Join(",", a.Shares.Select(N))}]/{a.Trades}"));

    /// <summary>A decimal without trailing zeros, so equal values print alike.</summary>
    public static string N(decimal value) => (value / 1.0000000000000000000000000000m).ToString(System.Globalization.CultureInfo.InvariantCulture);
}

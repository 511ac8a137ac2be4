using CrmKernel.Diagnostics;

namespace CrmKernel.Innovation;

/// <summary>
/// Hanson's logarithmic market scoring rule (LMSR), the market maker behind <see cref="PredictionMarket"/>: the cost
/// function C(q) = b·ln Σᵢ exp(qᵢ/b) and the prices pᵢ = exp(qᵢ/b) / Σⱼ exp(qⱼ/b) (a softmax), computed stably. Use
/// it to quote or chart a market outside the aggregate; a trade of Δ shares of outcome i costs C(q + Δeᵢ) − C(q).
/// </summary>
/// <remarks>
/// Both functions shift by the largest quantity before exponentiating (log-sum-exp), so no term overflows and the
/// largest term is exactly 1: C(q) = m + b·ln Σ exp((qᵢ − m)/b) with m = maxᵢ qᵢ. The computation is in
/// <see cref="double"/>; <see cref="PredictionMarket"/> rounds costs to points (<see cref="PredictionMarket.PointDecimals"/>).
/// </remarks>
public static class Lmsr
{
    /// <summary>The cost function C(q) = b·ln Σᵢ exp(qᵢ/b): what the market maker has collected for the outstanding shares (up to C(0) = b·ln n).</summary>
    /// <param name="quantities">The outstanding shares of each outcome (at least two).</param>
    /// <param name="liquidity">The liquidity parameter b (greater than zero).</param>
    /// <exception cref="ArgumentException">Fewer than two quantities, or one is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="liquidity"/> is not a finite number greater than zero.</exception>
    public static double Cost(ReadOnlySpan<double> quantities, double liquidity)
    {
        var max = Check(quantities, liquidity);
        var sum = 0d;
        foreach (var q in quantities)
        {
            sum += Math.Exp((q - max) / liquidity);
        }

        return max + (liquidity * Math.Log(sum));
    }

    /// <summary>Writes the prices pᵢ = softmax(q/b)ᵢ, each in (0, 1) and summing to 1 (to rounding), into <paramref name="prices"/>.</summary>
    /// <param name="quantities">The outstanding shares of each outcome (at least two).</param>
    /// <param name="liquidity">The liquidity parameter b (greater than zero).</param>
    /// <param name="prices">Where the prices go; as long as <paramref name="quantities"/>.</param>
    /// <exception cref="ArgumentException">Fewer than two quantities, one is not finite, or <paramref name="prices"/> has another length.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="liquidity"/> is not a finite number greater than zero.</exception>
    public static void Prices(ReadOnlySpan<double> quantities, double liquidity, Span<double> prices)
    {
        var max = Check(quantities, liquidity);
        Preconditions.Check(prices.Length == quantities.Length, "There must be one price per quantity.", nameof(prices));
        var sum = 0d;
        for (var i = 0; i < quantities.Length; i++)
        {
            prices[i] = Math.Exp((quantities[i] - max) / liquidity);
            sum += prices[i];
        }

        for (var i = 0; i < prices.Length; i++)
        {
            prices[i] /= sum;
        }
    }

    /// <summary>The most the market maker can lose on a market of <paramref name="outcomes"/> outcomes: b·ln n, whatever is traded and whichever outcome wins.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="outcomes"/> is less than 2, or <paramref name="liquidity"/> is not a finite number greater than zero.</exception>
    public static double WorstCaseLoss(int outcomes, double liquidity)
    {
        if (outcomes < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(outcomes), outcomes, "A market has at least two outcomes.");
        }

        return Preconditions.Positive(liquidity) * Math.Log(outcomes);
    }

    private static double Check(ReadOnlySpan<double> quantities, double liquidity)
    {
        Preconditions.Positive(liquidity);
        Preconditions.Check(quantities.Length >= 2, "A market has at least two outcomes.", nameof(quantities));
        var max = double.NegativeInfinity;
        foreach (var q in quantities)
        {
            Preconditions.Check(double.IsFinite(q), "Every quantity must be a finite number.", nameof(quantities));
            max = Math.Max(max, q);
        }

        return max;
    }
}

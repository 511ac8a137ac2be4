using System.Globalization;
using CrmKernel.Primitives;

namespace CrmKernel.Metrics.CustomerBase;

/// <summary>
/// A customer's RFM scores, each from 1 (worst fifth of the base) to 5 (best fifth): recency, frequency and monetary
/// value. Get them from <see cref="RfmScoring.Score"/>; use them for simple segmentation (a 555 is recent, frequent and
/// valuable) or as a baseline to compare a model's ranking against.
/// </summary>
public readonly record struct RfmScore
{
    internal RfmScore(CustomerId customerId, int recency, int frequency, int monetary)
    {
        CustomerId = customerId;
        Recency = recency;
        Frequency = frequency;
        Monetary = monetary;
    }

    /// <summary>The customer.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>R: 5 for the most recent buyers (least time from the last purchase to the calibration end).</summary>
    public int Recency { get; }

    /// <summary>F: 5 for the most calibration transactions (same-day purchases merged, first purchase included).</summary>
    public int Frequency { get; }

    /// <summary>M: 5 for the highest mean value per calibration transaction (first purchase included).</summary>
    public int Monetary { get; }

    /// <summary>The three scores as one number, 100 R + 10 F + M: e.g. 555 or 151.</summary>
    public int Cell => (100 * Recency) + (10 * Frequency) + Monetary;

    /// <summary>The cell, e.g. <c>R5F3M4</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"R{Recency}F{Frequency}M{Monetary}");
}

using CrmKernel.Diagnostics;
using CrmKernel.Metrics.Definitions;

namespace CrmKernel.Metrics.Catalogue;

/// <summary>
/// Conversion through a stage-gated funnel (e.g. the lifecycle's prospect → first-time customer → repeat customer →
/// loyal advocate) for one cohort: the customers who entered the first stage in the window, followed forward. Stage
/// conversion i is N(i+1) ÷ N(i); the overall conversion N(last) ÷ N(first) equals their product (an identity, since the
/// cohort is stage-gated: nobody reaches a stage without passing the one before). Counts are right-censored: a cohort
/// entered late in the window has had less time to convert, so compare cohorts of equal age.
/// </summary>
public static class FunnelConversion
{
    /// <summary>Computes the stage conversions and the overall conversion from a cohort's stage-entry counts.</summary>
    /// <param name="stageEntries">How many of the cohort entered each stage, first stage first; at least two stages, never increasing.</param>
    /// <returns>The result; a stage whose predecessor is empty has no value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stageEntries"/> is null.</exception>
    /// <exception cref="ArgumentException">Fewer than two stages, a negative count, or a count above the previous stage's (not a stage-gated cohort).</exception>
    public static FunnelConversionResult Compute(IReadOnlyList<long> stageEntries)
    {
        Preconditions.NotNull(stageEntries);
        Preconditions.Check(stageEntries.Count >= 2, "A funnel has at least two stages.", nameof(stageEntries));
        for (var i = 0; i < stageEntries.Count; i++)
        {
            Preconditions.Check(stageEntries[i] >= 0 && (i == 0 || stageEntries[i] <= stageEntries[i - 1]), $"Stage {i}'s count is negative or exceeds the stage before; a cohort funnel never grows.", nameof(stageEntries));
        }

        var stages = new MetricValue[stageEntries.Count - 1];
        for (var i = 0; i < stages.Length; i++)
        {
            stages[i] = MetricValue.Ratio(stageEntries[i + 1], stageEntries[i], $"customers entering stage {i}");
        }

        return new FunnelConversionResult([.. stageEntries], stages, MetricValue.Ratio(stageEntries[^1], stageEntries[0], "customers entering the funnel"));
    }
}

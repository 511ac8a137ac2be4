using CrmKernel.Diagnostics;
using CrmKernel.Metrics.Definitions;

namespace CrmKernel.Metrics.Evaluation;

/// <summary>
/// A metric's target and the limit beyond which it is off track: on track at or better than <see cref="Value"/>, at risk
/// up to <see cref="AtRiskLimit"/>, off track beyond it, "better" being the metric's <see cref="BetterDirection"/>.
/// Give targets to the evaluation request by metric id.
/// </summary>
public sealed class MetricTarget
{
    /// <summary>Creates a target.</summary>
    /// <param name="value">The target value (a fraction for percentages: 0.9 is 90 %).</param>
    /// <param name="atRiskLimit">The worst value still at risk rather than off track; on the worse side of <paramref name="value"/> (checked against the metric's direction when evaluated).</param>
    public MetricTarget(decimal value, decimal atRiskLimit)
    {
        Value = value;
        AtRiskLimit = atRiskLimit;
    }

    /// <summary>The target value.</summary>
    public decimal Value { get; }

    /// <summary>The worst value still at risk.</summary>
    public decimal AtRiskLimit { get; }

    /// <summary>The status of <paramref name="value"/> for a metric whose better direction is <paramref name="better"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="better"/> is undefined, or the at-risk limit lies on the better side of the target.</exception>
    public MetricStatus StatusOf(decimal? value, BetterDirection better)
    {
        Preconditions.Defined(better);
        Preconditions.Check(Fits(better), $"The at-risk limit {AtRiskLimit} is on the better side of the target {Value}.", nameof(better));
        var higher = better == BetterDirection.HigherIsBetter;
        if (value is not { } v)
        {
            return MetricStatus.NotAssessed;
        }

        return higher
            ? v >= Value ? MetricStatus.OnTrack : v >= AtRiskLimit ? MetricStatus.AtRisk : MetricStatus.OffTrack
            : v <= Value ? MetricStatus.OnTrack : v <= AtRiskLimit ? MetricStatus.AtRisk : MetricStatus.OffTrack;
    }

    /// <summary>True when the at-risk limit lies on the worse side of the target for a metric of direction <paramref name="better"/>.</summary>
    internal bool Fits(BetterDirection better) => better == BetterDirection.HigherIsBetter ? AtRiskLimit <= Value : AtRiskLimit >= Value;
}

using CrmKernel.Diagnostics;

namespace CrmKernel.Metrics.Acquisition;

/// <summary>
/// The weights of the <see cref="AttributionRule"/>s: which share of one conversion each communication of a journey
/// takes, by its position. Use it to apply a rule to journeys of your own; the acquisition analysis uses it for every
/// journey.
/// </summary>
public static class Attribution
{
    private const decimal Ends = 0.4m;
    private const decimal Middle = 0.2m;

    /// <summary>
    /// Writes the weight of each of <paramref name="touches"/> communications (in time order) under <paramref name="rule"/>
    /// into the first <paramref name="touches"/> elements of <paramref name="weights"/>. The weights sum to exactly 1: a
    /// share that does not divide evenly in decimal (a third) leaves its rounding remainder on the last communication
    /// that shares it. Allocates nothing.
    /// </summary>
    /// <param name="rule">The attribution rule.</param>
    /// <param name="touches">The number of communications; at least 1.</param>
    /// <param name="weights">Where the weights go; at least <paramref name="touches"/> long.</param>
    /// <exception cref="System.ComponentModel.InvalidEnumArgumentException"><paramref name="rule"/> is not defined.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="touches"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="weights"/> is shorter than <paramref name="touches"/>.</exception>
    public static void Weights(AttributionRule rule, int touches, Span<decimal> weights)
    {
        Preconditions.Defined(rule);
        Preconditions.Positive(touches, "A journey has at least one communication.");
        Preconditions.Check(weights.Length >= touches, "The weights span is shorter than the journey.", nameof(weights));
        var w = weights[..touches];
        w.Clear();
        switch (rule)
        {
            case AttributionRule.FirstTouch:
                w[0] = 1m;
                break;
            case AttributionRule.LastTouch:
                w[^1] = 1m;
                break;
            case AttributionRule.Linear:
                Share(w, 1m);
                break;
            default:
                if (touches <= 2)
                {
                    Share(w, 1m);
                }
                else
                {
                    w[0] = Ends;
                    w[^1] = Ends;
                    Share(w[1..^1], Middle);
                }

                break;
        }
    }

    /// <summary>Splits <paramref name="total"/> evenly over <paramref name="span"/>, the remainder on its last element.</summary>
    private static void Share(Span<decimal> span, decimal total)
    {
        var each = total / span.Length;
        var given = 0m;
        for (var i = 0; i < span.Length - 1; i++)
        {
            span[i] = each;
            given += each;
        }

        span[^1] = total - given;
    }
}

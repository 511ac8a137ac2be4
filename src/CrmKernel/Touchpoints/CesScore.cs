namespace CrmKernel.Touchpoints;

/// <summary>A Customer Effort Score (2010) answer, 1–5 effort, lower is better: positive at 1–2, neutral at 3, negative at 4–5.</summary>
public sealed class CesScore : SatisfactionScore
{
    /// <summary>Creates a CES (2010) answer.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is not 1 to 5.</exception>
    public CesScore(int value)
        : base(value, 1, 5)
    {
    }

    /// <inheritdoc />
    public override SatisfactionScale Scale => SatisfactionScale.Ces;

    /// <inheritdoc />
    public override SatisfactionPolarity Polarity => Value switch { <= 2 => SatisfactionPolarity.Positive, 3 => SatisfactionPolarity.Neutral, _ => SatisfactionPolarity.Negative };
}

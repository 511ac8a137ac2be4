namespace CrmKernel.Touchpoints;

/// <summary>A CSAT answer, 1–5. Positive at 4–5 (the top-2 box), neutral at 3, negative at 1–2.</summary>
public sealed class CsatScore : SatisfactionScore
{
    /// <summary>Creates a CSAT answer.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is not 1 to 5.</exception>
    public CsatScore(int value)
        : base(value, 1, 5)
    {
    }

    /// <inheritdoc />
    public override SatisfactionScale Scale => SatisfactionScale.Csat;

    /// <summary>True for 4 and 5: what CSAT's top-2-box share counts.</summary>
    public bool IsTopTwoBox => Value >= 4;

    /// <inheritdoc />
    public override SatisfactionPolarity Polarity => Value switch { >= 4 => SatisfactionPolarity.Positive, 3 => SatisfactionPolarity.Neutral, _ => SatisfactionPolarity.Negative };
}

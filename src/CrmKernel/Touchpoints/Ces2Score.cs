namespace CrmKernel.Touchpoints;

/// <summary>A CES 2.0 answer, 1–7 agreement that the issue was easy to handle, higher is better: positive at 5–7, neutral at 4, negative at 1–3.</summary>
public sealed class Ces2Score : SatisfactionScore
{
    /// <summary>Creates a CES 2.0 answer.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is not 1 to 7.</exception>
    public Ces2Score(int value)
        : base(value, 1, 7)
    {
    }

    /// <inheritdoc />
    public override SatisfactionScale Scale => SatisfactionScale.Ces2;

    /// <inheritdoc />
    public override SatisfactionPolarity Polarity => Value switch { >= 5 => SatisfactionPolarity.Positive, 4 => SatisfactionPolarity.Neutral, _ => SatisfactionPolarity.Negative };
}

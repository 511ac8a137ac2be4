namespace CrmKernel.Touchpoints;

/// <summary>A likelihood-to-recommend answer, 0–10 (Reichheld 2003): promoters 9–10 (positive), passives 7–8 (neutral), detractors 0–6 (negative).</summary>
public sealed class NpsScore : SatisfactionScore
{
    /// <summary>Creates an NPS answer.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is not 0 to 10.</exception>
    public NpsScore(int value)
        : base(value, 0, 10)
    {
    }

    /// <inheritdoc />
    public override SatisfactionScale Scale => SatisfactionScale.Nps;

    /// <summary>True for 9 and 10.</summary>
    public bool IsPromoter => Value >= 9;

    /// <summary>True for 0 to 6.</summary>
    public bool IsDetractor => Value <= 6;

    /// <inheritdoc />
    public override SatisfactionPolarity Polarity => IsPromoter ? SatisfactionPolarity.Positive : IsDetractor ? SatisfactionPolarity.Negative : SatisfactionPolarity.Neutral;
}

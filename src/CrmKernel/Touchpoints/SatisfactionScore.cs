using CrmKernel.Diagnostics;

namespace CrmKernel.Touchpoints;

/// <summary>The survey scales the kernel knows. Each has its own type; scores on different scales are never mixed.</summary>
public enum SatisfactionScale
{
    /// <summary>Customer satisfaction, 1 (very dissatisfied) to 5 (very satisfied): <see cref="CsatScore"/>.</summary>
    Csat = 1,

    /// <summary>Net Promoter likelihood to recommend, 0 to 10: <see cref="NpsScore"/>.</summary>
    Nps = 2,

    /// <summary>Customer Effort Score (2010), 1 (very low effort) to 5 (very high effort); lower is better: <see cref="CesScore"/>.</summary>
    Ces = 3,

    /// <summary>Customer Effort Score 2.0, 1 (strongly disagree that it was easy) to 7 (strongly agree); higher is better: <see cref="Ces2Score"/>.</summary>
    Ces2 = 4,
}

/// <summary>Whether a score reads as good, indifferent or bad news about the relationship.</summary>
public enum SatisfactionPolarity
{
    /// <summary>A detractor, a dissatisfied customer, or high effort.</summary>
    Negative = -1,

    /// <summary>Neither: a passive, a neutral rating.</summary>
    Neutral = 0,

    /// <summary>A promoter, a satisfied customer, or low effort.</summary>
    Positive = 1,
}

/// <summary>
/// A survey answer on one of the known scales: <see cref="CsatScore"/>, <see cref="NpsScore"/>,
/// <see cref="CesScore"/> or <see cref="Ces2Score"/>. The scale travels with the value, so metrics never
/// average a CES 2010 answer with a CES 2.0 one, and every score can say whether it is good news
/// (<see cref="Polarity"/>), which the lifecycle uses to notice dissatisfied and recovered customers.
/// </summary>
public abstract class SatisfactionScore : IEquatable<SatisfactionScore>
{
    private protected SatisfactionScore(int value, int min, int max)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"A {GetType().Name} is {min} to {max}.");
        }

        Value = value;
    }

    /// <summary>The scale.</summary>
    public abstract SatisfactionScale Scale { get; }

    /// <summary>The answer on the scale.</summary>
    public int Value { get; }

    /// <summary>Whether the answer is good, indifferent or bad news, by the scale's standard cut-offs (see each type).</summary>
    public abstract SatisfactionPolarity Polarity { get; }

    /// <summary>Creates a score of the given scale (e.g. when reading one back from storage).</summary>
    /// <exception cref="ArgumentException"><paramref name="scale"/> is undefined.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is outside the scale.</exception>
    public static SatisfactionScore Create(SatisfactionScale scale, int value) => Preconditions.Defined(scale) switch
    {
        SatisfactionScale.Csat => new CsatScore(value),
        SatisfactionScale.Nps => new NpsScore(value),
        SatisfactionScale.Ces => new CesScore(value),
        _ => new Ces2Score(value),
    };

    /// <inheritdoc />
    public bool Equals(SatisfactionScore? other) => other is not null && other.Scale == Scale && other.Value == Value;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SatisfactionScore);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Scale, Value);

    /// <summary>The scale and value, e.g. <c>Nps:9</c>.</summary>
    public override string ToString() => $"{Scale}:{Value}";
}

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

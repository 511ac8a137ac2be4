using CrmKernel.Diagnostics;

namespace CrmKernel.Touchpoints;

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

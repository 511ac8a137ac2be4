using System.Globalization;

namespace CrmKernel.Touchpoints;

/// <summary>
/// The tone of a contact from −1 (very negative) through 0 (neutral) to +1 (very positive), e.g. from a text
/// analytics service or an agent's judgement. Use it when there is no survey answer; use a
/// <see cref="SatisfactionScore"/> when the customer answered one.
/// </summary>
public readonly record struct Sentiment
{
    /// <summary>Creates a sentiment.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is outside −1 to +1.</exception>
    public Sentiment(decimal value)
    {
        if (value is < -1m or > 1m)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A sentiment is -1 to +1.");
        }

        Value = value;
    }

    /// <summary>The sentiment, −1 to +1.</summary>
    public decimal Value { get; }

    /// <summary>The value in invariant culture.</summary>
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}

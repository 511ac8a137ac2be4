using NodaTime;

namespace CrmKernel.Cases;

/// <summary>
/// The two targets of an <see cref="SlaPolicy"/> for one <see cref="CasePriority"/>: how much business time may pass
/// before the first response, and before the resolution. Both are business time, counted on the policy's calendar.
/// </summary>
public sealed class SlaTargets : IEquatable<SlaTargets>
{
    /// <summary>Creates the targets.</summary>
    /// <param name="firstResponse">Business time allowed from opening to the first response; more than zero.</param>
    /// <param name="resolution">Business time allowed from opening to resolution, not counting pauses; more than zero.</param>
    /// <exception cref="ArgumentOutOfRangeException">A target is zero or negative, or longer than 100 years.</exception>
    public SlaTargets(Duration firstResponse, Duration resolution)
    {
        FirstResponse = Positive(firstResponse, nameof(firstResponse));
        Resolution = Positive(resolution, nameof(resolution));
    }

    /// <summary>Business time allowed from opening to the first response.</summary>
    public Duration FirstResponse { get; }

    /// <summary>Business time allowed from opening to resolution; time paused while waiting on the customer does not count.</summary>
    public Duration Resolution { get; }

    /// <inheritdoc />
    public bool Equals(SlaTargets? other) => other is not null && FirstResponse == other.FirstResponse && Resolution == other.Resolution;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SlaTargets);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(FirstResponse, Resolution);

    /// <summary>E.g. <c>first response 0:04:00:00, resolution 2:00:00:00</c> (days:hours:minutes:seconds).</summary>
    public override string ToString() => $"first response {FirstResponse}, resolution {Resolution}";

    private static Duration Positive(Duration value, string parameterName)
        => value > Duration.Zero && value <= Duration.FromDays(36_525)
            ? value
            : throw new ArgumentOutOfRangeException(parameterName, value, $"The {parameterName} target must be more than zero and at most 100 years of business time.");
}

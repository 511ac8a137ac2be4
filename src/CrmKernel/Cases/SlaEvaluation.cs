namespace CrmKernel.Cases;

/// <summary>
/// Both targets of one case's SLA at one instant, as <see cref="SlaPolicy.Evaluate(in SlaClock, NodaTime.Instant)"/>
/// computes them: the first response and the resolution.
/// </summary>
public readonly struct SlaEvaluation : IEquatable<SlaEvaluation>
{
    internal SlaEvaluation(SlaTargetStatus firstResponse, SlaTargetStatus resolution)
    {
        FirstResponse = firstResponse;
        Resolution = resolution;
    }

    /// <summary>The first-response target: its clock runs from opening to the first response and never pauses.</summary>
    public SlaTargetStatus FirstResponse { get; }

    /// <summary>The resolution target: its clock runs from opening to resolution and pauses while the case waits on the customer.</summary>
    public SlaTargetStatus Resolution { get; }

    /// <summary>Whether either target is breached.</summary>
    public bool IsBreached => FirstResponse.State == SlaState.Breached || Resolution.State == SlaState.Breached;

    /// <summary>Whether two evaluations are the same.</summary>
    public static bool operator ==(SlaEvaluation left, SlaEvaluation right) => left.Equals(right);

    /// <summary>Whether two evaluations differ.</summary>
    public static bool operator !=(SlaEvaluation left, SlaEvaluation right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(SlaEvaluation other) => FirstResponse.Equals(other.FirstResponse) && Resolution.Equals(other.Resolution);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SlaEvaluation other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(FirstResponse, Resolution);

    /// <summary>Both parts.</summary>
    public override string ToString() => $"first response: {FirstResponse}; resolution: {Resolution}";
}

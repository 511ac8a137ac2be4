using NodaTime;

namespace CrmKernel.Cases;

/// <summary>
/// One target of one case's SLA at one instant: its <see cref="State"/>, when it is due, how much business time it has
/// used and how much is left. Part of an <see cref="SlaEvaluation"/>; show it in queues ("due in 1 h 20 min") and sort
/// or alert on it.
/// </summary>
public readonly struct SlaTargetStatus : IEquatable<SlaTargetStatus>
{
    private readonly long _dueAt;
    private readonly long _elapsed;
    private readonly long _target;

    internal SlaTargetStatus(SlaState state, long dueAt, long elapsed, long target)
    {
        State = state;
        _dueAt = dueAt;
        _elapsed = elapsed;
        _target = target;
    }

    /// <summary>Where the target stands.</summary>
    public SlaState State { get; }

    /// <summary>
    /// The first instant at which the whole target has elapsed, assuming the clock keeps running: the deadline. Null
    /// while the resolution clock is paused (the deadline moves with the pause).
    /// </summary>
    public Instant? DueAt => _dueAt == SlaClock.None ? null : Calendars.BusinessCalendar.FromNanos(_dueAt);

    /// <summary>The target, in business time.</summary>
    public Duration Target => Duration.FromNanoseconds(_target);

    /// <summary>The business time used: until the target was met, or until now (or the pause) while it is not.</summary>
    public Duration Elapsed => Duration.FromNanoseconds(_elapsed);

    /// <summary>
    /// <see cref="Target"/> minus <see cref="Elapsed"/>: positive or zero until the target is breached, negative once it is
    /// (by the business time over).
    /// </summary>
    public Duration Remaining => Duration.FromNanoseconds(_target - _elapsed);

    /// <summary>Whether two statuses are the same.</summary>
    public static bool operator ==(SlaTargetStatus left, SlaTargetStatus right) => left.Equals(right);

    /// <summary>Whether two statuses differ.</summary>
    public static bool operator !=(SlaTargetStatus left, SlaTargetStatus right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(SlaTargetStatus other) => State == other.State && _dueAt == other._dueAt && _elapsed == other._elapsed && _target == other._target;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SlaTargetStatus other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(State, _dueAt, _elapsed, _target);

    /// <summary>E.g. <c>AtRisk, due 2026-04-07T10:00:00Z, 0:03:30:00 used of 0:04:00:00</c> (business time as days:hours:minutes:seconds).</summary>
    public override string ToString() => $"{State}, due {(DueAt is { } due ? due.ToString() : "(paused)")}, {Elapsed} used of {Target}";
}

using CrmKernel.Calendars;
using CrmKernel.Diagnostics;
using NodaTime;

namespace CrmKernel.Cases;

/// <summary>
/// What an <see cref="SlaPolicy"/> needs to know about one case to evaluate its targets: priority, when it was opened,
/// first responded to and resolved, and how long its resolution clock has been paused. A small value the case aggregate
/// builds without allocating, so that a whole queue is evaluated in one pass
/// (<see cref="SlaPolicy.Evaluate(ReadOnlySpan{SlaClock}, Span{SlaEvaluation}, Instant)"/>).
/// </summary>
/// <remarks>
/// The completed pauses are carried as the business time they covered (<see cref="PausedBusinessTime"/>, counted on the
/// policy's calendar once, when each pause ends, e.g. with <see cref="BusinessCalendar.BusinessTimeBetween"/>), so
/// evaluation costs the same however often a case waited on the customer. <see cref="SlaPolicy.CreateClock(CasePriority, Instant, Instant?, Instant?, IEnumerable{Interval}, Instant?)"/> builds a
/// clock from the pauses as intervals.
/// </remarks>
public readonly struct SlaClock : IEquatable<SlaClock>
{
    internal const long None = long.MinValue;

    private readonly long _openedAt;
    private readonly long _firstRespondedAt;
    private readonly long _resolvedAt;
    private readonly long _pausedSince;
    private readonly long _pausedNanos;
    private readonly CasePriority _priority;

    /// <summary>Creates a clock.</summary>
    /// <param name="priority">The case's current priority; its targets apply.</param>
    /// <param name="openedAt">When the case was opened: both clocks start here.</param>
    /// <param name="firstRespondedAt">When the first response went out; null while none has.</param>
    /// <param name="resolvedAt">When the case was resolved; null while it is open (a reopened case is open again).</param>
    /// <param name="pausedBusinessTime">The business time of the completed pauses of the resolution clock (zero or more).</param>
    /// <param name="pausedSince">When the current pause began (the case waits on the customer); null when not paused.</param>
    /// <exception cref="ArgumentException">
    /// An undefined priority; a response or resolution before the opening, a response after the resolution, a pause
    /// that began before the opening, or a resolved case that is still paused.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">An instant outside <see cref="BusinessCalendar.SupportedRange"/>, or a negative paused time.</exception>
    public SlaClock(CasePriority priority, Instant openedAt, Instant? firstRespondedAt, Instant? resolvedAt, Duration pausedBusinessTime, Instant? pausedSince)
    {
        _priority = Preconditions.Defined(priority);
        _openedAt = Nanos(openedAt, nameof(openedAt));
        _firstRespondedAt = firstRespondedAt is { } responded ? Nanos(responded, nameof(firstRespondedAt)) : None;
        _resolvedAt = resolvedAt is { } resolved ? Nanos(resolved, nameof(resolvedAt)) : None;
        _pausedSince = pausedSince is { } paused ? Nanos(paused, nameof(pausedSince)) : None;
        if (pausedBusinessTime < Duration.Zero || pausedBusinessTime > BusinessCalendar.SupportedRange.Duration)
        {
            throw new ArgumentOutOfRangeException(nameof(pausedBusinessTime), pausedBusinessTime, "The paused business time must be zero or more (and within the supported range).");
        }

        _pausedNanos = pausedBusinessTime.ToInt64Nanoseconds();
        Preconditions.Check(_firstRespondedAt == None || _firstRespondedAt >= _openedAt, "The first response cannot come before the case was opened.", nameof(firstRespondedAt));
        Preconditions.Check(_resolvedAt == None || _resolvedAt >= _openedAt, "The resolution cannot come before the case was opened.", nameof(resolvedAt));
        Preconditions.Check(_resolvedAt == None || _firstRespondedAt == None || _firstRespondedAt <= _resolvedAt, "The first response cannot come after the resolution.", nameof(firstRespondedAt));
        Preconditions.Check(_pausedSince == None || _pausedSince >= _openedAt, "A pause cannot begin before the case was opened.", nameof(pausedSince));
        Preconditions.Check(_pausedSince == None || _resolvedAt == None, "A resolved case is not waiting on the customer: end the pause when resolving.", nameof(pausedSince));
    }

    /// <summary>The case's priority.</summary>
    public CasePriority Priority => _priority;

    /// <summary>When the case was opened.</summary>
    public Instant OpenedAt => BusinessCalendar.FromNanos(_openedAt);

    /// <summary>When the first response went out, or null.</summary>
    public Instant? FirstRespondedAt => At(_firstRespondedAt);

    /// <summary>When the case was resolved, or null.</summary>
    public Instant? ResolvedAt => At(_resolvedAt);

    /// <summary>The business time of the completed pauses of the resolution clock.</summary>
    public Duration PausedBusinessTime => Duration.FromNanoseconds(_pausedNanos);

    /// <summary>When the current pause began, or null when the resolution clock is not paused.</summary>
    public Instant? PausedSince => At(_pausedSince);

    internal long OpenedNanos => _openedAt;

    internal long FirstRespondedNanos => _firstRespondedAt;

    internal long ResolvedNanos => _resolvedAt;

    internal long PausedSinceNanos => _pausedSince;

    internal long PausedNanos => _pausedNanos;

    /// <summary>Whether two clocks hold the same values.</summary>
    public static bool operator ==(SlaClock left, SlaClock right) => left.Equals(right);

    /// <summary>Whether two clocks differ.</summary>
    public static bool operator !=(SlaClock left, SlaClock right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(SlaClock other)
        => _priority == other._priority && _openedAt == other._openedAt && _firstRespondedAt == other._firstRespondedAt
           && _resolvedAt == other._resolvedAt && _pausedSince == other._pausedSince && _pausedNanos == other._pausedNanos;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SlaClock other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_priority, _openedAt, _firstRespondedAt, _resolvedAt, _pausedSince, _pausedNanos);

    private static Instant? At(long nanos) => nanos == None ? null : BusinessCalendar.FromNanos(nanos);

    private static long Nanos(Instant instant, string parameterName)
        => BusinessCalendar.IsSupported(instant)
            ? BusinessCalendar.ToNanos(instant)
            : throw new ArgumentOutOfRangeException(parameterName, instant, $"SLA instants must be in {BusinessCalendar.SupportedRange}.");
}

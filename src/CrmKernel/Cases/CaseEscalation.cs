using CrmKernel.Diagnostics;
using NodaTime;

namespace CrmKernel.Cases;

/// <summary>One escalation of a case: the level it reached, the priority after it, when, by whom and why.</summary>
public sealed class CaseEscalation : IEquatable<CaseEscalation>
{
    /// <summary>Creates an escalation record (the case does; storage adapters rebuild stored ones).</summary>
    /// <param name="level">The level reached, 1 to <see cref="ServiceCase.MaxEscalationLevel"/>.</param>
    /// <param name="priority">The case's priority after the escalation.</param>
    /// <param name="at">When.</param>
    /// <param name="actor">Who.</param>
    /// <param name="reason">Why.</param>
    /// <exception cref="ArgumentNullException"><paramref name="actor"/> or <paramref name="reason"/> is null.</exception>
    /// <exception cref="ArgumentException">A level out of range, an undefined priority, or a blank or too long text.</exception>
    public CaseEscalation(int level, CasePriority priority, Instant at, string actor, string reason)
    {
        Preconditions.Check(level is >= 1 and <= ServiceCase.MaxEscalationLevel, $"An escalation level is 1 to {ServiceCase.MaxEscalationLevel}.", nameof(level));
        Level = level;
        Priority = Preconditions.Defined(priority);
        At = at;
        Actor = Preconditions.MaxLength(Preconditions.NotBlank(actor).Trim(), CaseStatusChange.MaxActorLength, nameof(actor));
        Reason = Preconditions.MaxLength(Preconditions.NotBlank(reason).Trim(), CaseStatusChange.MaxReasonLength, nameof(reason));
    }

    /// <summary>The level reached (1 for the first escalation).</summary>
    public int Level { get; }

    /// <summary>The priority after the escalation.</summary>
    public CasePriority Priority { get; }

    /// <summary>When.</summary>
    public Instant At { get; }

    /// <summary>Who.</summary>
    public string Actor { get; }

    /// <summary>Why.</summary>
    public string Reason { get; }

    /// <inheritdoc />
    public bool Equals(CaseEscalation? other)
        => other is not null && Level == other.Level && Priority == other.Priority && At == other.At && Actor == other.Actor && Reason == other.Reason;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as CaseEscalation);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Level, Priority, At, Actor, Reason);
}

using CrmKernel.Diagnostics;
using NodaTime;

namespace CrmKernel.Cases;

/// <summary>
/// One entry of a case's status history: it was opened, started, put on hold waiting for the customer, resumed,
/// resolved, reopened or closed — when, by whom and why. Read <see cref="ServiceCase.History"/> for resolution time,
/// handle time, reopen counts and the pauses of the resolution clock.
/// </summary>
public sealed class CaseStatusChange : IEquatable<CaseStatusChange>
{
    /// <summary>The longest actor reference.</summary>
    public const int MaxActorLength = 128;

    /// <summary>The longest reason.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>Creates an entry (the case does; storage adapters rebuild stored ones).</summary>
    /// <param name="fromStatus">The status before; null for the entry that opened the case.</param>
    /// <param name="toStatus">The status after.</param>
    /// <param name="at">When.</param>
    /// <param name="actor">Who (an opaque user or system id).</param>
    /// <param name="reason">Why.</param>
    /// <exception cref="ArgumentNullException"><paramref name="actor"/> or <paramref name="reason"/> is null.</exception>
    /// <exception cref="ArgumentException">An undefined status, an entry that changes nothing, or a blank or too long text.</exception>
    public CaseStatusChange(CaseStatus? fromStatus, CaseStatus toStatus, Instant at, string actor, string reason)
    {
        Preconditions.NotNull(actor);
        Preconditions.NotNull(reason);
        Preconditions.Check(fromStatus is null || Enum.IsDefined(fromStatus.Value), "The previous status is not defined.", nameof(fromStatus));
        Preconditions.Defined(toStatus);
        Preconditions.Check(fromStatus != toStatus, "An entry must change the status.", nameof(toStatus));
        FromStatus = fromStatus;
        ToStatus = toStatus;
        At = at;
        Actor = Preconditions.MaxLength(Preconditions.NotBlank(actor).Trim(), MaxActorLength, nameof(actor));
        Reason = Preconditions.MaxLength(Preconditions.NotBlank(reason).Trim(), MaxReasonLength, nameof(reason));
    }

    /// <summary>The status before; null for the entry that opened the case.</summary>
    public CaseStatus? FromStatus { get; }

    /// <summary>The status after.</summary>
    public CaseStatus ToStatus { get; }

    /// <summary>When it happened.</summary>
    public Instant At { get; }

    /// <summary>Who did it.</summary>
    public string Actor { get; }

    /// <summary>Why.</summary>
    public string Reason { get; }

    /// <inheritdoc />
    public bool Equals(CaseStatusChange? other)
        => other is not null && FromStatus == other.FromStatus && ToStatus == other.ToStatus && At == other.At && Actor == other.Actor && Reason == other.Reason;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as CaseStatusChange);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(FromStatus, ToStatus, At, Actor, Reason);
}

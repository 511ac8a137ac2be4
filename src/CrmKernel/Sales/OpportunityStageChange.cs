using CrmKernel.Diagnostics;
using NodaTime;

namespace CrmKernel.Sales;

/// <summary>
/// One entry of a deal's history: it entered a stage or changed status (opened, moved, won, lost, reopened), when, by
/// whom and why. Read a deal's <see cref="Opportunity.History"/> for time in stage and sales cycle length.
/// </summary>
public sealed class OpportunityStageChange : IEquatable<OpportunityStageChange>
{
    /// <summary>The longest actor reference.</summary>
    public const int MaxActorLength = 128;

    /// <summary>The longest reason.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>Creates an entry (the opportunity does; storage adapters rebuild stored ones).</summary>
    /// <param name="fromStage">The stage before, null when the deal was opened.</param>
    /// <param name="toStage">The stage after (a closed deal keeps its last open stage).</param>
    /// <param name="fromStatus">The status before, null when the deal was opened.</param>
    /// <param name="toStatus">The status after.</param>
    /// <param name="at">When.</param>
    /// <param name="actor">Who (an opaque user or system id).</param>
    /// <param name="reason">Why.</param>
    /// <exception cref="ArgumentNullException"><paramref name="toStage"/>, <paramref name="actor"/> or <paramref name="reason"/> is null.</exception>
    /// <exception cref="ArgumentException">A blank stage or actor, a blank reason, a text too long, an undefined status, or an entry that changes nothing.</exception>
    public OpportunityStageChange(string? fromStage, string toStage, OpportunityStatus? fromStatus, OpportunityStatus toStatus, Instant at, string actor, string reason)
    {
        Preconditions.NotNull(toStage);
        Preconditions.NotNull(actor);
        Preconditions.NotNull(reason);
        Preconditions.Check(fromStage is null == fromStatus is null, "An entry has both a previous stage and status, or neither (the deal was opened).", nameof(fromStage));
        Preconditions.Check(fromStatus is null || Enum.IsDefined(fromStatus.Value), "The previous status is not defined.", nameof(fromStatus));
        Preconditions.Defined(toStatus);
        Preconditions.Check(fromStage is null || fromStage != toStage || fromStatus != toStatus, "An entry must change the stage or the status.", nameof(toStage));
        FromStage = fromStage is null ? null : Preconditions.MaxLength(Preconditions.NotBlank(fromStage), SalesStage.MaxKeyLength, nameof(fromStage));
        ToStage = Preconditions.MaxLength(Preconditions.NotBlank(toStage), SalesStage.MaxKeyLength, nameof(toStage));
        FromStatus = fromStatus;
        ToStatus = toStatus;
        At = at;
        Actor = Preconditions.MaxLength(Preconditions.NotBlank(actor).Trim(), MaxActorLength, nameof(actor));
        Reason = Preconditions.MaxLength(Preconditions.NotBlank(reason).Trim(), MaxReasonLength, nameof(reason));
    }

    /// <summary>The stage before; null for the entry that opened the deal.</summary>
    public string? FromStage { get; }

    /// <summary>The stage after.</summary>
    public string ToStage { get; }

    /// <summary>The status before; null for the entry that opened the deal.</summary>
    public OpportunityStatus? FromStatus { get; }

    /// <summary>The status after.</summary>
    public OpportunityStatus ToStatus { get; }

    /// <summary>When it happened.</summary>
    public Instant At { get; }

    /// <summary>Who did it.</summary>
    public string Actor { get; }

    /// <summary>Why.</summary>
    public string Reason { get; }

    /// <inheritdoc />
    public bool Equals(OpportunityStageChange? other)
        => other is not null && FromStage == other.FromStage && ToStage == other.ToStage && FromStatus == other.FromStatus
           && ToStatus == other.ToStatus && At == other.At && Actor == other.Actor && Reason == other.Reason;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as OpportunityStageChange);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(FromStage, ToStage, FromStatus, ToStatus, At, Actor, Reason);
}

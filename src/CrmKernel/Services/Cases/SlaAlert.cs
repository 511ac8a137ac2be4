using CrmKernel.Cases;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Services.Cases;

/// <summary>
/// One active case the SLA sweep (<see cref="CaseService.SweepSlaAsync"/>) found breached or at risk: its evaluation at
/// <see cref="EvaluatedAt"/> (state, due instant and business time left of each target) and the escalations the sweep
/// raised for it. Show it on the supervisor's board or page someone.
/// </summary>
public sealed class SlaAlert
{
    internal SlaAlert(ServiceCase serviceCase, string slaPolicy, Instant evaluatedAt, SlaEvaluation evaluation, IReadOnlyList<CaseEscalation> escalations)
    {
        CaseId = serviceCase.Id;
        CustomerId = serviceCase.CustomerId;
        Status = serviceCase.Status;
        Priority = serviceCase.Priority;
        SlaPolicy = slaPolicy;
        EvaluatedAt = evaluatedAt;
        Evaluation = evaluation;
        Escalations = escalations;
    }

    /// <summary>The case.</summary>
    public CaseId CaseId { get; }

    /// <summary>The case's customer.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>The case's status when it was read.</summary>
    public CaseStatus Status { get; }

    /// <summary>The case's priority when it was evaluated (its targets applied), before any escalation of this sweep.</summary>
    public CasePriority Priority { get; }

    /// <summary>The name of the policy the case runs under.</summary>
    public string SlaPolicy { get; }

    /// <summary>The instant the case was evaluated at.</summary>
    public Instant EvaluatedAt { get; }

    /// <summary>Both targets: state, due instant, business time used and left (<see cref="SlaTargetStatus.Remaining"/>, negative once breached).</summary>
    public SlaEvaluation Evaluation { get; }

    /// <summary>True when either target is breached; false when the case is only at risk.</summary>
    public bool IsBreached => Evaluation.IsBreached;

    /// <summary>The escalations this sweep raised for newly breached targets (one per target, at most two); empty when none.</summary>
    public IReadOnlyList<CaseEscalation> Escalations { get; }

    /// <summary>E.g. <c>case … (standard, Normal): first response: Breached, …; resolution: AtRisk, …</c>.</summary>
    public override string ToString() => $"case {CaseId} ({SlaPolicy}, {Priority}): {Evaluation}";
}

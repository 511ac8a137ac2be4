using CrmKernel.Cases;
using NodaTime;

namespace CrmKernel.Services.Cases;

/// <summary>
/// Settings of <see cref="CaseService"/>. Register your own instance before <c>AddCrmKernel</c> (or replace it) to
/// change them; the defaults suit most service desks.
/// </summary>
public sealed class CaseServiceOptions
{
    /// <summary>The most SLA policies one case service registers.</summary>
    public const int MaxSlaPolicies = 100;

    /// <summary>
    /// How long after its resolution a case can be reopened: 7 days by default (the window of first-contact resolution
    /// in METRICS.md). A reopen exactly at the end is allowed; after it the case can only be closed.
    /// </summary>
    public Duration ReopenWindow { get; init; } = Duration.FromDays(7);

    /// <summary>
    /// The SLA policies cases can be opened under, registered by <see cref="SlaPolicy.Name"/> (names must differ; at
    /// most <see cref="MaxSlaPolicies"/>). A case opened under a name not listed here is refused (<c>CRM-CASE-009</c>);
    /// a case opened without a policy has no SLA. Empty by default.
    /// </summary>
    public IReadOnlyList<SlaPolicy> SlaPolicies { get; init; } = [];

    /// <summary>
    /// The priority the SLA sweep (<see cref="CaseService.SweepSlaAsync"/>) raises a case to when it escalates a breach
    /// (never lowering it); null (the default) escalates without changing the priority.
    /// </summary>
    public CasePriority? SlaBreachPriority { get; init; }
}

using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Customers;

/// <summary>
/// A customer moved to another lifecycle stage. Raised once per transition, written to the outbox in the same
/// commit as the customer and published after it; subscribe to it to start win-back campaigns, alert account
/// managers about dissatisfied customers, or feed funnel dashboards.
/// </summary>
public sealed class LifecycleStageChanged : CustomerEvent
{
    internal LifecycleStageChanged(TenantId tenantId, CustomerId customerId, Instant occurredAt, LifecycleTransitionRecord transition)
        : base(tenantId, customerId, occurredAt) => Transition = transition;

    /// <summary>The transition, exactly as recorded in the customer's history.</summary>
    public LifecycleTransitionRecord Transition { get; }

    /// <summary>The stage left.</summary>
    public LifecycleStage From => Transition.From;

    /// <summary>The stage entered.</summary>
    public LifecycleStage To => Transition.To;
}

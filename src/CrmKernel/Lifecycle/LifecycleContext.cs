using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Lifecycle;

/// <summary>
/// What a lifecycle guard sees: the customer's current stage and lifecycle facts (already including the
/// triggering touchpoint), the triggering touchpoint if any, and the instant the rule is evaluated at.
/// </summary>
/// <remarks>A guard must be a pure, fast predicate: it runs for every matching touchpoint and, for inactivity rules, for every customer in a bulk evaluation.</remarks>
public readonly struct LifecycleContext
{
    internal LifecycleContext(CustomerId customerId, LifecycleStage stage, LifecycleFacts facts, Touchpoint? touchpoint, Instant at)
    {
        CustomerId = customerId;
        Stage = stage;
        Facts = facts;
        Touchpoint = touchpoint;
        At = at;
    }

    /// <summary>The customer.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>The customer's current stage.</summary>
    public LifecycleStage Stage { get; }

    /// <summary>The customer's facts; for a touchpoint trigger they already count the touchpoint.</summary>
    public LifecycleFacts Facts { get; }

    /// <summary>The triggering touchpoint, or null for inactivity and command triggers.</summary>
    public Touchpoint? Touchpoint { get; }

    /// <summary>The instant of the transition being considered.</summary>
    public Instant At { get; }
}

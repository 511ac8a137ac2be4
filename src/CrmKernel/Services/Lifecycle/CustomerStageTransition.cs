using CrmKernel.Diagnostics;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;

namespace CrmKernel.Services.Lifecycle;

/// <summary>
/// A lifecycle transition together with its customer, as streamed by <see cref="LifecycleService.StreamTransitionsAsync"/>;
/// use it as the input of funnel and conversion metrics.
/// </summary>
public readonly record struct CustomerStageTransition
{
    /// <summary>Pairs a transition with its customer.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="transition">The transition.</param>
    /// <exception cref="ArgumentNullException"><paramref name="transition"/> is null.</exception>
    public CustomerStageTransition(CustomerId customerId, LifecycleTransitionRecord transition)
    {
        CustomerId = customerId;
        Transition = Preconditions.NotNull(transition);
    }

    /// <summary>The customer.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>The transition.</summary>
    public LifecycleTransitionRecord Transition { get; }
}

using CrmKernel.Lifecycle;
using CrmKernel.Primitives;

namespace CrmKernel.Services.Ingestion;

/// <summary>
/// A lifecycle transition a recorded touchpoint caused, with its customer and the touchpoint's position in the input;
/// read <see cref="IngestionResult.Transitions"/> to react to stage changes of an ingestion (the same changes are also
/// published as <see cref="CrmKernel.Customers.LifecycleStageChanged"/> events).
/// </summary>
public sealed class TriggeredTransition
{
    internal TriggeredTransition(int index, CustomerId customerId, LifecycleTransitionRecord transition)
    {
        Index = index;
        CustomerId = customerId;
        Transition = transition;
    }

    /// <summary>Zero-based position in the input of the touchpoint that caused it.</summary>
    public int Index { get; }

    /// <summary>The customer.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>The transition.</summary>
    public LifecycleTransitionRecord Transition { get; }
}

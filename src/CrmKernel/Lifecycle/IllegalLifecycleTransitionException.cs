using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

namespace CrmKernel.Lifecycle;

/// <summary>
/// The lifecycle model does not allow the transition asked for (a command from a stage it does not apply to, or
/// whose guard does not hold). Nothing changed: the customer keeps its stage, history and facts. Error code
/// <see cref="CrmErrorCodes.IllegalLifecycleTransition"/>.
/// </summary>
public sealed class IllegalLifecycleTransitionException : CrmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="from">The customer's stage.</param>
    /// <param name="to">The stage asked for.</param>
    /// <param name="rule">The rule (or command) that forbids it.</param>
    /// <param name="reason">Why it is forbidden.</param>
    /// <exception cref="ArgumentNullException"><paramref name="rule"/> or <paramref name="reason"/> is null.</exception>
    public IllegalLifecycleTransitionException(CustomerId customerId, LifecycleStage from, LifecycleStage to, string rule, string reason)
        : base(CrmErrorCodes.IllegalLifecycleTransition, $"Customer {customerId} cannot move from {from} to {to}: rule '{Preconditions.NotNull(rule)}' {Preconditions.NotNull(reason)}.")
    {
        CustomerId = customerId;
        From = from;
        To = to;
        Rule = rule;
    }

    /// <summary>The customer.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>The customer's stage, which it keeps.</summary>
    public LifecycleStage From { get; }

    /// <summary>The stage that was asked for.</summary>
    public LifecycleStage To { get; }

    /// <summary>The rule or command that forbids the transition.</summary>
    public string Rule { get; }
}

using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

namespace CrmKernel.Lifecycle;

/// <summary>
/// A <see cref="LifecycleModel"/> could not be built because it breaks a rule: an undeclared or unreachable
/// stage, two rules that could fire on the same trigger from the same stage, a cycle of inactivity rules, or a
/// duplicate declaration. <see cref="CrmException.ErrorCode"/> tells which; <see cref="Stages"/> names the stages involved.
/// </summary>
public sealed class LifecycleModelException : CrmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">One of the <c>CRM-LIFECYCLE-001</c>..<c>005</c> codes in <see cref="CrmErrorCodes"/>.</param>
    /// <param name="stages">The stages involved.</param>
    /// <param name="message">What is wrong, naming the stages and rules.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public LifecycleModelException(string errorCode, IReadOnlyList<LifecycleStage> stages, string message)
        : base(errorCode, $"The lifecycle model is invalid: {Preconditions.NotNull(message)}")
    {
        Stages = [.. Preconditions.NotNull(stages)];
    }

    /// <summary>The stages involved in the problem.</summary>
    public IReadOnlyList<LifecycleStage> Stages { get; }
}

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

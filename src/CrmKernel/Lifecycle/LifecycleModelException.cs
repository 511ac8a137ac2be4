using CrmKernel.Diagnostics;

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

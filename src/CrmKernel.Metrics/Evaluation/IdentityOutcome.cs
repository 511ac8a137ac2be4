namespace CrmKernel.Metrics.Evaluation;

/// <summary>Whether an identity held in an evaluation.</summary>
public enum IdentityOutcome
{
    /// <summary>The parent equals the function of its children within the tolerance.</summary>
    Holds = 1,

    /// <summary>It does not: a definition is out of step with its drivers.</summary>
    Violated = 2,

    /// <summary>The parent or a child has no value.</summary>
    NotCheckable = 3,
}

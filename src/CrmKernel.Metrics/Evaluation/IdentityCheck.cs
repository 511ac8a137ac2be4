using CrmKernel.Metrics.Hierarchy;

namespace CrmKernel.Metrics.Evaluation;

/// <summary>The check of one identity in one evaluation.</summary>
public sealed class IdentityCheck
{
    internal IdentityCheck(MetricIdentity identity, IdentityOutcome outcome, decimal? expected, decimal? actual)
    {
        Identity = identity;
        Outcome = outcome;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The identity.</summary>
    public MetricIdentity Identity { get; }

    /// <summary>Whether it held.</summary>
    public IdentityOutcome Outcome { get; }

    /// <summary>The parent's value computed from the children, when checkable.</summary>
    public decimal? Expected { get; }

    /// <summary>The parent's value, when it has one.</summary>
    public decimal? Actual { get; }
}

using CrmKernel.Diagnostics;
using CrmKernel.Metrics.Definitions;

namespace CrmKernel.Metrics.Hierarchy;

/// <summary>
/// A link from a driver metric to the metric it drives, on the same level or a higher one: how operations connect to
/// strategy and to financial results. Create causal links with <see cref="Cause"/>; identity links come from a
/// <see cref="MetricIdentity"/> given to <see cref="MetricHierarchy.Create"/>.
/// </summary>
public sealed class DriverLink
{
    /// <summary>The most characters of a causal link's rationale (after trimming).</summary>
    public const int MaxRationaleLength = 2000;

    internal DriverLink(MetricId driver, MetricId driven, DriverLinkKind kind, string rationale)
    {
        Driver = driver;
        Driven = driven;
        Kind = kind;
        Rationale = rationale;
    }

    /// <summary>The lower (or same-level) metric that drives.</summary>
    public MetricId Driver { get; }

    /// <summary>The metric driven.</summary>
    public MetricId Driven { get; }

    /// <summary>Identity or hypothesised cause.</summary>
    public DriverLinkKind Kind { get; }

    /// <summary>Why the link exists: the identity's text or the causal hypothesis.</summary>
    public string Rationale { get; }

    /// <summary>A hypothesised causal link.</summary>
    /// <param name="driver">The driver.</param>
    /// <param name="driven">The metric driven.</param>
    /// <param name="rationale">The hypothesis, e.g. "issues fixed on first contact leave customers satisfied".</param>
    /// <exception cref="ArgumentNullException"><paramref name="rationale"/> is null.</exception>
    /// <exception cref="ArgumentException">An id is the default, or the rationale is blank.</exception>
    /// <exception cref="InputLimitExceededException"><paramref name="rationale"/> is longer than <see cref="MaxRationaleLength"/> (<c>CRM-INPUT-001</c>).</exception>
    public static DriverLink Cause(MetricId driver, MetricId driven, string rationale)
    {
        Preconditions.Check(driver != default, "The driver id is the default.", nameof(driver));
        Preconditions.Check(driven != default, "The driven id is the default.", nameof(driven));
        Preconditions.NotNull(rationale);
        Preconditions.Check(!string.IsNullOrWhiteSpace(rationale), "State the hypothesis.", nameof(rationale));
        return new DriverLink(driver, driven, DriverLinkKind.HypothesisedCause, Preconditions.MaxLength(rationale.Trim(), MaxRationaleLength, nameof(rationale)));
    }

    /// <summary>The link as <c>driver → driven (kind)</c>.</summary>
    public override string ToString() => $"{Driver} → {Driven} ({Kind})";
}

using CrmKernel.Diagnostics;

namespace CrmKernel.Metrics.Definitions;

/// <summary>
/// One metric of the hierarchy: its id, name and description, its level and focus, its unit and better direction,
/// the formula that computes it, and the conventions that change its answer (window, what counts, what an empty
/// denominator gives). The standard catalogue (<see cref="Catalogue.StandardMetrics"/>) ships the usual CRM metrics;
/// define your own for anything else and put them in a <see cref="Hierarchy.MetricHierarchy"/>.
/// </summary>
public sealed class MetricDefinition
{
    /// <summary>The most characters of a metric's display name (after trimming).</summary>
    public const int MaxNameLength = 200;

    /// <summary>The most characters of a metric's description, conventions and source, each (after trimming).</summary>
    public const int MaxTextLength = 4000;

    /// <summary>Creates a definition.</summary>
    /// <param name="id">The stable id.</param>
    /// <param name="name">The display name.</param>
    /// <param name="description">What it measures and why it matters.</param>
    /// <param name="level">Its level in the hierarchy.</param>
    /// <param name="focus">Internal or external.</param>
    /// <param name="unit">Its unit.</param>
    /// <param name="better">Which way is better.</param>
    /// <param name="formula">How it is computed.</param>
    /// <param name="conventions">The conventions that change the answer; empty when there are none to state.</param>
    /// <param name="source">Where the definition comes from (a book, a paper, a standard); null when it is the host's own.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">The id is the default, the name is blank, or an enum value is undefined.</exception>
    /// <exception cref="InputLimitExceededException">The name is longer than <see cref="MaxNameLength"/>, or the description, conventions or source longer than <see cref="MaxTextLength"/> (<c>CRM-INPUT-001</c>).</exception>
    public MetricDefinition(
        MetricId id,
        string name,
        string description,
        MetricLevel level,
        MetricFocus focus,
        MetricUnit unit,
        BetterDirection better,
        MetricFormula formula,
        string conventions = "",
        string? source = null)
    {
        Preconditions.Check(id != default, "The metric id is the default.", nameof(id));
        Preconditions.NotNull(name);
        Preconditions.NotNull(description);
        Preconditions.NotNull(conventions);
        Preconditions.Check(!string.IsNullOrWhiteSpace(name), "A metric needs a name.", nameof(name));
        Id = id;
        Name = Preconditions.MaxLength(name.Trim(), MaxNameLength, nameof(name));
        Description = Preconditions.MaxLength(description.Trim(), MaxTextLength, nameof(description));
        Level = Preconditions.Defined(level);
        Focus = Preconditions.Defined(focus);
        Unit = Preconditions.Defined(unit);
        Better = Preconditions.Defined(better);
        Formula = Preconditions.NotNull(formula);
        Conventions = Preconditions.MaxLength(conventions.Trim(), MaxTextLength, nameof(conventions));
        Source = string.IsNullOrWhiteSpace(source) ? null : Preconditions.MaxLength(source.Trim(), MaxTextLength, nameof(source));
    }

    /// <summary>The stable id.</summary>
    public MetricId Id { get; }

    /// <summary>The display name.</summary>
    public string Name { get; }

    /// <summary>What it measures and why it matters.</summary>
    public string Description { get; }

    /// <summary>Its level in the hierarchy.</summary>
    public MetricLevel Level { get; }

    /// <summary>Internal or external focus.</summary>
    public MetricFocus Focus { get; }

    /// <summary>Its unit.</summary>
    public MetricUnit Unit { get; }

    /// <summary>Which way is better.</summary>
    public BetterDirection Better { get; }

    /// <summary>How it is computed.</summary>
    public MetricFormula Formula { get; }

    /// <summary>The conventions that change the answer (window, what counts, empty denominator).</summary>
    public string Conventions { get; }

    /// <summary>Where the definition comes from, or null.</summary>
    public string? Source { get; }

    /// <summary>The id.</summary>
    public override string ToString() => Id.ToString();
}

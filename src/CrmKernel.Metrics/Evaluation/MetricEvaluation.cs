using CrmKernel.Diagnostics;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Hierarchy;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Metrics.Evaluation;

/// <summary>
/// What to evaluate a hierarchy for: a period of whole days in a reporting zone, a reporting currency, the targets by
/// metric id, and whether to evaluate the previous period (<see cref="PreviousPeriod"/>) for the change.
/// </summary>
public sealed class MetricEvaluationRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="period">The reporting period.</param>
    /// <param name="zone">The zone its days are interpreted in.</param>
    /// <param name="currency">The reporting currency; not XXX.</param>
    /// <param name="targets">Targets by metric id; null for none.</param>
    /// <param name="compareWithPrevious">Whether to evaluate the previous period too (for <see cref="MetricResult.Change"/>); true by default.</param>
    /// <exception cref="ArgumentNullException"><paramref name="period"/> or <paramref name="zone"/> is null.</exception>
    /// <exception cref="ArgumentException">The currency is XXX, or a target is null or keyed by the default id.</exception>
    public MetricEvaluationRequest(DateInterval period, DateTimeZone zone, Currency currency, IReadOnlyDictionary<MetricId, MetricTarget>? targets = null, bool compareWithPrevious = true)
    {
        Period = Preconditions.NotNull(period);
        Zone = Preconditions.NotNull(zone);
        Preconditions.Check(currency != Currency.XXX, "Report in a real currency.", nameof(currency));
        Preconditions.Check(targets is null || targets.All(t => t.Key != default && t.Value is not null), "A target is null or keyed by the default id.", nameof(targets));
        Currency = currency;
        Targets = targets is null ? new Dictionary<MetricId, MetricTarget>() : new Dictionary<MetricId, MetricTarget>(targets);
        CompareWithPrevious = compareWithPrevious;
        PreviousPeriod = ReportingPeriods.Previous(period);
    }

    /// <summary>The reporting period.</summary>
    public DateInterval Period { get; }

    /// <summary>
    /// The previous period, ending the day before <see cref="Period"/> starts: the same number of whole calendar months
    /// when the period is whole months (a quarter's previous period is the quarter before), otherwise the same number of days.
    /// </summary>
    public DateInterval PreviousPeriod { get; }

    /// <summary>The reporting zone.</summary>
    public DateTimeZone Zone { get; }

    /// <summary>The reporting currency.</summary>
    public Currency Currency { get; }

    /// <summary>Targets by metric id.</summary>
    public IReadOnlyDictionary<MetricId, MetricTarget> Targets { get; }

    /// <summary>Whether the previous period is evaluated too.</summary>
    public bool CompareWithPrevious { get; }

    /// <summary>
    /// The lifecycle funnels counted from the customers' lifecycle history in the same pass (their stage-entry figures
    /// feed <see cref="Catalogue.StandardMetrics.FunnelConversionRate"/> and any metric of yours); <see cref="LifecycleFunnel.Standard"/> by default.
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    /// <exception cref="ArgumentException">A funnel is null, or two share a name.</exception>
    public IReadOnlyList<LifecycleFunnel> Funnels
    {
        get => _funnels;
        init => _funnels = LifecycleFunnel.CheckAll(value, nameof(value));
    }

    /// <summary>
    /// The lifecycle model's initial stage: the stage of a customer with no lifecycle transition yet (entered at their
    /// creation). <see cref="Lifecycle.DefaultLifecycleModel.Prospect"/> by default.
    /// </summary>
    /// <exception cref="ArgumentException">The value is the default.</exception>
    public Lifecycle.LifecycleStage InitialStage
    {
        get => _initialStage;
        init => _initialStage = Preconditions.NotDefault(value);
    }

    private readonly IReadOnlyList<LifecycleFunnel> _funnels = LifecycleFunnel.Standard;
    private readonly Lifecycle.LifecycleStage _initialStage = Lifecycle.DefaultLifecycleModel.Prospect;
}

/// <summary>
/// A hierarchy evaluated for one period: every metric's result, drivers before what they drive, and the check of every
/// identity. Render it with <see cref="Rendering.MetricReport"/>; drill into a figure's records with
/// <see cref="MetricEvaluator.StreamTouchpointsAsync"/>.
/// </summary>
public sealed class MetricEvaluation
{
    private readonly Dictionary<MetricId, MetricResult> _byId;

    internal MetricEvaluation(MetricHierarchy hierarchy, MetricEvaluationRequest request, MetricFigures figures, MetricFigures? previousFigures, IReadOnlyList<MetricResult> results, IReadOnlyList<IdentityCheck> identities)
    {
        Hierarchy = hierarchy;
        Request = request;
        Figures = figures;
        PreviousFigures = previousFigures;
        Results = results;
        Identities = identities;
        _byId = results.ToDictionary(r => r.Id);
    }

    /// <summary>The hierarchy evaluated.</summary>
    public MetricHierarchy Hierarchy { get; }

    /// <summary>The period, zone, currency and targets.</summary>
    public MetricEvaluationRequest Request { get; }

    /// <summary>The figures of the period (scanned and supplied).</summary>
    public MetricFigures Figures { get; }

    /// <summary>The figures of the previous period, or null.</summary>
    public MetricFigures? PreviousFigures { get; }

    /// <summary>Every result, drivers before the metrics they drive.</summary>
    public IReadOnlyList<MetricResult> Results { get; }

    /// <summary>The check of every identity of the hierarchy.</summary>
    public IReadOnlyList<IdentityCheck> Identities { get; }

    /// <summary>The result of a metric.</summary>
    /// <exception cref="MetricHierarchyException">The hierarchy has no such metric (<c>CRM-METRIC-002</c>).</exception>
    public MetricResult this[MetricId id] => _byId.TryGetValue(id, out var result)
        ? result
        : throw new MetricHierarchyException(CrmErrorCodes.UnknownMetric, $"The metric '{id}' asked for is not defined in the hierarchy.", [id.Value ?? string.Empty]);

    /// <summary>
    /// Evaluates a hierarchy from figures already at hand (a bulk scan, a test's worked example): every formula, the
    /// previous period's values and changes, targets and statuses, and the identity checks.
    /// </summary>
    /// <param name="hierarchy">The hierarchy.</param>
    /// <param name="request">The period, zone, currency and targets.</param>
    /// <param name="figures">The period's figures, in the request's currency.</param>
    /// <param name="previousFigures">The previous period's figures, or null.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">The figures are in another currency than the request's, or a target's at-risk limit is on the better side of its target.</exception>
    /// <exception cref="MetricHierarchyException">A target names a metric the hierarchy does not define (<c>CRM-METRIC-002</c>).</exception>
    public static MetricEvaluation Create(MetricHierarchy hierarchy, MetricEvaluationRequest request, MetricFigures figures, MetricFigures? previousFigures)
    {
        Preconditions.NotNull(hierarchy);
        Preconditions.NotNull(request);
        Preconditions.NotNull(figures);
        Preconditions.Check(figures.Currency == request.Currency, $"The figures are in {figures.Currency.Code}, the request in {request.Currency.Code}.", nameof(figures));
        Preconditions.Check(previousFigures is null || previousFigures.Currency == request.Currency, $"The previous figures are not in {request.Currency.Code}.", nameof(previousFigures));
        CheckTargets(hierarchy, request);
        var results = new Dictionary<MetricId, MetricResult>();
        var ordered = new List<MetricResult>(hierarchy.Metrics.Count);
        foreach (var definition in hierarchy.Metrics)
        {
            var drivers = hierarchy.DriversOf(definition.Id).Select(link => new DriverResult(link, results[link.Driver])).ToList();
            var result = new MetricResult(
                definition,
                definition.Formula.Compute(figures),
                previousFigures is null ? null : definition.Formula.Compute(previousFigures),
                request.Targets.GetValueOrDefault(definition.Id),
                drivers);
            results.Add(definition.Id, result);
            ordered.Add(result);
        }

        var checks = hierarchy.Identities.Select(identity =>
        {
            var actual = results[identity.Parent].Value.Value;
            var children = identity.Children.Select(c => results[c].Value.Value).ToArray();
            if (actual is null || children.Any(c => c is null))
            {
                return new IdentityCheck(identity, IdentityOutcome.NotCheckable, null, actual);
            }

            var values = children.Select(c => c!.Value).ToArray();
            return new IdentityCheck(identity, identity.Holds(actual.Value, values) ? IdentityOutcome.Holds : IdentityOutcome.Violated, identity.Expected(values), actual);
        }).ToList();
        return new MetricEvaluation(hierarchy, request, figures, previousFigures, ordered, checks);
    }

    /// <summary>Checks that every target names a metric of the hierarchy and has its at-risk limit on the worse side.</summary>
    internal static void CheckTargets(MetricHierarchy hierarchy, MetricEvaluationRequest request)
    {
        foreach (var (id, target) in request.Targets)
        {
            Preconditions.Check(target.Fits(hierarchy[id].Better), $"The target of '{id}' has its at-risk limit {target.AtRiskLimit} on the better side of its value {target.Value}.", nameof(request));
        }
    }
}

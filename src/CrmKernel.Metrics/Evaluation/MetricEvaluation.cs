using CrmKernel.Diagnostics;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Hierarchy;
using CrmKernel.Primitives;

namespace CrmKernel.Metrics.Evaluation;

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

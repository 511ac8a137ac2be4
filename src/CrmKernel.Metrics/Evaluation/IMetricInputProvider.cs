using CrmKernel.Metrics.Definitions;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Metrics.Evaluation;

/// <summary>
/// Where the figures the kernel cannot see come from: revenue and profit from the ledger, system availability from
/// monitoring, handle time from the contact-centre platform, category spend from a panel, stage-entry counts from the
/// lifecycle history, duplicates from a duplicate-detection run. Implement it over those systems; the evaluator asks
/// for every figure a formula reads that its scan does not produce (<see cref="Catalogue.StandardFigures"/>).
/// <see cref="InMemoryMetricInputs"/> is a table for tests and samples.
/// </summary>
public interface IMetricInputProvider
{
    /// <summary>Finds a figure for a period; null when the provider has none (the metrics reading it then have no value, saying so).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="figure">The figure asked for.</param>
    /// <param name="period">The reporting period.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    ValueTask<MetricInput?> FindAsync(TenantId tenantId, FigureKey figure, DateInterval period, CancellationToken cancellationToken);
}

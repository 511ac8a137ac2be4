using CrmKernel.Diagnostics;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Metrics.Evaluation;

/// <summary>
/// An in-memory <see cref="IMetricInputProvider"/>: a table of figures per tenant and period. Use it in tests, samples,
/// and hosts that type a few figures in by hand. Not thread-safe while being filled.
/// </summary>
public sealed class InMemoryMetricInputs : IMetricInputProvider
{
    private readonly Dictionary<(TenantId, FigureKey, DateInterval), MetricInput> _inputs = [];

    /// <summary>Sets a figure for a tenant and period, replacing any before; returns this table for chaining.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="period"/> or <paramref name="input"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant or figure is the default.</exception>
    public InMemoryMetricInputs Set(TenantId tenantId, FigureKey figure, DateInterval period, MetricInput input)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.Check(figure != default, "The figure is the default.", nameof(figure));
        Preconditions.NotNull(period);
        Preconditions.NotNull(input);
        _inputs[(tenantId, figure, period)] = input;
        return this;
    }

    /// <inheritdoc />
    public ValueTask<MetricInput?> FindAsync(TenantId tenantId, FigureKey figure, DateInterval period, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(period);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_inputs.GetValueOrDefault((tenantId, figure, period)));
    }
}

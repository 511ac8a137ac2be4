using CrmKernel.Diagnostics;
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

/// <summary>A figure supplied from outside the kernel: a plain number, or an amount of money converted into the reporting currency at the rate of the period's last day.</summary>
public sealed class MetricInput
{
    private MetricInput(decimal value, Money? amount, string? source)
    {
        Value = value;
        Amount = amount;
        Source = source;
    }

    /// <summary>The number (for an amount, the amount in its own currency).</summary>
    public decimal Value { get; }

    /// <summary>The amount, when the figure is money; null for a plain number.</summary>
    public Money? Amount { get; }

    /// <summary>Where the figure comes from (e.g. "general ledger"), for the explanation; null when not said.</summary>
    public string? Source { get; }

    /// <summary>A plain number (hours, a count, a ratio).</summary>
    public static MetricInput Number(decimal value, string? source = null) => new(value, null, source);

    /// <summary>An amount of money.</summary>
    /// <exception cref="ArgumentException">The amount is in XXX, the "no currency".</exception>
    public static MetricInput Money(Money amount, string? source = null)
    {
        Preconditions.Check(amount.Currency != Currency.XXX, "An amount needs a real currency.", nameof(amount));
        return new MetricInput(amount.Amount, amount, source);
    }
}

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

using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

namespace CrmKernel.Metrics.Evaluation;

/// <summary>A figure supplied from outside the kernel: a plain number, or an amount of money converted into the reporting currency at the rate of the period's last day.</summary>
public sealed class MetricInput
{
    /// <summary>The most characters of an input's source (e.g. "general ledger").</summary>
    public const int MaxSourceLength = 200;

    private MetricInput(decimal value, Money? amount, string? source)
    {
        Value = value;
        Amount = amount;
        Source = source is null ? null : Preconditions.MaxLength(source, MaxSourceLength, nameof(source));
    }

    /// <summary>The number (for an amount, the amount in its own currency).</summary>
    public decimal Value { get; }

    /// <summary>The amount, when the figure is money; null for a plain number.</summary>
    public Money? Amount { get; }

    /// <summary>Where the figure comes from (e.g. "general ledger"), for the explanation; null when not said.</summary>
    public string? Source { get; }

    /// <summary>A plain number (hours, a count, a ratio).</summary>
    /// <exception cref="InputLimitExceededException"><paramref name="source"/> is longer than <see cref="MaxSourceLength"/> (<c>CRM-INPUT-001</c>).</exception>
    public static MetricInput Number(decimal value, string? source = null) => new(value, null, source);

    /// <summary>An amount of money.</summary>
    /// <exception cref="ArgumentException">The amount is in XXX, the "no currency".</exception>
    /// <exception cref="InputLimitExceededException"><paramref name="source"/> is longer than <see cref="MaxSourceLength"/> (<c>CRM-INPUT-001</c>).</exception>
    public static MetricInput Money(Money amount, string? source = null)
    {
        Preconditions.Check(amount.Currency != Currency.XXX, "An amount needs a real currency.", nameof(amount));
        return new MetricInput(amount.Amount, amount, source);
    }
}

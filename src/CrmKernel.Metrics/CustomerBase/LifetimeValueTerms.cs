using System.Globalization;
using CrmKernel.Diagnostics;

namespace CrmKernel.Metrics.CustomerBase;

/// <summary>
/// The business terms of a customer-lifetime-value estimate: how far ahead to look, in which periods cash is
/// discounted, at what rate, and what share of spend is margin. Pass it to <see cref="CustomerLifetimeValue.Estimate"/>.
/// </summary>
/// <remarks>
/// Periods are measured in the summary's time unit. For monthly discounting over three years with a summary in weeks:
/// <c>new LifetimeValueTerms(periods: 36, periodLength: 52d / 12d, discountRate: 0.01, margin: 0.30m)</c> — a 1 %
/// monthly rate is about 12.7 % a year.
/// </remarks>
public sealed class LifetimeValueTerms
{
    /// <summary>The most periods an estimate may cover.</summary>
    public const int MaxPeriods = 10_000;

    /// <summary>Creates the terms.</summary>
    /// <param name="periods">The number of discounting periods in the horizon; 1 to <see cref="MaxPeriods"/>.</param>
    /// <param name="periodLength">The length of one period in the summary's time unit (e.g. 52/12 weeks for a month); greater than zero.</param>
    /// <param name="discountRate">The discount rate per period (0.01 for 1 %); zero or more.</param>
    /// <param name="margin">The share of spend that is margin, from 0 to 1 (0.30 for 30 %).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range, infinite or NaN.</exception>
    public LifetimeValueTerms(int periods, double periodLength, double discountRate, decimal margin)
    {
        Preconditions.Positive(periods);
        if (periods > MaxPeriods)
        {
            throw new ArgumentOutOfRangeException(nameof(periods), periods, $"An estimate covers at most {MaxPeriods} periods.");
        }

        if (margin is < 0m or > 1m)
        {
            throw new ArgumentOutOfRangeException(nameof(margin), margin, "The margin is a share of spend, from 0 to 1.");
        }

        Periods = periods;
        PeriodLength = Preconditions.Positive(periodLength);
        DiscountRate = Preconditions.NonNegative(discountRate);
        Margin = margin;
    }

    /// <summary>The number of discounting periods in the horizon.</summary>
    public int Periods { get; }

    /// <summary>The length of one period in the summary's time unit.</summary>
    public double PeriodLength { get; }

    /// <summary>The discount rate per period.</summary>
    public double DiscountRate { get; }

    /// <summary>The share of spend that is margin.</summary>
    public decimal Margin { get; }

    /// <summary>The whole horizon, <see cref="Periods"/> × <see cref="PeriodLength"/>, in the summary's time unit.</summary>
    public double Horizon => Periods * PeriodLength;

    /// <summary>The terms, e.g. <c>36 × 4.33333 at 1 % per period, margin 30 %</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{Periods} × {PeriodLength:G6} at {DiscountRate:P4} per period, margin {Margin:P2}");
}

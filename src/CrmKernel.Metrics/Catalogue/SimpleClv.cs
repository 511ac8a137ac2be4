using CrmKernel.Diagnostics;
using CrmKernel.Metrics.Definitions;

namespace CrmKernel.Metrics.Catalogue;

/// <summary>Computes simple CLV in its named forms (see <see cref="SimpleClvForm"/>).</summary>
public static class SimpleClv
{
    /// <summary>
    /// The value of the chosen form; no value when r ≥ 1 + d (the series does not converge), r or d is negative, or r is
    /// above 1.
    /// </summary>
    /// <param name="form">Which form.</param>
    /// <param name="margin">The margin per period, m.</param>
    /// <param name="retention">The retention rate per period, r (0 to 1).</param>
    /// <param name="discountRate">The discount rate per period, d (0 or more).</param>
    /// <exception cref="ArgumentException"><paramref name="form"/> is undefined.</exception>
    public static MetricValue Compute(SimpleClvForm form, decimal margin, decimal retention, decimal discountRate)
    {
        Preconditions.Defined(form);
        if (retention is < 0m or > 1m)
        {
            return MetricValue.None($"retention {retention} is outside 0 to 1");
        }

        if (discountRate < 0m)
        {
            return MetricValue.None($"discount rate {discountRate} is negative");
        }

        var denominator = 1m + discountRate - retention;
        if (denominator <= 0m)
        {
            return MetricValue.None("retention is not below 1 + discount rate, so the value does not converge");
        }

        var numerator = form switch
        {
            SimpleClvForm.ProspectPaysNow => margin * (1m + discountRate),
            SimpleClvForm.ExistingResidual => margin * retention,
            SimpleClvForm.EndOfPeriod => margin,
            _ => margin * retention * (1m + discountRate),
        };
        return MetricValue.Of(numerator / denominator, numerator, denominator);
    }
}

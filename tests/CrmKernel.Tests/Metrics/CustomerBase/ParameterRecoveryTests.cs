using CrmKernel.Metrics.CustomerBase;
using CrmKernel.Primitives;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Metrics.CustomerBase;

/// <summary>
/// Fits to bases drawn from the models' own generative processes recover the generating parameters: the truth lies
/// inside the fit's 99.9 % likelihood-ratio confidence region, and every estimate is close to its true value.
/// </summary>
/// <remarks>
/// The base is a slow market (a purchase every couple of years, customers acquired over a year and observed for
/// five), where dating purchases and merging same-day ones loses no information; see <see cref="BgNbdSimulation"/>.
/// </remarks>
[Collection(CustomerBaseCollection.Name)]
public sealed class ParameterRecoveryTests
{
    /// <summary>The 99.9 % points of χ² with 4 and 3 degrees of freedom.</summary>
    private const double ChiSquare4 = 18.467, ChiSquare3 = 16.266;

    private const int AcquisitionDays = 365, CalibrationDays = 5 * 365;

    private static readonly BgNbdModel Transactions = new(0.5, 50d, 0.8, 2.5);

    private static readonly GammaGammaModel Spend = new(6.25, 3.74, 15.44);

    private static readonly Lazy<CustomerBaseSummary> Base = new(() => CustomerBaseSummary.Create(
        BgNbdSimulation.Draw(30_000, seed: 2005, Transactions, Spend, AcquisitionDays, CalibrationDays),
        Currency.USD,
        DateTimeZone.Utc,
        BgNbdSimulation.CalibrationEnd(CalibrationDays),
        SummaryTimeUnit.Weeks));

    [Fact]
    public void BgNbd_Fit_RecoversTheGeneratingParameters()
    {
        var fit = BgNbdModel.Fit(Base.Value);

        Assert.True(fit.Converged);
        var statistic = 2d * (fit.LogLikelihood - Transactions.LogLikelihood(Base.Value));
        Assert.InRange(statistic, 0d, ChiSquare4);
        AssertNear(Transactions.R, fit.Model.R, 0.15);
        AssertNear(Transactions.Alpha, fit.Model.Alpha, 0.15);
        AssertNear(Transactions.A, fit.Model.A, 0.25);
        AssertNear(Transactions.B, fit.Model.B, 0.25);
    }

    [Fact]
    public void GammaGamma_Fit_RecoversTheGeneratingParameters()
    {
        var fit = GammaGammaModel.Fit(Base.Value);

        Assert.True(fit.Converged);
        var statistic = 2d * (fit.LogLikelihood - Spend.LogLikelihood(Base.Value));
        Assert.InRange(statistic, 0d, ChiSquare3);
        AssertNear(Spend.P, fit.Model.P, 0.15);
        AssertNear(Spend.Q, fit.Model.Q, 0.25);
        AssertNear(Spend.Gamma, fit.Model.Gamma, 0.30);
        AssertNear(Spend.MeanSpend, fit.Model.MeanSpend, 0.05);
    }

    [Fact]
    public void Fits_RecoverTheGeneratingParameters_WithinTheirStandardErrors()
    {
        // 3.3 standard errors: a 99.9 % Wald interval for each parameter.
        var transactions = BgNbdModel.Fit(Base.Value);
        var spend = GammaGammaModel.Fit(Base.Value);

        AssertWithinStandardErrors([Transactions.R, Transactions.Alpha, Transactions.A, Transactions.B], transactions.Parameters);
        AssertWithinStandardErrors([Spend.P, Spend.Q, Spend.Gamma], spend.Parameters);
    }

    private static void AssertWithinStandardErrors(double[] truths, IReadOnlyList<FittedParameter> parameters)
    {
        for (var k = 0; k < truths.Length; k++)
        {
            var interval = parameters[k].ConfidenceInterval(0.999);
            Assert.True(interval.Lower <= truths[k] && truths[k] <= interval.Upper, $"{parameters[k]}: 99.9 % interval {interval.Lower:R} to {interval.Upper:R} misses {truths[k]:R}");
        }
    }

    private static void AssertNear(double truth, double estimate, double relative)
        => Assert.True(Math.Abs(estimate - truth) <= relative * truth, $"estimate {estimate:R} is not within {relative:P0} of {truth:R}");
}

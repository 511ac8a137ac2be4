using System.Globalization;
using CrmKernel.Diagnostics;
using CrmKernel.Metrics.CustomerBase;
using CrmKernel.Primitives;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace CrmKernel.Tests.Metrics.CustomerBase;

/// <summary>
/// The sBG model (Fader &amp; Hardie 2007, "How to Project Customer Retention"): the paper's estimates from its
/// published survivor counts, the survival and retention laws, and DEL/DERL (Fader &amp; Hardie 2010) against the
/// discounted sums they stand for.
/// </summary>
public sealed class ShiftedBetaGeometricModelTests
{
    /// <summary>Customers of a 1,000-customer cohort alive at the start of years 0–7 (Fader &amp; Hardie 2007, table 1).</summary>
    internal static readonly int[] HighEnd = [1000, 869, 743, 653, 593, 551, 517, 491];

    internal static readonly int[] Regular = [1000, 631, 468, 382, 326, 289, 262, 241];

    [Fact]
    public void Fit_HighEnd_ReproducesThePublishedEstimates()
    {
        var fit = ShiftedBetaGeometricModel.Fit(HighEnd);

        Assert.True(fit.Converged, fit.Issues.ToString());
        AssertPublished(0.668, fit.Model.Gamma, 3);
        AssertPublished(3.806, fit.Model.Delta, 3);
        Assert.Equal(1000, fit.Customers);
    }

    [Fact]
    public void Fit_Regular_ReproducesThePublishedEstimates()
    {
        var fit = ShiftedBetaGeometricModel.Fit(Regular);

        Assert.True(fit.Converged, fit.Issues.ToString());
        AssertPublished(0.704, fit.Model.Gamma, 3);
        AssertPublished(1.182, fit.Model.Delta, 3);
    }

    [Fact]
    public void Fit_RegularOnFourYears_ReproducesThePublishedEstimates()
    {
        var fit = ShiftedBetaGeometricModel.Fit(Regular[..5]);

        Assert.True(fit.Converged, fit.Issues.ToString());
        AssertPublished(0.764, fit.Model.Gamma, 3);
        AssertPublished(1.296, fit.Model.Delta, 3);
    }

    [Fact]
    public void Fit_ReportsTheMaximisedLogLikelihoodAndStandardErrors()
    {
        var fit = ShiftedBetaGeometricModel.Fit(HighEnd);

        Assert.Equal(fit.LogLikelihood, fit.Model.LogLikelihood([HighEnd]), 9);
        Assert.Equal(["Gamma", "Delta"], fit.Parameters.Select(p => p.Name));
        Assert.Equal(fit.Model.Gamma, fit.Parameters[0].Estimate);
        Assert.All(fit.Parameters, p => Assert.InRange(p.StandardError, 1e-3 * p.Estimate, p.Estimate));

        // A small step away from the optimum in any direction lowers the likelihood.
        foreach (var (g, d) in new[] { (1.01, 1d), (0.99, 1d), (1d, 1.01), (1d, 0.99) })
        {
            Assert.True(new ShiftedBetaGeometricModel(fit.Model.Gamma * g, fit.Model.Delta * d).LogLikelihood([HighEnd]) < fit.LogLikelihood);
        }
    }

    [Fact]
    public void Fit_SeveralCohorts_PoolsTheirLikelihoods()
    {
        var one = ShiftedBetaGeometricModel.Fit(Regular);
        var twice = ShiftedBetaGeometricModel.FitCohorts([Regular, Regular]);

        Assert.Equal(one.Model.Gamma, twice.Model.Gamma, 5);
        Assert.Equal(one.Model.Delta, twice.Model.Delta, 5);
        Assert.Equal(2d * one.LogLikelihood, twice.LogLikelihood, 6);
        Assert.Equal(2000, twice.Customers);

        // Doubling the data shrinks the standard errors by √2.
        Assert.Equal(one.Parameters[0].StandardError / Math.Sqrt(2d), twice.Parameters[0].StandardError, 4);
    }

    [Fact]
    public void Fit_CohortsOfDifferentAges_UseEachOnlyForThePeriodsItWasObserved()
    {
        // A cohort observed for seven years and a younger one observed for three, from the same population.
        var fit = ShiftedBetaGeometricModel.FitCohorts([Regular, Regular[..4]]);
        var model = fit.Model;

        Assert.True(fit.Converged);
        Assert.Equal(model.LogLikelihood([Regular]) + model.LogLikelihood([Regular[..4]]), fit.LogLikelihood, 9);
    }

    [Fact]
    public void Fit_WithoutChurn_IsNotConverged()
    {
        var fit = ShiftedBetaGeometricModel.Fit([500, 500, 500, 500]);

        Assert.False(fit.Converged);
        Assert.True(fit.Issues.HasFlag(FitIssues.NoChurn));
    }

    [Fact]
    public void Fit_WithoutCustomers_IsRefusedWithItsCode()
    {
        var error = Assert.Throws<ModelDataException>(() => ShiftedBetaGeometricModel.Fit([0, 0, 0]));
        Assert.Equal(CrmErrorCodes.ModelWithoutCustomers, error.ErrorCode);

        Assert.Equal(CrmErrorCodes.ModelWithoutCustomers, Assert.Throws<ModelDataException>(() => ShiftedBetaGeometricModel.FitCohorts(Array.Empty<int[]>())).ErrorCode);
    }

    [Fact]
    public void Fit_RefusesCountsThatCannotBe()
    {
        Assert.Throws<ArgumentNullException>("survivors", () => ShiftedBetaGeometricModel.Fit(null!));
        Assert.Throws<ArgumentNullException>("cohorts", () => ShiftedBetaGeometricModel.FitCohorts(null!));
        Assert.Throws<ArgumentNullException>("cohorts", () => ShiftedBetaGeometricModel.FitCohorts([Regular, null!]));
        Assert.Throws<ArgumentException>("survivors", () => ShiftedBetaGeometricModel.Fit([1000]));
        Assert.Throws<ArgumentException>("survivors", () => ShiftedBetaGeometricModel.Fit([1000, 900, 901]));
        Assert.Throws<ArgumentException>("survivors", () => ShiftedBetaGeometricModel.Fit([1000, -1]));
        Assert.Throws<ArgumentException>("cohorts", () => ShiftedBetaGeometricModel.FitCohorts([Regular, [10]]));
    }

    [Fact]
    public void Constructor_RefusesParametersThatAreNotPositive()
    {
        Assert.Throws<ArgumentOutOfRangeException>("gamma", () => new ShiftedBetaGeometricModel(0d, 1d));
        Assert.Throws<ArgumentOutOfRangeException>("delta", () => new ShiftedBetaGeometricModel(1d, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>("delta", () => new ShiftedBetaGeometricModel(1d, double.PositiveInfinity));
    }

    [Fact]
    public void Curves_FollowThePapersFormulas()
    {
        var model = new ShiftedBetaGeometricModel(0.704, 1.182);

        Assert.Equal(1d, model.Survival(0));
        Assert.Equal(0.704 / (0.704 + 1.182), model.ChurnProbability(1), 15);
        Assert.Equal(1.182 / (0.704 + 1.182), model.RetentionRate(1), 15);
        Assert.Equal((1.182 + 4) / (0.704 + 1.182 + 4), model.RetentionRate(5), 15);
        for (var t = 1; t <= 1000; t++)
        {
            Assert.Equal(model.Survival(t - 1) - model.Survival(t), model.ChurnProbability(t), 12);
            Assert.Equal(model.Survival(t) / model.Survival(t - 1), model.RetentionRate(t), 11);
        }

        // Beyond the product range Stirling's series continues the same curve.
        TransactionModelTests.AssertClose(model.Survival(1000) * model.RetentionRate(1001), model.Survival(1001), 1e-13);
        TransactionModelTests.AssertClose(model.Survival(5000) * model.RetentionRate(5001), model.Survival(5001), 1e-13);
        TransactionModelTests.AssertClose(model.Survival(1000) * ProductOfRates(model, 1001, 3000), model.Survival(3000), 1e-12);
    }

    [Fact]
    public void Projection_OfTheSevenYearRegularFit_IsCloseToTheCounts()
    {
        var fit = ShiftedBetaGeometricModel.Fit(Regular);
        for (var t = 0; t < Regular.Length; t++)
        {
            Assert.InRange(1000d * fit.Model.Survival(t), Regular[t] - 12d, Regular[t] + 12d);
        }
    }

    [Theory]
    [InlineData(0.668, 3.806, 0.10)]
    [InlineData(0.704, 1.182, 0.10)]
    [InlineData(1d, 1d, 0.05)]
    [InlineData(3.5, 0.4, 0.15)]
    public void Del_And_Derl_EqualTheDiscountedSums(double gamma, double delta, double rate)
    {
        var model = new ShiftedBetaGeometricModel(gamma, delta);

        Assert.Equal(BruteForceDerl(model, 0, rate, start: 0), model.DiscountedExpectedLifetime(rate), 10);
        foreach (var renewals in new[] { 0, 1, 4, 10, 40 })
        {
            Assert.Equal(BruteForceDerl(model, renewals, rate, start: 1), model.DiscountedExpectedResidualLifetime(renewals, rate), 10);
        }

        // A new customer pays now, then is an existing customer with no renewals one period later.
        Assert.Equal(1d + (model.DiscountedExpectedResidualLifetime(0, rate) / (1d + rate)), model.DiscountedExpectedLifetime(rate), 12);
    }

    [Fact]
    public void LifetimeValues_AreTheMarginTimesDelAndDerl()
    {
        var model = new ShiftedBetaGeometricModel(0.668, 3.806);
        var margin = Money.Of(100m, "USD");

        Assert.Equal((decimal)(100d * model.DiscountedExpectedLifetime(0.1)), model.ExpectedLifetimeValue(margin, 0.1).Amount, 8);
        Assert.Equal((decimal)(100d * model.DiscountedExpectedResidualLifetime(3, 0.1)), model.ExpectedResidualLifetimeValue(margin, 3, 0.1).Amount, 8);
        Assert.Equal(Currency.USD, model.ExpectedLifetimeValue(margin, 0.1).Currency);
    }

    [Fact]
    public void Members_RefuseArgumentsOutOfRange()
    {
        var model = new ShiftedBetaGeometricModel(0.668, 3.806);

        Assert.Throws<ArgumentOutOfRangeException>("period", () => model.ChurnProbability(0));
        Assert.Throws<ArgumentOutOfRangeException>("period", () => model.RetentionRate(0));
        Assert.Throws<ArgumentOutOfRangeException>("periods", () => model.Survival(-1));
        Assert.Throws<ArgumentOutOfRangeException>("renewals", () => model.DiscountedExpectedResidualLifetime(-1, 0.1));
        Assert.Throws<ArgumentOutOfRangeException>("discountRate", () => model.DiscountedExpectedResidualLifetime(1, 0d));
        Assert.Throws<ArgumentOutOfRangeException>("discountRate", () => model.DiscountedExpectedLifetime(double.NaN));
    }

    [Fact]
    public void Fit_ToCohortsDrawnFromTheModel_RecoversItsParametersWithinTheirStandardErrors()
    {
        var truth = new ShiftedBetaGeometricModel(0.9, 2.5);
        var random = new Random(2007);
        var cohorts = new List<int[]>();
        for (var c = 0; c < 5; c++)
        {
            // Each customer draws θ ~ Beta(γ, δ) and renews each period with probability 1 − θ; cohort c is seen for 8 − c periods.
            var periods = 8 - c;
            var alive = new int[periods + 1];
            for (var i = 0; i < 2000; i++)
            {
                var theta = BetaSample(random, truth.Gamma, truth.Delta);
                var t = 0;
                alive[0]++;
                while (t < periods && random.NextDouble() >= theta)
                {
                    alive[++t]++;
                }
            }

            cohorts.Add(alive);
        }

        var fit = ShiftedBetaGeometricModel.FitCohorts(cohorts);

        Assert.True(fit.Converged);
        AssertWithin(truth.Gamma, fit.Parameters[0]);
        AssertWithin(truth.Delta, fit.Parameters[1]);
    }

    [Property(Arbitrary = [typeof(ShiftedBetaGeometricArbitraries)])]
    public Property Survival_IsNonIncreasing_AndRetentionRises(ShiftedBetaGeometricModel model, int period)
        => (model.Survival(period) <= model.Survival(period - 1)
            && model.Survival(period) >= 0d
            && model.RetentionRate(period + 1) > model.RetentionRate(period)
            && model.RetentionRate(period) is > 0d and < 1d).ToProperty();

    [Property(Arbitrary = [typeof(ShiftedBetaGeometricArbitraries)])]
    public Property Derl_EqualsTheBruteForceSum_AndRisesWithTenure(ShiftedBetaGeometricModel model, int renewals)
    {
        const double Rate = 0.15;
        var derl = model.DiscountedExpectedResidualLifetime(renewals, Rate);
        var brute = BruteForceDerl(model, renewals, Rate, start: 1);
        return (Math.Abs(derl - brute) <= 1e-9 * brute
                && model.DiscountedExpectedResidualLifetime(renewals + 1, Rate) >= derl * (1d - 1e-12))
            .Label($"DERL {derl:R} vs sum {brute:R}");
    }

    private static double ProductOfRates(ShiftedBetaGeometricModel model, int from, int to)
    {
        var product = 1d;
        for (var t = from; t <= to; t++)
        {
            product *= model.RetentionRate(t);
        }

        return product;
    }

    /// <summary>Σₖ≥₀ S(n + k)/S(n − 1) / (1 + d)ᵏ with n = renewals + start, summed until the terms vanish.</summary>
    internal static double BruteForceDerl(ShiftedBetaGeometricModel model, int renewals, double rate, int start)
    {
        // start = 0: DEL, Σₜ≥₁ S(t − 1)/(1 + d)ᵗ⁻¹; start = 1: DERL, Σₜ≥ₙ S(t)/S(n − 1)/(1 + d)ᵗ⁻ⁿ, n = renewals + 1.
        var n = renewals + start;
        var baseline = start == 0 ? 1d : model.Survival(n - 1);
        var sum = 0d;
        var factor = 1d;
        var survival = model.Survival(start == 0 ? 0 : n);
        for (var t = start == 0 ? 0 : n; t < 100_000; t++)
        {
            var term = survival / baseline * factor;
            sum += term;
            if (term < 1e-18 * sum)
            {
                break;
            }

            survival *= model.RetentionRate(t + 1);
            factor /= 1d + rate;
        }

        return sum;
    }

    private static void AssertWithin(double truth, FittedParameter parameter)
        => Assert.True(
            Math.Abs(parameter.Estimate - truth) <= 3.3 * parameter.StandardError,
            $"{parameter} is more than 3.3 standard errors from {truth}");

    /// <summary>Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b) (Marsaglia–Tsang, boosted below shape 1).</summary>
    internal static double BetaSample(Random random, double a, double b)
    {
        var x = GammaSample(random, a);
        return x / (x + GammaSample(random, b));
    }

    private static double GammaSample(Random random, double shape)
    {
        if (shape < 1d)
        {
            return GammaSample(random, shape + 1d) * Math.Pow(random.NextDouble(), 1d / shape);
        }

        var d = shape - (1d / 3d);
        var c = 1d / Math.Sqrt(9d * d);
        while (true)
        {
            double z, v;
            do
            {
                z = Normal(random);
                v = 1d + (c * z);
            }
            while (v <= 0d);

            v = v * v * v;
            var u = random.NextDouble();
            if (Math.Log(u) < (0.5 * z * z) + d - (d * v) + (d * Math.Log(v)))
            {
                return d * v;
            }
        }
    }

    private static double Normal(Random random)
        => Math.Sqrt(-2d * Math.Log(1d - random.NextDouble())) * Math.Cos(2d * Math.PI * random.NextDouble());

    /// <summary>The published figure is the computed one rounded to <paramref name="decimals"/> places.</summary>
    internal static void AssertPublished(double published, double computed, int decimals)
        => Assert.True(
            Math.Round(computed, decimals, MidpointRounding.AwayFromZero) == published,
            $"computed {computed.ToString("R", CultureInfo.InvariantCulture)} does not round to the published {published.ToString(CultureInfo.InvariantCulture)}");
}

public static class ShiftedBetaGeometricArbitraries
{
    private static Gen<double> LogUniform(double low, double high)
        => Gen.Choose(0, 1_000_000).Select(i => Math.Exp(Math.Log(low) + ((Math.Log(high) - Math.Log(low)) * i / 1_000_000d)));

    public static Arbitrary<ShiftedBetaGeometricModel> Model()
        => (from gamma in LogUniform(0.05, 20d)
            from delta in LogUniform(0.05, 20d)
            select new ShiftedBetaGeometricModel(gamma, delta)).ToArbitrary();

    public static Arbitrary<int> Period() => Gen.Choose(1, 300).ToArbitrary();
}

using CrmKernel.Diagnostics;
using CrmKernel.Metrics.CustomerBase;
using CrmKernel.Primitives;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Metrics.CustomerBase;

/// <summary>
/// The models' closed forms checked against independent computations: the textbook formulas with a plain ₂F₁ series,
/// and numerical integration of the integrals the formulas come from.
/// </summary>
[Collection(CustomerBaseCollection.Name)]
public sealed class TransactionModelTests
{
    private static readonly BgNbdModel PublishedBgNbd = new(0.243, 4.414, 0.793, 2.426);

    [Theory]
    [InlineData(0.243, 4.414, 0.793, 2.426, 0, 0d, 38.86, 39d)]
    [InlineData(0.243, 4.414, 0.793, 2.426, 2, 30.43, 38.86, 39d)]
    [InlineData(0.243, 4.414, 0.793, 2.426, 29, 38.0, 38.86, 10d)]
    [InlineData(1.5, 2.0, 1.5, 0.7, 3, 5.0, 20.0, 52d)]
    [InlineData(0.8, 12.0, 2.5, 4.0, 1, 1.0, 30.0, 5d)]
    public void BgNbd_ConditionalExpectation_MatchesTheFhlFormula(double r, double alpha, double a, double b, int x, double tx, double age, double t)
    {
        // FHL (2005) eq. 10, with ₂F₁ summed plainly (z ≤ 0.9 here, so the plain series converges).
        var model = new BgNbdModel(r, alpha, a, b);
        var z = t / (alpha + age + t);
        var hypergeometric = SpecialFunctions.Hypergeometric2F1(r + x, b + x, a + b + x - 1d, z);
        var numerator = (a + b + x - 1d) / (a - 1d) * (1d - (Math.Pow((alpha + age) / (alpha + age + t), r + x) * hypergeometric));
        var denominator = 1d + (x > 0 ? a / (b + x - 1d) * Math.Pow((alpha + age) / (alpha + tx), r + x) : 0d);

        AssertClose(numerator / denominator, model.ExpectedTransactions(x, tx, age, t), 1e-11);
    }

    [Theory]
    [InlineData(0.243, 4.414, 0.5, 2d, 39d, 1e-11)]
    [InlineData(0.243, 4.414, 0.25, 3d, 78d, 1e-11)]
    [InlineData(2d, 10d, 0.5, 1d, 200d, 1e-11)]
    [InlineData(0.5, 1d, 1d, 3d, 10d, 1e-11)]
    [InlineData(0.243, 4.414, 0.793, 2.426, 39d, 1e-7)]
    public void BgNbd_PopulationExpectation_MatchesTheIntegralOverDropoutProbabilities(double r, double alpha, double a, double b, double t, double tolerance)
    {
        // E[X(t)] = ∫₀¹ (1 − (α/(α + p t))^r) / p · Beta(p; a, b) dp. With p = u^(1/a) the p^(a−1) singularity goes:
        // p^(a−1) dp = du / a. Simpson's rule on u ∈ [0, 1] is then exact to 10⁻¹² when 1/a and b are whole numbers;
        // otherwise (the CDNOW estimates) the integrand has a non-smooth end and the quadrature itself is good to 10⁻⁷.
        const int Panels = 200_000;
        var logBeta = SpecialFunctions.LogGamma(a) + SpecialFunctions.LogGamma(b) - SpecialFunctions.LogGamma(a + b);
        double Integrand(double u)
        {
            if (u == 0d)
            {
                return r * t / alpha / a / Math.Exp(logBeta);
            }

            var p = Math.Pow(u, 1d / a);
            return -SpecialFunctions.ExpM1(-r * SpecialFunctions.Log1P(p * t / alpha)) / p * Math.Pow(1d - p, b - 1d) / a / Math.Exp(logBeta);
        }

        var sum = Integrand(0d) + Integrand(1d);
        for (var i = 1; i < Panels; i++)
        {
            sum += (i % 2 == 1 ? 4d : 2d) * Integrand(i / (double)Panels);
        }

        AssertClose(sum / (3d * Panels), new BgNbdModel(r, alpha, a, b).ExpectedTransactions(t), tolerance);
    }

    [Fact]
    public void BgNbd_Likelihood_VectorisedAndScalarSumsAgree()
    {
        var likelihood = new BgNbdModel.Likelihood(HistoryGroups.From(Cdnow.Summary));

        var scalar = likelihood.LogLikelihood(0.243, 4.414, 0.793, 2.426, vectorised: false);
        var vectorised = likelihood.LogLikelihood(0.243, 4.414, 0.793, 2.426, vectorised: true);

        AssertClose(scalar, vectorised, 1e-13);
        Assert.Equal(-9582.4, Math.Round(scalar, 1));
    }

    [Fact]
    public void BgNbd_Expectations_AreContinuousAtAEqualsOne()
    {
        // (a + b − 1)/(a − 1) [1 − …] is 0/0 at a = 1; the library uses the limit.
        foreach (var (x, tx, age) in new[] { (0, 0d, 0d), (0, 0d, 20d), (4, 12d, 20d) })
        {
            var at = new BgNbdModel(0.4, 5d, 1d, 2d).ExpectedTransactions(x, tx, age, 26d);
            var below = new BgNbdModel(0.4, 5d, 1d - 1e-7, 2d).ExpectedTransactions(x, tx, age, 26d);
            var above = new BgNbdModel(0.4, 5d, 1d + 1e-7, 2d).ExpectedTransactions(x, tx, age, 26d);
            AssertClose(at, below, 1e-6);
            AssertClose(at, above, 1e-6);
        }
    }

    [Theory]
    [InlineData(0.553, 10.578, 0.606, 11.669, 0, 0d, 38.86)]
    [InlineData(0.553, 10.578, 0.606, 11.669, 2, 30.43, 38.86)]
    [InlineData(0.553, 10.578, 0.606, 11.669, 29, 5.0, 38.86)]
    [InlineData(0.5, 20d, 1.2, 0.05, 3, 0.5, 40d)]      // α ≫ β, tₓ ≈ 0: z close to 1, the continued-fraction branch
    [InlineData(0.5, 0.05, 1.2, 20d, 3, 0.5, 40d)]      // α ≪ β
    [InlineData(2d, 3d, 0.3, 3d, 5, 7d, 9d)]            // α = β: z = 0
    public void ParetoNbd_ProbabilityAlive_MatchesTheIntegralOverLifetimes(double r, double alpha, double s, double beta, int x, double tx, double age)
    {
        // L ∝ (α+T)^−(r+x) (β+T)^−s + s ∫ from tₓ to T of (α+τ)^−(r+x) (β+τ)^−(s+1) dτ, and P(alive) is the first term's share.
        // The integral by Simpson's rule on a log scale, τ = (β + tₓ) e^v − β, which flattens the (β+τ)^−(s+1) peak.
        var alive = Math.Pow(alpha + age, -(r + x)) * Math.Pow(beta + age, -s);
        var integral = 0d;
        if (age > tx)
        {
            const int Panels = 200_000;
            var upper = Math.Log((beta + age) / (beta + tx));
            double Integrand(double v)
            {
                var betaTau = (beta + tx) * Math.Exp(v);
                var tau = betaTau - beta;
                return Math.Pow(alpha + tau, -(r + x)) * Math.Pow(betaTau, -s);
            }

            var sum = Integrand(0d) + Integrand(upper);
            for (var i = 1; i < Panels; i++)
            {
                sum += (i % 2 == 1 ? 4d : 2d) * Integrand(upper * i / Panels);
            }

            integral = sum * upper / (3d * Panels);
        }

        var expected = alive / (alive + (s * integral));
        AssertClose(expected, new ParetoNbdModel(r, alpha, s, beta).ProbabilityAlive(x, tx, age), 1e-9);
    }

    [Fact]
    public void ParetoNbd_Expectations_AreContinuousAtSEqualsOne()
    {
        var at = new ParetoNbdModel(0.5, 10d, 1d, 12d);
        var near = new ParetoNbdModel(0.5, 10d, 1d + 1e-9, 12d);
        AssertClose(at.ExpectedTransactions(52d), near.ExpectedTransactions(52d), 1e-7);
        AssertClose(at.ExpectedTransactions(3, 20d, 30d, 52d), near.ExpectedTransactions(3, 20d, 30d, 52d), 1e-7);
    }

    [Fact]
    public void ParetoNbd_ConditionalExpectation_OfANewCustomer_IsThePopulationExpectation()
    {
        var model = new ParetoNbdModel(0.553, 10.578, 0.606, 11.669);
        AssertClose(model.ExpectedTransactions(39d), model.ExpectedTransactions(0, 0d, 0d, 39d), 1e-13);
    }

    [Fact]
    public void BgNbd_ConditionalExpectation_OfANewCustomer_IsThePopulationExpectation()
        => AssertClose(PublishedBgNbd.ExpectedTransactions(39d), PublishedBgNbd.ExpectedTransactions(0, 0d, 0d, 39d), 1e-13);

    [Fact]
    public void ExpectedTransactions_OverNoTime_IsZero()
    {
        Assert.Equal(0d, PublishedBgNbd.ExpectedTransactions(0d));
        Assert.Equal(0d, PublishedBgNbd.ExpectedTransactions(3, 10d, 20d, 0d));
    }

    [Fact]
    public void SummaryOverloads_UseTheCustomersHistory()
    {
        var purchases = new[] { 1, 15, 50 }.Select(day => new PurchaseRecord(
            new CustomerId(Guid.Parse("00000000-0000-0000-0000-000000000001")),
            Instant.FromUtc(2026, 1, 1, 12, 0) + Duration.FromDays(day),
            Money.Of(10m, "EUR")));
        var customer = Assert.Single(CustomerBaseSummary.Create(purchases, Currency.EUR, DateTimeZone.Utc, new LocalDate(2026, 3, 31), SummaryTimeUnit.Weeks));

        Assert.Equal(PublishedBgNbd.ProbabilityAlive(2, 7d, 88d / 7d), PublishedBgNbd.ProbabilityAlive(customer));
        Assert.Equal(PublishedBgNbd.ExpectedTransactions(2, 7d, 88d / 7d, 13d), PublishedBgNbd.ExpectedTransactions(customer, 13d));
    }

    [Theory]
    [InlineData(-1, 0d, 1d, 1d, "frequency")]
    [InlineData(1, -0.1, 1d, 1d, "recency")]
    [InlineData(1, 2d, 1d, 1d, "recency")]
    [InlineData(0, 0.5, 1d, 1d, "recency")]
    [InlineData(1, 0.5, double.PositiveInfinity, 1d, "age")]
    [InlineData(1, 0.5, 1d, -1d, "t")]
    [InlineData(1, 0.5, 1d, double.NaN, "t")]
    public void Predictions_RejectImpossibleHistories(int x, double tx, double age, double t, string parameter)
    {
        foreach (TransactionModel model in new TransactionModel[] { PublishedBgNbd, new ParetoNbdModel(1d, 1d, 1d, 1d) })
        {
            Assert.Equal(parameter, Assert.Throws<ArgumentOutOfRangeException>(() => model.ExpectedTransactions(x, tx, age, t)).ParamName);
            if (parameter != "t")
            {
                Assert.Equal(parameter, Assert.Throws<ArgumentOutOfRangeException>(() => model.ProbabilityAlive(x, tx, age)).ParamName);
            }
        }

        Assert.Equal("t", Assert.Throws<ArgumentOutOfRangeException>(() => PublishedBgNbd.ExpectedTransactions(-1d)).ParamName);
    }

    [Theory]
    [InlineData(0d)]
    [InlineData(-1d)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Constructors_RejectParametersThatAreNotPositiveAndFinite(double bad)
    {
        Assert.Equal("r", Assert.Throws<ArgumentOutOfRangeException>(() => new BgNbdModel(bad, 1d, 1d, 1d)).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => new BgNbdModel(1d, bad, 1d, 1d)).ParamName);
        Assert.Equal("a", Assert.Throws<ArgumentOutOfRangeException>(() => new BgNbdModel(1d, 1d, bad, 1d)).ParamName);
        Assert.Equal("b", Assert.Throws<ArgumentOutOfRangeException>(() => new BgNbdModel(1d, 1d, 1d, bad)).ParamName);
        Assert.Equal("s", Assert.Throws<ArgumentOutOfRangeException>(() => new ParetoNbdModel(1d, 1d, bad, 1d)).ParamName);
        Assert.Equal("beta", Assert.Throws<ArgumentOutOfRangeException>(() => new ParetoNbdModel(1d, 1d, 1d, bad)).ParamName);
        Assert.Equal("q", Assert.Throws<ArgumentOutOfRangeException>(() => new GammaGammaModel(1d, bad, 1d)).ParamName);
        Assert.Equal("gamma", Assert.Throws<ArgumentOutOfRangeException>(() => new GammaGammaModel(1d, 1d, bad)).ParamName);
    }

    [Fact]
    public void Fit_EmptySummary_IsRefusedWithTheNoCustomersCode()
    {
        var empty = CustomerBaseSummary.Create([], Currency.EUR, DateTimeZone.Utc, new LocalDate(2026, 3, 31), SummaryTimeUnit.Weeks);

        Assert.Equal(CrmErrorCodes.ModelWithoutCustomers, Assert.Throws<ModelDataException>(() => BgNbdModel.Fit(empty)).ErrorCode);
        Assert.Equal(CrmErrorCodes.ModelWithoutCustomers, Assert.Throws<ModelDataException>(() => ParetoNbdModel.Fit(empty)).ErrorCode);
        Assert.Equal(CrmErrorCodes.ModelWithoutCustomers, Assert.Throws<ModelDataException>(() => GammaGammaModel.Fit(empty)).ErrorCode);
    }

    [Fact]
    public void Fit_SummaryWithoutRepeatBuyers_DrivesThePurchaseRateToZero()
    {
        // Nobody came back: the likelihood rises towards its supremum as the mean purchase rate r/α goes to zero.
        var purchases = Enumerable.Range(1, 50).Select(i => new PurchaseRecord(
            new CustomerId(new Guid(i, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)),
            Instant.FromUtc(2026, 1, 1, 12, 0) + Duration.FromDays(i),
            Money.Of(10m, "EUR")));
        var summary = CustomerBaseSummary.Create(purchases, Currency.EUR, DateTimeZone.Utc, new LocalDate(2026, 6, 30), SummaryTimeUnit.Weeks);

        var fit = BgNbdModel.Fit(summary);

        Assert.True(fit.Model.R / fit.Model.Alpha < 1e-3, $"{fit.Model} converged={fit.Converged}");
        Assert.True(fit.LogLikelihood > -1e-3);
        Assert.False(fit.Converged);
        Assert.True(fit.Issues.HasFlag(FitIssues.NoRepeatTransactions), fit.Issues.ToString());
        Assert.Equal(CrmErrorCodes.ModelWithoutTransactions, Assert.Throws<ModelDataException>(() => GammaGammaModel.Fit(summary)).ErrorCode);
    }

    [Fact]
    public void ToString_ShowsTheParameters()
    {
        Assert.Equal("BG/NBD(r=0.243, α=4.414, a=0.793, b=2.426)", PublishedBgNbd.ToString());
        Assert.Equal("Pareto/NBD(r=0.553, α=10.578, s=0.606, β=11.669)", new ParetoNbdModel(0.553, 10.578, 0.606, 11.669).ToString());
        Assert.Equal("Gamma-Gamma(p=6.25, q=3.74, γ=15.44)", new GammaGammaModel(6.25, 3.74, 15.44).ToString());
    }

    internal static void AssertClose(double expected, double actual, double relative)
        => Assert.True(
            Math.Abs(expected - actual) <= relative * Math.Max(1e-300, Math.Abs(expected)),
            $"expected {expected:R}, got {actual:R} (relative difference {(expected - actual) / expected:E3})");
}

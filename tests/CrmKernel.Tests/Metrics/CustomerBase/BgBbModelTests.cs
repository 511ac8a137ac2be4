using System.Globalization;
using CrmKernel.Diagnostics;
using CrmKernel.Metrics.CustomerBase;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace CrmKernel.Tests.Metrics.CustomerBase;

/// <summary>
/// The BG/BB model (Fader, Hardie &amp; Shang 2010): the published estimates on the donation data, and the laws of the
/// model — pattern probabilities sum to one, P(alive) is a probability, the expectations match the paper's closed forms.
/// </summary>
public sealed class BgBbModelTests
{
    private static readonly Lazy<OpportunityHistory[]> LazyDonations = new(LoadDonations);

    /// <summary>tests/data/donations/donations.csv: frequency, recency, periods, weights; 11,104 donors, 22 patterns.</summary>
    internal static OpportunityHistory[] Donations => LazyDonations.Value;

    [Fact]
    public void Donations_AreTheWholeCohort()
    {
        Assert.Equal(22, Donations.Length);
        Assert.Equal(11_104, Donations.Sum(h => h.Customers));
        Assert.All(Donations, h => Assert.Equal(6, h.Opportunities));
    }

    [Fact]
    public void Fit_Donations_ReproducesThePublishedEstimatesAndLogLikelihood()
    {
        var fit = BgBbModel.Fit(Donations);

        Assert.True(fit.Converged, fit.Issues.ToString());
        AssertPublished(1.204, fit.Model.Alpha, 3);
        AssertPublished(0.750, fit.Model.Beta, 3);
        AssertPublished(0.657, fit.Model.Gamma, 3);
        AssertPublished(2.783, fit.Model.Delta, 3);
        AssertPublished(-33_225.6, fit.LogLikelihood, 1);
        Assert.Equal(11_104, fit.Customers);
        Assert.Equal(22, fit.DistinctHistories);
        Assert.Equal(["Alpha", "Beta", "Gamma", "Delta"], fit.Parameters.Select(p => p.Name));
        Assert.All(fit.Parameters, p => Assert.InRange(p.StandardError, 1e-3 * p.Estimate, 0.5 * p.Estimate));
    }

    [Fact]
    public void LogLikelihood_AtThePublishedEstimates_IsThePublishedOne()
        => Assert.Equal(-33_225.6, new BgBbModel(1.204, 0.750, 0.657, 2.783).LogLikelihood(Donations), 0.1);

    [Theory]
    [InlineData(1.204, 0.750, 0.657, 2.783)]
    [InlineData(0.3, 2.5, 1.8, 0.9)]
    [InlineData(5d, 5d, 1d, 1d)]
    public void PatternProbabilities_OverEveryPossiblePattern_SumToOne(double alpha, double beta, double gamma, double delta)
    {
        // A pattern (x, tₓ) stands for C(tₓ − 1, x − 1) binary strings of n opportunities (the last transaction at tₓ).
        var model = new BgBbModel(alpha, beta, gamma, delta);
        const int N = 9;
        var total = 0d;
        for (var tx = 0; tx <= N; tx++)
        {
            for (var x = tx == 0 ? 0 : 1; x <= tx; x++)
            {
                var strings = tx == 0 ? 1d : Binomial(tx - 1, x - 1);
                total += strings * Math.Exp(model.LogLikelihood([new OpportunityHistory(x, tx, N)]));
            }
        }

        Assert.Equal(1d, total, 12);
    }

    [Theory]
    [InlineData(1.204, 0.750, 0.657, 2.783)]
    [InlineData(0.3, 2.5, 1.8, 0.9)]
    public void Expectations_MatchThePapersClosedForms(double alpha, double beta, double gamma, double delta)
    {
        var model = new BgBbModel(alpha, beta, gamma, delta);

        // FHS 2010 eq. 8: E[X(n)] = α/(α+β) δ/(γ−1) [1 − Γ(γ+δ)Γ(1+δ+n) / (Γ(γ+δ+n)Γ(1+δ))].
        foreach (var n in new[] { 1, 6, 30 })
        {
            var closed = alpha / (alpha + beta) * delta / (gamma - 1d)
                * (1d - Math.Exp(LogGamma(gamma + delta) + LogGamma(1d + delta + n) - LogGamma(gamma + delta + n) - LogGamma(1d + delta)));
            Assert.Equal(closed, model.ExpectedTransactions(n), 12);
        }

        // FHS 2010 eq. 13 for a customer (x, tₓ, n) = (3, 5, 6) over n* = 5.
        const int X = 3, Tx = 5, Nn = 6, Future = 5;
        var likelihood = Math.Exp(model.LogLikelihood([new OpportunityHistory(X, Tx, Nn)]));
        var conditional = 1d / likelihood
            * Math.Exp(LogBeta(alpha + X + 1, beta + Nn - X) - LogBeta(alpha, beta))
            * delta / (gamma - 1d) * Math.Exp(LogGamma(gamma + delta) - LogGamma(1d + delta))
            * (Math.Exp(LogGamma(1d + delta + Nn) - LogGamma(gamma + delta + Nn)) - Math.Exp(LogGamma(1d + delta + Nn + Future) - LogGamma(gamma + delta + Nn + Future)));
        Assert.Equal(conditional, model.ExpectedTransactions(X, Tx, Nn, Future), 12);

        // FHS 2010 eq. 11: P(alive at n + 1).
        var alive = Math.Exp(LogBeta(alpha + X, beta + Nn - X) - LogBeta(alpha, beta) + LogBeta(gamma, delta + Nn + 1) - LogBeta(gamma, delta)) / likelihood;
        Assert.Equal(alive, model.ProbabilityAlive(X, Tx, Nn), 12);
    }

    [Fact]
    public void Predictions_OnTheDonations_BehaveAsThePaperDescribes()
    {
        var model = new BgBbModel(1.204, 0.750, 0.657, 2.783);

        // A donor who gave every year is almost surely alive; one who gave in year 1 only, probably not.
        Assert.True(model.ProbabilityAlive(6, 6, 6) > 0.9);
        Assert.True(model.ProbabilityAlive(1, 1, 6) < 0.2);
        Assert.True(model.ExpectedTransactions(6, 6, 6, 5) > model.ExpectedTransactions(1, 1, 6, 5));
        Assert.Equal(0d, model.ExpectedTransactions(2, 3, 6, 0));
        Assert.Equal(0d, model.ExpectedTransactions(0));
    }

    [Fact]
    public void Fit_WithoutRepeatTransactions_IsNotConverged()
    {
        var fit = BgBbModel.Fit([new OpportunityHistory(0, 0, 6, 500)]);

        Assert.False(fit.Converged);
        Assert.True(fit.Issues.HasFlag(FitIssues.NoRepeatTransactions));
    }

    [Fact]
    public void Fit_WithoutCustomers_IsRefusedWithItsCode()
    {
        Assert.Equal(CrmErrorCodes.ModelWithoutCustomers, Assert.Throws<ModelDataException>(() => BgBbModel.Fit([])).ErrorCode);
        Assert.Equal(CrmErrorCodes.ModelWithoutCustomers, Assert.Throws<ModelDataException>(() => BgBbModel.Fit([new OpportunityHistory(2, 3, 6, 0)])).ErrorCode);
        Assert.Throws<ArgumentNullException>("histories", () => BgBbModel.Fit(null!));
    }

    [Fact]
    public void OpportunityHistory_RefusesPatternsThatCannotBe()
    {
        Assert.Throws<ArgumentOutOfRangeException>("frequency", () => new OpportunityHistory(-1, 0, 6));
        Assert.Throws<ArgumentOutOfRangeException>("opportunities", () => new OpportunityHistory(0, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>("recency", () => new OpportunityHistory(2, 7, 6));
        Assert.Throws<ArgumentOutOfRangeException>("frequency", () => new OpportunityHistory(3, 2, 6));
        Assert.Throws<ArgumentOutOfRangeException>("frequency", () => new OpportunityHistory(0, 2, 6));
        Assert.Throws<ArgumentOutOfRangeException>("frequency", () => new OpportunityHistory(1, 0, 6));
        Assert.Throws<ArgumentOutOfRangeException>("customers", () => new OpportunityHistory(1, 1, 6, -1));

        var model = new BgBbModel(1d, 1d, 1d, 1d);
        Assert.Throws<ArgumentOutOfRangeException>("recency", () => model.ProbabilityAlive(1, 7, 6));
        Assert.Throws<ArgumentOutOfRangeException>("futureOpportunities", () => model.ExpectedTransactions(1, 1, 6, -1));
        Assert.Throws<ArgumentOutOfRangeException>("opportunities", () => model.ExpectedTransactions(-1));
        Assert.Throws<ArgumentOutOfRangeException>("delta", () => new BgBbModel(1d, 1d, 1d, 0d));
    }

    [Fact]
    public void Fit_ToPatternsDrawnFromTheModel_RecoversItsParametersWithinTheirStandardErrors()
    {
        var truth = new BgBbModel(1.2, 0.75, 0.65, 2.8);
        var random = new Random(2010);
        var counts = new Dictionary<(int, int), int>();
        const int N = 8;
        for (var i = 0; i < 40_000; i++)
        {
            var p = ShiftedBetaGeometricModelTests.BetaSample(random, truth.Alpha, truth.Beta);
            var theta = ShiftedBetaGeometricModelTests.BetaSample(random, truth.Gamma, truth.Delta);
            int x = 0, tx = 0;
            for (var t = 1; t <= N && random.NextDouble() >= theta; t++)
            {
                if (random.NextDouble() < p)
                {
                    x++;
                    tx = t;
                }
            }

            counts[(x, tx)] = counts.GetValueOrDefault((x, tx)) + 1;
        }

        var fit = BgBbModel.Fit(counts.Select(c => new OpportunityHistory(c.Key.Item1, c.Key.Item2, N, c.Value)));

        Assert.True(fit.Converged);
        double[] truths = [truth.Alpha, truth.Beta, truth.Gamma, truth.Delta];
        for (var k = 0; k < 4; k++)
        {
            var parameter = fit.Parameters[k];
            Assert.True(Math.Abs(parameter.Estimate - truths[k]) <= 3.3 * parameter.StandardError, $"{parameter} is more than 3.3 standard errors from {truths[k]}");
        }
    }

    [Property(Arbitrary = [typeof(BgBbArbitraries)])]
    public Property ProbabilityAlive_IsAProbability_AndExpectationsAreBounded(BgBbModel model, OpportunityHistory history, int future)
    {
        var alive = model.ProbabilityAlive(history.Frequency, history.Recency, history.Opportunities);
        var expected = model.ExpectedTransactions(history.Frequency, history.Recency, history.Opportunities, future);
        var later = model.ExpectedTransactions(history.Frequency, history.Recency, history.Opportunities, future + 1);
        return (alive is >= 0d and <= 1d
                && expected >= 0d && expected <= future * alive * (1d + 1e-12)
                && later >= expected
                && model.ExpectedTransactions(history.Opportunities + 1) >= model.ExpectedTransactions(history.Opportunities))
            .Label($"{model} {history}: P(alive) {alive:R}, E {expected:R}, later {later:R}");
    }

    private static OpportunityHistory[] LoadDonations()
    {
        var path = Path.Combine(Path.GetDirectoryName(Cdnow.DataDirectory)!, "donations", "donations.csv");
        return [.. File.ReadAllLines(path)
            .Skip(1)
            .Where(line => line.Length > 0)
            .Select(line => line.TrimEnd('\r').Split(',').Select(f => int.Parse(f, CultureInfo.InvariantCulture)).ToArray())
            .Select(f => new OpportunityHistory(f[0], f[1], f[2], f[3]))];
    }

    private static double Binomial(int n, int k) => Math.Round(Math.Exp(LogGamma(n + 1d) - LogGamma(k + 1d) - LogGamma(n - k + 1d)));

    private static double LogBeta(double a, double b) => LogGamma(a) + LogGamma(b) - LogGamma(a + b);

    private static double LogGamma(double x) => SpecialFunctions.LogGamma(x);

    private static void AssertPublished(double published, double computed, int decimals)
        => ShiftedBetaGeometricModelTests.AssertPublished(published, computed, decimals);
}

public static class BgBbArbitraries
{
    private static Gen<double> LogUniform(double low, double high)
        => Gen.Choose(0, 1_000_000).Select(i => Math.Exp(Math.Log(low) + ((Math.Log(high) - Math.Log(low)) * i / 1_000_000d)));

    public static Arbitrary<BgBbModel> Model()
        => (from alpha in LogUniform(0.05, 20d)
            from beta in LogUniform(0.05, 20d)
            from gamma in LogUniform(0.05, 20d)
            from delta in LogUniform(0.05, 20d)
            select new BgBbModel(alpha, beta, gamma, delta)).ToArbitrary();

    public static Arbitrary<OpportunityHistory> History()
        => (from n in Gen.Choose(1, 40)
            from tx in Gen.Choose(0, n)
            from x in tx == 0 ? Gen.Constant(0) : Gen.Choose(1, tx)
            select new OpportunityHistory(x, tx, n)).ToArbitrary();

    public static Arbitrary<int> Future() => Gen.Choose(0, 60).ToArbitrary();
}

using CrmKernel.Metrics.CustomerBase;
using CrmKernel.Primitives;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;

namespace CrmKernel.Tests.Metrics.CustomerBase;

/// <summary>A transaction model, a calibration history (x, tₓ, T) and two horizons t ≤ later.</summary>
public sealed record ModelCase(TransactionModel Model, int Frequency, double Recency, double Age, double Horizon, double Later)
{
    public override string ToString() => $"{Model} x={Frequency} tx={Recency:R} T={Age:R} t={Horizon:R} later={Later:R}";
}

/// <summary>Gamma-Gamma parameters and a repeat buyer's (x, z̄).</summary>
public sealed record SpendCase(GammaGammaModel Model, int Frequency, double MeanSpend);

/// <summary>Lifetime-value terms at two margins (low ≤ high) and the models they apply to.</summary>
public sealed record ValuationCase(TransactionModel Model, GammaGammaModel Spend, int Periods, double PeriodLength, double DiscountRate, decimal LowMargin, decimal HighMargin)
{
    public override string ToString() => $"{Model} {Spend} {Periods}×{PeriodLength:R} d={DiscountRate:R} m={LowMargin}..{HighMargin}";
}

public static class CustomerBaseArbitraries
{
    /// <summary>Uniform on [low, high] in a million steps.</summary>
    private static Gen<double> Uniform(double low, double high)
        => Gen.Choose(0, 1_000_000).Select(i => low + ((high - low) * i / 1_000_000d));

    /// <summary>Log-uniform on [low, high]: model parameters range over orders of magnitude.</summary>
    private static Gen<double> LogUniform(double low, double high)
        => Uniform(Math.Log(low), Math.Log(high)).Select(Math.Exp);

    private static readonly Gen<TransactionModel> BgNbd =
        from r in LogUniform(0.05, 5d)
        from alpha in LogUniform(0.2, 50d)
        from a in LogUniform(0.05, 5d)
        from b in LogUniform(0.05, 10d)
        select (TransactionModel)new BgNbdModel(r, alpha, a, b);

    private static readonly Gen<TransactionModel> ParetoNbd =
        from r in LogUniform(0.05, 5d)
        from alpha in LogUniform(0.2, 50d)
        from s in LogUniform(0.05, 5d)
        from beta in LogUniform(0.2, 50d)
        select (TransactionModel)new ParetoNbdModel(r, alpha, s, beta);

    private static readonly Gen<GammaGammaModel> GammaGamma =
        from p in LogUniform(0.5, 20d)
        from q in LogUniform(1.05, 20d)
        from gamma in LogUniform(0.5, 100d)
        select new GammaGammaModel(p, q, gamma);

    public static Arbitrary<ModelCase> ModelCase()
        => (from model in Gen.OneOf(BgNbd, ParetoNbd)
            from x in Gen.Frequency((1, Gen.Constant(0)), (4, Gen.Choose(1, 40)))
            from age in Uniform(0d, 80d)
            from share in Uniform(0d, 1d)
            from t in Uniform(0d, 100d)
            from extra in Uniform(0d, 50d)
            select new ModelCase(model, x, x == 0 ? 0d : share * age, age, t, t + extra)).ToArbitrary();

    public static Arbitrary<SpendCase> SpendCase()
        => (from model in GammaGamma
            from x in Gen.Choose(1, 40)
            from spend in LogUniform(0.5, 500d)
            select new SpendCase(model, x, spend)).ToArbitrary();

    public static Arbitrary<ValuationCase> ValuationCase()
        => (from model in Gen.OneOf(BgNbd, ParetoNbd)
            from spend in GammaGamma
            from periods in Gen.Choose(1, 24)
            from length in Uniform(0.5, 8d)
            from rate in Uniform(0d, 0.05)
            from low in Gen.Choose(0, 100)
            from high in Gen.Choose(0, 100)
            select new ValuationCase(model, spend, periods, length, rate, Math.Min(low, high) / 100m, Math.Max(low, high) / 100m)).ToArbitrary();
}

/// <summary>What the theory of the models says must hold for every parameter value and history.</summary>
[Xunit.Collection(CustomerBaseCollection.Name)]
public class CustomerBaseProperties
{
    /// <summary>Relative slack for comparisons of two computed values: a few hundred units in the last place.</summary>
    private const double Slack = 1e-12;

    /// <summary>The first 60 CDNOW customers: a small real summary for valuation properties.</summary>
    private static readonly Lazy<CustomerBaseSummary> SmallBase = new(() => CustomerBaseSummary.Create(
        Cdnow.Purchases.Where(p => p.CustomerId.CompareTo(Cdnow.IdOf(60)) <= 0),
        Currency.USD,
        DateTimeZone.Utc,
        Cdnow.CalibrationEnd,
        SummaryTimeUnit.Weeks));

    private static bool AtMost(double smaller, double larger) => smaller <= larger + (Slack * Math.Abs(larger)) + 1e-300;

    [Property(Arbitrary = new[] { typeof(CustomerBaseArbitraries) }, MaxTest = 200)]
    public bool PopulationExpectation_IsZeroAtZero_AndNonDecreasingInTime(ModelCase c)
        => c.Model.ExpectedTransactions(0d) == 0d
           && c.Model.ExpectedTransactions(c.Horizon) >= 0d
           && AtMost(c.Model.ExpectedTransactions(c.Horizon), c.Model.ExpectedTransactions(c.Later));

    [Property(Arbitrary = new[] { typeof(CustomerBaseArbitraries) }, MaxTest = 200)]
    public bool ConditionalExpectation_IsNonDecreasingInTheHorizon(ModelCase c)
        => c.Model.ExpectedTransactions(c.Frequency, c.Recency, c.Age, c.Horizon) >= 0d
           && AtMost(
               c.Model.ExpectedTransactions(c.Frequency, c.Recency, c.Age, c.Horizon),
               c.Model.ExpectedTransactions(c.Frequency, c.Recency, c.Age, c.Later));

    /// <summary>A more recent last purchase means a customer more likely alive, so more purchases to come.</summary>
    [Property(Arbitrary = new[] { typeof(CustomerBaseArbitraries) }, MaxTest = 200)]
    public bool ConditionalExpectationAndProbabilityAlive_AreNonDecreasingInRecency(ModelCase c)
    {
        if (c.Frequency == 0)
        {
            return true;
        }

        var later = c.Recency + ((c.Age - c.Recency) / 2d);
        return AtMost(c.Model.ExpectedTransactions(c.Frequency, c.Recency, c.Age, c.Horizon), c.Model.ExpectedTransactions(c.Frequency, later, c.Age, c.Horizon))
               && AtMost(c.Model.ProbabilityAlive(c.Frequency, c.Recency, c.Age), c.Model.ProbabilityAlive(c.Frequency, later, c.Age));
    }

    /// <summary>
    /// For a customer who has just bought (tₓ = T), more purchases mean a higher rate and more purchases to come. (With
    /// tₓ &lt; T the expectation is not monotone in x: a frequent buyer who then falls silent is likely gone.)
    /// </summary>
    [Property(Arbitrary = new[] { typeof(CustomerBaseArbitraries) }, MaxTest = 200)]
    public bool ConditionalExpectation_IsNonDecreasingInFrequency_ForACustomerWhoJustBought(ModelCase c)
    {
        if (c.Age == 0d)
        {
            return true;
        }

        var x = Math.Max(c.Frequency, 1);
        return AtMost(c.Model.ExpectedTransactions(x, c.Age, c.Age, c.Horizon), c.Model.ExpectedTransactions(x + 1, c.Age, c.Age, c.Horizon));
    }

    [Property(Arbitrary = new[] { typeof(CustomerBaseArbitraries) }, MaxTest = 200)]
    public bool ProbabilityAlive_IsAProbability(ModelCase c)
    {
        var alive = c.Model.ProbabilityAlive(c.Frequency, c.Recency, c.Age);
        return alive is >= 0d and <= 1d;
    }

    /// <summary>Under BG/NBD a customer can drop out only just after a repeat purchase: without one, they are alive.</summary>
    [Property(Arbitrary = new[] { typeof(CustomerBaseArbitraries) }, MaxTest = 200)]
    public bool BgNbd_ProbabilityAlive_IsOneWithoutRepeatPurchases(ModelCase c)
        => c.Model is not BgNbdModel bgNbd || bgNbd.ProbabilityAlive(0, 0d, c.Age) == 1d;

    /// <summary>The Gamma-Gamma expectation is a weighted average of the population mean and the customer's own mean.</summary>
    [Property(Arbitrary = new[] { typeof(CustomerBaseArbitraries) }, MaxTest = 200)]
    public bool ExpectedAverageSpend_LiesBetweenThePopulationMeanAndTheObservedMean(SpendCase c)
    {
        var expected = c.Model.ExpectedAverageSpend(c.Frequency, c.MeanSpend);
        var low = Math.Min(c.Model.MeanSpend, c.MeanSpend);
        var high = Math.Max(c.Model.MeanSpend, c.MeanSpend);
        return AtMost(low, expected) && AtMost(expected, high) && c.Model.ExpectedAverageSpend(0, c.MeanSpend) == c.Model.MeanSpend;
    }

    [Property(Arbitrary = new[] { typeof(CustomerBaseArbitraries) }, MaxTest = 60)]
    public bool LifetimeValue_IsNonNegative_AndIncreasesWithTheMargin(ValuationCase c)
    {
        var low = CustomerLifetimeValue.Estimate(SmallBase.Value, c.Model, c.Spend, new LifetimeValueTerms(c.Periods, c.PeriodLength, c.DiscountRate, c.LowMargin));
        var high = CustomerLifetimeValue.Estimate(SmallBase.Value, c.Model, c.Spend, new LifetimeValueTerms(c.Periods, c.PeriodLength, c.DiscountRate, c.HighMargin));
        for (var i = 0; i < low.Count; i++)
        {
            var (l, h) = (low[i].LifetimeValue, high[i].LifetimeValue);
            var strictlyExpected = c.LowMargin < c.HighMargin && low[i].DiscountedTransactions > 1e-12;
            if (l.IsNegative || h < l || (strictlyExpected && !(h > l)) || low[i].CustomerId != high[i].CustomerId)
            {
                return false;
            }
        }

        return true;
    }
}

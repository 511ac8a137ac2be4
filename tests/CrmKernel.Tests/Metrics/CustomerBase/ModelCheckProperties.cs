using CrmKernel.Metrics.CustomerBase;
using CrmKernel.Metrics.Rendering;
using CrmKernel.Primitives;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;

namespace CrmKernel.Tests.Metrics.CustomerBase;

/// <summary>A transaction model with moderate purchase rates and a horizon: few enough purchases that P(X(t) = n) can be summed to its tail.</summary>
public sealed record CountCase(TransactionModel Model, double Horizon)
{
    public override string ToString() => $"{Model} t={Horizon:R}";
}

/// <summary>A small simulated base: customers' purchase days, one or more purchases per day allowed.</summary>
public sealed record BaseCase(TransactionModel Model, (int Customer, int Day, int Lines)[] Purchases)
{
    public override string ToString() => $"{Model} {Purchases.Length} purchase days";
}

public static class ModelCheckArbitraries
{
    private static Gen<double> LogUniform(double low, double high)
        => Gen.Choose(0, 1_000_000).Select(i => Math.Exp(Math.Log(low) + ((Math.Log(high) - Math.Log(low)) * i / 1_000_000d)));

    private static readonly Gen<TransactionModel> Model = Gen.OneOf(
        from r in LogUniform(0.1, 3d)
        from alpha in LogUniform(2d, 50d)
        from a in LogUniform(0.1, 5d)
        from b in LogUniform(0.2, 10d)
        select (TransactionModel)new BgNbdModel(r, alpha, a, b),
        from r in LogUniform(0.1, 3d)
        from alpha in LogUniform(2d, 50d)
        from s in LogUniform(0.1, 5d)
        from beta in LogUniform(0.5, 50d)
        select (TransactionModel)new ParetoNbdModel(r, alpha, s, beta));

    public static Arbitrary<CountCase> CountCase()
        => (from model in Model
            from t in LogUniform(0.01, 60d)
            select new CountCase(model, t)).ToArbitrary();

    public static Arbitrary<BaseCase> BaseCase()
        => (from model in Model
            from purchases in Gen.ArrayOf(
                from customer in Gen.Choose(1, 30)
                from day in Gen.Choose(0, 300)
                from lines in Gen.Choose(1, 3)
                select (customer, day, lines))
            select new BaseCase(model, purchases)).ToArbitrary();
}

/// <summary>The laws of the model-checking figures, for any model and any base.</summary>
[Xunit.Collection(CustomerBaseCollection.Name)]
public class ModelCheckProperties
{
    private static readonly LocalDate Start = new(2024, 1, 1);

    /// <summary>P(X(t) = n) is a distribution over n whose mean is E[X(t)].</summary>
    [Property(Arbitrary = new[] { typeof(ModelCheckArbitraries) }, MaxTest = 60)]
    public bool TransactionCountProbabilities_SumToOne_AndAverageToTheExpectation(CountCase c)
    {
        double total = 0d, mean = 0d;
        for (var n = 0; n < 2000 && 1d - total > 1e-12; n++)
        {
            var p = c.Model.ProbabilityOfTransactions(n, c.Horizon);
            if (p < 0d || p > 1d)
            {
                return false;
            }

            total += p;
            mean += n * p;
        }

        var expected = c.Model.ExpectedTransactions(c.Horizon);
        return Math.Abs(total - 1d) < 1e-7 && Math.Abs(mean - expected) < (1e-5 * Math.Max(1d, expected));
    }

    [Property(Arbitrary = new[] { typeof(ModelCheckArbitraries) }, MaxTest = 40)]
    public bool Figures_KeepTheirLaws_OnAnyBase(BaseCase c)
    {
        if (c.Purchases.Length == 0)
        {
            return true;
        }

        var purchases = c.Purchases
            .SelectMany(p => Enumerable.Range(0, p.Lines).Select(line => new PurchaseRecord(
                new CustomerId(new Guid(p.Customer, 0, 0, new byte[8])),
                Start.PlusDays(p.Day).At(new LocalTime(9 + line, 0)).InUtc().ToInstant(),
                Money.Of(10m, "EUR"))))
            .ToList();
        var summary = CustomerBaseSummary.Create(purchases, Currency.EUR, DateTimeZone.Utc, Start.PlusDays(150), SummaryTimeUnit.Weeks, Start.PlusDays(300));
        if (summary.Count == 0)
        {
            return true;
        }

        var histogram = ModelCheckFigures.CalibrationFrequency(summary, c.Model);
        var cumulative = ModelCheckFigures.CumulativeTracking(summary, purchases, c.Model);
        var incremental = ModelCheckFigures.IncrementalTracking(summary, purchases, c.Model);
        var alive = ModelCheckFigures.ProbabilityAliveDistribution(summary, c.Model);
        var distribution = ModelCheckFigures.TransactionCountDistribution(summary, purchases, c.Model);
        var name = ModelCheckFigures.ModelName(c.Model);

        var actualCumulative = cumulative[ModelCheckFigures.Actual].Points.Select(p => p.Y).ToArray();
        var modelCumulative = cumulative[name].Points.Select(p => p.Y).ToArray();
        var calibrationWeeks = (int)Math.Floor(cumulative.Markers[0].X);
        return Close(histogram[ModelCheckFigures.Actual].Points.Sum(p => p.Y), summary.Count)
               && Close(histogram[name].Points.Sum(p => p.Y), summary.Count)
               && NonDecreasing(actualCumulative) && NonDecreasing(modelCumulative)
               && IsDifference(incremental[ModelCheckFigures.Actual].Points.Select(p => p.Y).ToArray(), actualCumulative)
               && IsDifference(incremental[name].Points.Select(p => p.Y).ToArray(), modelCumulative)
               && Close(actualCumulative[^1], summary.Sum(s => s.Frequency + s.HoldoutTransactions))
               && (cumulative.Markers[0].X != calibrationWeeks || Close(actualCumulative[calibrationWeeks - 1], summary.Sum(s => s.Frequency)))
               && Close(alive.Series[0].Points.Sum(p => p.Y), summary.Count)
               && Close(distribution[ModelCheckFigures.Actual].Points.Sum(p => p.Y), 1d)
               && Close(distribution[name].Points.Sum(p => p.Y), 1d);
    }

    [Property(Arbitrary = new[] { typeof(ModelCheckArbitraries) }, MaxTest = 20)]
    public bool Figures_RenderAsWellFormedSvg(BaseCase c)
    {
        if (c.Purchases.Length == 0)
        {
            return true;
        }

        var purchases = c.Purchases.Select(p => new PurchaseRecord(new CustomerId(new Guid(p.Customer, 0, 0, new byte[8])), Start.PlusDays(p.Day).AtMidnight().InUtc().ToInstant(), Money.Of(1m, "EUR"))).ToList();
        var summary = CustomerBaseSummary.Create(purchases, Currency.EUR, DateTimeZone.Utc, Start.PlusDays(150), SummaryTimeUnit.Days, Start.PlusDays(300));
        if (summary.Count == 0)
        {
            return true;
        }

        Figure[] figures =
        [
            ModelCheckFigures.CalibrationFrequency(summary, c.Model),
            ModelCheckFigures.IncrementalTracking(summary, purchases, c.Model),
            ModelCheckFigures.ConditionalExpectations(summary, c.Model),
            ModelCheckFigures.ProbabilityAliveDistribution(summary, c.Model),
        ];
        return figures.All(f => System.Xml.Linq.XDocument.Parse(SvgFigure.Render(f)).Root!.Name.LocalName == "svg");
    }

    private static bool Close(double actual, double expected) => Math.Abs(actual - expected) <= 1e-7 * Math.Max(1d, Math.Abs(expected));

    private static bool NonDecreasing(double[] values) => values.Zip(values.Skip(1)).All(p => p.Second >= p.First - (1e-9 * Math.Max(1d, p.First)));

    private static bool IsDifference(double[] incremental, double[] cumulative)
        => incremental.Length == cumulative.Length && incremental.Select((v, k) => Close(v, cumulative[k] - (k == 0 ? 0d : cumulative[k - 1]))).All(b => b);
}

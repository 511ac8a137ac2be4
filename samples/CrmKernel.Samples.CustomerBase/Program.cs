// Customer-base analysis of the public CDNOW sample, end to end through the kernel:
//   1. every line of CDNOW_sample.txt is recorded as a purchase touchpoint (the normal ingestion path);
//   2. purchases are read back from the customers' timelines and summarised with the published conventions
//      (weeks, calibration to 1997-09-30, same-day purchases merged);
//   3. BG/NBD, Pareto/NBD and Gamma-Gamma are fitted and printed beside the published estimates;
//   4. the top 10 customers by expected purchases (next 39 weeks) and by CLV are listed;
//   5. the model-checking figures (calibration histogram, tracking, conditional expectations, P(X(t) = n), P(alive))
//      are written as SVG files for both models, and their key numbers printed.
// The program exits with code 1 when a fit misses a published figure at its published precision, so CI runs it as a check.
//
// Usage: dotnet run --project samples/CrmKernel.Samples.CustomerBase [path/to/CDNOW_sample.txt] [figure output folder]
//        (the figures go to crmkernel-cdnow-figures in the temporary folder by default)
using System.Globalization;
using CrmKernel.Customers;
using CrmKernel.Metrics.CustomerBase;
using CrmKernel.Metrics.Rendering;
using CrmKernel.Primitives;
using CrmKernel.Samples.CustomerBase;
using CrmKernel.Services.Ingestion;
using CrmKernel.Services.Timeline;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using CrmKernel.Touchpoints;
using NodaTime;

var path = args.Length > 0 ? args[0] : CdnowFile.Find();
var figureFolder = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "crmkernel-cdnow-figures");
var tenant = new TenantId("cdnow");
var store = new InMemoryTouchpointStore();
var ingestion = new TouchpointIngestion(store, SystemClock.Instance);

// 1. Ingest: one purchase touchpoint per line; the line number is the source key, so a second run of the import is a no-op.
var lines = CdnowFile.Read(path).ToList();
var report = await ingestion.RecordManyAsync(tenant, lines.Select(line => line.ToTouchpoint()));
Console.WriteLine($"Recorded {report.Recorded:N0} purchase touchpoints for {lines.Select(l => l.SampleId).Distinct().Count():N0} customers from {Path.GetFileName(path)}.");
if (report.Invalid.Count > 0 || report.Conflicts.Count > 0)
{
    Console.Error.WriteLine($"{report.Invalid.Count} invalid and {report.Conflicts.Count} conflicting lines.");
    return 1;
}

// 2. Read the purchases back from the timelines and summarise them.
var timeline = new CustomerTimeline(store);
var purchases = new List<PurchaseRecord>(lines.Count);
foreach (var customers in lines.Select(l => CdnowLine.IdOf(l.SampleId)).Distinct().Chunk(TimelineFilter.MaxCustomers))
{
    var touchpoints = new List<Touchpoint>();
    await foreach (var touchpoint in timeline.StreamAsync(tenant, new TimelineFilter(customers)))
    {
        touchpoints.Add(touchpoint);
    }

    purchases.AddRange(PurchaseRecord.FromTouchpoints(touchpoints, Currency.USD));
}

var summary = CustomerBaseSummary.Create(
    purchases, Currency.USD, DateTimeZone.Utc,
    calibrationEnd: new LocalDate(1997, 9, 30), SummaryTimeUnit.Weeks, holdoutEnd: new LocalDate(1998, 6, 30));
var repeaters = summary.Count(c => c.Frequency > 0);
Console.WriteLine($"Calibration to {summary.CalibrationEnd:uuuu-MM-dd} in weeks: {summary.Count:N0} customers, " +
                  $"Σx = {summary.Sum(c => c.Frequency):N0}, {summary.Count - repeaters:N0} with x = 0, {repeaters} with x ≥ 1, max x = {summary.Max(c => c.Frequency)}.");
Console.WriteLine("Published (Fader, Hardie & Lee 2005): Σx = 2,457, 1,411 with x = 0, 946 with x ≥ 1, max x = 29.");
Console.WriteLine();

// 3. Fit the three models and compare with the published estimates.
var comparison = new PublishedComparison();
var bgNbd = BgNbdModel.Fit(summary);
comparison.Model("BG/NBD", "Fader, Hardie & Lee (2005), Marketing Science 24(2)", bgNbd.Converged, bgNbd.Iterations)
    .Row("r", 0.243, bgNbd.Model.R, 3)
    .Row("α", 4.414, bgNbd.Model.Alpha, 3)
    .Row("a", 0.793, bgNbd.Model.A, 3)
    .Row("b", 2.426, bgNbd.Model.B, 3)
    .Row("log-likelihood", -9582.4, bgNbd.LogLikelihood, 1);

var paretoNbd = ParetoNbdModel.Fit(summary);
comparison.Model("Pareto/NBD", "same paper", paretoNbd.Converged, paretoNbd.Iterations)
    .Row("r", 0.553, paretoNbd.Model.R, 3)
    .Row("α", 10.578, paretoNbd.Model.Alpha, 3)
    .Row("s", 0.606, paretoNbd.Model.S, 3)
    .Row("β", 11.669, paretoNbd.Model.Beta, 3)
    .Row("log-likelihood", -9595.0, paretoNbd.LogLikelihood, 1);

var gammaGamma = GammaGammaModel.Fit(summary);
comparison.Model("Gamma-Gamma (946 repeat buyers, density of the mean spend)", "Fader, Hardie & Lee (2005), JMR 42(4); note 025", gammaGamma.Converged, gammaGamma.Iterations)
    .Row("p", 6.25, gammaGamma.Model.P, 2)
    .Row("q", 3.74, gammaGamma.Model.Q, 2)
    .Row("γ", 15.44, gammaGamma.Model.Gamma, 2)
    .Row("log-likelihood", -4055.9, gammaGamma.LogLikelihood, 1);
comparison.WriteTo(Console.Out);

// 4. Rank customers: expected purchases in the 39-week holdout, and CLV over three years (monthly discounting at 1 %,
//    30 % margin on spend; see LifetimeValueTerms).
const double horizonWeeks = 39;
var terms = new LifetimeValueTerms(periods: 36, periodLength: 52d / 12d, discountRate: 0.01, margin: 0.30m);
var valuations = CustomerLifetimeValue.Estimate(summary, bgNbd.Model, gammaGamma.Model, terms);
var byId = summary.ToDictionary(c => c.CustomerId);

Console.WriteLine();
Console.WriteLine($"Top 10 by expected purchases in the next {horizonWeeks} weeks (BG/NBD), with what they did in the holdout:");
Console.WriteLine("  customer   x   t_x      T  P(alive)  expected  actual");
foreach (var customer in summary.OrderByDescending(c => bgNbd.Model.ExpectedTransactions(c, horizonWeeks)).ThenBy(c => c.CustomerId).Take(10))
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {CdnowLine.SampleIdOf(customer.CustomerId),8} {customer.Frequency,3} {customer.Recency,5:0.00} {customer.Age,6:0.00} {bgNbd.Model.ProbabilityAlive(customer),9:0.000} {bgNbd.Model.ExpectedTransactions(customer, horizonWeeks),9:0.00} {customer.HoldoutTransactions,7}"));
}

Console.WriteLine();
Console.WriteLine($"Top 10 by CLV ({terms}; BG/NBD × Gamma-Gamma):");
Console.WriteLine("  customer   x  mean spend  expected spend  disc. purchases        CLV");
foreach (var value in valuations.OrderByDescending(v => v.LifetimeValue.Amount).ThenBy(v => v.CustomerId).Take(10))
{
    var customer = byId[value.CustomerId];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {CdnowLine.SampleIdOf(value.CustomerId),8} {customer.Frequency,3} {customer.MeanRepeatSpend.Amount,11:0.00} {value.ExpectedAverageSpend.Amount,15:0.00} {value.DiscountedTransactions,16:0.00} {value.LifetimeValue.Amount,10:0.00}"));
}

Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Customer equity of the sample (Σ CLV): {valuations.Sum(v => v.LifetimeValue.Amount):N2} USD; expected purchases by a new customer in 52 weeks: {bgNbd.Model.ExpectedTransactions(52):0.000}."));

// 5. Model-checking figures: data first (printed), then SVG files.
Directory.CreateDirectory(figureFolder);
Console.WriteLine();
Console.WriteLine($"Model-checking figures (SVG) in {figureFolder}:");
foreach (var (name, model) in new (string, TransactionModel)[] { ("bgnbd", bgNbd.Model), ("pareto-nbd", paretoNbd.Model) })
{
    var modelName = model is BgNbdModel ? "BG/NBD" : "Pareto/NBD";
    var figures = new (string File, Figure Figure)[]
    {
        ($"{name}-calibration-frequency.svg", ModelCheckFigures.CalibrationFrequency(summary, model)),
        ($"{name}-tracking-cumulative.svg", ModelCheckFigures.CumulativeTracking(summary, purchases, model)),
        ($"{name}-tracking-weekly.svg", ModelCheckFigures.IncrementalTracking(summary, purchases, model)),
        ($"{name}-conditional-expectations.svg", ModelCheckFigures.ConditionalExpectations(summary, model)),
        ($"{name}-transaction-count-distribution.svg", ModelCheckFigures.TransactionCountDistribution(summary, purchases, model)),
        ($"{name}-probability-alive.svg", ModelCheckFigures.ProbabilityAliveDistribution(summary, model)),
    };
    foreach (var (file, figure) in figures)
    {
        using var writer = File.CreateText(Path.Combine(figureFolder, file));
        SvgFigure.Write(figure, writer);
        Console.WriteLine($"  {file}: {figure.Title}");
    }

    var histogram = figures[0].Figure;
    Console.WriteLine($"  {modelName} calibration histogram (0..6, 7+): actual {Row(histogram[ModelCheckFigures.Actual])}; model {Row(histogram[modelName])}");
    var tracking = figures[1].Figure;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {modelName} cumulative repeat transactions: week 39 actual {tracking[ModelCheckFigures.Actual].ValueAt(39):N0}, model {tracking[modelName].ValueAt(39):N1}; week 78 actual {tracking[ModelCheckFigures.Actual].ValueAt(78):N0}, model {tracking[modelName].ValueAt(78):N1}"));
    var conditional = figures[3].Figure;
    Console.WriteLine($"  {modelName} mean holdout transactions by calibration frequency (0..6, 7+): actual {Row(conditional[ModelCheckFigures.Actual], "0.00")}; model {Row(conditional[modelName], "0.00")}");
    var distribution = figures[4].Figure;
    Console.WriteLine($"  {modelName} {distribution.Title}: actual {Row(distribution[ModelCheckFigures.Actual], "0.000")}; model {Row(distribution[modelName], "0.000")}");
    Console.WriteLine($"  {modelName} P(alive) by tenth: {Row(figures[5].Figure.Series[0])}");
}

if (!comparison.AllMatch)
{
    Console.Error.WriteLine("A fitted figure differs from the published one at its published precision.");
    return 1;
}

return 0;

static string Row(FigureSeries series, string format = "0")
    => string.Join(" ", series.Points.Select(p => p.Y.ToString(format, CultureInfo.InvariantCulture)));

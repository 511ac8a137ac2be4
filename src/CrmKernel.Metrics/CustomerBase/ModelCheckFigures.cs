using System.Globalization;
using CrmKernel.Diagnostics;
using CrmKernel.Metrics.Rendering;
using CrmKernel.Primitives;

namespace CrmKernel.Metrics.CustomerBase;

/// <summary>
/// The figures analysts look at to check a fitted transaction model (<see cref="BgNbdModel"/>, <see cref="ParetoNbdModel"/>)
/// against the data it was fitted to and the holdout period after it — the plots of Fader, Hardie &amp; Lee (2005) and
/// of the BTYD walkthrough. Each returns a <see cref="Figure"/>: the actual and model series as numbers, ready to test,
/// tabulate, or draw with <see cref="SvgFigure"/>. They hold aggregates only.
/// </summary>
/// <remarks>
/// The actual series are computed from the summary (frequency, holdout transactions) or, for the figures over time, from
/// the purchase records the summary was built from, with the summary's conventions: dates in its zone, same-day
/// purchases one transaction, the first purchase not a repeat, only the summary's customers. Times are in the summary's
/// <see cref="CustomerBaseSummary.TimeUnit"/>.
/// </remarks>
public static class ModelCheckFigures
{
    /// <summary>The series name of the observed data in every figure.</summary>
    public const string Actual = "Actual";

    /// <summary>
    /// The calibration-period frequency histogram: how many customers made 0, 1, …, k − 1 and k or more repeat
    /// transactions in calibration, actual against the model's expectation Σᵢ P(X(Tᵢ) = x) over the customers' ages Tᵢ
    /// (the fit histogram of Fader, Hardie &amp; Lee 2005, Figure 1). Use it to see whether the model reproduces the
    /// shape of the data it was fitted to — too few zeros or too thin a tail shows at once.
    /// </summary>
    /// <param name="summary">The summary the model was fitted to.</param>
    /// <param name="model">The fitted model.</param>
    /// <param name="censorAt">k, the first frequency pooled into the last bar ("k+"); 7 in the paper.</param>
    /// <returns>Bars per frequency: <see cref="Actual"/> and the model (both sum to the number of customers).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="summary"/> or <paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="censorAt"/> is not between 1 and 100.</exception>
    public static Figure CalibrationFrequency(CustomerBaseSummary summary, TransactionModel model, int censorAt = 7)
    {
        Preconditions.NotNull(summary);
        Preconditions.NotNull(model);
        CheckCensor(censorAt);
        var actual = new double[censorAt + 1];
        var expected = new double[censorAt + 1];
        foreach (var customer in summary.Customers)
        {
            actual[Math.Min(customer.Frequency, censorAt)]++;
        }

        // Customers of the same age share P(X(T) = x).
        foreach (var (ageDays, count) in summary.Customers.ToArray().GroupBy(c => c.AgeDays).Select(g => (g.Key, g.Count())))
        {
            var age = ageDays / (double)(int)summary.TimeUnit;
            var below = 0d;
            for (var x = 0; x < censorAt; x++)
            {
                var p = model.ProbabilityOfTransactions(x, age);
                expected[x] += count * p;
                below += p;
            }

            expected[censorAt] += count * Math.Max(0d, 1d - below);
        }

        return new Figure(
            "Calibration-period frequency: actual vs " + ModelName(model),
            "Repeat transactions in the calibration period",
            "Customers",
            [Bars(Actual, actual), Bars(ModelName(model), expected)],
            Categories(censorAt));
    }

    /// <summary>
    /// Cumulative repeat transactions over calibration and holdout, period by period (weeks for a summary in weeks):
    /// actual against the model's Σᵢ E[X(t − sᵢ)] over the customers' first-purchase times sᵢ — the tracking plot of
    /// Fader, Hardie &amp; Lee (2005, Figure 2) and the BTYD walkthrough. Use it to see whether the model's forecast for
    /// the cohort holds in the holdout, and whether a gap opens where the business changed.
    /// </summary>
    /// <param name="summary">The summary the model was fitted to (with a holdout period, for a forecast to check).</param>
    /// <param name="purchases">The purchase records the summary was built from.</param>
    /// <param name="model">The fitted model.</param>
    /// <returns>
    /// Lines over period numbers 1, 2, … from the earliest first purchase (period k ends k units after it, the last at the
    /// holdout end or, without a holdout, the calibration end): <see cref="Actual"/> and the model, with a marker at the
    /// calibration end.
    /// </returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="summary"/> has no customers.</exception>
    public static Figure CumulativeTracking(CustomerBaseSummary summary, IEnumerable<PurchaseRecord> purchases, TransactionModel model)
    {
        var tracking = Tracking.Create(summary, purchases, model);
        return new Figure(
            "Tracking cumulative repeat transactions: actual vs " + ModelName(model),
            PeriodTitle(summary),
            "Cumulative repeat transactions",
            [Line(Actual, tracking.ActualCumulative), Line(ModelName(model), tracking.ModelCumulative)],
            markers: [tracking.CalibrationMarker]);
    }

    /// <summary>
    /// Repeat transactions per period over calibration and holdout, actual against the model: the differences of
    /// <see cref="CumulativeTracking"/>. Use it to see seasonality and shocks the model (which has none) cannot follow.
    /// </summary>
    /// <param name="summary">The summary the model was fitted to.</param>
    /// <param name="purchases">The purchase records the summary was built from.</param>
    /// <param name="model">The fitted model.</param>
    /// <returns>Lines over period numbers, as for <see cref="CumulativeTracking"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="summary"/> has no customers.</exception>
    public static Figure IncrementalTracking(CustomerBaseSummary summary, IEnumerable<PurchaseRecord> purchases, TransactionModel model)
    {
        var tracking = Tracking.Create(summary, purchases, model);
        return new Figure(
            "Tracking repeat transactions per period: actual vs " + ModelName(model),
            PeriodTitle(summary),
            "Repeat transactions",
            [Line(Actual, Differences(tracking.ActualCumulative)), Line(ModelName(model), Differences(tracking.ModelCumulative))],
            markers: [tracking.CalibrationMarker]);
    }

    /// <summary>
    /// Conditional expectations: the mean number of holdout transactions of the customers who made 0, 1, …, k − 1 and
    /// k or more repeat transactions in calibration, actual against the mean of the model's E[Y(t) | x, tₓ, T] with t the
    /// holdout length (Fader, Hardie &amp; Lee 2005, Figure 4). Use it to check the per-customer forecasts a ranking or
    /// a CLV rests on. Groups without customers have no point.
    /// </summary>
    /// <param name="summary">The summary the model was fitted to; it must have a holdout period.</param>
    /// <param name="model">The fitted model.</param>
    /// <param name="censorAt">k, the first frequency pooled into the last group ("k+"); 7 in the paper.</param>
    /// <returns>Lines over the calibration frequency groups: <see cref="Actual"/> and the model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="summary"/> or <paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="summary"/> has no holdout period.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="censorAt"/> is not between 1 and 100.</exception>
    public static Figure ConditionalExpectations(CustomerBaseSummary summary, TransactionModel model, int censorAt = 7)
    {
        Preconditions.NotNull(summary);
        Preconditions.NotNull(model);
        Preconditions.Check(summary.HoldoutEnd is not null, "The summary has no holdout period to compare with.", nameof(summary));
        CheckCensor(censorAt);
        var horizon = summary.HoldoutLength;
        var customers = new int[censorAt + 1];
        var actual = new double[censorAt + 1];
        var expected = new double[censorAt + 1];
        foreach (var customer in summary.Customers)
        {
            var group = Math.Min(customer.Frequency, censorAt);
            customers[group]++;
            actual[group] += customer.HoldoutTransactions;
            expected[group] += model.ExpectedTransactionsUnchecked(customer.Frequency, customer.Recency, customer.Age, horizon);
        }

        var present = Enumerable.Range(0, censorAt + 1).Where(g => customers[g] > 0).ToList();
        return new Figure(
            "Holdout transactions by calibration frequency: actual vs " + ModelName(model),
            "Repeat transactions in the calibration period",
            string.Create(CultureInfo.InvariantCulture, $"Mean transactions in the holdout ({horizon:0.##} {UnitName(summary)})"),
            [
                new FigureSeries(Actual, FigureSeriesKind.Line, present.Select(g => new FigurePoint(g, actual[g] / customers[g]))),
                new FigureSeries(ModelName(model), FigureSeriesKind.Line, present.Select(g => new FigurePoint(g, expected[g] / customers[g]))),
            ],
            Categories(censorAt));
    }

    /// <summary>
    /// The distribution of the number of repeat transactions in the first t time units after acquisition: the share
    /// of customers who made 0, 1, …, k − 1 and k or more, actual (counted from each customer's first purchase over the
    /// same t, so customers of different ages are compared alike) against the model's P(X(t) = n). Use it to check the
    /// model's unconditional forecast for a new cohort over a horizon longer than calibration.
    /// </summary>
    /// <param name="summary">The summary the model was fitted to.</param>
    /// <param name="purchases">The purchase records the summary was built from.</param>
    /// <param name="model">The fitted model.</param>
    /// <param name="t">
    /// The horizon after each customer's first purchase; by default (null) the longest over which every customer was
    /// observed, up to the holdout end (or the calibration end without one).
    /// </param>
    /// <param name="censorAt">k, the first count pooled into the last bar ("k+"); 8 shows n = 0 … 7 one by one.</param>
    /// <returns>Bars per count: <see cref="Actual"/> and the model (each sums to 1).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="summary"/> has no customers.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="t"/> is not positive, or longer than every customer was observed; <paramref name="censorAt"/> is not between 1 and 100.
    /// </exception>
    public static Figure TransactionCountDistribution(CustomerBaseSummary summary, IEnumerable<PurchaseRecord> purchases, TransactionModel model, double? t = null, int censorAt = 8)
    {
        Preconditions.NotNull(summary);
        Preconditions.NotNull(purchases);
        Preconditions.NotNull(model);
        CheckCensor(censorAt);
        Preconditions.Check(summary.Count > 0, "The summary has no customers.", nameof(summary));
        var unitDays = (int)summary.TimeUnit;
        var lastDay = DayOf(summary.HoldoutEnd ?? summary.CalibrationEnd);
        var latestFirst = summary.Customers.ToArray().Max(c => DayOf(c.FirstPurchase));
        var longest = (lastDay - latestFirst) / (double)unitDays;
        var horizon = t ?? longest;
        if (!(horizon > 0d) || horizon > longest)
        {
            throw new ArgumentOutOfRangeException(nameof(t), horizon, string.Create(CultureInfo.InvariantCulture, $"The horizon must be positive and at most {longest:0.###} {UnitName(summary)}, the longest over which every customer was observed."));
        }

        var repeats = RepeatDays.Of(summary, purchases, lastDay);
        var actual = new double[censorAt + 1];
        for (var i = 0; i < summary.Count; i++)
        {
            var first = DayOf(summary.Customers[i].FirstPurchase);
            // Days are whole: a horizon of 456/7 weeks is 456 days, whatever the rounding of 456/7 × 7.
            var count = repeats.CountUpTo(i, first + (horizon * unitDays) + 1e-9);
            actual[Math.Min(count, censorAt)] += 1d / summary.Count;
        }

        var expected = new double[censorAt + 1];
        var below = 0d;
        for (var n = 0; n < censorAt; n++)
        {
            expected[n] = model.ProbabilityOfTransactions(n, horizon);
            below += expected[n];
        }

        expected[censorAt] = Math.Max(0d, 1d - below);
        return new Figure(
            string.Create(CultureInfo.InvariantCulture, $"Repeat transactions in the first {horizon:0.##} {UnitName(summary)}: actual vs {ModelName(model)}"),
            string.Create(CultureInfo.InvariantCulture, $"Repeat transactions n in the first {horizon:0.##} {UnitName(summary)} after the first purchase"),
            "Share of customers, P(X(t) = n)",
            [Bars(Actual, actual), Bars(ModelName(model), expected)],
            Categories(censorAt));
    }

    /// <summary>
    /// The distribution of P(alive) at the calibration end across customers: how many fall in [0, 0.1), [0.1, 0.2), …,
    /// [0.9, 1]. Use it to see how much of the base the model believes has silently left, and how sure it is (mass near
    /// 0 and 1) — the audience of a win-back campaign.
    /// </summary>
    /// <param name="summary">The summary the model was fitted to.</param>
    /// <param name="model">The fitted model.</param>
    /// <param name="bins">The number of equal-width bins between 0 and 1; 10 by default.</param>
    /// <returns>One bar series (the model's), counts of customers per bin; they sum to the number of customers.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="summary"/> or <paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bins"/> is not between 1 and 100.</exception>
    public static Figure ProbabilityAliveDistribution(CustomerBaseSummary summary, TransactionModel model, int bins = 10)
    {
        Preconditions.NotNull(summary);
        Preconditions.NotNull(model);
        if (bins is < 1 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(bins), bins, "The number of bins is between 1 and 100.");
        }

        var counts = new double[bins];
        foreach (var customer in summary.Customers)
        {
            var alive = model.ProbabilityAliveUnchecked(customer.Frequency, customer.Recency, customer.Age);
            counts[AliveBin(alive, bins)]++;
        }

        var labels = Enumerable.Range(0, bins).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i / (double)bins:0.##}–{(i + 1) / (double)bins:0.##}"));
        return new Figure(
            "P(alive) at the calibration end: " + ModelName(model),
            "P(alive)",
            "Customers",
            [Bars(ModelName(model), counts)],
            labels);
    }

    /// <summary>The bin of a probability: ⌊p × bins⌋, with 1 in the last bin.</summary>
    internal static int AliveBin(double probability, int bins) => Math.Clamp((int)Math.Floor(probability * bins), 0, bins - 1);

    /// <summary>The model's name as the figures show it.</summary>
    internal static string ModelName(TransactionModel model) => model switch
    {
        BgNbdModel => "BG/NBD",
        ParetoNbdModel => "Pareto/NBD",
        _ => "Model",
    };

    private static void CheckCensor(int censorAt, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(censorAt))] string? parameterName = null)
    {
        if (censorAt is < 1 or > 100)
        {
            throw new ArgumentOutOfRangeException(parameterName, censorAt, "The censoring point is between 1 and 100.");
        }
    }

    private static IEnumerable<string> Categories(int censorAt)
        => Enumerable.Range(0, censorAt).Select(x => x.ToString(CultureInfo.InvariantCulture)).Append(censorAt.ToString(CultureInfo.InvariantCulture) + "+");

    private static FigureSeries Bars(string name, double[] values)
        => new(name, FigureSeriesKind.Bars, values.Select((v, i) => new FigurePoint(i, v)));

    private static FigureSeries Line(string name, double[] cumulative)
        => new(name, FigureSeriesKind.Line, cumulative.Select((v, i) => new FigurePoint(i + 1, v)));

    private static double[] Differences(double[] cumulative)
    {
        var differences = new double[cumulative.Length];
        for (var k = 0; k < cumulative.Length; k++)
        {
            differences[k] = cumulative[k] - (k == 0 ? 0d : cumulative[k - 1]);
        }

        return differences;
    }

    private static string UnitName(CustomerBaseSummary summary) => summary.TimeUnit == SummaryTimeUnit.Weeks ? "weeks" : "days";

    private static string PeriodTitle(CustomerBaseSummary summary) => summary.TimeUnit == SummaryTimeUnit.Weeks ? "Week" : "Day";

    private static int DayOf(NodaTime.LocalDate date) => date.ToDateOnly().DayNumber;

    /// <summary>The actual and expected cumulative repeat transactions per period.</summary>
    private sealed class Tracking
    {
        private Tracking(double[] actual, double[] model, FigureMarker marker)
        {
            ActualCumulative = actual;
            ModelCumulative = model;
            CalibrationMarker = marker;
        }

        public double[] ActualCumulative { get; }

        public double[] ModelCumulative { get; }

        public FigureMarker CalibrationMarker { get; }

        public static Tracking Create(CustomerBaseSummary summary, IEnumerable<PurchaseRecord> purchases, TransactionModel model)
        {
            Preconditions.NotNull(summary);
            Preconditions.NotNull(purchases);
            Preconditions.NotNull(model);
            Preconditions.Check(summary.Count > 0, "The summary has no customers.", nameof(summary));
            var unitDays = (int)summary.TimeUnit;
            var calibrationEnd = DayOf(summary.CalibrationEnd);
            var lastDay = DayOf(summary.HoldoutEnd ?? summary.CalibrationEnd);
            var firstDays = summary.Customers.ToArray().Select(c => DayOf(c.FirstPurchase)).ToArray();
            var start = firstDays.Min();
            var periods = ((lastDay - start) / unitDays) + 1;
            var repeats = RepeatDays.Of(summary, purchases, lastDay);

            // Period k (1-based) covers days [start + (k−1)u, start + ku − 1], the last one cut at the last day.
            var perPeriod = new double[periods];
            foreach (var day in repeats.AllDays)
            {
                perPeriod[(day - start) / unitDays]++;
            }

            var actual = new double[periods];
            var expected = new double[periods];
            var cohorts = firstDays.GroupBy(d => d).Select(g => (Day: g.Key, Count: g.Count())).ToArray();
            var running = 0d;
            for (var k = 0; k < periods; k++)
            {
                running += perPeriod[k];
                actual[k] = running;
                var end = Math.Min(start + ((k + 1) * unitDays) - 1, lastDay);
                var sum = 0d;
                foreach (var (day, count) in cohorts)
                {
                    if (day < end)
                    {
                        sum += count * model.ExpectedTransactions((end - day) / (double)unitDays);
                    }
                }

                expected[k] = sum;
            }

            // The calibration end, in periods since the start (39 for CDNOW's calibration, 39 weeks to the day).
            var calibrationPeriod = (calibrationEnd - start + 1) / (double)unitDays;
            return new Tracking(actual, expected, new FigureMarker(calibrationPeriod, "end of calibration"));
        }
    }

    /// <summary>Each summary customer's distinct repeat-purchase days (after the first purchase date, up to a last day), in the summary's zone.</summary>
    private sealed class RepeatDays
    {
        private readonly int[] _start;
        private readonly int[] _days;

        private RepeatDays(int[] start, int[] days)
        {
            _start = start;
            _days = days;
        }

        public ReadOnlySpan<int> AllDays => _days;

        public static RepeatDays Of(CustomerBaseSummary summary, IEnumerable<PurchaseRecord> purchases, int lastDay)
        {
            var index = new Dictionary<CustomerId, int>(summary.Count);
            for (var i = 0; i < summary.Count; i++)
            {
                index[summary.Customers[i].CustomerId] = i;
            }

            var pairs = new List<(int Customer, int Day)>();
            foreach (var purchase in purchases)
            {
                if (!index.TryGetValue(purchase.CustomerId, out var customer))
                {
                    continue;
                }

                var day = purchase.OccurredAt.InZone(summary.Zone).Date.ToDateOnly().DayNumber;
                if (day > DayOf(summary.Customers[customer].FirstPurchase) && day <= lastDay)
                {
                    pairs.Add((customer, day));
                }
            }

            pairs.Sort();
            var start = new int[summary.Count + 1];
            var days = new List<int>(pairs.Count);
            var p = 0;
            for (var c = 0; c < summary.Count; c++)
            {
                start[c] = days.Count;
                while (p < pairs.Count && pairs[p].Customer == c)
                {
                    if (days.Count == start[c] || days[^1] != pairs[p].Day)
                    {
                        days.Add(pairs[p].Day);
                    }

                    p++;
                }
            }

            start[summary.Count] = days.Count;
            return new RepeatDays(start, [.. days]);
        }

        /// <summary>The number of the customer's repeat days on or before <paramref name="lastDay"/> (a fractional day counts the days up to it).</summary>
        public int CountUpTo(int customer, double lastDay)
        {
            var count = 0;
            for (var k = _start[customer]; k < _start[customer + 1] && _days[k] <= lastDay; k++)
            {
                count++;
            }

            return count;
        }
    }
}

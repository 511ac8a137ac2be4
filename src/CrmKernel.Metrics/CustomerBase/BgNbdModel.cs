using System.Globalization;
using System.Runtime.Intrinsics;
using CrmKernel.Diagnostics;
using Microsoft.Extensions.Logging;

namespace CrmKernel.Metrics.CustomerBase;

/// <summary>
/// The BG/NBD model of repeat buying (Fader, Hardie &amp; Lee 2005, "Counting Your Customers the Easy Way",
/// <i>Marketing Science</i> 24(2)): while active, a customer buys at a Poisson rate λ; after each repeat purchase they
/// drop out with probability p; λ ~ Gamma(r, α) and p ~ Beta(a, b) across customers. Use it as the default transaction
/// model for non-contractual settings: it fits as well as Pareto/NBD on most data and is much cheaper to fit.
/// </summary>
/// <remarks>
/// Fit it with <see cref="Fit"/>, or build it from known parameters (a published fit, a stored one) with the
/// constructor. Rates are per time unit of the summary it was fitted to (λ has mean r/α).
/// </remarks>
public sealed class BgNbdModel : TransactionModel
{
    /// <summary>Creates the model from its parameters, e.g. ones stored from an earlier fit.</summary>
    /// <param name="r">Shape of the gamma distribution of purchase rates.</param>
    /// <param name="alpha">Scale (rate) of the gamma distribution of purchase rates, in the model's time unit.</param>
    /// <param name="a">First shape of the beta distribution of dropout probabilities.</param>
    /// <param name="b">Second shape of the beta distribution of dropout probabilities.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is not a finite number greater than zero.</exception>
    public BgNbdModel(double r, double alpha, double a, double b)
    {
        R = Preconditions.Positive(r);
        Alpha = Preconditions.Positive(alpha);
        A = Preconditions.Positive(a);
        B = Preconditions.Positive(b);
    }

    /// <summary>r: shape of the gamma distribution of purchase rates λ.</summary>
    public double R { get; }

    /// <summary>α: rate of the gamma distribution of purchase rates (mean λ is r/α per time unit).</summary>
    public double Alpha { get; }

    /// <summary>a: first shape of the beta distribution of dropout probabilities p (mean p is a/(a + b)).</summary>
    public double A { get; }

    /// <summary>b: second shape of the beta distribution of dropout probabilities.</summary>
    public double B { get; }

    /// <summary>
    /// Fits the model to a summary by maximum likelihood (Nelder–Mead on the log-parameters with a Newton polish;
    /// see docs/customer-base-analysis.md). Customers with identical (x, tₓ, T) share one likelihood term, so the cost
    /// grows with the number of distinct histories, not customers.
    /// </summary>
    /// <param name="summary">The calibration summary.</param>
    /// <param name="logger">Where a fit that did not converge is logged (event 2001, with the model and iteration count); none when null.</param>
    /// <returns>The fitted model, its log-likelihood, standard errors and how the fit went.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="summary"/> is null.</exception>
    /// <exception cref="ModelDataException"><paramref name="summary"/> has no customers (<c>CRM-MODEL-001</c>). A summary without
    /// repeat buyers is fitted, but the fit is not <see cref="ModelFit{TModel}.Converged"/> (<see cref="FitIssues.NoRepeatTransactions"/>).</exception>
    public static ModelFit<BgNbdModel> Fit(CustomerBaseSummary summary, ILogger? logger = null)
    {
        Preconditions.NotNull(summary);
        if (summary.Count == 0)
        {
            throw new ModelDataException(CrmErrorCodes.ModelWithoutCustomers, "The BG/NBD model cannot be fitted to a summary without customers.");
        }

        using var activity = MetricsTelemetry.StartFit("BG/NBD", summary.Count);
        return MetricsTelemetry.Fitted(activity, logger, "BG/NBD", FitGroups(HistoryGroups.From(summary)));
    }

    /// <summary>Fits the model to grouped histories (from a summary, or from published (x, tₓ, T) rows in tests).</summary>
    internal static ModelFit<BgNbdModel> FitGroups(HistoryGroups groups)
    {
        var likelihood = new Likelihood(groups);

        // Start with r = a = b = 1 and α matching the observed repeat rate (r/α = Σx / ΣT).
        Span<double> start = [0d, Math.Log(groups.RepeatRateInverse()), 0d, 0d];
        var result = LogLikelihoodSearch.Minimise(likelihood, start);
        var p = result.Point;
        var model = new BgNbdModel(Math.Exp(p[0]), Math.Exp(p[1]), Math.Exp(p[2]), Math.Exp(p[3]));
        var issues = groups.Transactions == 0 ? FitIssues.NoRepeatTransactions : FitIssues.None;
        return FitDiagnostics.Assess(model, likelihood, result, [nameof(R), nameof(Alpha), nameof(A), nameof(B)], issues, groups.Customers, groups.Count);
    }

    /// <summary>The parameters, e.g. <c>BG/NBD(r=0.2426, α=4.4136, a=0.7929, b=2.4259)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"BG/NBD(r={R:G6}, α={Alpha:G6}, a={A:G6}, b={B:G6})");

    internal override double LogLikelihood(CustomerBaseSummary summary)
        => new Likelihood(HistoryGroups.From(summary)).LogLikelihood(R, Alpha, A, B);

    private protected override double PopulationExpectedTransactions(double t)
        => ConditionalExpectedTransactions(0, 0d, 0d, t);

    private protected override double ConditionalExpectedTransactions(int frequency, double recency, double age, double t)
    {
        // FHL (2005) eq. 10, with the ₂F₁ rewritten by Euler's transformation so that its series has shrinking terms
        // and no pole at a = 1 or a + b = 1:
        //   ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; c; z) = (1 − z)^(a−1) ₂F₁(a+b−1−r, a−1; c; z),  c = a+b+x−1,
        // and, with ₂F₁(A, a−1; c; z) = 1 + (a − 1) H / c, the bracket over (a − 1) becomes
        //   c (1 − (1−z)^(a−1)) / (a−1) − (1−z)^(a−1) H,   H = Σₙ≥₁ (A)ₙ (a)ₙ₋₁ / ((c+1)ₙ₋₁ n!) zⁿ.
        var c = A + B + frequency - 1d;
        var logOneMinusZ = -SpecialFunctions.Log1P(t / (Alpha + age));
        var z = t / (Alpha + age + t);
        var shape = A + B - 1d - R;
        var aMinusOne = A - 1d;
        var bracket = aMinusOne == 0d ? -logOneMinusZ : -SpecialFunctions.ExpM1(aMinusOne * logOneMinusZ) / aMinusOne;
        var h = SpecialFunctions.Hypergeometric2F1Tail(shape * z, shape, aMinusOne, c, z);
        var numerator = (c * bracket) - (Math.Exp(aMinusOne * logOneMinusZ) * h);
        return numerator / AliveDenominator(frequency, recency, age);
    }

    private protected override double AliveProbability(int frequency, double recency, double age)
        => 1d / AliveDenominator(frequency, recency, age);

    private protected override double TransactionCountProbability(int count, double t)
        => TransactionCounts.BgNbd(R, Alpha, A, B, count, t);

    /// <summary>1 + δ(x &gt; 0) a/(b + x − 1) ((α + T)/(α + tₓ))^(r + x): the inverse of P(alive).</summary>
    private double AliveDenominator(int frequency, double recency, double age)
        => frequency == 0
            ? 1d
            : 1d + (A / (B + frequency - 1d) * Math.Exp((R + frequency) * SpecialFunctions.Log1P((age - recency) / (Alpha + recency))));

    /// <summary>
    /// The BG/NBD log-likelihood over grouped histories (FHL 2005 eq. 6), with the logs of α + τ tabulated per day
    /// and the gamma and beta ratios per x, so that each distinct history costs one exp and one log — four histories at
    /// a time where the hardware has 256-bit vectors (a million-customer base has about 100,000 histories).
    /// </summary>
    internal sealed class Likelihood : IObjective
    {
        private readonly HistoryGroups _groups;
        private readonly double[] _logAlphaPlus;
        private readonly double[] _constant;
        private readonly double[] _logOdds;

        public Likelihood(HistoryGroups groups)
        {
            _groups = groups;
            _logAlphaPlus = new double[groups.MaxDays + 1];
            _constant = new double[groups.MaxFrequency + 1];
            _logOdds = new double[groups.MaxFrequency + 1];
        }

        public double Evaluate(ReadOnlySpan<double> point)
            => -LogLikelihood(Math.Exp(point[0]), Math.Exp(point[1]), Math.Exp(point[2]), Math.Exp(point[3]));

        /// <summary>The log-likelihood; <paramref name="vectorised"/> forces one summation path (for tests).</summary>
        public double LogLikelihood(double r, double alpha, double a, double b, bool? vectorised = null)
        {
            var inverseUnit = 1d / _groups.UnitDays;
            var logAlphaPlus = _logAlphaPlus;
            for (var d = 0; d < logAlphaPlus.Length; d++)
            {
                logAlphaPlus[d] = Math.Log(alpha + (d * inverseUnit));
            }

            // ln[Γ(r+x)/Γ(r)] + ln[B(a, b+x)/B(a, b)] = Σₖ<ₓ ln(r+k) + ln(b+k) − ln(a+b+k), and ln(a/(b+x−1)).
            var constant = _constant;
            var logOdds = _logOdds;
            var logA = Math.Log(a);
            var sum = 0d;
            for (var x = 1; x < constant.Length; x++)
            {
                var k = x - 1;
                sum += Math.Log(r + k) + Math.Log(b + k) - Math.Log(a + b + k);
                constant[x] = sum;
                logOdds[x] = logA - Math.Log(b + k);
            }

            // x = 0 has no "dropped at tₓ" term: ln(a/(b−1)) = −∞ removes it from the log-sum-exp without a branch.
            logOdds[0] = double.NegativeInfinity;
            var rLogAlpha = r * Math.Log(alpha);
            return vectorised ?? Vector256.IsHardwareAccelerated
                ? VectorSum(r, rLogAlpha)
                : ScalarSum(r, rLogAlpha, 0, 0d);
        }

        /// <summary>Σ weight × term over groups from <paramref name="start"/>, one group at a time.</summary>
        private double ScalarSum(double r, double rLogAlpha, int start, double total)
        {
            var (logAlphaPlus, constant, logOdds) = (_logAlphaPlus, _constant, _logOdds);
            var frequency = _groups.Frequency;
            var recencyDays = _groups.RecencyDays;
            var ageDays = _groups.AgeDays;
            var weight = _groups.Weight;
            for (var i = start; i < frequency.Length; i++)
            {
                var x = frequency[i];
                var rx = r + x;
                var alive = -rx * logAlphaPlus[ageDays[i]];
                var dropped = logOdds[x] - (rx * logAlphaPlus[recencyDays[i]]);
                total += weight[i] * (constant[x] + rLogAlpha + LogSumExp(alive, dropped));
            }

            return total;
        }

        /// <summary>The same sum four groups at a time, with vectorised exp and log; the remainder goes to <see cref="ScalarSum"/>.</summary>
        private double VectorSum(double r, double rLogAlpha)
        {
            var (logAlphaPlus, constant, logOdds) = (_logAlphaPlus, _constant, _logOdds);
            var frequency = _groups.Frequency;
            var recencyDays = _groups.RecencyDays;
            var ageDays = _groups.AgeDays;
            var weight = _groups.Weight;
            var one = Vector256.Create(1d);
            var shared = Vector256.Create(rLogAlpha);
            var rs = Vector256.Create(r);
            var total = Vector256<double>.Zero;
            var i = 0;
            for (; i <= frequency.Length - 4; i += 4)
            {
                int x0 = frequency[i], x1 = frequency[i + 1], x2 = frequency[i + 2], x3 = frequency[i + 3];
                var rx = rs + Vector256.Create((double)x0, x1, x2, x3);
                var logAge = Vector256.Create(logAlphaPlus[ageDays[i]], logAlphaPlus[ageDays[i + 1]], logAlphaPlus[ageDays[i + 2]], logAlphaPlus[ageDays[i + 3]]);
                var logRecency = Vector256.Create(logAlphaPlus[recencyDays[i]], logAlphaPlus[recencyDays[i + 1]], logAlphaPlus[recencyDays[i + 2]], logAlphaPlus[recencyDays[i + 3]]);
                var alive = -rx * logAge;
                var dropped = Vector256.Create(logOdds[x0], logOdds[x1], logOdds[x2], logOdds[x3]) - (rx * logRecency);
                var larger = Vector256.Max(alive, dropped);
                var gap = -Vector256.Abs(alive - dropped);
                var term = Vector256.Create(constant[x0], constant[x1], constant[x2], constant[x3]) + shared + larger + Vector256.Log(one + Vector256.Exp(gap));
                total += Vector256.LoadUnsafe(ref weight[i]) * term;
            }

            return ScalarSum(r, rLogAlpha, i, Vector256.Sum(total));
        }

        /// <summary>ln(eᵘ + eᵛ). ln(1 + y) for y ≤ 1 is computed plainly: its absolute error, all a sum of logs cares about, is below 2⁻⁵³.</summary>
        private static double LogSumExp(double u, double v)
            => u > v ? u + Math.Log(1d + Math.Exp(v - u)) : v + Math.Log(1d + Math.Exp(u - v));
    }
}

using System.Globalization;
using CrmKernel.Diagnostics;
using Microsoft.Extensions.Logging;

namespace CrmKernel.Metrics.CustomerBase;

/// <summary>
/// The Pareto/NBD model of repeat buying (Schmittlein, Morrison &amp; Colombo 1987, <i>Management Science</i> 33(1)):
/// while active, a customer buys at a Poisson rate λ; their unobserved lifetime is exponential with rate μ; across
/// customers λ ~ Gamma(r, α) and μ ~ Gamma(s, β). Use it where dropout can happen at any time rather than only just
/// after a purchase, or to check a BG/NBD fit against the model it approximates.
/// </summary>
/// <remarks>
/// The likelihood is the one of Fader, Hardie &amp; Lee (2005), "A Note on Deriving the Pareto/NBD Model and Related
/// Expressions", with its Gauss hypergeometric terms evaluated after Euler's transformation (positive, shrinking
/// series terms for every parameter value) and combined in log space. Rates are per time unit of the summary.
/// </remarks>
public sealed class ParetoNbdModel : TransactionModel
{
    /// <summary>Creates the model from its parameters, e.g. ones stored from an earlier fit.</summary>
    /// <param name="r">Shape of the gamma distribution of purchase rates.</param>
    /// <param name="alpha">Rate of the gamma distribution of purchase rates, in the model's time unit.</param>
    /// <param name="s">Shape of the gamma distribution of dropout rates.</param>
    /// <param name="beta">Rate of the gamma distribution of dropout rates, in the model's time unit.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is not a finite number greater than zero.</exception>
    public ParetoNbdModel(double r, double alpha, double s, double beta)
    {
        R = Preconditions.Positive(r);
        Alpha = Preconditions.Positive(alpha);
        S = Preconditions.Positive(s);
        Beta = Preconditions.Positive(beta);
    }

    /// <summary>r: shape of the gamma distribution of purchase rates λ.</summary>
    public double R { get; }

    /// <summary>α: rate of the gamma distribution of purchase rates (mean λ is r/α per time unit).</summary>
    public double Alpha { get; }

    /// <summary>s: shape of the gamma distribution of dropout rates μ.</summary>
    public double S { get; }

    /// <summary>β: rate of the gamma distribution of dropout rates (mean μ is s/β per time unit).</summary>
    public double Beta { get; }

    /// <summary>
    /// Fits the model to a summary by maximum likelihood (Nelder–Mead on the log-parameters with a Newton polish;
    /// see docs/customer-base-analysis.md). Customers with identical (x, tₓ, T) share one likelihood term.
    /// </summary>
    /// <param name="summary">The calibration summary.</param>
    /// <param name="logger">Where a fit that did not converge is logged (event 2001, with the model and iteration count); none when null.</param>
    /// <returns>The fitted model, its log-likelihood, standard errors and how the fit went.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="summary"/> is null.</exception>
    /// <exception cref="ModelDataException"><paramref name="summary"/> has no customers (<c>CRM-MODEL-001</c>). A summary without
    /// repeat buyers is fitted, but the fit is not <see cref="ModelFit{TModel}.Converged"/> (<see cref="FitIssues.NoRepeatTransactions"/>).</exception>
    public static ModelFit<ParetoNbdModel> Fit(CustomerBaseSummary summary, ILogger? logger = null)
    {
        Preconditions.NotNull(summary);
        if (summary.Count == 0)
        {
            throw new ModelDataException(CrmErrorCodes.ModelWithoutCustomers, "The Pareto/NBD model cannot be fitted to a summary without customers.");
        }

        using var activity = MetricsTelemetry.StartFit("Pareto/NBD", summary.Count);
        var groups = HistoryGroups.From(summary);
        var likelihood = new Likelihood(groups);

        // Start with r = s = 1, α matching the observed repeat rate and β = α.
        var logAlpha = Math.Log(groups.RepeatRateInverse());
        Span<double> start = [0d, logAlpha, 0d, logAlpha];
        var result = LogLikelihoodSearch.Minimise(likelihood, start);
        var p = result.Point;
        var model = new ParetoNbdModel(Math.Exp(p[0]), Math.Exp(p[1]), Math.Exp(p[2]), Math.Exp(p[3]));
        var issues = groups.Transactions == 0 ? FitIssues.NoRepeatTransactions : FitIssues.None;
        var fit = FitDiagnostics.Assess(model, likelihood, result, [nameof(R), nameof(Alpha), nameof(S), nameof(Beta)], issues, groups.Customers, groups.Count);
        return MetricsTelemetry.Fitted(activity, logger, "Pareto/NBD", fit);
    }

    /// <summary>The parameters, e.g. <c>Pareto/NBD(r=0.5533, α=10.5776, s=0.6061, β=11.6650)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"Pareto/NBD(r={R:G6}, α={Alpha:G6}, s={S:G6}, β={Beta:G6})");

    internal override double LogLikelihood(CustomerBaseSummary summary)
        => new Likelihood(HistoryGroups.From(summary)).LogLikelihood(R, Alpha, S, Beta);

    private protected override double PopulationExpectedTransactions(double t)
        => R / Alpha * Beta * PowerDifference(S - 1d, SpecialFunctions.Log1P(t / Beta));

    private protected override double ConditionalExpectedTransactions(int frequency, double recency, double age, double t)
    {
        // FHL (2005) note, eq. 24: (r+x)(β+T) / ((α+T)(s−1)) [1 − ((β+T)/(β+T+t))^(s−1)] P(alive).
        var alive = AliveProbability(frequency, recency, age);
        return (R + frequency) / (Alpha + age) * (Beta + age) * PowerDifference(S - 1d, SpecialFunctions.Log1P(t / (Beta + age))) * alive;
    }

    private protected override double AliveProbability(int frequency, double recency, double age)
    {
        var hRecency = Hypergeometric(R, Alpha, S, Beta, frequency, recency);
        var hAge = recency == age ? hRecency : Hypergeometric(R, Alpha, S, Beta, frequency, age);
        var logBracket = LogBracket(R, S, frequency, Math.Log(Alpha + recency), Math.Log(Alpha + age), Math.Log(Beta + recency), Math.Log(Beta + age), hRecency, hAge, out var logAliveTerm);
        return Math.Exp(logAliveTerm - logBracket);
    }

    private protected override double TransactionCountProbability(int count, double t)
        => TransactionCounts.ParetoNbd(R, Alpha, S, Beta, count, t);

    /// <summary>(1 − e^(−εL)) / ε, and its limit L at ε = 0, without cancellation.</summary>
    private static double PowerDifference(double epsilon, double log)
        => epsilon == 0d ? log : -SpecialFunctions.ExpM1(-epsilon * log) / epsilon;

    /// <summary>
    /// H(τ), the hypergeometric factor of the FHL likelihood's F(τ) after Euler's transformation:
    /// ₂F₁(1, r+x; r+s+x+1; (α−β)/(α+τ)) for α ≥ β, and (α+τ)/(β+τ) ₂F₁(1, s+1; r+s+x+1; (β−α)/(β+τ)) for α &lt; β.
    /// Both series have positive terms whose ratio stays below z &lt; 1. It depends on x and τ only, so a fit computes
    /// it once per distinct (x, day) rather than twice per history.
    /// </summary>
    internal static double Hypergeometric(double r, double alpha, double s, double beta, int x, double tau, double tolerance = FullPrecision)
        => alpha >= beta
            ? SpecialFunctions.Hypergeometric2F1UnitA(r + x, r + s + x + 1d, (alpha - beta) / (alpha + tau), tolerance)
            : (alpha + tau) / (beta + tau) * SpecialFunctions.Hypergeometric2F1UnitA(s + 1d, r + s + x + 1d, (beta - alpha) / (beta + tau), tolerance);

    /// <summary>₂F₁ to double precision (the default), or to 10⁻¹⁰ for the optimiser's coarse simplex, which needs about half the terms.</summary>
    private const double FullPrecision = 1.1102230246251565e-16, CoarsePrecision = 1e-10;

    /// <summary>
    /// The log of the braces of the FHL likelihood, ln{ (α+T)^−(r+x) (β+T)^−s + s/(r+s+x) A₀ }, and (out) the log of its
    /// first term (the "still alive at T" part), from the logs of α + tₓ, α + T, β + tₓ, β + T and H(tₓ), H(T).
    /// </summary>
    /// <remarks>
    /// With Euler's transformation the two terms of A₀ = F(tₓ) − F(T) become F(τ) = (α+τ)^−(r+x) (β+τ)^−s H(τ) (see
    /// <see cref="Hypergeometric"/>). Factoring out the largest power, (α+tₓ)^−(r+x) (β+tₓ)^−s, leaves
    /// e^(P_T − P_tx) (1 − c H(T)) + c H(tₓ) with c = s/(r+s+x), which equals 1 when tₓ = T and loses no precision when
    /// tₓ is close to T.
    /// </remarks>
    internal static double LogBracket(
        double r, double s, int x,
        double logAlphaRecency, double logAlphaAge, double logBetaRecency, double logBetaAge,
        double hRecency, double hAge, out double logAliveTerm)
    {
        var rx = r + x;
        var logRecencyTerm = (-rx * logAlphaRecency) - (s * logBetaRecency);
        logAliveTerm = (-rx * logAlphaAge) - (s * logBetaAge);
        var weight = s / (r + s + x);
        var inner = (Math.Exp(logAliveTerm - logRecencyTerm) * (1d - (weight * hAge))) + (weight * hRecency);
        return logRecencyTerm + Math.Log(inner);
    }

    /// <summary>
    /// The Pareto/NBD log-likelihood over grouped histories, with the logs of α + τ and β + τ tabulated per day and H
    /// computed once per distinct (x, day) of the groups' tₓ and T.
    /// </summary>
    internal sealed class Likelihood : IObjective
    {
        private readonly HistoryGroups _groups;
        private readonly double[] _logAlphaPlus;
        private readonly double[] _logBetaPlus;
        private readonly double[] _logGammaRatio;
        private readonly int[] _pairFrequency;
        private readonly int[] _pairDays;
        private readonly double[] _hypergeometric;
        private readonly int[] _recencyPair;
        private readonly int[] _agePair;

        public Likelihood(HistoryGroups groups)
        {
            _groups = groups;
            _logAlphaPlus = new double[groups.MaxDays + 1];
            _logBetaPlus = new double[groups.MaxDays + 1];
            _logGammaRatio = new double[groups.MaxFrequency + 1];
            _recencyPair = new int[groups.Count];
            _agePair = new int[groups.Count];

            var pairs = new Dictionary<long, int>();
            var pairFrequency = new List<int>();
            var pairDays = new List<int>();
            int Pair(int x, int days)
            {
                var key = ((long)x << 32) | (uint)days;
                if (!pairs.TryGetValue(key, out var index))
                {
                    index = pairFrequency.Count;
                    pairs.Add(key, index);
                    pairFrequency.Add(x);
                    pairDays.Add(days);
                }

                return index;
            }

            for (var i = 0; i < groups.Count; i++)
            {
                _recencyPair[i] = Pair(groups.Frequency[i], groups.RecencyDays[i]);
                _agePair[i] = Pair(groups.Frequency[i], groups.AgeDays[i]);
            }

            _pairFrequency = [.. pairFrequency];
            _pairDays = [.. pairDays];
            _hypergeometric = new double[_pairFrequency.Length];
        }

        public double Evaluate(ReadOnlySpan<double> point)
            => -LogLikelihood(Math.Exp(point[0]), Math.Exp(point[1]), Math.Exp(point[2]), Math.Exp(point[3]));

        public double EvaluateCoarsely(ReadOnlySpan<double> point)
            => -LogLikelihood(Math.Exp(point[0]), Math.Exp(point[1]), Math.Exp(point[2]), Math.Exp(point[3]), CoarsePrecision);

        public double LogLikelihood(double r, double alpha, double s, double beta, double precision = FullPrecision)
        {
            var inverseUnit = 1d / _groups.UnitDays;
            for (var d = 0; d < _logAlphaPlus.Length; d++)
            {
                var tau = d * inverseUnit;
                _logAlphaPlus[d] = Math.Log(alpha + tau);
                _logBetaPlus[d] = Math.Log(beta + tau);
            }

            for (var p = 0; p < _hypergeometric.Length; p++)
            {
                _hypergeometric[p] = Hypergeometric(r, alpha, s, beta, _pairFrequency[p], _pairDays[p] * inverseUnit, precision);
            }

            // ln Γ(r+x) − ln Γ(r) = Σₖ<ₓ ln(r+k).
            var sum = 0d;
            for (var x = 1; x < _logGammaRatio.Length; x++)
            {
                sum += Math.Log(r + x - 1d);
                _logGammaRatio[x] = sum;
            }

            var constant = (r * Math.Log(alpha)) + (s * Math.Log(beta));
            var frequency = _groups.Frequency;
            var recencyDays = _groups.RecencyDays;
            var ageDays = _groups.AgeDays;
            var weight = _groups.Weight;
            var total = 0d;
            for (var i = 0; i < frequency.Length; i++)
            {
                var x = frequency[i];
                int tx = recencyDays[i], age = ageDays[i];
                var logBracket = LogBracket(
                    r, s, x,
                    _logAlphaPlus[tx], _logAlphaPlus[age], _logBetaPlus[tx], _logBetaPlus[age],
                    _hypergeometric[_recencyPair[i]], _hypergeometric[_agePair[i]], out _);
                total += weight[i] * (_logGammaRatio[x] + constant + logBracket);
            }

            return total;
        }
    }
}

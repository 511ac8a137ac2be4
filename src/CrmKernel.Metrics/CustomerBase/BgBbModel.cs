using System.Globalization;
using CrmKernel.Diagnostics;
using Microsoft.Extensions.Logging;

namespace CrmKernel.Metrics.CustomerBase;

/// <summary>
/// The BG/BB model of repeat transactions at discrete opportunities (Fader, Hardie &amp; Shang 2010, "Customer-Base
/// Analysis in a Discrete-Time Noncontractual Setting", <i>Marketing Science</i> 29(6)): while alive, a customer
/// transacts at each opportunity with probability p; before each opportunity they become inactive for good with
/// probability θ; p ~ Beta(α, β) and θ ~ Beta(γ, δ) across customers. Use it instead of <see cref="BgNbdModel"/> where
/// transactions can only happen at set occasions (a yearly appeal, a weekly event) or are recorded only as "did or did
/// not at occasion k".
/// </summary>
/// <remarks>
/// Fit it with <see cref="Fit"/> from <see cref="OpportunityHistory"/> patterns (x, tₓ, n) and their counts, or build
/// it from known parameters. Every count of opportunities is a whole number of occasions after the acquiring one.
/// </remarks>
public sealed class BgBbModel
{
    /// <summary>Creates the model from its parameters, e.g. published or stored ones.</summary>
    /// <param name="alpha">α: first shape of the beta distribution of the transaction probability p.</param>
    /// <param name="beta">β: second shape of the beta distribution of p.</param>
    /// <param name="gamma">γ: first shape of the beta distribution of the dropout probability θ.</param>
    /// <param name="delta">δ: second shape of the beta distribution of θ.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is not a finite number greater than zero.</exception>
    public BgBbModel(double alpha, double beta, double gamma, double delta)
    {
        Alpha = Preconditions.Positive(alpha);
        Beta = Preconditions.Positive(beta);
        Gamma = Preconditions.Positive(gamma);
        Delta = Preconditions.Positive(delta);
    }

    /// <summary>α: first shape of the beta distribution of the transaction probability p (mean p is α/(α + β)).</summary>
    public double Alpha { get; }

    /// <summary>β: second shape of the beta distribution of p.</summary>
    public double Beta { get; }

    /// <summary>γ: first shape of the beta distribution of the dropout probability θ (mean θ is γ/(γ + δ)).</summary>
    public double Gamma { get; }

    /// <summary>δ: second shape of the beta distribution of θ.</summary>
    public double Delta { get; }

    /// <summary>
    /// Fits the model by maximum likelihood (FHS 2010 eq. 5) to repeat-transaction patterns; identical patterns are
    /// pooled, so a fit costs per distinct (x, tₓ, n), not per customer.
    /// </summary>
    /// <param name="histories">The patterns with their counts.</param>
    /// <param name="logger">Where a fit that did not converge is logged (event 2001); none when null.</param>
    /// <returns>The fitted model, its log-likelihood, standard errors and how the fit went.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="histories"/> is null.</exception>
    /// <exception cref="ModelDataException">The patterns hold no customers (<c>CRM-MODEL-001</c>). Patterns without any
    /// repeat transaction are fitted, but the fit is not <see cref="ModelFit{TModel}.Converged"/> (<see cref="FitIssues.NoRepeatTransactions"/>).</exception>
    public static ModelFit<BgBbModel> Fit(IEnumerable<OpportunityHistory> histories, ILogger? logger = null)
    {
        Preconditions.NotNull(histories);
        var groups = new Dictionary<(int X, int Tx, int N), long>();
        long customers = 0, transactions = 0;
        foreach (var history in histories)
        {
            if (history.Customers == 0)
            {
                continue;
            }

            var key = (history.Frequency, history.Recency, history.Opportunities);
            groups[key] = groups.GetValueOrDefault(key) + history.Customers;
            customers += history.Customers;
            transactions += (long)history.Frequency * history.Customers;
        }

        if (customers == 0)
        {
            throw new ModelDataException(CrmErrorCodes.ModelWithoutCustomers, "The BG/BB model cannot be fitted to histories without customers.");
        }

        using var activity = MetricsTelemetry.StartFit("BG/BB", (int)Math.Min(int.MaxValue, customers));
        var likelihood = new Likelihood([.. groups.Select(g => (g.Key.X, g.Key.Tx, g.Key.N, (double)g.Value))]);
        Span<double> start = [0d, 0d, 0d, 0d];
        var result = LogLikelihoodSearch.Minimise(likelihood, start);
        var p = result.Point;
        var model = new BgBbModel(Math.Exp(p[0]), Math.Exp(p[1]), Math.Exp(p[2]), Math.Exp(p[3]));
        var issues = transactions == 0 ? FitIssues.NoRepeatTransactions : FitIssues.None;
        var fit = FitDiagnostics.Assess(model, likelihood, result, [nameof(Alpha), nameof(Beta), nameof(Gamma), nameof(Delta)], issues, customers, groups.Count);
        return MetricsTelemetry.Fitted(activity, logger, "BG/BB", fit);
    }

    /// <summary>
    /// The probability that a customer with the pattern (x, tₓ, n) is still alive at the next opportunity, n + 1
    /// (FHS 2010 eq. 11): use it to find lapsed customers among the merely infrequent ones.
    /// </summary>
    /// <param name="frequency">x.</param>
    /// <param name="recency">tₓ; 0 when x is 0.</param>
    /// <param name="opportunities">n.</param>
    /// <returns>P(alive at n + 1 | x, tₓ, n), between 0 and 1.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The pattern cannot be (see <see cref="OpportunityHistory"/>).</exception>
    public double ProbabilityAlive(int frequency, int recency, int opportunities)
    {
        _ = new OpportunityHistory(frequency, recency, opportunities);
        var logAlive = LogBeta(Alpha + frequency, Beta + opportunities - frequency) - LogBeta(Alpha, Beta)
            + LogBeta(Gamma, Delta + opportunities + 1d) - LogBeta(Gamma, Delta);
        return Math.Min(1d, Math.Exp(logAlive - LogLikelihood(frequency, recency, opportunities)));
    }

    /// <summary>
    /// The expected number of transactions of a customer with the pattern (x, tₓ, n) at the next
    /// <paramref name="futureOpportunities"/> opportunities, E[X(n, n + n*) | x, tₓ, n] (FHS 2010 eq. 13, summed period
    /// by period, which is exact and has no special case at γ = 1): use it to rank customers by future transactions.
    /// </summary>
    /// <param name="frequency">x.</param>
    /// <param name="recency">tₓ; 0 when x is 0.</param>
    /// <param name="opportunities">n.</param>
    /// <param name="futureOpportunities">n*, zero or more.</param>
    /// <returns>The expected number, between 0 and n*.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The pattern cannot be, or <paramref name="futureOpportunities"/> is negative.</exception>
    public double ExpectedTransactions(int frequency, int recency, int opportunities, int futureOpportunities)
    {
        _ = new OpportunityHistory(frequency, recency, opportunities);
        Preconditions.NonNegative(futureOpportunities);

        // (1/L) B(α+x+1, β+n−x)/B(α, β) Σₖ₌₁..n* B(γ, δ+n+k)/B(γ, δ): a transaction at n + k needs p and survival to n + k.
        var logFactor = LogBeta(Alpha + frequency + 1d, Beta + opportunities - frequency) - LogBeta(Alpha, Beta)
            - LogLikelihood(frequency, recency, opportunities);
        return Math.Exp(logFactor) * SurvivalSum(opportunities, futureOpportunities);
    }

    /// <summary>
    /// The expected number of transactions of a new customer in the first <paramref name="opportunities"/>
    /// opportunities after acquisition, E[X(n)] = α/(α + β) Σₖ₌₁..n B(γ, δ + k)/B(γ, δ) (FHS 2010 eq. 8): the forecast
    /// for a new cohort, and the model's line in a tracking plot.
    /// </summary>
    /// <param name="opportunities">n, zero or more.</param>
    /// <returns>E[X(n)], non-decreasing in n, 0 at 0.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="opportunities"/> is negative.</exception>
    public double ExpectedTransactions(int opportunities)
    {
        Preconditions.NonNegative(opportunities);
        return Alpha / (Alpha + Beta) * SurvivalSum(0, opportunities);
    }

    /// <summary>The parameters, e.g. <c>BG/BB(α=1.204, β=0.75, γ=0.657, δ=2.783)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"BG/BB(α={Alpha:G6}, β={Beta:G6}, γ={Gamma:G6}, δ={Delta:G6})");

    /// <summary>The log-likelihood of patterns under this model.</summary>
    internal double LogLikelihood(IEnumerable<OpportunityHistory> histories)
        => new Likelihood([.. histories.Select(h => (h.Frequency, h.Recency, h.Opportunities, (double)h.Customers))]).LogLikelihood(Alpha, Beta, Gamma, Delta);

    /// <summary>ln L(α, β, γ, δ | x, tₓ, n) of one customer.</summary>
    private double LogLikelihood(int x, int tx, int n)
        => Likelihood.LogLikelihoodOf(x, tx, n, Alpha, Beta, Gamma, Delta, LogBeta(Alpha, Beta), LogBeta(Gamma, Delta));

    /// <summary>Σₖ₌₁..count B(γ, δ + from + k)/B(γ, δ), by the ratio of consecutive terms (δ + m − 1)/(γ + δ + m − 1).</summary>
    private double SurvivalSum(int from, int count)
    {
        var survival = Math.Exp(LogBeta(Gamma, Delta + from) - LogBeta(Gamma, Delta));
        var sum = 0d;
        for (var k = 1; k <= count; k++)
        {
            var m = from + k;
            survival *= (Delta + m - 1d) / (Gamma + Delta + m - 1d);
            sum += survival;
        }

        return sum;
    }

    private static double LogBeta(double a, double b)
        => SpecialFunctions.LogGamma(a) + SpecialFunctions.LogGamma(b) - SpecialFunctions.LogGamma(a + b);

    /// <summary>
    /// The BG/BB log-likelihood over pooled patterns (FHS 2010 eq. 5): the "alive through n" term plus, for each
    /// i = 0 … n − tₓ − 1, the "died after tₓ + i" term, combined in log space; consecutive terms differ by a ratio, so
    /// each costs two logs rather than six log-gammas.
    /// </summary>
    internal sealed class Likelihood((int X, int Tx, int N, double Weight)[] groups) : IObjective
    {
        public double Evaluate(ReadOnlySpan<double> point)
            => -LogLikelihood(Math.Exp(point[0]), Math.Exp(point[1]), Math.Exp(point[2]), Math.Exp(point[3]));

        public double LogLikelihood(double alpha, double beta, double gamma, double delta)
        {
            var logBetaAb = LogBeta(alpha, beta);
            var logBetaGd = LogBeta(gamma, delta);
            var total = 0d;
            foreach (var (x, tx, n, weight) in groups)
            {
                total += weight * LogLikelihoodOf(x, tx, n, alpha, beta, gamma, delta, logBetaAb, logBetaGd);
            }

            return total;
        }

        public static double LogLikelihoodOf(int x, int tx, int n, double alpha, double beta, double gamma, double delta, double logBetaAb, double logBetaGd)
        {
            var alive = LogBeta(alpha + x, beta + n - x) + LogBeta(gamma, delta + n);
            var largest = alive;
            var sum = 1d;
            if (n > tx)
            {
                var term = LogBeta(alpha + x, beta + tx - x) + LogBeta(gamma + 1d, delta + tx);
                for (var i = 0; i < n - tx; i++)
                {
                    if (i > 0)
                    {
                        var m = tx + i - 1;
                        term += Math.Log((beta + m - x) / (alpha + beta + m)) + Math.Log((delta + m) / (gamma + delta + m + 1d));
                    }

                    // Running log-sum-exp relative to the largest term so far.
                    if (term > largest)
                    {
                        sum = (sum * Math.Exp(largest - term)) + 1d;
                        largest = term;
                    }
                    else
                    {
                        sum += Math.Exp(term - largest);
                    }
                }
            }

            return largest + Math.Log(sum) - logBetaAb - logBetaGd;
        }
    }
}

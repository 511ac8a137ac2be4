using System.Globalization;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using Microsoft.Extensions.Logging;

namespace CrmKernel.Metrics.CustomerBase;

/// <summary>
/// The shifted-beta-geometric (sBG) model of retention in a contractual, discrete-period setting (Fader &amp; Hardie
/// 2007, "How to Project Customer Retention", <i>Journal of Interactive Marketing</i> 21(1)): at the end of every period
/// (a month, a year) a customer renews with probability 1 − θ or cancels with probability θ, and θ ~ Beta(γ, δ) across
/// customers. Use it for subscriptions, memberships and contracts, where you see when each customer leaves: it projects
/// a cohort's survival beyond the periods observed, explains why retention rates rise with tenure (the customers
/// likely to leave leave first), and values customers with the discounted expected (residual) lifetime.
/// </summary>
/// <remarks>
/// <para>
/// Conventions of the paper: T, the period in which a customer cancels (1, 2, …), has
/// P(T = t) = B(γ + 1, δ + t − 1) / B(γ, δ); the survivor function, the share of a cohort still a customer after t
/// periods (at the start of period t + 1), is S(t) = B(γ, δ + t) / B(γ, δ); the retention rate in period t is
/// r(t) = S(t) / S(t − 1) = (δ + t − 1) / (γ + δ + t − 1), which rises towards 1.
/// </para>
/// <para>
/// Fit it with <see cref="Fit"/> from the numbers of a cohort alive at the start of each period (or with
/// <see cref="FitCohorts"/> from several cohorts), or build it from known parameters with the constructor.
/// </para>
/// </remarks>
public sealed class ShiftedBetaGeometricModel
{
    /// <summary>
    /// Above this many periods the survivor function is computed from Stirling's series for the log-gamma ratio rather
    /// than as a product of retention rates (exact for small t, and no loop over a large one).
    /// </summary>
    private const int ProductLimit = 1000;

    /// <summary>Creates the model from its parameters, e.g. published or stored ones.</summary>
    /// <param name="gamma">γ: first shape of the beta distribution of the churn probability θ.</param>
    /// <param name="delta">δ: second shape of the beta distribution of θ (mean θ is γ/(γ + δ)).</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is not a finite number greater than zero.</exception>
    public ShiftedBetaGeometricModel(double gamma, double delta)
    {
        Gamma = Preconditions.Positive(gamma);
        Delta = Preconditions.Positive(delta);
    }

    /// <summary>γ: first shape of the beta distribution of the per-period churn probability θ.</summary>
    public double Gamma { get; }

    /// <summary>δ: second shape of the beta distribution of θ; the mean churn probability is γ/(γ + δ).</summary>
    public double Delta { get; }

    /// <summary>
    /// Fits the model by maximum likelihood to one cohort: the numbers of its customers still customers at the start of
    /// periods 0, 1, …, k (the first is the cohort's size). Customers lost in period t contribute P(T = t), those still
    /// there at the end S(k).
    /// </summary>
    /// <param name="survivors">The cohort's size and then its survivors at the start of each later period; non-increasing, at least two counts.</param>
    /// <param name="logger">Where a fit that did not converge is logged (event 2001); none when null.</param>
    /// <returns>The fitted model, its log-likelihood, standard errors and how the fit went.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="survivors"/> is null.</exception>
    /// <exception cref="ArgumentException">Fewer than two counts, a negative count, or a count above the one before it.</exception>
    /// <exception cref="ModelDataException">The cohort has no customers (<c>CRM-MODEL-001</c>).</exception>
    public static ModelFit<ShiftedBetaGeometricModel> Fit(IReadOnlyList<int> survivors, ILogger? logger = null)
    {
        Preconditions.NotNull(survivors);
        return FitData(RetentionData.From([survivors], nameof(survivors)), logger);
    }

    /// <summary>
    /// Fits the model by maximum likelihood to several cohorts at once (e.g. customers acquired in successive years,
    /// each observed for as long as it has existed), each given as in <see cref="Fit"/>.
    /// The cohorts share one γ and δ.
    /// </summary>
    /// <param name="cohorts">For each cohort, its size and then its survivors at the start of each later period.</param>
    /// <param name="logger">Where a fit that did not converge is logged (event 2001); none when null.</param>
    /// <returns>The fitted model, its log-likelihood, standard errors and how the fit went.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="cohorts"/> or one of its cohorts is null.</exception>
    /// <exception cref="ArgumentException">A cohort has fewer than two counts, a negative count, or a count above the one before it.</exception>
    /// <exception cref="ModelDataException">No cohort has any customer (<c>CRM-MODEL-001</c>).</exception>
    public static ModelFit<ShiftedBetaGeometricModel> FitCohorts(IEnumerable<IReadOnlyList<int>> cohorts, ILogger? logger = null)
    {
        Preconditions.NotNull(cohorts);
        return FitData(RetentionData.From(cohorts, nameof(cohorts)), logger);
    }

    private static ModelFit<ShiftedBetaGeometricModel> FitData(RetentionData data, ILogger? logger)
    {
        if (data.Customers == 0)
        {
            throw new ModelDataException(CrmErrorCodes.ModelWithoutCustomers, "The sBG model cannot be fitted to cohorts without customers.");
        }

        using var activity = MetricsTelemetry.StartFit("sBG", (int)Math.Min(int.MaxValue, data.Customers));
        var likelihood = new Likelihood(data);
        Span<double> start = [0d, 0d];
        var result = LogLikelihoodSearch.Minimise(likelihood, start);
        var model = new ShiftedBetaGeometricModel(Math.Exp(result.Point[0]), Math.Exp(result.Point[1]));
        var issues = data.Churned == 0 ? FitIssues.NoChurn : FitIssues.None;
        var fit = FitDiagnostics.Assess<ShiftedBetaGeometricModel>(
            model, likelihood, result, [nameof(Gamma), nameof(Delta)], issues, data.Customers, data.Terms);
        return MetricsTelemetry.Fitted(activity, logger, "sBG", fit);
    }

    /// <summary>
    /// P(T = t): the probability that a new customer cancels in period <paramref name="period"/> (is a customer for
    /// exactly t periods), B(γ + 1, δ + t − 1) / B(γ, δ). Use it for the expected number lost per period.
    /// </summary>
    /// <param name="period">t, 1 or more.</param>
    /// <returns>The probability.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> is less than 1.</exception>
    public double ChurnProbability(int period)
    {
        Preconditions.Positive(period);
        return Math.Exp(LogSurvival(period - 1) + Math.Log(Gamma) - Math.Log(Gamma + Delta + period - 1d));
    }

    /// <summary>
    /// S(t): the share of a cohort still customers after <paramref name="periods"/> periods (at the start of period
    /// t + 1), B(γ, δ + t) / B(γ, δ). Use it for the survival curve: the projected size of a cohort is its size × S(t).
    /// </summary>
    /// <param name="periods">t, zero or more; S(0) = 1.</param>
    /// <returns>The share, non-increasing in <paramref name="periods"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="periods"/> is negative.</exception>
    public double Survival(int periods)
    {
        Preconditions.NonNegative(periods);
        return Math.Exp(LogSurvival(periods));
    }

    /// <summary>
    /// r(t): the retention rate in period <paramref name="period"/>, the share of the customers at its start who renew,
    /// S(t) / S(t − 1) = (δ + t − 1) / (γ + δ + t − 1). Use it for the retention curve: it rises with tenure even though
    /// no customer's own churn probability changes (the cohort sorts itself).
    /// </summary>
    /// <param name="period">t, 1 or more.</param>
    /// <returns>The rate, between 0 and 1, increasing in <paramref name="period"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> is less than 1.</exception>
    public double RetentionRate(int period)
    {
        Preconditions.Positive(period);
        return (Delta + period - 1d) / (Gamma + Delta + period - 1d);
    }

    /// <summary>
    /// DEL: the discounted expected lifetime of a customer just acquired, in periods, Σₜ₌₁..∞ S(t − 1)/(1 + d)ᵗ⁻¹ =
    /// ₂F₁(1, δ; γ + δ; 1/(1 + d)) (Fader &amp; Hardie 2010, "Customer-Base Valuation in a Contractual Setting",
    /// <i>Marketing Science</i> 29(1)). Payments fall at the start of each period, the first one now, undiscounted.
    /// Multiply by the margin per period for the expected lifetime value (<see cref="ExpectedLifetimeValue"/>).
    /// </summary>
    /// <param name="discountRate">d per period; greater than zero (undiscounted, the sum diverges when γ ≤ 1).</param>
    /// <returns>The discounted expected number of payments, at least 1.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="discountRate"/> is not a finite number greater than zero.</exception>
    public double DiscountedExpectedLifetime(double discountRate)
    {
        Preconditions.Positive(discountRate);
        return SpecialFunctions.Hypergeometric2F1UnitA(Delta, Gamma + Delta, 1d / (1d + discountRate));
    }

    /// <summary>
    /// DERL: the discounted expected residual lifetime of a customer who has renewed <paramref name="renewals"/> times
    /// (so is at the end of period n = renewals + 1, just before deciding whether to renew again), in periods:
    /// Σₜ₌ₙ..∞ S(t)/S(n − 1) / (1 + d)ᵗ⁻ⁿ = (δ + n − 1)/(γ + δ + n − 1) ₂F₁(1, δ + n; γ + δ + n; 1/(1 + d))
    /// (Fader &amp; Hardie 2010, "Customer-Base Valuation in a Contractual Setting"). The next payment, if the customer
    /// renews, falls now and is undiscounted. Use it to value the existing customers of a base by their tenure.
    /// </summary>
    /// <param name="renewals">n − 1, the renewals the customer has made; zero or more.</param>
    /// <param name="discountRate">d per period; greater than zero.</param>
    /// <returns>The discounted expected number of further payments; increasing in <paramref name="renewals"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="renewals"/> is negative, or <paramref name="discountRate"/> is not a finite number greater than zero.</exception>
    public double DiscountedExpectedResidualLifetime(int renewals, double discountRate)
    {
        Preconditions.NonNegative(renewals);
        Preconditions.Positive(discountRate);
        var n = renewals + 1d;
        var retention = (Delta + n - 1d) / (Gamma + Delta + n - 1d);
        return retention * SpecialFunctions.Hypergeometric2F1UnitA(Delta + n, Gamma + Delta + n, 1d / (1d + discountRate));
    }

    /// <summary>
    /// The discounted expected lifetime value of a customer just acquired: <paramref name="marginPerPeriod"/> ×
    /// <see cref="DiscountedExpectedLifetime"/>, the most worth spending to acquire one.
    /// </summary>
    /// <param name="marginPerPeriod">The net cash flow a customer brings per period.</param>
    /// <param name="discountRate">d per period; greater than zero.</param>
    /// <returns>The value, in the margin's currency.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="discountRate"/> is not a finite number greater than zero.</exception>
    public Money ExpectedLifetimeValue(Money marginPerPeriod, double discountRate)
        => marginPerPeriod.Multiply((decimal)DiscountedExpectedLifetime(discountRate));

    /// <summary>
    /// The discounted expected residual lifetime value of a customer who has renewed <paramref name="renewals"/> times:
    /// <paramref name="marginPerPeriod"/> × <see cref="DiscountedExpectedResidualLifetime"/>. Summed over the active
    /// customers it values the existing base.
    /// </summary>
    /// <param name="marginPerPeriod">The net cash flow a customer brings per period.</param>
    /// <param name="renewals">The renewals the customer has made; zero or more.</param>
    /// <param name="discountRate">d per period; greater than zero.</param>
    /// <returns>The value, in the margin's currency.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="renewals"/> is negative, or <paramref name="discountRate"/> is not a finite number greater than zero.</exception>
    public Money ExpectedResidualLifetimeValue(Money marginPerPeriod, int renewals, double discountRate)
        => marginPerPeriod.Multiply((decimal)DiscountedExpectedResidualLifetime(renewals, discountRate));

    /// <summary>The parameters, e.g. <c>sBG(γ=0.668, δ=3.806)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"sBG(γ={Gamma:G6}, δ={Delta:G6})");

    /// <summary>The log-likelihood of cohorts' survivor counts under this model.</summary>
    internal double LogLikelihood(IEnumerable<IReadOnlyList<int>> cohorts)
        => new Likelihood(RetentionData.From(cohorts, nameof(cohorts))).LogLikelihood(Gamma, Delta);

    /// <summary>ln S(t), as a product of retention rates for small t and from log-gamma functions beyond.</summary>
    private double LogSurvival(int periods)
    {
        if (periods <= ProductLimit)
        {
            var sum = 0d;
            for (var i = 1; i <= periods; i++)
            {
                sum += Math.Log((Delta + i - 1d) / (Gamma + Delta + i - 1d));
            }

            return sum;
        }

        return LogGammaRatio(Delta + periods, Gamma) - SpecialFunctions.LogGamma(Delta) + SpecialFunctions.LogGamma(Gamma + Delta);
    }

    /// <summary>
    /// ln Γ(x) − ln Γ(x + g) for x ≥ 1,000 from Stirling's series, arranged so that no two large numbers are subtracted
    /// (ln Γ(5,000) ≈ 37,600 would leave only 11 digits of a difference of about −g ln x):
    /// −g ln x − (x + g − ½) ln(1 + g/x) + g + c(x) − c(x + g), c(y) = 1/(12y) − 1/(360y³) + 1/(1260y⁵).
    /// </summary>
    private static double LogGammaRatio(double x, double g)
    {
        static double Correction(double y)
        {
            var inverse = 1d / y;
            var squared = inverse * inverse;
            return inverse * ((1d / 12d) - (squared * ((1d / 360d) - (squared / 1260d))));
        }

        return (-g * Math.Log(x)) - ((x + g - 0.5d) * SpecialFunctions.Log1P(g / x)) + g + (Correction(x) - Correction(x + g));
    }

    /// <summary>Survivor counts of cohorts pooled into churners per period and customers still there after k periods.</summary>
    internal sealed class RetentionData
    {
        private RetentionData(long[] churned, long[] censored, long customers, long churnedTotal)
        {
            ChurnedIn = churned;
            SurvivedTo = censored;
            Customers = customers;
            Churned = churnedTotal;
            foreach (var count in churned)
            {
                Terms += count > 0 ? 1 : 0;
            }

            foreach (var count in censored)
            {
                Terms += count > 0 ? 1 : 0;
            }
        }

        /// <summary>[t]: customers who cancelled in period t (index 0 unused).</summary>
        public long[] ChurnedIn { get; }

        /// <summary>[k]: customers still customers at the end of observation after k periods.</summary>
        public long[] SurvivedTo { get; }

        public long Customers { get; }

        public long Churned { get; }

        /// <summary>The distinct terms of the likelihood.</summary>
        public int Terms { get; }

        public static RetentionData From(IEnumerable<IReadOnlyList<int>> cohorts, string parameterName)
        {
            var churned = new List<long>();
            var censored = new List<long>();
            long customers = 0, churnedTotal = 0;
            var index = 0;
            foreach (var cohort in cohorts)
            {
                if (cohort is null)
                {
                    throw new ArgumentNullException(parameterName, $"Cohort {index} is null.");
                }

                Preconditions.Check(cohort.Count >= 2, $"Cohort {index} has {cohort.Count} counts; it needs its size and at least one later count.", parameterName);
                for (var t = 0; t < cohort.Count; t++)
                {
                    Preconditions.Check(cohort[t] >= 0, $"Cohort {index} has a negative count in period {t}.", parameterName);
                    Preconditions.Check(t == 0 || cohort[t] <= cohort[t - 1], $"Cohort {index} has more customers in period {t} than in period {t - 1}: survivor counts cannot rise.", parameterName);
                }

                var periods = cohort.Count - 1;
                while (churned.Count <= periods)
                {
                    churned.Add(0);
                    censored.Add(0);
                }

                for (var t = 1; t <= periods; t++)
                {
                    churned[t] += cohort[t - 1] - cohort[t];
                }

                censored[periods] += cohort[periods];
                customers += cohort[0];
                churnedTotal += cohort[0] - cohort[periods];
                index++;
            }

            return new RetentionData([.. churned], [.. censored], customers, churnedTotal);
        }
    }

    /// <summary>
    /// The sBG log-likelihood, Σₜ churnedₜ ln P(T = t) + Σₖ survivedₖ ln S(k), with ln S built up one period at a time
    /// and P(T = t) = S(t − 1) γ / (γ + δ + t − 1), so neither needs a difference of probabilities.
    /// </summary>
    internal sealed class Likelihood(RetentionData data) : IObjective
    {
        public double Evaluate(ReadOnlySpan<double> point) => -LogLikelihood(Math.Exp(point[0]), Math.Exp(point[1]));

        public double LogLikelihood(double gamma, double delta)
        {
            var logGamma = Math.Log(gamma);
            var logSurvival = 0d;
            var total = 0d;
            for (var t = 1; t < data.ChurnedIn.Length; t++)
            {
                var denominator = Math.Log(gamma + delta + t - 1d);
                if (data.ChurnedIn[t] > 0)
                {
                    total += data.ChurnedIn[t] * (logSurvival + logGamma - denominator);
                }

                logSurvival += Math.Log(delta + t - 1d) - denominator;
                if (data.SurvivedTo[t] > 0)
                {
                    total += data.SurvivedTo[t] * logSurvival;
                }
            }

            return total;
        }
    }
}

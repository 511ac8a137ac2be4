using System.Globalization;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using Microsoft.Extensions.Logging;

namespace CrmKernel.Metrics.CustomerBase;

/// <summary>
/// The Gamma-Gamma model of spend per transaction (Fader, Hardie &amp; Lee 2005, "RFM and CLV", <i>Journal of
/// Marketing Research</i> 42(4); Fader &amp; Hardie, note 025): a customer's transaction values are Gamma(p, ν)
/// around their own mean p/ν, and ν ~ Gamma(q, γ) across customers. Use it for the spend side of
/// <see cref="CustomerLifetimeValue"/>: it shrinks a customer's observed mean spend towards the population mean, more
/// so the fewer transactions it rests on.
/// </summary>
/// <remarks>
/// The model assumes spend is independent of the number of transactions; check that the correlation between
/// frequency and mean repeat spend in your summary is weak before relying on it. It is fitted to repeat buyers only
/// (x ≥ 1), on their mean repeat spend z̄.
/// </remarks>
public sealed class GammaGammaModel
{
    /// <summary>Creates the model from its parameters, e.g. ones stored from an earlier fit.</summary>
    /// <param name="p">Shape of the gamma distribution of transaction values around a customer's mean.</param>
    /// <param name="q">Shape of the gamma distribution of the customers' ν.</param>
    /// <param name="gamma">Rate (in money units) of the gamma distribution of the customers' ν.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is not a finite number greater than zero.</exception>
    public GammaGammaModel(double p, double q, double gamma)
    {
        P = Preconditions.Positive(p);
        Q = Preconditions.Positive(q);
        Gamma = Preconditions.Positive(gamma);
    }

    /// <summary>p: shape of the gamma distribution of a customer's transaction values.</summary>
    public double P { get; }

    /// <summary>q: shape of the gamma distribution of ν across customers.</summary>
    public double Q { get; }

    /// <summary>γ: rate of the gamma distribution of ν across customers.</summary>
    public double Gamma { get; }

    /// <summary>
    /// The population mean spend per transaction, p γ / (q − 1): what the model expects from a customer it knows
    /// nothing about. <see cref="double.PositiveInfinity"/> when q ≤ 1 (the mean does not exist).
    /// </summary>
    public double MeanSpend => Q > 1d ? P * Gamma / (Q - 1d) : double.PositiveInfinity;

    /// <summary>
    /// Fits the model by maximum likelihood to the repeat buyers of a summary (x ≥ 1 and a positive mean repeat spend;
    /// customers whose repeat purchases were all worth zero carry no information for a gamma density and are left
    /// out — <see cref="ModelFit{TModel}.Customers"/> says how many were used). The log-likelihood is that of the mean
    /// repeat spend z̄ (FHL 2005 JMR), so it matches the published −4,055.9 on CDNOW; the density of total repeat spend
    /// x z̄ would give Σ ln x less. Customers with identical (x, z̄) share one term.
    /// </summary>
    /// <param name="summary">The calibration summary.</param>
    /// <param name="logger">Where a fit that did not converge is logged (event 2001, with the model and iteration count); none when null.</param>
    /// <returns>The fitted model, its log-likelihood, standard errors and how the fit went.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="summary"/> is null.</exception>
    /// <exception cref="ModelDataException"><paramref name="summary"/> has no customers (<c>CRM-MODEL-001</c>), or no repeat buyer with a positive mean spend (<c>CRM-MODEL-002</c>).</exception>
    public static ModelFit<GammaGammaModel> Fit(CustomerBaseSummary summary, ILogger? logger = null)
    {
        Preconditions.NotNull(summary);
        using var activity = MetricsTelemetry.StartFit("Gamma-Gamma", summary.Count);
        var groups = SpendGroups.From(summary);
        if (summary.Count == 0)
        {
            throw new ModelDataException(CrmErrorCodes.ModelWithoutCustomers, "The Gamma-Gamma model cannot be fitted to a summary without customers.");
        }

        if (groups.Count == 0)
        {
            throw new ModelDataException(CrmErrorCodes.ModelWithoutTransactions, "The Gamma-Gamma model needs repeat buyers with a positive mean repeat spend; the summary has none.");
        }

        var likelihood = new Likelihood(groups);

        // Start with p = 1, q = 2 and γ at the weighted mean of z̄, so that the population mean p γ / (q − 1) matches it.
        double weighted = 0d, customers = 0d;
        for (var i = 0; i < groups.Count; i++)
        {
            weighted += groups.Weight[i] * groups.MeanSpend[i];
            customers += groups.Weight[i];
        }

        Span<double> start = [0d, Math.Log(2d), Math.Log(weighted / customers)];
        var result = LogLikelihoodSearch.Minimise(likelihood, start);
        var point = result.Point;
        var model = new GammaGammaModel(Math.Exp(point[0]), Math.Exp(point[1]), Math.Exp(point[2]));
        var fit = FitDiagnostics.Assess(model, likelihood, result, [nameof(P), nameof(Q), nameof(Gamma)], FitIssues.None, groups.Customers, groups.Count);
        return MetricsTelemetry.Fitted(activity, logger, "Gamma-Gamma", fit);
    }

    /// <summary>
    /// The expected spend per transaction of a customer with <paramref name="frequency"/> repeat transactions of
    /// mean value <paramref name="meanSpend"/>, E[Z | x, z̄] = (γ + x z̄) p / (p x + q − 1): a weighted average of the
    /// population mean and the customer's own mean. With no repeat transactions it is <see cref="MeanSpend"/>.
    /// </summary>
    /// <param name="frequency">x, the number of repeat transactions z̄ is the mean of; zero or more.</param>
    /// <param name="meanSpend">z̄, their mean value; zero or more (ignored when <paramref name="frequency"/> is 0).</param>
    /// <returns>The expected spend; <see cref="double.PositiveInfinity"/> when p x + q ≤ 1 (no finite mean).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="frequency"/> is negative, or <paramref name="meanSpend"/> is negative, infinite or NaN.</exception>
    public double ExpectedAverageSpend(int frequency, double meanSpend)
    {
        Preconditions.NonNegative(frequency);
        Preconditions.NonNegative(meanSpend);
        var denominator = (P * frequency) + Q - 1d;
        return denominator > 0d ? (Gamma + (frequency * meanSpend)) * P / denominator : double.PositiveInfinity;
    }

    /// <summary>
    /// <see cref="ExpectedAverageSpend(int, double)"/> for a customer of a summary, from their frequency and mean
    /// repeat spend, in the summary's currency.
    /// </summary>
    /// <param name="customer">The customer's summary row.</param>
    /// <returns>The expected spend per future transaction.</returns>
    /// <exception cref="InvalidOperationException">The model has no finite mean for this customer (p x + q ≤ 1, e.g. q ≤ 1 for a customer without repeat purchases).</exception>
    public Money ExpectedAverageSpend(CustomerSummary customer)
    {
        var spend = ExpectedAverageSpend(customer.Frequency, customer.MeanRepeatSpendValue);
        if (!double.IsFinite(spend) || spend > (double)decimal.MaxValue)
        {
            throw new InvalidOperationException($"The spend model {this} has no finite mean spend for a customer with {customer.Frequency} repeat transactions (p x + q ≤ 1).");
        }

        return new Money((decimal)spend, customer.MeanRepeatSpend.Currency);
    }

    /// <summary>The parameters, e.g. <c>Gamma-Gamma(p=6.24988, q=3.74426, γ=15.4434)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"Gamma-Gamma(p={P:G6}, q={Q:G6}, γ={Gamma:G6})");

    /// <summary>The log-likelihood of the summary's repeat buyers' mean spend under this model.</summary>
    internal double LogLikelihood(CustomerBaseSummary summary)
        => new Likelihood(SpendGroups.From(summary)).LogLikelihood(P, Q, Gamma);

    /// <summary>
    /// The log-density of the mean spend, summed over grouped (x, z̄):
    /// ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px − 1) ln z̄ + px ln x − (px + q) ln(γ + x z̄).
    /// </summary>
    internal sealed class Likelihood : IObjective
    {
        private readonly SpendGroups _groups;
        private readonly double[] _logMeanSpend;
        private readonly double[] _perFrequency;

        public Likelihood(SpendGroups groups)
        {
            _groups = groups;
            _logMeanSpend = new double[groups.Count];
            for (var i = 0; i < groups.Count; i++)
            {
                _logMeanSpend[i] = Math.Log(groups.MeanSpend[i]);
            }

            _perFrequency = new double[groups.MaxFrequency + 1];
        }

        public double Evaluate(ReadOnlySpan<double> point)
            => -LogLikelihood(Math.Exp(point[0]), Math.Exp(point[1]), Math.Exp(point[2]));

        public double LogLikelihood(double p, double q, double gamma)
        {
            // ln Γ(px+q) − ln Γ(px) + px ln x, once per x.
            for (var x = 1; x < _perFrequency.Length; x++)
            {
                var px = p * x;
                _perFrequency[x] = SpecialFunctions.LogGamma(px + q) - SpecialFunctions.LogGamma(px) + (px * Math.Log(x));
            }

            var constant = (q * Math.Log(gamma)) - SpecialFunctions.LogGamma(q);
            var frequency = _groups.Frequency;
            var meanSpend = _groups.MeanSpend;
            var weight = _groups.Weight;
            var total = 0d;
            for (var i = 0; i < frequency.Length; i++)
            {
                var x = frequency[i];
                var px = p * x;
                var term = _perFrequency[x] + constant + ((px - 1d) * _logMeanSpend[i]) - ((px + q) * Math.Log(gamma + (x * meanSpend[i])));
                total += weight[i] * term;
            }

            return total;
        }
    }
}

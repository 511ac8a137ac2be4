using CrmKernel.Diagnostics;

namespace CrmKernel.Metrics.CustomerBase;

/// <summary>
/// RFM scoring of a customer base in quintiles. Use it where a transparent, model-free ranking is wanted; for
/// forecasts use a <see cref="TransactionModel"/> and <see cref="CustomerLifetimeValue"/>, which RFM only approximates.
/// </summary>
/// <remarks>
/// <para>
/// <b>What is scored</b>, all from the calibration period of the summary: R is the time from the last purchase to the
/// calibration end (T − tₓ; shorter is better); F is the number of transactions, x + 1; M is the mean value per
/// transaction, calibration spend ÷ (x + 1) — the average rather than the total, so that M does not repeat F.
/// </para>
/// <para>
/// <b>Quintile method and tie rule: rank quintiles with ties sharing the lowest rank.</b> With n customers, a customer
/// whose value is strictly better than that of W others scores 1 + ⌊5 W / n⌋. Without ties this is the equal-count
/// split (each score holds a fifth of the base, ±1); customers with equal values always share a score — the score of
/// the lowest rank in their tie — so the result never depends on input order or on ids. In SQL:
/// <c>1 + FLOOR(5.0 * (RANK() OVER (ORDER BY value) - 1) / COUNT(*) OVER ())</c>, worst first. The price of the rule is
/// that a heavily tied dimension uses fewer than five scores: on CDNOW 60 % of customers bought once, so they all score
/// F = 1, and F takes only the values 1, 3, 4 and 5 (see docs/customer-base-analysis.md).
/// </para>
/// </remarks>
public static class RfmScoring
{
    /// <summary>Scores every customer of a summary, with the method and tie rule described on <see cref="RfmScoring"/>.</summary>
    /// <param name="summary">The summary.</param>
    /// <returns>One score per customer, in the summary's order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="summary"/> is null.</exception>
    public static IReadOnlyList<RfmScore> Score(CustomerBaseSummary summary)
    {
        Preconditions.NotNull(summary);
        var customers = summary.Customers;
        var n = customers.Length;

        // Every dimension as "higher is better".
        var recency = new decimal[n];
        var frequency = new decimal[n];
        var monetary = new decimal[n];
        for (var i = 0; i < n; i++)
        {
            ref readonly var customer = ref customers[i];
            recency[i] = -(customer.AgeDays - customer.RecencyDays);
            frequency[i] = customer.Frequency + 1;
            monetary[i] = customer.CalibrationSpend.Amount / (customer.Frequency + 1);
        }

        var r = Quintiles(recency);
        var f = Quintiles(frequency);
        var m = Quintiles(monetary);
        var scores = new RfmScore[n];
        for (var i = 0; i < n; i++)
        {
            scores[i] = new RfmScore(customers[i].CustomerId, r[i], f[i], m[i]);
        }

        return scores;
    }

    /// <summary>1 + ⌊5 W / n⌋ for each value, W the number of values strictly below it.</summary>
    internal static int[] Quintiles(decimal[] values)
    {
        var n = values.Length;
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        var keys = (decimal[])values.Clone();
        Array.Sort(keys, order);
        var scores = new int[n];
        var tieStart = 0;
        for (var k = 0; k < n; k++)
        {
            if (keys[k] != keys[tieStart])
            {
                tieStart = k;
            }

            scores[order[k]] = 1 + (int)(5L * tieStart / n);
        }

        return scores;
    }
}

using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

namespace CrmKernel.Metrics.CustomerBase;

/// <summary>
/// Customer lifetime value from a transaction model (BG/NBD or Pareto/NBD) and the Gamma-Gamma spend model: the
/// customer-strategic figure that links to customer equity (Σ CLV) at the corporate level. Use it to rank customers,
/// size retention budgets, or value a customer base.
/// </summary>
/// <remarks>
/// <para>
/// <b>Formula.</b> With horizon split into K periods of length Δ (in the summary's unit), discount rate d per period and
/// margin m, a customer's value at the calibration end is
/// </para>
/// <para><c>CLV = m × E[Z | x, z̄] × Σₖ₌₁..K (E[Y(kΔ) | x, tₓ, T] − E[Y((k−1)Δ) | x, tₓ, T]) / (1 + d)ᵏ</c></para>
/// <para>
/// — the transactions expected in period k are discounted as if they all happened at its end (discrete, end-of-period
/// discounting, the convention of Fader &amp; Hardie's "simple CLV" end-of-period form and of the lifetimes package). It
/// assumes spend per transaction is independent of the transaction process (the Gamma-Gamma assumption) and that the
/// model's time unit is the summary's. Undiscounted (d = 0) it is m × E[Z] × E[Y(KΔ)].
/// </para>
/// </remarks>
public static class CustomerLifetimeValue
{
    /// <summary>
    /// Estimates every customer's probability of being active, expected and discounted transactions, expected spend and
    /// lifetime value, with the formula described on <see cref="CustomerLifetimeValue"/>. Customers with the same
    /// (x, tₓ, T) share one transaction computation.
    /// </summary>
    /// <param name="summary">The calibration summary the models were fitted to (or one in the same time unit).</param>
    /// <param name="transactionModel">The transaction model, e.g. a <see cref="BgNbdModel"/>.</param>
    /// <param name="spendModel">The spend model.</param>
    /// <param name="terms">The horizon, discounting and margin.</param>
    /// <returns>One valuation per customer, in the summary's order.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="spendModel"/> has no finite mean for some customer (p x + q ≤ 1, e.g. q ≤ 1 with customers who never repeated).</exception>
    public static IReadOnlyList<CustomerValuation> Estimate(
        CustomerBaseSummary summary,
        TransactionModel transactionModel,
        GammaGammaModel spendModel,
        LifetimeValueTerms terms)
    {
        Preconditions.NotNull(summary);
        Preconditions.NotNull(transactionModel);
        Preconditions.NotNull(spendModel);
        Preconditions.NotNull(terms);

        var customers = summary.Customers;
        var groupOfCustomer = new int[customers.Length];
        var groups = HistoryGroups.From(summary, groupOfCustomer);
        var alive = new double[groups.Count];
        var expected = new double[groups.Count];
        var discounted = new double[groups.Count];
        for (var g = 0; g < groups.Count; g++)
        {
            var x = groups.Frequency[g];
            var tx = groups.RecencyDays[g] / groups.UnitDays;
            var age = groups.AgeDays[g] / groups.UnitDays;
            alive[g] = transactionModel.ProbabilityAliveUnchecked(x, tx, age);
            double previous = 0d, factor = 1d, sum = 0d;
            for (var k = 1; k <= terms.Periods; k++)
            {
                var current = transactionModel.ExpectedTransactionsUnchecked(x, tx, age, k * terms.PeriodLength);
                factor /= 1d + terms.DiscountRate;
                sum += (current - previous) * factor;
                previous = current;
            }

            expected[g] = previous;
            discounted[g] = sum;
        }

        var result = new CustomerValuation[customers.Length];
        for (var i = 0; i < customers.Length; i++)
        {
            ref readonly var customer = ref customers[i];
            var spendValue = spendModel.ExpectedAverageSpend(customer.Frequency, customer.MeanRepeatSpendValue);
            if (!double.IsFinite(spendValue) || spendValue > (double)decimal.MaxValue)
            {
                throw new ArgumentException($"The spend model {spendModel} has no finite mean spend for customer {customer.CustomerId} (p x + q ≤ 1).", nameof(spendModel));
            }

            var g = groupOfCustomer[i];
            var spend = new Money((decimal)spendValue, summary.Currency);
            var value = spend.Multiply((decimal)discounted[g]).Multiply(terms.Margin);
            result[i] = new CustomerValuation(customer.CustomerId, alive[g], expected[g], discounted[g], spend, value);
        }

        return result;
    }
}

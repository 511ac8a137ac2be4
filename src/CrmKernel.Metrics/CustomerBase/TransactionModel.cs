using CrmKernel.Diagnostics;

namespace CrmKernel.Metrics.CustomerBase;

/// <summary>
/// A model of how many transactions customers make and when they silently stop (the "buy till you die" family):
/// <see cref="BgNbdModel"/> or <see cref="ParetoNbdModel"/>. Use it for what a summary cannot tell you directly —
/// how many purchases to expect from a customer or from a new cohort, and whether a quiet customer is still
/// active — and as the transaction side of <see cref="CustomerLifetimeValue"/>.
/// </summary>
/// <remarks>
/// Every duration (recency, age, horizon) is in the time unit of the summary the model was fitted to: a model fitted
/// in weeks predicts 52 weeks ahead with <c>t = 52</c>.
/// </remarks>
public abstract class TransactionModel
{
    private protected TransactionModel()
    {
    }

    /// <summary>
    /// The expected number of repeat transactions in the first <paramref name="t"/> time units after acquisition of a
    /// customer drawn at random from the population, E[X(t)]: the forecast for a new cohort, or the model's line in
    /// a tracking plot of cumulative repeat transactions.
    /// </summary>
    /// <param name="t">The time since acquisition; zero or more.</param>
    /// <returns>E[X(t)]; non-decreasing in <paramref name="t"/>, 0 at 0.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="t"/> is negative, infinite or NaN.</exception>
    public double ExpectedTransactions(double t)
    {
        Preconditions.NonNegative(t);
        return t == 0d ? 0d : PopulationExpectedTransactions(t);
    }

    /// <summary>
    /// The expected number of transactions in the next <paramref name="t"/> time units by a customer with the
    /// calibration history (x, tₓ, T) = (<paramref name="frequency"/>, <paramref name="recency"/>, <paramref name="age"/>):
    /// the conditional expectation E[Y(t) | x, tₓ, T] used to rank customers by future purchases.
    /// </summary>
    /// <param name="frequency">x, the number of repeat transactions; zero or more.</param>
    /// <param name="recency">tₓ, the time from first to last transaction; 0 when <paramref name="frequency"/> is 0.</param>
    /// <param name="age">T, the time from first transaction to the end of calibration; at least <paramref name="recency"/>.</param>
    /// <param name="t">The horizon; zero or more.</param>
    /// <returns>The expected number of transactions in (T, T + t].</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is negative, infinite or NaN; <paramref name="recency"/> exceeds <paramref name="age"/>; or <paramref name="recency"/> is not 0 when <paramref name="frequency"/> is.</exception>
    public double ExpectedTransactions(int frequency, double recency, double age, double t)
    {
        CheckHistory(frequency, recency, age);
        Preconditions.NonNegative(t);
        return t == 0d ? 0d : ConditionalExpectedTransactions(frequency, recency, age, t);
    }

    /// <summary>
    /// <see cref="ExpectedTransactions(int, double, double, double)"/> for a customer of a summary: the expected
    /// number of transactions in the next <paramref name="t"/> time units after the calibration end.
    /// </summary>
    /// <param name="customer">The customer's summary row.</param>
    /// <param name="t">The horizon; zero or more (e.g. the summary's <see cref="CustomerBaseSummary.HoldoutLength"/>).</param>
    /// <returns>The expected number of transactions.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="t"/> is negative, infinite or NaN.</exception>
    public double ExpectedTransactions(CustomerSummary customer, double t)
        => ExpectedTransactions(customer.Frequency, customer.Recency, customer.Age, t);

    /// <summary>
    /// The probability that a customer with the calibration history (x, tₓ, T) is still active at the end of the
    /// calibration period: use it to find customers who have silently lapsed (low) among those who are simply
    /// infrequent (high).
    /// </summary>
    /// <param name="frequency">x, the number of repeat transactions; zero or more.</param>
    /// <param name="recency">tₓ; 0 when <paramref name="frequency"/> is 0.</param>
    /// <param name="age">T; at least <paramref name="recency"/>.</param>
    /// <returns>P(alive | x, tₓ, T), between 0 and 1.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is negative, infinite or NaN; <paramref name="recency"/> exceeds <paramref name="age"/>; or <paramref name="recency"/> is not 0 when <paramref name="frequency"/> is.</exception>
    public double ProbabilityAlive(int frequency, double recency, double age)
    {
        CheckHistory(frequency, recency, age);
        return AliveProbability(frequency, recency, age);
    }

    /// <summary><see cref="ProbabilityAlive(int, double, double)"/> for a customer of a summary, at its calibration end.</summary>
    /// <param name="customer">The customer's summary row.</param>
    /// <returns>P(alive), between 0 and 1.</returns>
    public double ProbabilityAlive(CustomerSummary customer)
        => AliveProbability(customer.Frequency, customer.Recency, customer.Age);

    /// <summary>
    /// The probability that a customer drawn at random from the population makes exactly <paramref name="count"/>
    /// repeat transactions in the first <paramref name="t"/> time units after acquisition, P(X(t) = n): the model's
    /// side of a frequency histogram (see <see cref="ModelCheckFigures"/>), or the share of a new cohort expected to
    /// have bought again n times after t.
    /// </summary>
    /// <param name="count">n, the number of repeat transactions; zero or more.</param>
    /// <param name="t">The time since acquisition; zero or more.</param>
    /// <returns>P(X(t) = n), between 0 and 1; over n it sums to 1 and its mean is <see cref="ExpectedTransactions(double)"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative, or <paramref name="t"/> is negative, infinite or NaN.</exception>
    public double ProbabilityOfTransactions(int count, double t)
    {
        Preconditions.NonNegative(count);
        Preconditions.NonNegative(t);
        return Math.Clamp(TransactionCountProbability(count, t), 0d, 1d);
    }

    /// <summary>E[Y(t) | x, tₓ, T] for arguments already known to be valid (from a summary), t &gt; 0.</summary>
    internal double ExpectedTransactionsUnchecked(int frequency, double recency, double age, double t)
        => ConditionalExpectedTransactions(frequency, recency, age, t);

    /// <summary>P(alive | x, tₓ, T) for arguments already known to be valid.</summary>
    internal double ProbabilityAliveUnchecked(int frequency, double recency, double age)
        => AliveProbability(frequency, recency, age);

    /// <summary>The log-likelihood of a summary under this model (what a fit maximises).</summary>
    internal abstract double LogLikelihood(CustomerBaseSummary summary);

    private protected abstract double PopulationExpectedTransactions(double t);

    private protected abstract double ConditionalExpectedTransactions(int frequency, double recency, double age, double t);

    private protected abstract double AliveProbability(int frequency, double recency, double age);

    /// <summary>P(X(t) = n) for valid arguments.</summary>
    private protected abstract double TransactionCountProbability(int count, double t);

    private static void CheckHistory(int frequency, double recency, double age)
    {
        Preconditions.NonNegative(frequency);
        Preconditions.NonNegative(recency);
        Preconditions.NonNegative(age);
        if (recency > age)
        {
            throw new ArgumentOutOfRangeException(nameof(recency), recency, "The recency (last transaction) cannot be after the age (end of calibration).");
        }

        if (frequency == 0 && recency != 0d)
        {
            throw new ArgumentOutOfRangeException(nameof(recency), recency, "A customer without repeat transactions has a recency of 0.");
        }
    }
}

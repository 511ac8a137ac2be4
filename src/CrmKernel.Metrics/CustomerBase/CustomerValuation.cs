using CrmKernel.Primitives;

namespace CrmKernel.Metrics.CustomerBase;

/// <summary>
/// One customer's predictions: whether they are still active, how many purchases to expect, what each is likely to
/// be worth and the discounted margin of the lot. Get them from <see cref="CustomerLifetimeValue.Estimate"/>; rank
/// or segment customers by <see cref="LifetimeValue"/>, or sum it for customer equity.
/// </summary>
public readonly record struct CustomerValuation
{
    internal CustomerValuation(CustomerId customerId, double probabilityAlive, double expectedTransactions, double discountedTransactions, Money expectedAverageSpend, Money lifetimeValue)
    {
        CustomerId = customerId;
        ProbabilityAlive = probabilityAlive;
        ExpectedTransactions = expectedTransactions;
        DiscountedTransactions = discountedTransactions;
        ExpectedAverageSpend = expectedAverageSpend;
        LifetimeValue = lifetimeValue;
    }

    /// <summary>The customer.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>P(alive) at the calibration end.</summary>
    public double ProbabilityAlive { get; }

    /// <summary>The expected number of transactions over the whole horizon (undiscounted).</summary>
    public double ExpectedTransactions { get; }

    /// <summary>The expected number of transactions over the horizon, each discounted to the calibration end.</summary>
    public double DiscountedTransactions { get; }

    /// <summary>The expected spend per future transaction (Gamma-Gamma conditional expectation).</summary>
    public Money ExpectedAverageSpend { get; }

    /// <summary>The discounted expected margin over the horizon: margin × expected spend × discounted transactions.</summary>
    public Money LifetimeValue { get; }
}

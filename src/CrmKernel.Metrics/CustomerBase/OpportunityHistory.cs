using CrmKernel.Diagnostics;

namespace CrmKernel.Metrics.CustomerBase;

/// <summary>
/// A repeat-transaction pattern over discrete opportunities, and how many customers share it: the input of
/// <see cref="BgBbModel"/>. Use it where a customer can transact at most once per occasion — a yearly fund drive, a
/// weekly event, an annual conference — and you record only whether they did: frequency x is the number of the
/// <see cref="Opportunities"/> (after the first, acquiring one) at which they transacted, recency tₓ the last such
/// opportunity (0 when none).
/// </summary>
/// <remarks>
/// A data set of millions of customers over six annual opportunities has at most 2⁶ = 64 patterns; pass one
/// <see cref="OpportunityHistory"/> per pattern with its <see cref="Customers"/> (the layout of Fader, Hardie &amp; Shang's
/// donation data: frequency, recency, periods, weights), or one per customer with a count of 1.
/// </remarks>
public readonly record struct OpportunityHistory
{
    /// <summary>Creates the pattern.</summary>
    /// <param name="frequency">x, the opportunities at which the customers transacted; zero or more.</param>
    /// <param name="recency">tₓ, the last opportunity with a transaction (1-based), at least x; 0 when x is 0.</param>
    /// <param name="opportunities">n, the opportunities observed after the acquiring one; 1 or more, at least tₓ.</param>
    /// <param name="customers">How many customers have this pattern; zero or more (1 for a single customer).</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, n is less than 1, tₓ exceeds n, x exceeds tₓ, or exactly one of x and tₓ is 0.</exception>
    public OpportunityHistory(int frequency, int recency, int opportunities, int customers = 1)
    {
        Frequency = Preconditions.NonNegative(frequency);
        Recency = Preconditions.NonNegative(recency);
        Opportunities = Preconditions.Positive(opportunities);
        Customers = Preconditions.NonNegative(customers);
        if (recency > opportunities)
        {
            throw new ArgumentOutOfRangeException(nameof(recency), recency, "The last transaction cannot be after the last opportunity.");
        }

        if (frequency > recency || (frequency == 0) != (recency == 0))
        {
            throw new ArgumentOutOfRangeException(nameof(frequency), frequency, "x transactions need a last transaction at opportunity x or later, and no transaction means a recency of 0.");
        }
    }

    /// <summary>x: the opportunities at which the customers transacted.</summary>
    public int Frequency { get; }

    /// <summary>tₓ: the last opportunity with a transaction, 0 when none.</summary>
    public int Recency { get; }

    /// <summary>n: the opportunities observed after the acquiring one.</summary>
    public int Opportunities { get; }

    /// <summary>How many customers share the pattern.</summary>
    public int Customers { get; }
}

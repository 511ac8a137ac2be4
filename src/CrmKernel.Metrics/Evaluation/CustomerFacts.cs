using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Storage;

namespace CrmKernel.Metrics.Evaluation;

/// <summary>
/// The facts of one customer record that the catalogue reads: how many of the expected profile values are populated
/// (data completeness). The standard expectation is three values: at least one contact point, a home time zone and at
/// least one external identifier.
/// </summary>
public readonly record struct CustomerFacts
{
    /// <summary>The values the standard completeness rule expects per customer.</summary>
    public const int StandardExpectedValues = 3;

    /// <summary>Creates the facts.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, or more are populated than expected.</exception>
    public CustomerFacts(int populatedValues, int expectedValues)
    {
        Preconditions.NonNegative(expectedValues);
        if (populatedValues < 0 || populatedValues > expectedValues)
        {
            throw new ArgumentOutOfRangeException(nameof(populatedValues), populatedValues, "Populated values are 0 to the expected values.");
        }

        PopulatedValues = populatedValues;
        ExpectedValues = expectedValues;
    }

    /// <summary>Expected values that are populated.</summary>
    public int PopulatedValues { get; }

    /// <summary>Values expected.</summary>
    public int ExpectedValues { get; }

    /// <summary>The standard facts of a stored customer: contact point, home time zone, external identifier.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="customer"/> is null.</exception>
    public static CustomerFacts Of(CustomerSnapshot customer)
    {
        Preconditions.NotNull(customer);
        var populated = (customer.ContactPoints.Count > 0 ? 1 : 0) + (customer.HomeTimeZoneId is null ? 0 : 1) + (customer.ExternalIdentifiers.Count > 0 ? 1 : 0);
        return new CustomerFacts(populated, StandardExpectedValues);
    }

    /// <summary>The standard facts of a customer read by a compact scan: the same as <see cref="Of(CustomerSnapshot)"/> of its snapshot.</summary>
    public static CustomerFacts Of(in CustomerScanRow customer)
    {
        var populated = (customer.HasContactPoint ? 1 : 0) + (customer.HasHomeTimeZone ? 1 : 0) + (customer.HasExternalIdentifier ? 1 : 0);
        return new CustomerFacts(populated, StandardExpectedValues);
    }
}

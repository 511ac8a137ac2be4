using CrmKernel.Diagnostics;

namespace CrmKernel.Primitives;

/// <summary>
/// Thrown when amounts in two different currencies are added, subtracted, compared or summed
/// (error code <see cref="CrmErrorCodes.CurrencyMismatch"/>, <c>CRM-MONEY-001</c>). The kernel never sums
/// across currencies silently: convert one amount first (through an exchange-rate provider) or keep
/// the amounts apart.
/// </summary>
/// <remarks>
/// Catch it where mixed-currency input is possible (an import, a report over several price lists) and
/// use <see cref="Expected"/> and <see cref="Actual"/> to decide what to convert. The message names the
/// two currency codes only, never an amount.
/// </remarks>
public sealed class CurrencyMismatchException : CrmException
{
    /// <summary>Creates the exception for an operation that needed <paramref name="expected"/> and got <paramref name="actual"/>.</summary>
    /// <param name="expected">The currency the operation works in: the left operand's, or the one asked for in a sum.</param>
    /// <param name="actual">The other currency that was offered.</param>
    public CurrencyMismatchException(Currency expected, Currency actual)
        : base(
            CrmErrorCodes.CurrencyMismatch,
            $"Amounts in {expected.Code} and {actual.Code} cannot be combined or compared; convert one to the other's currency first.")
    {
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The currency the operation works in: the left operand's currency, or the currency a sum was asked for in.</summary>
    public Currency Expected { get; }

    /// <summary>The other currency, which did not match <see cref="Expected"/>.</summary>
    public Currency Actual { get; }
}

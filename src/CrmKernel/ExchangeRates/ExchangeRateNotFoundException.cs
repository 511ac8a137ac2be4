using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.ExchangeRates;

/// <summary>
/// Thrown when an amount must be converted and the <see cref="IExchangeRateProvider"/> has no rate for the currency
/// pair on the date (error code <see cref="CrmErrorCodes.ExchangeRateNotFound"/>, <c>CRM-MONEY-002</c>). The kernel
/// never skips an amount it cannot convert: add the rate to the provider and run the operation again.
/// </summary>
public sealed class ExchangeRateNotFoundException : CrmException
{
    /// <summary>Creates the exception for the missing rate.</summary>
    /// <param name="from">The currency of the amount.</param>
    /// <param name="to">The currency wanted.</param>
    /// <param name="date">The date the rate was needed for.</param>
    public ExchangeRateNotFoundException(Currency from, Currency to, LocalDate date)
        : base(CrmErrorCodes.ExchangeRateNotFound, $"No exchange rate from {from.Code} to {to.Code} on {date:uuuu-MM-dd}; add it to the exchange-rate provider.")
    {
        From = from;
        To = to;
        Date = date;
    }

    /// <summary>The currency of the amount.</summary>
    public Currency From { get; }

    /// <summary>The currency wanted.</summary>
    public Currency To { get; }

    /// <summary>The date the rate was needed for.</summary>
    public LocalDate Date { get; }
}

using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.ExchangeRates;

/// <summary>
/// Where dated exchange rates come from: the extension point through which metrics and reports turn amounts in
/// several currencies into one reporting currency. Implement it over your treasury's rate table or a market-data
/// feed; <see cref="FixedExchangeRateProvider"/> is an in-memory table for tests, samples and hosts with few rates.
/// </summary>
/// <remarks>
/// The kernel never converts silently: a caller that needs a rate the provider does not have gets an
/// <see cref="ExchangeRateNotFoundException"/> (<c>CRM-MONEY-002</c>), not a skipped amount. Callers convert through a
/// <see cref="CurrencyConverter"/>, which caches rates per currency pair and date.
/// </remarks>
public interface IExchangeRateProvider
{
    /// <summary>
    /// Finds the rate that converts one unit of <paramref name="from"/> into <paramref name="to"/> on
    /// <paramref name="date"/>; null when the provider has none for that pair and date.
    /// </summary>
    /// <param name="from">The currency of the amount.</param>
    /// <param name="to">The currency wanted.</param>
    /// <param name="date">The business date the amount belongs to (e.g. the day a purchase happened in the reporting zone).</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    ValueTask<ExchangeRate?> FindRateAsync(Currency from, Currency to, LocalDate date, CancellationToken cancellationToken);
}

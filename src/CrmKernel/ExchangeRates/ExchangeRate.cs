using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.ExchangeRates;

/// <summary>
/// A dated exchange rate: one unit of <see cref="From"/> is worth <see cref="Rate"/> units of <see cref="To"/> on
/// <see cref="Date"/>. Returned by an <see cref="IExchangeRateProvider"/>; convert amounts with <see cref="Convert"/>.
/// </summary>
public sealed class ExchangeRate
{
    /// <summary>Creates a rate.</summary>
    /// <param name="from">The source currency.</param>
    /// <param name="to">The target currency; different from <paramref name="from"/>, neither the "no currency" XXX.</param>
    /// <param name="date">The date the rate applies to.</param>
    /// <param name="rate">Units of <paramref name="to"/> per unit of <paramref name="from"/>; greater than zero.</param>
    /// <exception cref="ArgumentException">A currency is XXX, or the two currencies are the same.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rate"/> is zero or negative.</exception>
    public ExchangeRate(Currency from, Currency to, LocalDate date, decimal rate)
    {
        Preconditions.Check(from != Currency.XXX, "A rate needs a real source currency.", nameof(from));
        Preconditions.Check(to != Currency.XXX && to != from, "A rate needs a real target currency other than the source currency.", nameof(to));
        if (rate <= 0m)
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "An exchange rate is greater than zero.");
        }

        From = from;
        To = to;
        Date = date;
        Rate = rate;
    }

    /// <summary>The source currency.</summary>
    public Currency From { get; }

    /// <summary>The target currency.</summary>
    public Currency To { get; }

    /// <summary>The date the rate applies to.</summary>
    public LocalDate Date { get; }

    /// <summary>Units of <see cref="To"/> per unit of <see cref="From"/>.</summary>
    public decimal Rate { get; }

    /// <summary>Converts an amount in <see cref="From"/> into <see cref="To"/>, exactly (round it with <see cref="Money.Round"/> to book it).</summary>
    /// <exception cref="CurrencyMismatchException"><paramref name="amount"/> is not in <see cref="From"/>.</exception>
    public Money Convert(Money amount)
    {
        if (amount.Currency != From)
        {
            throw new CurrencyMismatchException(From, amount.Currency);
        }

        return new Money(amount.Amount * Rate, To);
    }

    /// <summary>The rate as text, e.g. <c>1 EUR = 0.86 GBP on 2026-01-31</c>.</summary>
    public override string ToString() => $"1 {From.Code} = {Rate.ToString(System.Globalization.CultureInfo.InvariantCulture)} {To.Code} on {Date:uuuu-MM-dd}";
}

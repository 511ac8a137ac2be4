using FsCheck;
using FsCheck.Fluent;
using CurrencyValue = CrmKernel.Primitives.Currency;
using MoneyValue = CrmKernel.Primitives.Money;

namespace CrmKernel.Testing;

/// <summary>
/// FsCheck generators for the kernel's domain types, for property tests in adapter and application test
/// projects. Combine them with <c>Gen.*</c> to build your own, or use <see cref="CrmArbitraries"/> with
/// <c>[Property(Arbitrary = new[] { typeof(CrmArbitraries) })]</c>.
/// </summary>
public static partial class CrmGenerators
{
    /// <summary>
    /// Any ISO 4217 currency the kernel knows, from <see cref="CurrencyValue.All"/>, with the common ones
    /// (EUR, USD, GBP, JPY, CHF) and the unusual minor units (BHD with 3, CLF with 4) weighted up so that
    /// they turn up in every run.
    /// </summary>
    public static Gen<CurrencyValue> Currency => MoneyGenerators.Currency;

    /// <summary>
    /// Realistic amounts: any generated currency, amounts with exactly that currency's minor units
    /// (e.g. 12.34 EUR, 1200 JPY, 0.125 BHD), mostly small and positive, sometimes zero, negative (refunds)
    /// or large, never beyond ±10^12 so that sums in tests cannot overflow.
    /// </summary>
    public static Gen<MoneyValue> Money => MoneyGenerators.Money;

    /// <summary>Amounts in one given currency, like <see cref="Money"/>; use it when a property needs several amounts that can be added.</summary>
    /// <param name="currency">The currency of every generated amount.</param>
    /// <returns>The generator.</returns>
    public static Gen<MoneyValue> MoneyIn(CurrencyValue currency)
        => MoneyGenerators.AmountWithMinorUnits(currency.MinorUnits).Select(amount => new MoneyValue(amount, currency));

    /// <summary>
    /// Holds the money generators in their own type, so they are built on first use whatever order the
    /// static members of the other <see cref="CrmGenerators"/> parts are initialised in.
    /// </summary>
    private static class MoneyGenerators
    {
        /// <summary>Largest whole part of a generated amount: 10^12 - 1, so that sums of many amounts cannot overflow <see cref="decimal"/>.</summary>
        private const long MaxWholeAmount = 999_999_999_999;

        public static readonly Gen<CurrencyValue> Currency = Gen.Frequency<CurrencyValue>(
            (3, Gen.Elements<CurrencyValue>(CurrencyValue.All)),
            (2, Gen.Elements<CurrencyValue>([CurrencyValue.EUR, CurrencyValue.USD, CurrencyValue.GBP, CurrencyValue.JPY, CurrencyValue.CHF])),
            (1, Gen.Elements<CurrencyValue>([CurrencyValue.FromCode("BHD"), CurrencyValue.FromCode("CLF")])));

        public static readonly Gen<MoneyValue> Money =
            from currency in Currency
            from amount in AmountWithMinorUnits(currency.MinorUnits)
            select new MoneyValue(amount, currency);

        /// <summary>Amounts with exactly <paramref name="minorUnits"/> decimals, of realistic sizes.</summary>
        public static Gen<decimal> AmountWithMinorUnits(int minorUnits)
        {
            var wholePart = Gen.Frequency<long>(
                (1, Gen.Constant(0L)),
                (6, Gen.Choose(0, 999).Select(x => (long)x)),
                (3, Gen.Choose(0, 999_999).Select(x => (long)x)),
                (1, Gen.Zip(Gen.Choose(0, 999_999), Gen.Choose(0, 999_999), (high, low) => (high * 1_000_000L) + low)));
            var minorPart = Gen.Choose(0, Pow10(minorUnits) - 1);
            var sign = Gen.Frequency<int>((4, Gen.Constant(1)), (1, Gen.Constant(-1)));

            return from whole in wholePart
                   from minor in minorPart
                   from s in sign
                   select s * Compose(Math.Min(whole, MaxWholeAmount), minor, minorUnits);
        }

        /// <summary>whole + minor / 10^scale, with exactly <paramref name="scale"/> decimals (e.g. 12, 5, 2 gives 12.05).</summary>
        private static decimal Compose(long whole, int minor, int scale)
        {
            var units = (whole * Pow10(scale)) + minor;
            return new decimal((int)(units & 0xFFFF_FFFF), (int)(units >> 32), 0, isNegative: false, (byte)scale);
        }

        private static int Pow10(int exponent)
        {
            var result = 1;
            for (var i = 0; i < exponent; i++)
            {
                result *= 10;
            }

            return result;
        }
    }
}

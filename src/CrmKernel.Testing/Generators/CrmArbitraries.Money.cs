using FsCheck;
using FsCheck.Fluent;
using CurrencyValue = CrmKernel.Primitives.Currency;
using MoneyValue = CrmKernel.Primitives.Money;

namespace CrmKernel.Testing;

/// <summary>
/// FsCheck arbitraries (generator plus shrinker) for the kernel's domain types. Pass the class to a property:
/// <c>[Property(Arbitrary = new[] { typeof(CrmArbitraries) })]</c>, and every parameter of a kernel type is
/// generated realistically. Built from <see cref="CrmGenerators"/>.
/// </summary>
public static partial class CrmArbitraries
{
    /// <summary>Any known ISO 4217 currency (see <see cref="CrmGenerators.Currency"/>); shrinks towards EUR.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<CurrencyValue> Currency()
        => Arb.From(CrmGenerators.Currency, currency => currency == CurrencyValue.EUR ? [] : [CurrencyValue.EUR]);

    /// <summary>
    /// Realistic amounts in any currency (see <see cref="CrmGenerators.Money"/>). Shrinks the amount towards
    /// zero in whole minor units, keeping the currency, so a failing case is reported as the smallest amount
    /// that still fails.
    /// </summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<MoneyValue> Money() => Arb.From(CrmGenerators.Money, ShrinkMoney);

    private static IEnumerable<MoneyValue> ShrinkMoney(MoneyValue money)
    {
        if (money.IsZero)
        {
            yield break;
        }

        var currency = money.Currency;
        yield return MoneyValue.Zero(currency).Round();
        if (money.IsNegative)
        {
            yield return money.Negate();
        }

        var half = new MoneyValue(decimal.Round(money.Amount / 2, currency.MinorUnits, MidpointRounding.ToZero), currency).Round();
        if (!half.IsZero && half != money)
        {
            yield return half;
        }

        var whole = new MoneyValue(decimal.Truncate(money.Amount), currency).Round();
        if (!whole.IsZero && whole != money && whole != half)
        {
            yield return whole;
        }
    }
}

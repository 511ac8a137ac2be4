using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace CrmKernel.Tests.Primitives;

/// <summary>Three amounts in one currency, so that they can be added and compared.</summary>
public sealed record SameCurrency(Money A, Money B, Money C);

/// <summary>Two amounts in different currencies.</summary>
public sealed record DifferentCurrencies(Money A, Money B);

/// <summary>An amount with any scale (0 to 28 decimals) and any currency, for text round trips.</summary>
public sealed record AnyScaleMoney(Money Value);

public static class MoneyArbitraries
{
    public static Arbitrary<SameCurrency> SameCurrency()
        => (from currency in CrmGenerators.Currency
            from a in CrmGenerators.MoneyIn(currency)
            from b in CrmGenerators.MoneyIn(currency)
            from c in CrmGenerators.MoneyIn(currency)
            select new SameCurrency(a, b, c)).ToArbitrary();

    public static Arbitrary<DifferentCurrencies> DifferentCurrencies()
        => (from a in CrmGenerators.Money
            from b in CrmGenerators.Money
            where a.Currency != b.Currency
            select new DifferentCurrencies(a, b)).ToArbitrary();

    public static Arbitrary<AnyScaleMoney> AnyScaleMoney()
    {
        // FsCheck's own decimals (any size, any scale) and, to be sure of every scale, amounts built
        // from 96 random bits with a random scale 0 to 28.
        var fsCheckDecimals = ArbMap.Default.GeneratorFor<decimal>();
        var anyInt =
            from high in Gen.Choose(0, 0xFFFF)
            from low in Gen.Choose(0, 0xFFFF)
            select (high << 16) | low;
        var anyBitsAndScale =
            from lo in anyInt
            from mid in anyInt
            from hi in anyInt
            from negative in ArbMap.Default.GeneratorFor<bool>()
            from scale in Gen.Choose(0, 28)
            select new decimal(lo, mid, hi, negative, (byte)scale);

        return (from amount in Gen.OneOf(fsCheckDecimals, anyBitsAndScale)
                from currency in CrmGenerators.Currency
                select new AnyScaleMoney(new Money(amount, currency))).ToArbitrary();
    }
}

public class MoneyProperties
{
    [Property(Arbitrary = new[] { typeof(CrmArbitraries), typeof(MoneyArbitraries) }, MaxTest = 300)]
    public bool Addition_IsCommutativeWithinACurrency(SameCurrency m)
        => m.A + m.B == m.B + m.A;

    [Property(Arbitrary = new[] { typeof(CrmArbitraries), typeof(MoneyArbitraries) }, MaxTest = 300)]
    public bool Addition_IsAssociativeWithinACurrency(SameCurrency m)
        => (m.A + m.B) + m.C == m.A + (m.B + m.C);

    [Property(Arbitrary = new[] { typeof(CrmArbitraries), typeof(MoneyArbitraries) }, MaxTest = 300)]
    public bool Addition_HasZeroAsIdentityAndSubtractionAsInverse(SameCurrency m)
        => m.A + Money.Zero(m.A.Currency) == m.A
           && (m.A + m.B) - m.B == m.A
           && m.A + (-m.A) == Money.Zero(m.A.Currency);

    [Property(Arbitrary = new[] { typeof(CrmArbitraries), typeof(MoneyArbitraries) }, MaxTest = 300)]
    public bool Sum_EqualsRepeatedAddition(SameCurrency m)
        => Money.Sum([m.A, m.B, m.C], m.A.Currency) == m.A + m.B + m.C
           && Money.Sum(new List<Money> { m.A, m.B, m.C }, m.A.Currency) == m.A + m.B + m.C;

    [Property(Arbitrary = new[] { typeof(CrmArbitraries), typeof(MoneyArbitraries) }, MaxTest = 300)]
    public void CombiningDifferentCurrencies_AlwaysThrowsAndNeverReturns(DifferentCurrencies m)
    {
        var (a, b) = (m.A, m.B);
        Action[] operations =
        [
            () => _ = a + b,
            () => _ = a - b,
            () => a.Add(b),
            () => a.Subtract(b),
            () => a.CompareTo(b),
            () => _ = a < b,
            () => _ = a > b,
            () => _ = a <= b,
            () => _ = a >= b,
            () => Money.Sum([a, b], a.Currency),
        ];

        foreach (var operation in operations)
        {
            var exception = Assert.Throws<CurrencyMismatchException>(operation);
            Assert.Equal(CrmErrorCodes.CurrencyMismatch, exception.ErrorCode);
            Assert.Equal(a.Currency, exception.Expected);
            Assert.Equal(b.Currency, exception.Actual);
        }

        Assert.False(a == b);
        Assert.True(a != b);
    }

    [Property(Arbitrary = new[] { typeof(CrmArbitraries), typeof(MoneyArbitraries) }, MaxTest = 300)]
    public Property Allocate_AddsUpToTheRoundedAmountInPartsThatDifferByAtMostOneMinorUnit()
        => Prop.ForAll(
            CrmArbitraries.Money(),
            Gen.Choose(1, 100).ToArbitrary(),
            (money, parts) =>
            {
                var allocated = money.Allocate(parts);
                var unit = 1m / Pow10(money.Currency.MinorUnits);
                var amounts = allocated.Select(p => p.Amount).ToArray();

                Assert.Equal(parts, allocated.Length);
                Assert.All(allocated, p => Assert.Equal(money.Currency, p.Currency));
                Assert.All(amounts, a => Assert.Equal(money.Currency.MinorUnits, a.Scale));
                Assert.Equal(money.Round(), Money.Sum(allocated, money.Currency));
                Assert.True(amounts.Max() - amounts.Min() <= unit, $"parts differ by more than {unit}");

                // The leftover units go to the first parts: magnitudes never grow along the array.
                Assert.Equal(amounts.OrderByDescending(a => Math.Abs(a)), amounts);
            });

    [Property(Arbitrary = new[] { typeof(CrmArbitraries), typeof(MoneyArbitraries) }, MaxTest = 300)]
    public bool Round_GivesWholeMinorUnitsWithinHalfAUnit(Money money)
    {
        var rounded = money.Round();
        var unit = 1m / Pow10(money.Currency.MinorUnits);

        return rounded.Currency == money.Currency
               && rounded.Amount.Scale == money.Currency.MinorUnits
               && Math.Abs(rounded.Amount - money.Amount) <= unit / 2
               && rounded.Round() == rounded;
    }

    [Property(Arbitrary = new[] { typeof(CrmArbitraries), typeof(MoneyArbitraries) }, MaxTest = 300)]
    public bool Text_RoundTripsWithTheSameScale(Money money)
        => RoundTrips(money);

    [Property(Arbitrary = new[] { typeof(CrmArbitraries), typeof(MoneyArbitraries) }, MaxTest = 300)]
    public bool Text_RoundTripsAnyDecimal(AnyScaleMoney money)
        => RoundTrips(money.Value);

    [Property(Arbitrary = new[] { typeof(CrmArbitraries), typeof(MoneyArbitraries) }, MaxTest = 300)]
    public bool Comparisons_AreConsistentWithAmountOrdering(SameCurrency m)
    {
        var (a, b) = (m.A, m.B);
        var expected = a.Amount.CompareTo(b.Amount);

        return Math.Sign(a.CompareTo(b)) == Math.Sign(expected)
               && Math.Sign(b.CompareTo(a)) == -Math.Sign(expected)
               && (a < b) == (expected < 0)
               && (a > b) == (expected > 0)
               && (a <= b) == (expected <= 0)
               && (a >= b) == (expected >= 0)
               && (a == b) == (expected == 0)
               && (a != b) == (expected != 0);
    }

    [Property(Arbitrary = new[] { typeof(CrmArbitraries), typeof(MoneyArbitraries) }, MaxTest = 300)]
    public bool Equality_IgnoresScaleAndKeepsHashCodesConsistent(Money money)
    {
        var rescaled = new Money(money.Amount + 0.0000m, money.Currency);

        return money == rescaled
               && money.Equals((object)rescaled)
               && money.GetHashCode() == rescaled.GetHashCode()
               && money.CompareTo(rescaled) == 0;
    }

    private static bool RoundTrips(Money money)
    {
        var text = money.ToString();
        var parsed = Money.Parse(text);

        return parsed == money
               && parsed.Currency == money.Currency
               && parsed.Amount.Scale == money.Amount.Scale
               && parsed.ToString() == text
               && Money.TryParse(text, out var tried)
               && tried == money;
    }

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10m;
        }

        return result;
    }
}

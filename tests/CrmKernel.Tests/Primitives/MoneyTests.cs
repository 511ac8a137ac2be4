using System.Globalization;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using Xunit;

namespace CrmKernel.Tests.Primitives;

public class MoneyTests
{
    private static readonly Currency Bhd = Currency.FromCode("BHD");
    private static readonly Currency Clf = Currency.FromCode("CLF");

    private static Money Eur(decimal amount) => new(amount, Currency.EUR);

    private static Money Usd(decimal amount) => new(amount, Currency.USD);

    private static Money Jpy(decimal amount) => new(amount, Currency.JPY);

    private static void AssertMismatch(Currency expected, Currency actual, Action action)
    {
        var exception = Assert.Throws<CurrencyMismatchException>(action);

        Assert.Equal(CrmErrorCodes.CurrencyMismatch, exception.ErrorCode);
        Assert.Equal(expected, exception.Expected);
        Assert.Equal(actual, exception.Actual);
    }

    // Construction

    [Fact]
    public void Constructor_KeepsAmountWithItsScaleAndCurrency()
    {
        var money = new Money(12.340m, Currency.EUR);

        Assert.Equal(12.340m, money.Amount);
        Assert.Equal(3, money.Amount.Scale);
        Assert.Equal(Currency.EUR, money.Currency);
    }

    [Fact]
    public void Default_IsZeroInXxx()
    {
        var money = default(Money);

        Assert.Equal(0m, money.Amount);
        Assert.Equal(Currency.XXX, money.Currency);
        Assert.True(money.IsZero);
        Assert.Equal(Money.Zero(Currency.XXX), money);
        Assert.Equal("0 XXX", money.ToString());
    }

    [Fact]
    public void Default_CannotBeCombinedWithARealCurrency()
        => AssertMismatch(Currency.XXX, Currency.EUR, () => _ = default(Money) + Eur(1m));

    [Theory]
    [InlineData("EUR")]
    [InlineData("eur")]
    [InlineData(" Eur ")]
    public void Of_ReadsTheCurrencyCode(string code)
        => Assert.Equal(Eur(1.5m), Money.Of(1.5m, code));

    [Fact]
    public void Of_NullCode_ThrowsArgumentNullExceptionNamingCurrencyCode()
    {
        var exception = Assert.Throws<ArgumentNullException>(() => Money.Of(1m, null!));

        Assert.Equal("currencyCode", exception.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("EURO")]
    [InlineData("ABC")]
    [InlineData("HRK")]
    public void Of_UnknownCode_ThrowsArgumentExceptionNamingCurrencyCode(string code)
    {
        var exception = Assert.Throws<ArgumentException>(() => Money.Of(1m, code));

        Assert.Equal("currencyCode", exception.ParamName);
    }

    [Fact]
    public void Zero_IsZeroInTheCurrency()
    {
        var zero = Money.Zero(Currency.JPY);

        Assert.True(zero.IsZero);
        Assert.Equal(Currency.JPY, zero.Currency);
    }

    // Arithmetic

    [Fact]
    public void Add_SameCurrency_AddsExactly()
    {
        Assert.Equal(Eur(2.75m), Eur(1.5m) + Eur(1.25m));
        Assert.Equal(Eur(2.75m), Eur(1.5m).Add(Eur(1.25m)));
        Assert.Equal(2, (Eur(1.5m) + Eur(1.25m)).Amount.Scale);
    }

    [Fact]
    public void Add_DifferentCurrencies_ThrowsCurrencyMismatch()
    {
        AssertMismatch(Currency.EUR, Currency.USD, () => _ = Eur(1m) + Usd(1m));
        AssertMismatch(Currency.USD, Currency.EUR, () => Usd(1m).Add(Eur(1m)));
    }

    [Fact]
    public void Add_BeyondDecimalRange_ThrowsOverflowException()
        => Assert.Throws<OverflowException>(() => Eur(decimal.MaxValue) + Eur(1m));

    [Fact]
    public void Subtract_SameCurrency_SubtractsExactly()
    {
        Assert.Equal(Eur(-0.25m), Eur(1m) - Eur(1.25m));
        Assert.Equal(Eur(-0.25m), Eur(1m).Subtract(Eur(1.25m)));
    }

    [Fact]
    public void Subtract_DifferentCurrencies_ThrowsCurrencyMismatch()
    {
        AssertMismatch(Currency.EUR, Currency.GBP, () => _ = Eur(1m) - new Money(1m, Currency.GBP));
        AssertMismatch(Currency.GBP, Currency.EUR, () => new Money(1m, Currency.GBP).Subtract(Eur(1m)));
    }

    [Fact]
    public void Negate_ReversesTheSign()
    {
        Assert.Equal(Eur(-3.10m), -Eur(3.10m));
        Assert.Equal(Eur(3.10m), Eur(-3.10m).Negate());
        Assert.Equal(Currency.EUR, (-Eur(1m)).Currency);
    }

    [Fact]
    public void Multiply_ByANumber_IsExactInBothOrders()
    {
        Assert.Equal(Eur(3.00m), Eur(1.50m) * 2m);
        Assert.Equal(Eur(3.00m), 2m * Eur(1.50m));
        Assert.Equal(Eur(2.250m), Eur(1.50m).Multiply(1.5m));
        Assert.Equal(3, (Eur(1.50m) * 1.5m).Amount.Scale);
    }

    [Fact]
    public void Multiply_BeyondDecimalRange_ThrowsOverflowException()
        => Assert.Throws<OverflowException>(() => Eur(decimal.MaxValue) * 2m);

    [Fact]
    public void Divide_ByANumber_IsNotRounded()
    {
        Assert.Equal(Eur(2.5m), Eur(10m) / 4m);
        Assert.Equal(Eur(10m / 3m), Eur(10m).Divide(3m));
    }

    [Fact]
    public void Divide_ByZero_ThrowsArgumentExceptionNamingDivisor()
    {
        var byOperator = Assert.Throws<ArgumentException>(() => Eur(1m) / 0m);
        var byMethod = Assert.Throws<ArgumentException>(() => Eur(1m).Divide(0.00m));

        Assert.Equal("divisor", byOperator.ParamName);
        Assert.Equal("divisor", byMethod.ParamName);
    }

    [Fact]
    public void SignProperties_DescribeTheAmount()
    {
        Assert.True(Eur(0.00m).IsZero);
        Assert.False(Eur(0.00m).IsNegative);
        Assert.False(Eur(0.00m).IsPositive);
        Assert.True(Eur(-0.01m).IsNegative);
        Assert.False(Eur(-0.01m).IsZero);
        Assert.True(Eur(0.01m).IsPositive);
        Assert.False(Eur(0.01m).IsNegative);
    }

    [Fact]
    public void Abs_DropsTheSign()
    {
        Assert.Equal(Eur(4.20m), Eur(-4.20m).Abs());
        Assert.Equal(Eur(4.20m), Eur(4.20m).Abs());
    }

    // Comparison and equality

    [Fact]
    public void ComparisonOperators_SameCurrency_CompareAmounts()
    {
        Assert.True(Eur(1m) < Eur(2m));
        Assert.False(Eur(2m) < Eur(1m));
        Assert.True(Eur(2m) > Eur(1m));
        Assert.False(Eur(1m) > Eur(2m));
        Assert.True(Eur(1m) <= Eur(1.00m));
        Assert.True(Eur(1m) >= Eur(1.00m));
        Assert.False(Eur(1.01m) <= Eur(1m));
        Assert.False(Eur(0.99m) >= Eur(1m));
        Assert.True(Eur(1m).CompareTo(Eur(2m)) < 0);
        Assert.True(Eur(2m).CompareTo(Eur(1m)) > 0);
        Assert.Equal(0, Eur(1.0m).CompareTo(Eur(1.00m)));
    }

    [Fact]
    public void ComparisonOperators_DifferentCurrencies_ThrowCurrencyMismatch()
    {
        AssertMismatch(Currency.EUR, Currency.USD, () => _ = Eur(1m) < Usd(2m));
        AssertMismatch(Currency.EUR, Currency.USD, () => _ = Eur(1m) > Usd(2m));
        AssertMismatch(Currency.EUR, Currency.USD, () => _ = Eur(1m) <= Usd(2m));
        AssertMismatch(Currency.EUR, Currency.USD, () => _ = Eur(1m) >= Usd(2m));
        AssertMismatch(Currency.USD, Currency.EUR, () => Usd(1m).CompareTo(Eur(1m)));
    }

    [Fact]
    public void Equality_IgnoresScale()
    {
        Assert.True(Eur(1.0m) == Eur(1.00m));
        Assert.True(Eur(1.0m).Equals(Eur(1.00m)));
        Assert.True(Eur(1.0m).Equals((object)Eur(1.00m)));
        Assert.Equal(Eur(1.0m).GetHashCode(), Eur(1.00m).GetHashCode());
        Assert.Equal(Eur(0m).GetHashCode(), Eur(-0.000m).GetHashCode());
    }

    [Fact]
    public void Equality_DifferentCurrencyOrAmount_IsFalseAndNeverThrows()
    {
        Assert.False(Eur(1m) == Usd(1m));
        Assert.True(Eur(1m) != Usd(1m));
        Assert.False(Eur(1m).Equals(Usd(1m)));
        Assert.True(Eur(1m) != Eur(1.01m));
        Assert.False(Eur(1m).Equals((object)1m));
        Assert.False(Eur(1m).Equals(null));
    }

    // Rounding

    [Theory]
    [InlineData("2.345", "2.34")]
    [InlineData("2.355", "2.36")]
    [InlineData("-2.345", "-2.34")]
    [InlineData("2.3449", "2.34")]
    [InlineData("12", "12.00")]
    [InlineData("12.5", "12.50")]
    public void Round_DefaultsToBankersRoundingAtTheMinorUnits(string amount, string expected)
    {
        var rounded = Eur(decimal.Parse(amount, CultureInfo.InvariantCulture)).Round();

        Assert.Equal($"{expected} EUR", rounded.ToString());
    }

    [Theory]
    [InlineData("2.345", MidpointRounding.AwayFromZero, "2.35")]
    [InlineData("-2.345", MidpointRounding.AwayFromZero, "-2.35")]
    [InlineData("2.349", MidpointRounding.ToZero, "2.34")]
    [InlineData("2.341", MidpointRounding.ToPositiveInfinity, "2.35")]
    [InlineData("-2.341", MidpointRounding.ToNegativeInfinity, "-2.35")]
    public void Round_UsesTheGivenMode(string amount, MidpointRounding mode, string expected)
        => Assert.Equal($"{expected} EUR", Eur(decimal.Parse(amount, CultureInfo.InvariantCulture)).Round(mode).ToString());

    [Theory]
    [InlineData("2.5", "2")]
    [InlineData("3.5", "4")]
    [InlineData("1234.49", "1234")]
    [InlineData("12.0", "12")]
    public void Round_Jpy_RoundsToWholeYen(string amount, string expected)
        => Assert.Equal($"{expected} JPY", Jpy(decimal.Parse(amount, CultureInfo.InvariantCulture)).Round().ToString());

    [Theory]
    [InlineData("1.23456", "1.235")]
    [InlineData("0.0125", "0.012")]
    [InlineData("0.0135", "0.014")]
    [InlineData("7", "7.000")]
    public void Round_Bhd_RoundsToFils(string amount, string expected)
        => Assert.Equal($"{expected} BHD", new Money(decimal.Parse(amount, CultureInfo.InvariantCulture), Bhd).Round().ToString());

    [Fact]
    public void Round_CurrencyWithoutMinorUnits_RoundsToWholeUnits()
        => Assert.Equal("2 XAU", new Money(1.5m, Currency.FromCode("XAU")).Round().ToString());

    [Fact]
    public void Round_AmountTooLargeForTheExtraDecimals_KeepsTheAmount()
        => Assert.Equal(Eur(decimal.MaxValue), Eur(decimal.MaxValue).Round());

    [Fact]
    public void Round_UndefinedMode_ThrowsArgumentExceptionNamingMode()
    {
        var exception = Assert.ThrowsAny<ArgumentException>(() => Eur(1m).Round((MidpointRounding)42));

        Assert.Equal("mode", exception.ParamName);
    }

    // Allocation

    [Theory]
    [InlineData("10.00", 3, new[] { "3.34", "3.33", "3.33" })]
    [InlineData("10", 4, new[] { "2.50", "2.50", "2.50", "2.50" })]
    [InlineData("0.05", 3, new[] { "0.02", "0.02", "0.01" })]
    [InlineData("0.01", 3, new[] { "0.01", "0.00", "0.00" })]
    [InlineData("0", 2, new[] { "0.00", "0.00" })]
    [InlineData("-10.00", 3, new[] { "-3.34", "-3.33", "-3.33" })]
    [InlineData("-0.05", 3, new[] { "-0.02", "-0.02", "-0.01" })]
    [InlineData("99.999", 1, new[] { "100.00" })]
    [InlineData("10.005", 2, new[] { "5.00", "5.00" })] // rounded to even (10.00) first
    public void Allocate_Eur_SplitsIntoCentsThatAddUp(string amount, int parts, string[] expected)
    {
        var result = Eur(decimal.Parse(amount, CultureInfo.InvariantCulture)).Allocate(parts);

        Assert.Equal(expected.Select(e => $"{e} EUR"), result.Select(m => m.ToString()));
    }

    [Fact]
    public void Allocate_Jpy_SplitsIntoWholeYen()
        => Assert.Equal(new[] { Jpy(34m), Jpy(33m), Jpy(33m) }, Jpy(100m).Allocate(3));

    [Fact]
    public void Allocate_Bhd_SplitsIntoFils()
    {
        var result = new Money(1m, Bhd).Allocate(3);

        Assert.Equal(new[] { "0.334 BHD", "0.333 BHD", "0.333 BHD" }, result.Select(m => m.ToString()));
    }

    [Fact]
    public void Allocate_Clf_SplitsIntoTenThousandths()
    {
        var result = new Money(1m, Clf).Allocate(3);

        Assert.Equal(new[] { "0.3334 CLF", "0.3333 CLF", "0.3333 CLF" }, result.Select(m => m.ToString()));
    }

    [Fact]
    public void Allocate_AmountAtTheEdgeOfDecimal_AddsUpWithoutOverflow()
    {
        var total = new Money(decimal.MaxValue, Currency.JPY);

        var result = total.Allocate(7);

        Assert.Equal(total, Money.Sum(result, Currency.JPY));
        Assert.True(result.Max(m => m.Amount) - result.Min(m => m.Amount) <= 1m);
    }

    [Fact]
    public void Allocate_MorePartsThanMinorUnits_GivesZeroParts()
    {
        var result = Eur(0.02m).Allocate(5);

        Assert.Equal(new[] { Eur(0.01m), Eur(0.01m), Eur(0m), Eur(0m), Eur(0m) }, result);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void Allocate_FewerThanOnePart_ThrowsArgumentOutOfRangeExceptionNamingParts(int parts)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => Eur(10m).Allocate(parts));

        Assert.Equal("parts", exception.ParamName);
    }

    // Sum

    [Fact]
    public void Sum_Empty_IsZeroInTheCurrency()
    {
        Assert.Equal(Money.Zero(Currency.EUR), Money.Sum(Enumerable.Empty<Money>(), Currency.EUR));
        Assert.Equal(Money.Zero(Currency.EUR), Money.Sum(ReadOnlySpan<Money>.Empty, Currency.EUR));
        Assert.Equal(Currency.EUR, Money.Sum([], Currency.EUR).Currency);
    }

    [Fact]
    public void Sum_AddsEveryAmountWhateverTheCollection()
    {
        Money[] array = [Eur(1.10m), Eur(2.20m), Eur(-0.30m)];
        var expected = Eur(3.00m);

        Assert.Equal(expected, Money.Sum(array, Currency.EUR));
        Assert.Equal(expected, Money.Sum(array.ToList(), Currency.EUR));
        Assert.Equal(expected, Money.Sum(Lazily(array), Currency.EUR));
        Assert.Equal(expected, Money.Sum(array.AsSpan(), Currency.EUR));
        Assert.Equal(expected, Money.Sum((IEnumerable<Money>)array, Currency.EUR));
    }

    [Fact]
    public void Sum_AnAmountInAnotherCurrency_ThrowsCurrencyMismatchNamingBoth()
    {
        Money[] values = [Eur(1m), Usd(2m), Eur(3m)];

        AssertMismatch(Currency.EUR, Currency.USD, () => Money.Sum(values, Currency.EUR));
        AssertMismatch(Currency.EUR, Currency.USD, () => Money.Sum(values.ToList(), Currency.EUR));
        AssertMismatch(Currency.EUR, Currency.USD, () => Money.Sum(Lazily(values), Currency.EUR));
        AssertMismatch(Currency.EUR, Currency.USD, () => Money.Sum(new ReadOnlySpan<Money>(values), Currency.EUR));
        AssertMismatch(Currency.GBP, Currency.EUR, () => Money.Sum(values, Currency.GBP));
    }

    [Fact]
    public void Sum_NullValues_ThrowsArgumentNullExceptionNamingValues()
    {
        var exception = Assert.Throws<ArgumentNullException>(() => Money.Sum((IEnumerable<Money>)null!, Currency.EUR));

        Assert.Equal("values", exception.ParamName);
    }

    [Fact]
    public void Sum_OverASpan_DoesNotAllocate()
    {
        Money[] values = [Eur(1.10m), Eur(2.20m), Eur(-0.30m)];
        _ = Money.Sum(values.AsSpan(), Currency.EUR);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var total = Money.Sum(values.AsSpan(), Currency.EUR);
        var after = GC.GetAllocatedBytesForCurrentThread();

        Assert.Equal(before, after);
        Assert.Equal(Eur(3m), total);
    }

    [Fact]
    public void Arithmetic_RoundingComparisonAndSpanText_DoNotAllocate()
    {
        var a = Eur(12.345m);
        var b = Eur(0.655m);
        Span<char> buffer = stackalloc char[64];
        Exercise(a, b, buffer);

        // The runtime itself may allocate on this thread now and then (tiered-compilation bookkeeping when another test
        // thread pushes a shared method over its call-count threshold), so measure a few times: an allocation by Money
        // shows in every measurement, the runtime's in at most one.
        var fewest = long.MaxValue;
        var result = true;
        for (var attempt = 0; attempt < 5 && fewest > 0; attempt++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            result &= Exercise(a, b, buffer);
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, fewest);
        Assert.True(result);

        static bool Exercise(Money a, Money b, Span<char> buffer)
        {
            var sum = (a + b - b) * 2m / 2m;
            var rounded = (-sum).Abs().Round().Round(MidpointRounding.AwayFromZero);
            var compared = a.CompareTo(b) > 0 && a > b && b <= a && a != b && a.GetHashCode() != 0;
            var formatted = rounded.TryFormat(buffer, out var written, default, null);
            var parsed = Money.TryParse(buffer[..written], null, out var back) && back == rounded;
            return compared && formatted && parsed && !sum.IsZero;
        }
    }

    private static IEnumerable<Money> Lazily(IEnumerable<Money> values)
    {
        foreach (var value in values)
        {
            yield return value;
        }
    }

    // Text

    [Theory]
    [InlineData("12.34", "EUR", "12.34 EUR")]
    [InlineData("12.340", "EUR", "12.340 EUR")]
    [InlineData("-12.34", "EUR", "-12.34 EUR")]
    [InlineData("0", "USD", "0 USD")]
    [InlineData("0.00", "USD", "0.00 USD")]
    [InlineData("1500", "JPY", "1500 JPY")]
    [InlineData("1234567.125", "BHD", "1234567.125 BHD")]
    [InlineData("0.0000000000000000000000000001", "EUR", "0.0000000000000000000000000001 EUR")]
    [InlineData("-79228162514264337593543950335", "EUR", "-79228162514264337593543950335 EUR")]
    public void ToString_IsInvariantAmountSpaceCode(string amount, string code, string expected)
        => Assert.Equal(expected, Money.Of(decimal.Parse(amount, CultureInfo.InvariantCulture), code).ToString());

    [Fact]
    public void ToString_IgnoresTheCurrentCulture()
    {
        var original = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            var money = Eur(1234.5m);

            Assert.Equal("1234.5 EUR", money.ToString());
            Assert.Equal("1234.5 EUR", $"{money}");
            Assert.Equal("1234.5 EUR", money.ToString(null, null));
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
        }
    }

    [Fact]
    public void ToString_WithFormatAndCulture_FormatsTheAmountForDisplay()
    {
        var money = Eur(1234.5m);

        Assert.Equal("1.234,50 EUR", money.ToString("N2", CultureInfo.GetCultureInfo("de-DE")));
        Assert.Equal("1,234.50 EUR", money.ToString("N2", CultureInfo.InvariantCulture));
        Assert.Equal("1234.50 EUR", money.ToString("F2", null));
        Assert.Equal("1,234.50 EUR", string.Create(CultureInfo.InvariantCulture, $"{money:N2}"));
    }

    [Fact]
    public void ToString_LongCustomFormat_StillFormats()
    {
        var format = "0." + new string('0', 60);

        Assert.Equal($"1.{new string('0', 60)} EUR", Eur(1m).ToString(format, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void ToString_InvalidFormat_ThrowsFormatException()
        => Assert.Throws<FormatException>(() => Eur(1m).ToString("Q", CultureInfo.InvariantCulture));

    [Fact]
    public void TryFormat_WritesTheTextOrReportsTooSmall()
    {
        var money = Eur(-12.34m);
        Span<char> buffer = stackalloc char[32];

        Assert.True(money.TryFormat(buffer, out var written, default, null));
        Assert.Equal("-12.34 EUR", buffer[..written].ToString());

        Assert.False(money.TryFormat(buffer[..9], out written, default, null));
        Assert.Equal(0, written);
        Assert.False(money.TryFormat(buffer[..3], out written, default, null));
        Assert.Equal(0, written);
    }

    [Theory]
    [InlineData("12.34 EUR", "12.34", "EUR")]
    [InlineData("12.340 EUR", "12.340", "EUR")]
    [InlineData("-12.34 EUR", "-12.34", "EUR")]
    [InlineData("0 XXX", "0", "XXX")]
    [InlineData("-0.00 USD", "0.00", "USD")]
    [InlineData("1500 JPY", "1500", "JPY")]
    [InlineData("0.125 BHD", "0.125", "BHD")]
    [InlineData("007.50 EUR", "7.50", "EUR")]
    [InlineData("79228162514264337593543950335 EUR", "79228162514264337593543950335", "EUR")]
    public void Parse_ReadsTheTextFormKeepingTheScale(string text, string amount, string code)
    {
        var expected = decimal.Parse(amount, CultureInfo.InvariantCulture);

        var money = Money.Parse(text);

        Assert.Equal(expected, money.Amount);
        Assert.Equal(expected.Scale, money.Amount.Scale);
        Assert.Equal(code, money.Currency.Code);
        Assert.True(Money.TryParse(text, out var tried));
        Assert.Equal(money, tried);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("EUR")]
    [InlineData("12")]
    [InlineData("12EUR")]
    [InlineData("12  EUR")]
    [InlineData(" 12 EUR")]
    [InlineData("12 EUR ")]
    [InlineData("12\tEUR")]
    [InlineData("12 eur")]
    [InlineData("12 Eur")]
    [InlineData("12 EURO")]
    [InlineData("12 ABC")]
    [InlineData("12 HRK")]
    [InlineData("EUR 12")]
    [InlineData("+12 EUR")]
    [InlineData("--12 EUR")]
    [InlineData("- 12 EUR")]
    [InlineData("12- EUR")]
    [InlineData("12. EUR")]
    [InlineData(".5 EUR")]
    [InlineData("-.5 EUR")]
    [InlineData("1.2.3 EUR")]
    [InlineData("1,000.00 EUR")]
    [InlineData("12,34 EUR")]
    [InlineData("1e3 EUR")]
    [InlineData("0x10 EUR")]
    [InlineData("12.34 €")]
    [InlineData("€ 12.34")]
    [InlineData("١٢ EUR")] // Arabic-Indic digits
    [InlineData("79228162514264337593543950336 EUR")] // beyond decimal.MaxValue
    public void Parse_AnythingElse_ThrowsFormatException(string text)
    {
        Assert.Throws<FormatException>(() => Money.Parse(text));
        Assert.False(Money.TryParse(text, out var result));
        Assert.Equal(default, result);
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNullExceptionNamingText()
    {
        var exception = Assert.Throws<ArgumentNullException>(() => Money.Parse(null!));

        Assert.Equal("text", exception.ParamName);
    }

    [Fact]
    public void TryParse_Null_ReturnsFalse()
    {
        Assert.False(Money.TryParse(null, out var result));
        Assert.Equal(default, result);
    }

    [Fact]
    public void SpanParsableMembers_ReadTheSameFormAndIgnoreTheProvider()
    {
        var german = CultureInfo.GetCultureInfo("de-DE");

        Assert.Equal(Eur(12.5m), Money.Parse("12.5 EUR", german));
        Assert.Equal(Eur(12.5m), Money.Parse("12.5 EUR".AsSpan(), german));
        Assert.True(Money.TryParse("12.5 EUR", german, out var fromString));
        Assert.True(Money.TryParse("12.5 EUR".AsSpan(), german, out var fromSpan));
        Assert.Equal(Eur(12.5m), fromString);
        Assert.Equal(Eur(12.5m), fromSpan);
        Assert.Throws<FormatException>(() => Money.Parse("12,5 EUR", german));
        Assert.Throws<FormatException>(() => Money.Parse("12,5 EUR".AsSpan(), german));
        Assert.False(Money.TryParse((string?)null, german, out _));
        Assert.False(Money.TryParse("12,5 EUR".AsSpan(), german, out _));
        Assert.Equal("s", Assert.Throws<ArgumentNullException>(() => Money.Parse(null!, german)).ParamName);
    }

    [Fact]
    public void Parse_WorksThroughTheGenericParsableInterface()
        => Assert.Equal(Jpy(1500m), ParseAs<Money>("1500 JPY"));

    private static T ParseAs<T>(string text)
        where T : IParsable<T>
        => T.Parse(text, CultureInfo.InvariantCulture);

    // The exception

    [Fact]
    public void CurrencyMismatchException_CarriesCodeCurrenciesAndASafeMessage()
    {
        var exception = Assert.Throws<CurrencyMismatchException>(() => Eur(123.45m) + Usd(678.90m));

        Assert.IsAssignableFrom<CrmException>(exception);
        Assert.Equal("CRM-MONEY-001", exception.ErrorCode);
        Assert.Equal(Currency.EUR, exception.Expected);
        Assert.Equal(Currency.USD, exception.Actual);
        Assert.StartsWith("CRM-MONEY-001: ", exception.Message, StringComparison.Ordinal);
        Assert.Contains("EUR", exception.Message, StringComparison.Ordinal);
        Assert.Contains("USD", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("123", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("678", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CurrencyMismatchException_CanBeCreatedByAdapters()
    {
        var exception = new CurrencyMismatchException(Currency.CHF, Currency.XXX);

        Assert.Equal(CrmErrorCodes.CurrencyMismatch, exception.ErrorCode);
        Assert.Equal(Currency.CHF, exception.Expected);
        Assert.Equal(Currency.XXX, exception.Actual);
        Assert.Contains("CHF", exception.Message, StringComparison.Ordinal);
        Assert.Contains("XXX", exception.Message, StringComparison.Ordinal);
    }
}

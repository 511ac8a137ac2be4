using CrmKernel.Primitives;
using Xunit;

namespace CrmKernel.Tests.Primitives;

public class CurrencyTests
{
    public static TheoryData<string, int, int, string> WellKnown => new()
    {
        { "USD", 840, 2, "US Dollar" },
        { "EUR", 978, 2, "Euro" },
        { "GBP", 826, 2, "Pound Sterling" },
        { "JPY", 392, 0, "Yen" },
        { "CHF", 756, 2, "Swiss Franc" },
        { "CAD", 124, 2, "Canadian Dollar" },
        { "AUD", 36, 2, "Australian Dollar" },
        { "CNY", 156, 2, "Yuan Renminbi" },
        { "SEK", 752, 2, "Swedish Krona" },
        { "NOK", 578, 2, "Norwegian Krone" },
        { "DKK", 208, 2, "Danish Krone" },
        { "INR", 356, 2, "Indian Rupee" },
        { "BRL", 986, 2, "Brazilian Real" },
        { "XXX", 999, 0, "The codes assigned for transactions where no currency is involved" },
    };

    public static TheoryData<string> UnknownCodes => new()
    {
        string.Empty, "   ", "E", "EU", "EURO", "E U R", "ABC", "E1R", "ÄUR", "€", "123",
        "HRK", // withdrawn when Croatia adopted the euro
        "BGN", // withdrawn when Bulgaria adopted the euro
        "ANG", // replaced by XCG
    };

    private static Currency WellKnownProperty(string code) => code switch
    {
        "USD" => Currency.USD,
        "EUR" => Currency.EUR,
        "GBP" => Currency.GBP,
        "JPY" => Currency.JPY,
        "CHF" => Currency.CHF,
        "CAD" => Currency.CAD,
        "AUD" => Currency.AUD,
        "CNY" => Currency.CNY,
        "SEK" => Currency.SEK,
        "NOK" => Currency.NOK,
        "DKK" => Currency.DKK,
        "INR" => Currency.INR,
        "BRL" => Currency.BRL,
        "XXX" => Currency.XXX,
        _ => throw new ArgumentOutOfRangeException(nameof(code)),
    };

    [Fact]
    public void Default_IsXxxNoCurrency()
    {
        var currency = default(Currency);

        Assert.Equal(Currency.XXX, currency);
        Assert.Equal("XXX", currency.Code);
        Assert.Equal(999, currency.NumericCode);
        Assert.Equal(0, currency.MinorUnits);
        Assert.Equal("XXX", currency.ToString());
    }

    [Theory]
    [MemberData(nameof(WellKnown))]
    public void WellKnownProperties_HaveIsoCodeNumberMinorUnitsAndName(string code, int numericCode, int minorUnits, string name)
    {
        var currency = WellKnownProperty(code);

        Assert.Equal(code, currency.Code);
        Assert.Equal(numericCode, currency.NumericCode);
        Assert.Equal(minorUnits, currency.MinorUnits);
        Assert.Equal(name, currency.Name);
        Assert.Equal(currency, Currency.FromCode(code));
        Assert.Equal(currency, Currency.FromNumericCode(numericCode));
    }

    [Theory]
    [InlineData("JPY", 0)]
    [InlineData("KRW", 0)]
    [InlineData("CLP", 0)]
    [InlineData("EUR", 2)]
    [InlineData("BHD", 3)]
    [InlineData("KWD", 3)]
    [InlineData("TND", 3)]
    [InlineData("CLF", 4)]
    [InlineData("UYW", 4)]
    public void MinorUnits_FollowIso4217(string code, int minorUnits)
        => Assert.Equal(minorUnits, Currency.FromCode(code).MinorUnits);

    [Theory]
    [InlineData("XAU", 959)]
    [InlineData("XAG", 961)]
    [InlineData("XPT", 962)]
    [InlineData("XPD", 964)]
    [InlineData("XDR", 960)]
    [InlineData("XBA", 955)]
    [InlineData("XSU", 994)]
    [InlineData("XUA", 965)]
    [InlineData("XTS", 963)]
    [InlineData("XXX", 999)]
    public void SpecialCodesWithoutMinorUnits_AreKnownWithZeroMinorUnits(string code, int numericCode)
    {
        var currency = Currency.FromCode(code);

        Assert.Equal(numericCode, currency.NumericCode);
        Assert.Equal(0, currency.MinorUnits);
    }

    [Theory]
    [InlineData("XCG", 532, "Caribbean Guilder")]
    [InlineData("ZWG", 924, "Zimbabwe Gold")]
    [InlineData("XAD", 396, "Arab Accounting Dinar")]
    [InlineData("SLE", 925, "Leone")]
    [InlineData("VED", 926, "Bolívar Soberano")]
    public void RecentlyAddedCodes_AreKnown(string code, int numericCode, string name)
    {
        var currency = Currency.FromCode(code);

        Assert.Equal(numericCode, currency.NumericCode);
        Assert.Equal(name, currency.Name);
    }

    [Theory]
    [InlineData("EUR")]
    [InlineData("eur")]
    [InlineData("Eur")]
    [InlineData(" EUR ")]
    [InlineData("\teUr\n")]
    public void FromCode_IgnoresCaseAndSurroundingWhiteSpace(string code)
        => Assert.Equal(Currency.EUR, Currency.FromCode(code));

    [Fact]
    public void FromCode_Null_ThrowsArgumentNullExceptionNamingCode()
    {
        var exception = Assert.Throws<ArgumentNullException>(() => Currency.FromCode(null!));

        Assert.Equal("code", exception.ParamName);
    }

    [Theory]
    [MemberData(nameof(UnknownCodes))]
    public void FromCode_UnknownCode_ThrowsArgumentExceptionNamingCode(string code)
    {
        var exception = Assert.Throws<ArgumentException>(() => Currency.FromCode(code));

        Assert.Equal("code", exception.ParamName);
    }

    [Fact]
    public void FromCode_LongUnknownText_IsNotEchoedInTheMessage()
    {
        var exception = Assert.Throws<ArgumentException>(() => Currency.FromCode("jane.doe@example.com"));

        Assert.DoesNotContain("jane", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gbp")]
    [InlineData(" GBP")]
    public void TryFromCode_KnownCode_ReturnsTrueAndTheCurrency(string code)
    {
        Assert.True(Currency.TryFromCode(code, out var currency));
        Assert.Equal(Currency.GBP, currency);
    }

    [Theory]
    [MemberData(nameof(UnknownCodes))]
    public void TryFromCode_UnknownCode_ReturnsFalseAndXxx(string code)
    {
        Assert.False(Currency.TryFromCode(code, out var currency));
        Assert.Equal(Currency.XXX, currency);
    }

    [Fact]
    public void TryFromCode_Null_ReturnsFalse()
    {
        Assert.False(Currency.TryFromCode(null, out var currency));
        Assert.Equal(Currency.XXX, currency);
    }

    [Theory]
    [InlineData(978, "EUR")]
    [InlineData(8, "ALL")]
    [InlineData(48, "BHD")]
    [InlineData(532, "XCG")]
    [InlineData(999, "XXX")]
    public void FromNumericCode_KnownNumber_ReturnsTheCurrency(int numericCode, string code)
        => Assert.Equal(code, Currency.FromNumericCode(numericCode).Code);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-978)]
    [InlineData(191)] // HRK, withdrawn
    [InlineData(1000)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void FromNumericCode_UnknownNumber_ThrowsArgumentExceptionNamingNumericCode(int numericCode)
    {
        var exception = Assert.Throws<ArgumentException>(() => Currency.FromNumericCode(numericCode));

        Assert.Equal("numericCode", exception.ParamName);
    }

    [Fact]
    public void TryFromNumericCode_KnownNumber_ReturnsTrueAndTheCurrency()
    {
        Assert.True(Currency.TryFromNumericCode(392, out var currency));
        Assert.Equal(Currency.JPY, currency);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1000)]
    public void TryFromNumericCode_UnknownNumber_ReturnsFalseAndXxx(int numericCode)
    {
        Assert.False(Currency.TryFromNumericCode(numericCode, out var currency));
        Assert.Equal(Currency.XXX, currency);
    }

    [Fact]
    public void All_HoldsEveryIso4217ListOneCodeOnceInCodeOrder()
    {
        var all = Currency.All;

        Assert.Equal(178, all.Count);
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(all.Count, all.Select(c => c.NumericCode).Distinct().Count());
        Assert.Equal(all.Select(c => c.Code).Order(StringComparer.Ordinal), all.Select(c => c.Code));
        Assert.Contains(Currency.XXX, all);
    }

    [Fact]
    public void All_EveryEntryIsWellFormedAndFoundByItsCodes()
    {
        Assert.All(Currency.All, currency =>
        {
            Assert.Matches("^[A-Z]{3}$", currency.Code);
            Assert.InRange(currency.NumericCode, 1, 999);
            Assert.InRange(currency.MinorUnits, 0, 4);
            Assert.False(string.IsNullOrWhiteSpace(currency.Name));
            Assert.Equal(currency, Currency.FromCode(currency.Code));
            Assert.Equal(currency, Currency.FromCode(currency.Code.ToLowerInvariant()));
            Assert.Equal(currency, Currency.FromNumericCode(currency.NumericCode));
        });
    }

    [Fact]
    public void All_CannotBeModified()
    {
        var list = Assert.IsAssignableFrom<IList<Currency>>(Currency.All);

        Assert.True(list.IsReadOnly);
        Assert.Throws<NotSupportedException>(() => list[0] = Currency.EUR);
    }

    [Fact]
    public void Equality_IsByCode()
    {
        var eur = Currency.FromCode("eur");

        Assert.True(eur == Currency.EUR);
        Assert.False(eur != Currency.EUR);
        Assert.True(eur != Currency.USD);
        Assert.False(eur == Currency.USD);
        Assert.True(eur.Equals(Currency.EUR));
        Assert.True(eur.Equals((object)Currency.EUR));
        Assert.False(eur.Equals((object)"EUR"));
        Assert.False(eur.Equals(null));
        Assert.Equal(Currency.EUR.GetHashCode(), eur.GetHashCode());
        Assert.NotEqual(Currency.EUR.GetHashCode(), Currency.USD.GetHashCode());
    }

    [Fact]
    public void CompareTo_OrdersByCode()
    {
        Assert.True(Currency.EUR.CompareTo(Currency.USD) < 0);
        Assert.True(Currency.USD.CompareTo(Currency.EUR) > 0);
        Assert.Equal(0, Currency.EUR.CompareTo(Currency.FromCode("EUR")));
        Assert.True(Currency.XXX.CompareTo(Currency.FromCode("XTS")) > 0);
        Assert.True(Currency.XXX.CompareTo(Currency.FromCode("YER")) < 0);
    }

    [Fact]
    public void ToString_IsTheCode()
        => Assert.Equal("CHF", Currency.CHF.ToString());

    [Fact]
    public void Lookups_DoNotAllocate()
    {
        _ = Currency.FromCode(" eur ");
        _ = Currency.TryFromCode("usd", out _);
        _ = Currency.FromNumericCode(978);

        // Measured a few times: the runtime may allocate on this thread once in a while (tiered-compilation
        // bookkeeping); an allocation by the lookups shows in every measurement.
        var fewest = long.MaxValue;
        for (var attempt = 0; attempt < 5 && fewest > 0; attempt++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 100; i++)
            {
                _ = Currency.FromCode(" eur ");
                _ = Currency.TryFromCode("usd", out _);
                _ = Currency.TryFromCode("nope", out _);
                _ = Currency.FromNumericCode(978);
                _ = Currency.JPY.Code;
            }

            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, fewest);
    }
}

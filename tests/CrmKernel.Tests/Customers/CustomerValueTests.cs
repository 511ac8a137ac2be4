using CrmKernel.Diagnostics;
using CrmKernel.Customers;
using CrmKernel.Primitives;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Customers;

public sealed class ExternalIdentifierTests
{
    [Fact]
    public void Constructor_NormalisesSource_AndKeepsKeyCase()
    {
        var id = new ExternalIdentifier(" Shopify ", " Cust-0042 ");
        Assert.Equal("shopify", id.Source);
        Assert.Equal("Cust-0042", id.Key);
        Assert.Equal("shopify:Cust-0042", id.ToString());
        Assert.NotEqual(id, new ExternalIdentifier("shopify", "cust-0042"));
    }

    [Theory]
    [InlineData("", "k", "source")]
    [InlineData("has space", "k", "source")]
    [InlineData("s", "", "key")]
    [InlineData("s", "tab\there", "key")]
    public void Constructor_Invalid_IsRejectedNamingTheParameter(string source, string key, string parameter)
        => Assert.Equal(parameter, Assert.Throws<ArgumentException>(() => new ExternalIdentifier(source, key)).ParamName);

    [Fact]
    public void Constructor_TooLong_IsRejected()
    {
        Assert.Equal("source", Assert.Throws<InputLimitExceededException>(() => new ExternalIdentifier(new string('s', 65), "k")).ParamName);
        Assert.Equal("key", Assert.Throws<InputLimitExceededException>(() => new ExternalIdentifier("s", new string('k', 257))).ParamName);
    }

    [Fact]
    public void Parse_ReadsTheTextForm_SplittingAtTheFirstColon()
    {
        var id = ExternalIdentifier.Parse("erp:C:42");
        Assert.Equal("erp", id.Source);
        Assert.Equal("C:42", id.Key);
        Assert.Equal(id, ExternalIdentifier.Parse(id.ToString()));
    }

    [Theory]
    [InlineData("no-colon")]
    [InlineData(":key")]
    [InlineData("source:")]
    [InlineData("bad source:key")]
    public void Parse_Invalid_ThrowsFormatException(string text)
    {
        Assert.Throws<FormatException>(() => ExternalIdentifier.Parse(text));
        Assert.False(ExternalIdentifier.TryParse(text, out _));
    }

    [Fact]
    public void TryParse_Null_IsFalse() => Assert.False(ExternalIdentifier.TryParse(null, out _));
}

public sealed class CustomerTagTests
{
    [Theory]
    [InlineData("VIP", "vip")]
    [InlineData("  Newsletter  ", "newsletter")]
    [InlineData("high value", "high-value")]
    [InlineData("region:EMEA", "region:emea")]
    public void Constructor_Normalises(string text, string expected) => Assert.Equal(expected, new CustomerTag(text).Value);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("caf\u00e9")]
    [InlineData("semi;colon")]
    public void Constructor_Invalid_IsRejected(string text)
    {
        Assert.Equal("value", Assert.Throws<ArgumentException>(() => new CustomerTag(text)).ParamName);
        Assert.False(CustomerTag.TryParse(text, out _));
    }

    [Fact]
    public void Constructor_TooLong_IsRejected()
        => Assert.Equal("value", Assert.Throws<InputLimitExceededException>(() => new CustomerTag(new string('a', 65))).ParamName);

    [Fact]
    public void Tags_CompareOrdinally_AndEqualAfterNormalising()
    {
        Assert.Equal(new CustomerTag("VIP"), new CustomerTag("vip"));
        Assert.True(new CustomerTag("a").CompareTo(new CustomerTag("b")) < 0);
        Assert.Equal("", default(CustomerTag).ToString());
    }
}

public sealed class CustomAttributeValueTests
{
    public static TheoryData<CustomAttributeValue> Values => new()
    {
        CustomAttributeValue.FromText(" keeps spaces "),
        CustomAttributeValue.FromNumber(-12.50m),
        CustomAttributeValue.FromBoolean(true),
        CustomAttributeValue.FromBoolean(false),
        CustomAttributeValue.FromDate(new LocalDate(2024, 2, 29)),
        CustomAttributeValue.FromInstant(Instant.FromUtc(2026, 11, 23, 9, 30, 15).PlusNanoseconds(123)),
        CustomAttributeValue.FromMoney(Money.Of(25_000.50m, "GBP")),
        CustomAttributeValue.FromMoney(Money.Of(-3m, "JPY")),
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void InvariantString_RoundTrips(CustomAttributeValue value)
    {
        var back = CustomAttributeValue.Parse(value.Type, value.ToInvariantString());
        Assert.Equal(value, back);
        Assert.Equal(value.GetHashCode(), back.GetHashCode());
    }

    [Fact]
    public void Accessors_ReturnTheValue_OrThrowForAnotherType()
    {
        Assert.Equal("gold", CustomAttributeValue.FromText("gold").AsText());
        Assert.Equal(2.5m, CustomAttributeValue.FromNumber(2.5m).AsNumber());
        Assert.True(CustomAttributeValue.FromBoolean(true).AsBoolean());
        Assert.Equal(new LocalDate(2020, 1, 1), CustomAttributeValue.FromDate(new LocalDate(2020, 1, 1)).AsDate());
        Assert.Equal(Instant.FromUnixTimeSeconds(5), CustomAttributeValue.FromInstant(Instant.FromUnixTimeSeconds(5)).AsInstant());
        Assert.Throws<InvalidOperationException>(() => CustomAttributeValue.FromNumber(1).AsText());
        Assert.Throws<InvalidOperationException>(() => CustomAttributeValue.FromText("1").AsNumber());
        Assert.Throws<InvalidOperationException>(() => CustomAttributeValue.FromNumber(1).AsBoolean());
        Assert.Throws<InvalidOperationException>(() => CustomAttributeValue.FromNumber(1).AsDate());
        Assert.Throws<InvalidOperationException>(() => CustomAttributeValue.FromNumber(1).AsInstant());
        Assert.Equal(Money.Of(5m, "EUR"), CustomAttributeValue.FromMoney(Money.Of(5m, "EUR")).AsMoney());
        Assert.Throws<InvalidOperationException>(() => CustomAttributeValue.FromNumber(5).AsMoney());
    }

    [Fact]
    public void MoneyValues_InDifferentCurrencies_AreNotEqual()
        => Assert.NotEqual(CustomAttributeValue.FromMoney(Money.Of(5m, "EUR")), CustomAttributeValue.FromMoney(Money.Of(5m, "USD")));

    [Fact]
    public void ValuesOfDifferentTypes_AreNeverEqual()
    {
        Assert.NotEqual(CustomAttributeValue.FromNumber(1), CustomAttributeValue.FromBoolean(true));
        Assert.NotEqual(CustomAttributeValue.FromText("1"), CustomAttributeValue.FromNumber(1));
    }

    [Fact]
    public void FromText_TooLong_IsRejected()
        => Assert.Equal("value", Assert.Throws<InputLimitExceededException>(() => CustomAttributeValue.FromText(new string('x', CustomAttributeValue.MaxTextLength + 1))).ParamName);

    [Fact]
    public void FromDate_NonIsoCalendar_IsRejected()
        => Assert.Equal("value", Assert.Throws<ArgumentException>(() => CustomAttributeValue.FromDate(new LocalDate(2020, 1, 1).WithCalendar(CalendarSystem.Julian))).ParamName);

    [Theory]
    [InlineData(CustomAttributeType.Number, "twelve")]
    [InlineData(CustomAttributeType.Boolean, "yes")]
    [InlineData(CustomAttributeType.Date, "2024-02-30")]
    [InlineData(CustomAttributeType.Instant, "yesterday")]
    public void Parse_BadText_ThrowsFormatException(CustomAttributeType type, string text)
        => Assert.ThrowsAny<FormatException>(() => CustomAttributeValue.Parse(type, text));

    [Fact]
    public void Parse_UndefinedType_IsRejected()
        => Assert.Equal("type", Assert.ThrowsAny<ArgumentException>(() => CustomAttributeValue.Parse((CustomAttributeType)42, "x")).ParamName);
}

using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace CrmKernel.Tests.Primitives;

public sealed class CustomerIdTests
{
    [Fact]
    public void New_IsAVersion7Guid_AndTimeOrdered()
    {
        var ids = Enumerable.Range(0, 50).Select(_ => CustomerId.New()).ToList();
        Assert.All(ids, id => Assert.Equal(7, id.Value.Version));
        Assert.Equal(50, ids.Distinct().Count());
    }

    [Fact]
    public void Constructor_EmptyGuid_IsRejected()
        => Assert.Equal("value", Assert.Throws<ArgumentException>(() => new CustomerId(Guid.Empty)).ParamName);

    [Fact]
    public void ToString_IsTheLowerCaseDFormat()
    {
        var guid = Guid.Parse("0192F0C1-7A9E-7C3D-9A4B-1F2E3D4C5B6A");
        Assert.Equal("0192f0c1-7a9e-7c3d-9a4b-1f2e3d4c5b6a", new CustomerId(guid).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-guid")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("{0192f0c1-7a9e-7c3d-9a4b-1f2e3d4c5b6a}")]
    public void Parse_Invalid_ThrowsFormatException(string text)
    {
        Assert.Throws<FormatException>(() => CustomerId.Parse(text));
        Assert.False(CustomerId.TryParse(text, out _));
        Assert.False(CustomerId.TryParse(text.AsSpan(), null, out _));
    }

    [Fact]
    public void TryParse_Null_IsFalse() => Assert.False(CustomerId.TryParse(null, out _));

    [Fact]
    public void Parse_AcceptsSurroundingWhiteSpace()
    {
        var id = CustomerId.New();
        Assert.Equal(id, CustomerId.Parse($"  {id}  "));
    }

    [Fact]
    public void TryFormat_WritesTheTextForm_OrReportsShortBuffer()
    {
        var id = CustomerId.New();
        Span<char> buffer = stackalloc char[36];
        Assert.True(id.TryFormat(buffer, out var written, default, null));
        Assert.Equal(id.ToString(), buffer[..written].ToString());
        Assert.False(id.TryFormat(stackalloc char[10], out _, default, null));
        Assert.Equal(id.ToString(), $"{id}");
    }

    [Fact]
    public void CompareTo_OrdersByGuid()
    {
        var a = new CustomerId(Guid.Parse("00000000-0000-7000-8000-000000000001"));
        var b = new CustomerId(Guid.Parse("00000000-0000-7000-8000-000000000002"));
        Assert.True(a.CompareTo(b) < 0);
    }

    [Property]
    public void TextForm_RoundTrips(Guid guid)
    {
        if (guid == Guid.Empty)
        {
            return;
        }

        var id = new CustomerId(guid);
        Assert.Equal(id, CustomerId.Parse(id.ToString()));
        Assert.Equal(id, CustomerId.Parse(id.ToString().AsSpan(), null));
        Assert.True(CustomerId.TryParse(id.ToString(), null, out var parsed) && parsed == id);
    }
}

public sealed class TenantIdTests
{
    [Theory]
    [InlineData("acme")]
    [InlineData("Acme-EU_1.prod")]
    [InlineData("a")]
    public void Constructor_AcceptsValidKeys(string key) => Assert.Equal(key, new TenantId(key).Value);

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/not")]
    [InlineData("ümlaut")]
    public void Constructor_InvalidKey_IsRejectedNamingTheParameter(string key)
    {
        Assert.Equal("value", Assert.Throws<ArgumentException>(() => new TenantId(key)).ParamName);
        Assert.Throws<FormatException>(() => TenantId.Parse(key));
        Assert.False(TenantId.TryParse(key, out _));
    }

    [Fact]
    public void Constructor_TooLong_IsRejected()
        => Assert.Throws<InputLimitExceededException>(() => new TenantId(new string('a', TenantId.MaxLength + 1)));

    [Fact]
    public void Tenants_AreCaseSensitive() => Assert.NotEqual(new TenantId("Acme"), new TenantId("acme"));

    [Fact]
    public void Default_IsNotATenant_AndPrintsEmpty()
    {
        Assert.Null(default(TenantId).Value);
        Assert.Equal(string.Empty, default(TenantId).ToString());
    }

    [Fact]
    public void CompareTo_IsOrdinal() => Assert.True(new TenantId("B").CompareTo(new TenantId("a")) < 0);

    [Property]
    public Property TextForm_RoundTrips()
    {
        var keys = Gen.Elements("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-".ToCharArray())
            .ArrayOf()
            .Where(a => a.Length is > 0 and <= TenantId.MaxLength)
            .Select(a => new string(a));
        return Prop.ForAll(keys.ToArbitrary(), key => TenantId.Parse(new TenantId(key).ToString()) == new TenantId(key));
    }
}

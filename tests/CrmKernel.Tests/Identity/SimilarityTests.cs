using CrmKernel.Identity;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Identity;

public sealed class SimilarityTests
{
    [Theory]
    [InlineData("MARTHA", "MARHTA", 0.961)]
    [InlineData("DWAYNE", "DUANE", 0.840)]
    [InlineData("DIXON", "DICKSONX", 0.813)]
    [InlineData("JONES", "JOHNSON", 0.832)]
    [InlineData("ABC", "ABC", 1.0)]
    [InlineData("ABC", "XYZ", 0.0)]
    public void JaroWinkler_MatchesPublishedValues(string first, string second, double expected)
    {
        Assert.Equal(expected, Similarity.JaroWinkler(first, second), 3);
        Assert.Equal(expected, Similarity.JaroWinkler(second, first), 3);
    }

    [Theory]
    [InlineData("MARTHA", "MARHTA", 0.944)]
    [InlineData("DWAYNE", "DUANE", 0.822)]
    [InlineData("DIXON", "DICKSONX", 0.767)]
    public void Jaro_MatchesPublishedValues(string first, string second, double expected)
        => Assert.Equal(expected, Similarity.Jaro(first, second), 3);

    [Fact]
    public void JaroWinkler_EmptyTexts()
    {
        Assert.Equal(1.0, Similarity.JaroWinkler("", ""));
        Assert.Equal(0.0, Similarity.JaroWinkler("", "A"));
        Assert.Equal(0.0, Similarity.JaroWinkler("A", ""));
    }

    [Fact]
    public void JaroWinkler_ComparesOnlyTheFirstCharactersOfAVeryLongText()
    {
        var longText = new string('A', Similarity.MaxComparedLength) + new string('B', 500);
        Assert.Equal(1.0, Similarity.JaroWinkler(longText, new string('A', Similarity.MaxComparedLength) + new string('C', 900)));
    }

    [Theory]
    [InlineData("10 High St Flat 2", "Flat 2, 10 high st", 1.0)]
    [InlineData("10 High Street", "10 High St", 0.5)]
    [InlineData("10 10 High", "10 High", 1.0)]
    [InlineData("1 Mill Lane", "22 Church Road", 0.0)]
    [InlineData("", "", 1.0)]
    [InlineData(", ;", "", 1.0)]
    [InlineData("", "Mill", 0.0)]
    public void TokenSet_IsTheJaccardIndexOfDistinctWords(string first, string second, double expected)
    {
        Assert.Equal(expected, Similarity.TokenSet(first, second), 6);
        Assert.Equal(expected, Similarity.TokenSet(second, first), 6);
    }

    [Fact]
    public void BirthDate_KnowsSwappedDayAndMonthAndAYearTypo()
    {
        var date = new LocalDate(1990, 3, 4);
        Assert.Equal(1.0, Similarity.BirthDate(date, date));
        Assert.Equal(0.8, Similarity.BirthDate(date, new LocalDate(1990, 4, 3)));
        Assert.Equal(0.5, Similarity.BirthDate(date, new LocalDate(1991, 3, 4)));
        Assert.Equal(0.0, Similarity.BirthDate(date, new LocalDate(1990, 3, 5)));
        Assert.Equal(0.0, Similarity.BirthDate(date, new LocalDate(1992, 3, 4)));
    }

    [Theory]
    [InlineData("Robert", "R163")]
    [InlineData("Rupert", "R163")]
    [InlineData("Rubin", "R150")]
    [InlineData("Ashcraft", "A261")]
    [InlineData("Tymczak", "T522")]
    [InlineData("Pfister", "P236")]
    [InlineData("Honeyman", "H555")]
    [InlineData("Lee", "L000")]
    [InlineData("o'brien", "O165")]
    public void Soundex_GivesTheAmericanCode(string name, string expected)
    {
        Span<char> code = stackalloc char[4];
        Assert.Equal(4, Similarity.Soundex(name, code));
        Assert.Equal(expected, code.ToString());
    }

    [Fact]
    public void Soundex_WithoutAsciiLetters_WritesNothing()
    {
        Span<char> code = stackalloc char[4];
        Assert.Equal(0, Similarity.Soundex("123 ß", code));
    }

    [Fact]
    public void Soundex_NeedsFourCharactersOfRoom()
    {
        var error = Assert.Throws<ArgumentException>(() => Similarity.Soundex("Smith", new char[3]));
        Assert.Equal("code", error.ParamName);
    }
}

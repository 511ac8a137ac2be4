using CrmKernel.Metrics.CustomerBase;
using Xunit;

namespace CrmKernel.Tests.Metrics.CustomerBase;

[Collection(CustomerBaseCollection.Name)]
public sealed class SpecialFunctionsTests
{
    // Reference values: closed forms (√π, Euler's γ, n!, harmonic numbers) and, for the others, CPython's math.lgamma.
    [Theory]
    [InlineData(1d, 0d)]
    [InlineData(2d, 0d)]
    [InlineData(0.5d, 0.57236494292470008707)]          // ln √π
    [InlineData(1.5d, -0.12078223763524522235)]         // ln(√π / 2)
    [InlineData(3d, 0.69314718055994530942)]            // ln 2
    [InlineData(10d, 12.801827480081469611)]            // ln 9!
    [InlineData(100d, 359.13420536957539878)]           // ln 99!
    [InlineData(1e-8, 18.420680738180208905)]           // −ln x − γx + O(x²)
    [InlineData(0.243d, 1.3180435846996699)]
    [InlineData(6.25d, 5.219603986990228)]
    [InlineData(3.74d, 1.475005487147576)]
    [InlineData(1e6, 12815504.569147612)]
    public void LogGamma_MatchesReferenceValues(double x, double expected)
        => AssertClose(expected, SpecialFunctions.LogGamma(x), 4e-15);

    [Fact]
    public void LogGamma_SatisfiesTheRecurrence()
    {
        foreach (var x in new[] { 0.01, 0.3, 0.793, 2.426, 6.25, 9.99, 37.5 })
        {
            AssertClose(SpecialFunctions.LogGamma(x) + Math.Log(x), SpecialFunctions.LogGamma(x + 1d), 4e-15);
        }
    }

    [Theory]
    [InlineData(1d, -0.57721566490153286061)]           // −γ
    [InlineData(0.5d, -1.9635100260214235)]             // −γ − 2 ln 2
    [InlineData(2d, 0.42278433509846713939)]            // 1 − γ
    [InlineData(10d, 2.2517525890667211)]               // H₉ − γ
    [InlineData(100d, 4.6001618527380874)]
    public void Digamma_MatchesReferenceValues(double x, double expected)
        => AssertClose(expected, SpecialFunctions.Digamma(x), 4e-15);

    [Fact]
    public void Digamma_IsTheDerivativeOfLogGamma()
    {
        foreach (var x in new[] { 0.25, 0.793, 3.74, 15.44 })
        {
            const double H = 1e-5;
            var derivative = (SpecialFunctions.LogGamma(x + H) - SpecialFunctions.LogGamma(x - H)) / (2d * H);
            AssertClose(derivative, SpecialFunctions.Digamma(x), 1e-8);
        }
    }

    [Theory]
    [InlineData(0d)]
    [InlineData(-1d)]
    [InlineData(double.NaN)]
    public void GammaFamily_OutsideTheDomain_IsNaN(double x)
    {
        Assert.True(double.IsNaN(SpecialFunctions.LogGamma(x)));
        Assert.True(double.IsNaN(SpecialFunctions.Digamma(x)));
    }

    [Theory]
    [InlineData(1e-20)]
    [InlineData(-3e-12)]
    [InlineData(1e-5)]
    [InlineData(0.3)]
    [InlineData(-0.4)]
    [InlineData(5d)]
    public void Log1PAndExpM1_AreAccurateForSmallArguments(double x)
    {
        // Taylor series to well beyond double precision for |x| < 0.5; the plain functions otherwise.
        double log1P = 0d, expM1 = 0d, power = 1d;
        for (var n = 1; n < 200; n++)
        {
            power *= x;
            log1P += (n % 2 == 1 ? power : -power) / n;
        }

        double term = 1d;
        for (var n = 1; n < 60; n++)
        {
            term *= x / n;
            expM1 += term;
        }

        AssertClose(Math.Abs(x) < 0.5 ? log1P : Math.Log(1 + x), SpecialFunctions.Log1P(x), 2e-16);
        AssertClose(expM1, SpecialFunctions.ExpM1(x), 2e-16);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.75)]
    [InlineData(0.99)]
    [InlineData(0.999999)]
    public void Hypergeometric2F1_MatchesClosedForms(double z)
    {
        // ₂F₁(1, 1; 2; z) = −ln(1 − z) / z; ₂F₁(½, 1; 3/2; z²) = artanh(z) / z; ₂F₁(a, b; b; z) = (1 − z)^−a. The continued
        // fraction needs about 20 / √(1 − z) steps, and its rounding grows with them: 10⁻¹⁴ at z = 0.99, 10⁻¹¹ at 1 − 10⁻⁶.
        var tolerance = z > 0.999 ? 1e-10 : z > 0.9 ? 1e-13 : 1e-14;
        AssertClose(-SpecialFunctions.Log1P(-z) / z, SpecialFunctions.Hypergeometric2F1UnitA(1d, 2d, z), tolerance);
        var root = Math.Sqrt(z);
        AssertClose(Math.Atanh(root) / root, SpecialFunctions.Hypergeometric2F1UnitA(0.5d, 1.5d, z), tolerance);
        if (z <= 0.99)
        {
            AssertClose(-SpecialFunctions.Log1P(-z) / z, SpecialFunctions.Hypergeometric2F1(1d, 1d, 2d, z), 1e-14);
            AssertClose(Math.Pow(1d - z, -0.37), SpecialFunctions.Hypergeometric2F1(0.37, 2.5, 2.5, z), 1e-13);
        }
    }

    [Theory]
    [InlineData(0.55, 2.2)]
    [InlineData(30.5, 32.2)]
    [InlineData(1.6, 31.2)]
    [InlineData(0.2, 0.9)]
    public void Hypergeometric2F1UnitA_SeriesAndContinuedFractionAgree(double b, double c)
    {
        // Below ½ the series, above the continued fraction; the plain series is a reference wherever it converges.
        foreach (var z in new[] { 0.3, 0.49, 0.51, 0.6, 0.9, 0.99 })
        {
            AssertClose(SpecialFunctions.Hypergeometric2F1(1d, b, c, z), SpecialFunctions.Hypergeometric2F1UnitA(b, c, z), 2e-14);
        }
    }

    [Theory]
    [InlineData(0.55, 2.2)]
    [InlineData(30.5, 32.2)]
    [InlineData(0.2, 0.9)]
    public void Hypergeometric2F1UnitA_WithACoarseTolerance_IsThatPrecise(double b, double c)
    {
        // The optimiser's coarse simplex asks for 10⁻¹⁰; the stopping rules bound the rest of the series and the
        // distance between continued-fraction approximants, so the error stays within a small multiple of it.
        foreach (var z in new[] { 0.05, 0.3, 0.5, 0.7, 0.95 })
        {
            AssertClose(SpecialFunctions.Hypergeometric2F1UnitA(b, c, z), SpecialFunctions.Hypergeometric2F1UnitA(b, c, z, 1e-10), 1e-9);
        }
    }

    [Fact]
    public void Hypergeometric2F1Tail_IsTheSeriesWithoutItsFirstTerm()
    {
        const double A = 1.7, B = -0.21, C = 2.6, Z = 0.7;
        AssertClose(SpecialFunctions.Hypergeometric2F1(A, B, C, Z) - 1d, SpecialFunctions.Hypergeometric2F1Tail(A * B / C * Z, A, B, C, Z), 1e-14);

        // Starting from a z / c instead of a b z / c gives (₂F₁ − 1) / b without dividing by b: finite at b = 0, and a
        // single term when b + 1 = 0 ends the series.
        AssertClose((SpecialFunctions.Hypergeometric2F1(A, B, C, Z) - 1d) / B, SpecialFunctions.Hypergeometric2F1Tail(A / C * Z, A, B, C, Z), 1e-14);
        Assert.True(double.IsFinite(SpecialFunctions.Hypergeometric2F1Tail(A / C * Z, A, 0d, C, Z)));
        Assert.Equal(A / C * Z, SpecialFunctions.Hypergeometric2F1Tail(A / C * Z, A, -1d, C, Z));
    }

    private static void AssertClose(double expected, double actual, double relative)
        => Assert.True(
            Math.Abs(expected - actual) <= relative * Math.Max(1d, Math.Abs(expected)),
            $"expected {expected:R}, got {actual:R} (difference {expected - actual:E3})");
}

using CrmKernel.Metrics.CustomerBase;
using CrmKernel.Primitives;
using Xunit;

namespace CrmKernel.Tests.Metrics.CustomerBase;

[Collection(CustomerBaseCollection.Name)]
public sealed class CustomerLifetimeValueTests
{
    private static readonly LifetimeValueTerms Monthly = new(periods: 12, periodLength: 52d / 12d, discountRate: 0.01, margin: 0.30m);

    [Fact]
    public void Estimate_IsMarginTimesExpectedSpendTimesEndOfPeriodDiscountedTransactions()
    {
        var model = Cdnow.BgNbd.Model;
        var spend = Cdnow.GammaGamma.Model;
        var valuations = CustomerLifetimeValue.Estimate(Cdnow.Summary, model, spend, Monthly);
        Assert.True(Cdnow.Summary.TryFind(Cdnow.IdOf(1), out var customer));
        var valuation = valuations.Single(v => v.CustomerId == customer.CustomerId);

        // Customer 1 of CDNOW: x = 2, tₓ = 30.43, T = 38.86 weeks, z̄ = 22.345.
        double discounted = 0d, previous = 0d;
        for (var k = 1; k <= 12; k++)
        {
            var current = model.ExpectedTransactions(customer, k * 52d / 12d);
            discounted += (current - previous) / Math.Pow(1.01, k);
            previous = current;
        }

        var expectedSpend = spend.ExpectedAverageSpend(2, 22.345);
        TransactionModelTests.AssertClose(discounted, valuation.DiscountedTransactions, 1e-12);
        TransactionModelTests.AssertClose(model.ExpectedTransactions(customer, 52d), valuation.ExpectedTransactions, 1e-12);
        TransactionModelTests.AssertClose(model.ProbabilityAlive(customer), valuation.ProbabilityAlive, 1e-15);
        TransactionModelTests.AssertClose(expectedSpend, (double)valuation.ExpectedAverageSpend.Amount, 1e-12);
        TransactionModelTests.AssertClose(0.30 * expectedSpend * discounted, (double)valuation.LifetimeValue.Amount, 1e-12);
        Assert.Equal(Currency.USD, valuation.LifetimeValue.Currency);
        Assert.Equal(valuation.ExpectedAverageSpend, spend.ExpectedAverageSpend(customer));
    }

    [Fact]
    public void Estimate_WithoutDiscounting_IsMarginTimesSpendTimesExpectedTransactions()
    {
        var terms = new LifetimeValueTerms(periods: 4, periodLength: 13d, discountRate: 0d, margin: 1m);
        foreach (var valuation in CustomerLifetimeValue.Estimate(Cdnow.Summary, Cdnow.ParetoNbd.Model, Cdnow.GammaGamma.Model, terms).Take(200))
        {
            TransactionModelTests.AssertClose(valuation.ExpectedTransactions, valuation.DiscountedTransactions, 1e-12);
            TransactionModelTests.AssertClose((double)(valuation.ExpectedAverageSpend.Amount * (decimal)valuation.ExpectedTransactions), (double)valuation.LifetimeValue.Amount, 1e-12);
        }
    }

    [Fact]
    public void Estimate_ReturnsOneValuationPerCustomer_InTheSummarysOrder()
    {
        var valuations = CustomerLifetimeValue.Estimate(Cdnow.Summary, Cdnow.BgNbd.Model, Cdnow.GammaGamma.Model, Monthly);

        Assert.Equal(Cdnow.Summary.Select(c => c.CustomerId), valuations.Select(v => v.CustomerId));
        Assert.All(valuations, v => Assert.False(v.LifetimeValue.IsNegative));
    }

    [Fact]
    public void Estimate_RanksFrequentRecentBuyersFirst()
    {
        var valuations = CustomerLifetimeValue.Estimate(Cdnow.Summary, Cdnow.BgNbd.Model, Cdnow.GammaGamma.Model, Monthly);
        var top = valuations.OrderByDescending(v => v.LifetimeValue.Amount).Take(10).ToList();

        foreach (var valuation in top)
        {
            Assert.True(Cdnow.Summary.TryFind(valuation.CustomerId, out var customer));
            Assert.True(customer.Frequency >= 5, $"{customer}");
            Assert.True(valuation.ProbabilityAlive > 0.5, $"{valuation}");
        }
    }

    [Fact]
    public void Estimate_SpendModelWithoutAFiniteMeanForNonRepeaters_ThrowsArgumentExceptionNamingIt()
    {
        var heavyTailed = new GammaGammaModel(6.25, 0.9, 15.44);

        Assert.True(double.IsPositiveInfinity(heavyTailed.MeanSpend));
        Assert.Equal("spendModel", Assert.Throws<ArgumentException>(() => CustomerLifetimeValue.Estimate(Cdnow.Summary, Cdnow.BgNbd.Model, heavyTailed, Monthly)).ParamName);
        Assert.True(Cdnow.Summary.TryFind(Cdnow.IdOf(3), out var nonRepeater));
        Assert.Throws<InvalidOperationException>(() => heavyTailed.ExpectedAverageSpend(nonRepeater));
    }

    [Theory]
    [InlineData(0, 1d, 0d, 0.5, "periods")]
    [InlineData(LifetimeValueTerms.MaxPeriods + 1, 1d, 0d, 0.5, "periods")]
    [InlineData(12, 0d, 0d, 0.5, "periodLength")]
    [InlineData(12, double.NaN, 0d, 0.5, "periodLength")]
    [InlineData(12, 1d, -0.01, 0.5, "discountRate")]
    [InlineData(12, 1d, double.PositiveInfinity, 0.5, "discountRate")]
    [InlineData(12, 1d, 0d, -0.01, "margin")]
    [InlineData(12, 1d, 0d, 1.01, "margin")]
    public void Terms_OutOfRange_ThrowArgumentOutOfRangeException(int periods, double length, double rate, double margin, string parameter)
        => Assert.Equal(parameter, Assert.Throws<ArgumentOutOfRangeException>(() => new LifetimeValueTerms(periods, length, rate, (decimal)margin)).ParamName);

    [Fact]
    public void Terms_DescribeThemselves()
    {
        Assert.Equal(52d, Monthly.Horizon, 12);
        Assert.Equal("12 × 4.33333 at 1.0000 % per period, margin 30.00 %", Monthly.ToString());
    }

    [Fact]
    public void ExpectedAverageSpend_RejectsImpossibleInputs()
    {
        var model = Cdnow.GammaGamma.Model;
        Assert.Equal("frequency", Assert.Throws<ArgumentOutOfRangeException>(() => model.ExpectedAverageSpend(-1, 10d)).ParamName);
        Assert.Equal("meanSpend", Assert.Throws<ArgumentOutOfRangeException>(() => model.ExpectedAverageSpend(1, -1d)).ParamName);
        Assert.Equal("meanSpend", Assert.Throws<ArgumentOutOfRangeException>(() => model.ExpectedAverageSpend(1, double.NaN)).ParamName);
    }
}

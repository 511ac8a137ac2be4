using System.Globalization;
using CrmKernel.Metrics.CustomerBase;
using Xunit;

namespace CrmKernel.Tests.Metrics.CustomerBase;

/// <summary>
/// The published CDNOW results (METRICS.md, "Customer-base analysis"): the calibration summary of Fader, Hardie &amp;
/// Lee, and the BG/NBD, Pareto/NBD and Gamma-Gamma estimates and log-likelihoods, reproduced from the raw transaction
/// lines to the precision they were published with.
/// </summary>
[Collection(CustomerBaseCollection.Name)]
public sealed class CdnowValidationTests
{
    [Fact]
    public void Purchases_AreOneRecordPerLine()
    {
        Assert.Equal(6919, Cdnow.Purchases.Length);
        Assert.Equal(2357, Cdnow.Purchases.Select(p => p.CustomerId).Distinct().Count());
    }

    [Fact]
    public void Summary_ReproducesThePublishedCalibrationTotals()
    {
        var summary = Cdnow.Summary;

        Assert.Equal(2357, summary.Count);
        Assert.Equal(2457, summary.Sum(c => c.Frequency));
        Assert.Equal(1411, summary.Count(c => c.Frequency == 0));
        Assert.Equal(946, summary.Count(c => c.Frequency >= 1));
        Assert.Equal(29, summary.Max(c => c.Frequency));
        Assert.Equal(39d, summary.HoldoutLength);
    }

    [Fact]
    public void Summary_MatchesThePublishedFrequencyRecencyAgeRowByRow()
    {
        var rows = Cdnow.PublishedRows("cdnow_customers_summary.csv").ToList();

        Assert.Equal(2357, rows.Count);
        foreach (var row in rows)
        {
            var id = int.Parse(row[0], CultureInfo.InvariantCulture);
            Assert.True(Cdnow.Summary.TryFind(Cdnow.IdOf(id), out var customer), $"customer {id} is missing");
            Assert.Equal(int.Parse(row[1], CultureInfo.InvariantCulture), customer.Frequency);
            AssertRoundsTo(row[2], customer.Recency, id, "recency");
            AssertRoundsTo(row[3], customer.Age, id, "T");
        }
    }

    [Fact]
    public void Summary_MatchesThePublishedMeanRepeatSpendRowByRow()
    {
        var rows = Cdnow.PublishedRows("cdnow_customers_summary_with_transactions.csv").ToList();

        Assert.Equal(2357, rows.Count);
        foreach (var row in rows)
        {
            var id = int.Parse(row[0], CultureInfo.InvariantCulture);
            Assert.True(Cdnow.Summary.TryFind(Cdnow.IdOf(id), out var customer), $"customer {id} is missing");
            Assert.Equal(int.Parse(row[1], CultureInfo.InvariantCulture), customer.Frequency);
            AssertRoundsTo(row[2], customer.Recency, id, "t_x");
            AssertRoundsTo(row[3], customer.Age, id, "T");
            AssertRoundsTo(row[4], (double)customer.MeanRepeatSpend.Amount, id, "zbar");
        }
    }

    [Fact]
    public void BgNbd_ReproducesThePublishedEstimatesAndLogLikelihood()
    {
        var fit = Cdnow.BgNbd;

        Assert.True(fit.Converged);
        AssertPublished(0.243, fit.Model.R, 3);
        AssertPublished(4.414, fit.Model.Alpha, 3);
        AssertPublished(0.793, fit.Model.A, 3);
        AssertPublished(2.426, fit.Model.B, 3);
        AssertPublished(-9582.4, fit.LogLikelihood, 1);
        Assert.Equal(2357, fit.Customers);
    }

    [Fact]
    public void ParetoNbd_ReproducesThePublishedEstimatesAndLogLikelihood()
    {
        var fit = Cdnow.ParetoNbd;

        Assert.True(fit.Converged);
        AssertPublished(0.553, fit.Model.R, 3);
        AssertPublished(10.578, fit.Model.Alpha, 3);
        AssertPublished(0.606, fit.Model.S, 3);
        AssertPublished(11.669, fit.Model.Beta, 3);
        AssertPublished(-9595.0, fit.LogLikelihood, 1);
    }

    [Fact]
    public void GammaGamma_ReproducesThePublishedEstimatesAndMeanSpendLogLikelihood()
    {
        var fit = Cdnow.GammaGamma;

        Assert.True(fit.Converged);
        Assert.Equal(946, fit.Customers);
        AssertPublished(6.25, fit.Model.P, 2);
        AssertPublished(3.74, fit.Model.Q, 2);
        AssertPublished(15.44, fit.Model.Gamma, 2);
        AssertPublished(-4055.9, fit.LogLikelihood, 1);
    }

    [Fact]
    public void Fits_GroupCustomersByIdenticalHistories()
    {
        // 2,357 customers, but the 1,411 without repeat purchases share one (0, 0, T) per acquisition date.
        Assert.Equal(2357, Cdnow.BgNbd.Customers);
        Assert.InRange(Cdnow.BgNbd.DistinctHistories, 946, 946 + 84);
        Assert.Equal(Cdnow.BgNbd.DistinctHistories, Cdnow.ParetoNbd.DistinctHistories);
        Assert.True(Cdnow.GammaGamma.DistinctHistories <= 946);
    }

    [Fact]
    public void BgNbd_AtThePublishedParameters_HasThePublishedLogLikelihood()
        => AssertPublished(-9582.4, new BgNbdModel(0.243, 4.414, 0.793, 2.426).LogLikelihood(Cdnow.Summary), 1);

    [Fact]
    public void ParetoNbd_AtThePublishedParameters_HasThePublishedLogLikelihood()
        => AssertPublished(-9595.0, new ParetoNbdModel(0.553, 10.578, 0.606, 11.669).LogLikelihood(Cdnow.Summary), 1);

    [Fact]
    public void HoldoutForecast_IsInTheRangeTheModelsAreKnownFor()
    {
        // Not a published figure: a sanity check that the 39-week holdout counts and the models' conditional
        // expectations over 39 weeks line up (both models forecast about 88 % of the 1,882 holdout transactions).
        var summary = Cdnow.Summary;
        var actual = summary.Sum(c => c.HoldoutTransactions);
        var bgNbd = summary.Sum(c => Cdnow.BgNbd.Model.ExpectedTransactions(c, summary.HoldoutLength));
        var paretoNbd = summary.Sum(c => Cdnow.ParetoNbd.Model.ExpectedTransactions(c, summary.HoldoutLength));

        Assert.Equal(1882, actual);
        Assert.InRange(bgNbd / actual, 0.85, 0.92);
        Assert.InRange(paretoNbd / actual, 0.85, 0.92);
    }

    /// <summary>The published figure is the computed one rounded to <paramref name="decimals"/> places.</summary>
    private static void AssertPublished(double published, double computed, int decimals)
        => Assert.True(
            Math.Round(computed, decimals, MidpointRounding.AwayFromZero) == published,
            $"computed {computed.ToString("R", CultureInfo.InvariantCulture)} does not round to the published {published.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>The published 2-decimal value is the computed one rounded (either way at an exact half: R rounds binary doubles).</summary>
    private static void AssertRoundsTo(string published, double computed, int id, string column)
    {
        var value = double.Parse(published, CultureInfo.InvariantCulture);
        Assert.True(
            Math.Abs(value - computed) <= 0.005 + 1e-9,
            $"customer {id} {column}: published {published}, computed {computed.ToString("R", CultureInfo.InvariantCulture)}");
    }
}

using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using F = CrmKernel.Metrics.Catalogue.StandardFigures;
using Xunit;

namespace CrmKernel.Tests.Metrics.Catalogue;

/// <summary>Each catalogue formula on a worked example: from a named public source where one gives it, else hand-computed here.</summary>
public sealed class StandardMetricsTests
{
    [Fact]
    public void Catalogue_EveryMetricHasAUniqueIdFormulaAndStatedConventions()
    {
        Assert.Equal(StandardMetrics.All.Count, StandardMetrics.All.Select(m => m.Id).Distinct().Count());
        Assert.All(StandardMetrics.All, m =>
        {
            Assert.False(string.IsNullOrWhiteSpace(m.Formula.Text), m.Id.Value);
            Assert.False(string.IsNullOrWhiteSpace(m.Conventions), m.Id.Value);
            Assert.NotEmpty(m.Formula.Figures);
        });
        Assert.True(StandardMetrics.All.Count >= 30);
    }

    [Fact]
    public void Catalogue_OnNoFiguresOrAllZeroFigures_GivesNoValueWithAReason_NeverNaNOrAThrow()
    {
        var empty = Figures();
        var zeros = Figures(StandardMetrics.All.SelectMany(m => m.Formula.Figures).Distinct().Select(k => (k, 0m)).ToArray());

        foreach (var metric in StandardMetrics.All)
        {
            foreach (var figures in new[] { empty, zeros })
            {
                var value = metric.Formula.Compute(figures);
                Assert.True(value.HasValue || !string.IsNullOrWhiteSpace(value.Reason), metric.Id.Value);
            }

            Assert.False(metric.Formula.Compute(empty).HasValue, metric.Id.Value);
        }
    }

    [Fact]
    public void Retention_IsRetainedOverAtRisk_AndChurnItsComplement()
    {
        // Hand-computed (the Farris et al. convention): 1,000 customers active at the period start, 850 of them buy again.
        var figures = Figures((F.CustomersAtRisk, 1_000m), (F.CustomersRetained, 850m));

        var retention = StandardMetrics.RetentionRate.Formula.Compute(figures);
        var churn = StandardMetrics.ChurnRate.Formula.Compute(figures);

        Assert.Equal(0.85m, retention.Value);
        Assert.Equal(850m, retention.Numerator);
        Assert.Equal(1_000m, retention.Denominator);
        Assert.Equal(0.15m, churn.Value);
    }

    [Fact]
    public void Retention_WithNoCustomersAtRisk_HasNoValueSayingWhy()
    {
        var value = StandardMetrics.RetentionRate.Formula.Compute(Figures((F.CustomersAtRisk, 0m), (F.CustomersRetained, 0m)));

        Assert.False(value.HasValue);
        Assert.Equal("no customers at risk in the period", value.Reason);
        Assert.False(StandardMetrics.ChurnRate.Formula.Compute(Figures((F.CustomersAtRisk, 0m), (F.CustomersRetained, 0m))).HasValue);
    }

    [Fact]
    public void Cac_IsMarketingCostPerAcquisition_AndZeroAcquisitionsHaveNoValue()
    {
        // Hand-computed: 50,000 of paid marketing contact cost, 250 first purchases.
        Assert.Equal(200m, StandardMetrics.AcquisitionCost.Formula.Compute(Figures((F.MarketingCost, 50_000m), (F.Acquisitions, 250m))).Value);
        Assert.Equal("no customers acquired in the period", StandardMetrics.AcquisitionCost.Formula.Compute(Figures((F.MarketingCost, 50_000m), (F.Acquisitions, 0m))).Reason);
        Assert.Contains("paid", StandardMetrics.AcquisitionCost.Conventions, StringComparison.Ordinal);
    }

    [Fact]
    public void OrderMetrics_AgreeWithTheRevenueIdentity()
    {
        // Hand-computed: 400 buyers place 1,000 orders worth 60,000; 150 of them order at least twice.
        var figures = Figures((F.PurchasingCustomers, 400m), (F.Orders, 1_000m), (F.PurchaseRevenue, 60_000m), (F.RepeatCustomers, 150m));

        var frequency = StandardMetrics.PurchaseFrequency.Formula.Compute(figures).Value!.Value;
        var aov = StandardMetrics.AverageOrderValue.Formula.Compute(figures).Value!.Value;

        Assert.Equal(2.5m, frequency);
        Assert.Equal(60m, aov);
        Assert.Equal(150m, StandardMetrics.RevenuePerCustomer.Formula.Compute(figures).Value);
        Assert.Equal(0.375m, StandardMetrics.RepeatPurchaseRate.Formula.Compute(figures).Value);
        Assert.Equal(60_000m, 400m * frequency * aov);
    }

    [Fact]
    public void Nps_FollowsReichhelsDefinition_PassivesInTheDenominator()
    {
        // Reichheld (2003): promoters 9–10 minus detractors 0–6 over all answers. 200 answers: 110 promoters, 50 passives, 40 detractors.
        var value = StandardMetrics.Nps.Formula.Compute(Figures((F.NpsResponses, 200m), (F.NpsPromoters, 110m), (F.NpsDetractors, 40m)));

        Assert.Equal(35m, value.Value);
        Assert.Equal(70m, value.Numerator);
        Assert.Equal(200m, value.Denominator);
    }

    [Fact]
    public void Csat_IsTheTopTwoBoxShare()
    {
        Assert.Equal(0.85m, StandardMetrics.Csat.Formula.Compute(Figures((F.CsatResponses, 200m), (F.CsatTopTwoBox, 170m))).Value);
    }

    [Fact]
    public void Ces2010AndCes2_AreSeparateMetrics_OnTheirOwnScales()
    {
        // Hand-computed: four CES 2010 answers 1, 2, 2, 5 (mean 2.5, lower is better); no CES 2.0 answers.
        var figures = Figures((F.CesResponses, 4m), (F.CesTotal, 10m), (F.Ces2Responses, 0m), (F.Ces2Total, 0m));

        Assert.Equal(2.5m, StandardMetrics.Ces.Formula.Compute(figures).Value);
        Assert.False(StandardMetrics.Ces2.Formula.Compute(figures).HasValue);
        Assert.Equal(BetterDirection.LowerIsBetter, StandardMetrics.Ces.Better);
        Assert.Equal(BetterDirection.HigherIsBetter, StandardMetrics.Ces2.Better);
        Assert.DoesNotContain(F.CesTotal, StandardMetrics.Ces2.Formula.Figures);
        Assert.DoesNotContain(F.Ces2Total, StandardMetrics.Ces.Formula.Figures);
    }

    [Fact]
    public void ShareOfWallet_IsFirmSpendOverCategorySpend_MissingOrAboveOneHasNoValue()
    {
        Assert.Equal(0.25m, StandardMetrics.ShareOfWallet.Formula.Compute(Figures((F.PurchaseRevenue, 300m), (F.CategorySpend, 1_200m))).Value);
        Assert.Equal("figure 'category-spend' was not supplied", StandardMetrics.ShareOfWallet.Formula.Compute(Figures((F.PurchaseRevenue, 300m))).Reason);
        var flagged = StandardMetrics.ShareOfWallet.Formula.Compute(Figures((F.PurchaseRevenue, 1_300m), (F.CategorySpend, 1_200m)));
        Assert.False(flagged.HasValue);
        Assert.StartsWith("data error", flagged.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void SimpleClv_ReproducesFaderAndHardies343()
    {
        // Fader & Hardie (2012), note 024: r = 0.833, m = 100, d = 0.10 gives $343 (m·r(1+d)/(1+d−r) = 343.18).
        var value = SimpleClv.Compute(SimpleClvForm.ExistingRenewsNow, 100m, 0.833m, 0.10m);

        Assert.Equal(343.18m, decimal.Round(value.Value!.Value, 2));
    }

    [Theory]
    [InlineData(SimpleClvForm.ProspectPaysNow, 411.99)]
    [InlineData(SimpleClvForm.ExistingResidual, 311.99)]
    [InlineData(SimpleClvForm.EndOfPeriod, 374.53)]
    public void SimpleClv_NamedForms_DifferOnlyInTiming(SimpleClvForm form, double expected)
    {
        // Hand-computed with the same r, m, d: m(1+d)/(1+d−r) = 110/0.267, m·r/(1+d−r) = 83.3/0.267, m/(1+d−r) = 100/0.267.
        Assert.Equal((decimal)expected, decimal.Round(SimpleClv.Compute(form, 100m, 0.833m, 0.10m).Value!.Value, 2));
    }

    [Theory]
    [InlineData(1.0, 0.0)]
    [InlineData(1.2, 0.1)]
    [InlineData(-0.1, 0.1)]
    [InlineData(0.5, -0.1)]
    public void SimpleClv_OutsideItsDomain_HasNoValue(double retention, double discount)
    {
        var value = SimpleClv.Compute(SimpleClvForm.EndOfPeriod, 100m, (decimal)retention, (decimal)discount);

        Assert.False(value.HasValue);
        Assert.NotNull(value.Reason);
    }

    [Fact]
    public void ClvAndCustomerEquity_UseTheRevenueMarginRetentionAndDiscountOfThePeriod()
    {
        // m = 60,000 / 400 × 0.5 = 75; r = 850 / 1,000; d = 0.1: residual = 75 × 0.85 / 0.25 = 255; equity = 400 × 255.
        var figures = Figures(
            (F.PurchaseRevenue, 60_000m), (F.PurchasingCustomers, 400m), (F.MarginRatio, 0.5m), (F.DiscountRate, 0.1m),
            (F.CustomersAtRisk, 1_000m), (F.CustomersRetained, 850m));

        Assert.Equal(255m, StandardMetrics.ClvExisting.Formula.Compute(figures).Value);
        Assert.Equal(330m, StandardMetrics.ClvProspect.Formula.Compute(figures).Value);
        Assert.Equal(102_000m, StandardMetrics.CustomerEquity.Formula.Compute(figures).Value);
        Assert.Equal("figure 'margin-ratio' was not supplied", StandardMetrics.ClvExisting.Formula.Compute(Figures((F.DiscountRate, 0.1m))).Reason);
    }

    [Fact]
    public void DataCompleteness_ReproducesDamaUks98Percent()
    {
        // DAMA UK (2013): 294 of 300 expected values populated = 98 %.
        Assert.Equal(0.98m, StandardMetrics.DataCompleteness.Formula.Compute(Figures((F.PopulatedValues, 294m), (F.ExpectedValues, 300m))).Value);
    }

    [Fact]
    public void Uniqueness_Reproduces500Of520_AndDuplicateRateIsItsComplement()
    {
        // DAMA UK (2013): 520 records of 500 real entities: uniqueness 500 / 520 = 96.2 %.
        var figures = Figures((F.Customers, 520m), (F.DuplicateRecords, 20m));

        var uniqueness = StandardMetrics.Uniqueness.Formula.Compute(figures).Value!.Value;
        var duplicates = StandardMetrics.DuplicateRate.Formula.Compute(figures).Value!.Value;

        Assert.Equal(0.962m, decimal.Round(uniqueness, 3));
        Assert.Equal(1m, uniqueness + duplicates);
    }

    [Fact]
    public void Availability_ExcludesPlannedMaintenance()
    {
        // Hand-computed: a 744-hour month with 8 hours of planned maintenance and 735 hours up: 735 / 736.
        var value = StandardMetrics.SystemAvailability.Formula.Compute(Figures((F.UptimeHours, 735m), (F.ScheduledHours, 744m), (F.MaintenanceHours, 8m)));

        Assert.Equal(735m / 736m, value.Value);
    }

    [Fact]
    public void ServiceMetrics_OnAHandComputedPeriod()
    {
        var figures = Figures(
            (F.Issues, 80m), (F.IssuesResolvedFirstContact, 60m), (F.HandleTimeSeconds, 36_000m), (F.HandledInteractions, 120m),
            (F.ComplaintsClosed, 40m), (F.ComplaintsRecovered, 30m), (F.Complaints, 50m), (F.Orders, 1_000m),
            (F.ServiceCost, 3_000m), (F.PurchaseRevenue, 60_000m));

        Assert.Equal(0.75m, StandardMetrics.TouchpointFirstContactResolution.Formula.Compute(figures).Value);
        Assert.Equal(300m, StandardMetrics.TouchpointAverageHandleTime.Formula.Compute(figures).Value);
        Assert.Equal(0.75m, StandardMetrics.TouchpointComplaintRecovery.Formula.Compute(figures).Value);
        Assert.Equal(0.05m, StandardMetrics.ComplaintRate.Formula.Compute(figures).Value);
        Assert.Equal(0.05m, StandardMetrics.CostToServe.Formula.Compute(figures).Value);
    }

    [Fact]
    public void CostPerContactAndChannelProfitability_BreakDownByChannel()
    {
        // Hand-computed: email 1,000 contacts (all costed, 20 total), revenue 500; phone 100 contacts (80 costed, 400), revenue 900.
        // Shared cost 330 allocated by contacts: email 300, phone 30.
        var figures = new MetricFigures(
            Currency.GBP,
            new Dictionary<FigureKey, decimal> { [F.ContactCost] = 420m, [F.CostedContacts] = 1_080m, [F.SharedChannelCost] = 330m },
            [new ChannelFigures(new ChannelId("email"), 1_000, 1_000, 20m, 500m), new ChannelFigures(new ChannelId("phone"), 100, 80, 400m, 900m)]);

        var cost = StandardMetrics.CostPerContact.Formula.Compute(figures);
        var profit = StandardMetrics.ChannelProfitability.Formula.Compute(figures);

        Assert.Equal(420m / 1_080m, cost.Value);
        Assert.Equal([("email", 0.02m), ("phone", 5m)], cost.Breakdown.Select(r => (r.Key, r.Value.Value!.Value)));
        Assert.Equal(650m, profit.Value);
        Assert.Equal([("email", 180m), ("phone", 470m)], profit.Breakdown.Select(r => (r.Key, r.Value.Value!.Value)));
        Assert.False(StandardMetrics.ChannelProfitability.Formula.Compute(Figures()).HasValue);
    }

    [Fact]
    public void FunnelConversion_IsTheProductOfStageConversions()
    {
        // Hand-computed cohort: 1,000 prospects → 250 first-time customers → 100 repeat customers → 25 loyal advocates.
        var funnel = FunnelConversion.Compute([1_000, 250, 100, 25]);

        Assert.Equal([0.25m, 0.4m, 0.25m], funnel.StageConversions.Select(s => s.Value!.Value));
        Assert.Equal(0.025m, funnel.Overall.Value);
        Assert.Equal(funnel.Overall.Value, funnel.StageConversions.Aggregate(1m, (p, s) => p * s.Value!.Value));
        var stages = LifecycleFunnel.Customer.Figures;
        var metric = StandardMetrics.FunnelConversionRate.Formula.Compute(Figures((F.FunnelEntered, 1_000m), (stages[1], 250m), (stages[2], 100m), (F.FunnelCompleted, 25m)));
        Assert.Equal(0.025m, metric.Value);
        Assert.Equal([0.25m, 0.4m, 0.25m], metric.Breakdown.Select(r => r.Value.Value!.Value));
    }

    [Fact]
    public void FunnelConversion_EmptyStagesHaveNoValue_AndAGrowingFunnelIsRejected()
    {
        var funnel = FunnelConversion.Compute([10, 0, 0]);

        Assert.Equal(0m, funnel.StageConversions[0].Value);
        Assert.False(funnel.StageConversions[1].HasValue);
        Assert.Throws<ArgumentException>(() => FunnelConversion.Compute([10, 11]));
        Assert.Throws<ArgumentException>(() => FunnelConversion.Compute([10]));
        Assert.False(FunnelConversion.Compute([0, 0]).Overall.HasValue);
    }

    internal static MetricFigures Figures(params (FigureKey Key, decimal Value)[] values)
        => new(Currency.GBP, values.ToDictionary(v => v.Key, v => v.Value));
}

using CrmKernel.Customers;
using CrmKernel.ExchangeRates;
using CrmKernel.Lifecycle;
using CrmKernel.Metrics.Acquisition;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Touchpoints;
using NodaTime;
using Xunit;
using static CrmKernel.Tests.Metrics.Acquisition.AcquisitionTestData;

namespace CrmKernel.Tests.Metrics.Acquisition;

/// <summary>
/// Every figure of the analysis on a small hand-computed tenant, January 2026 (UTC, GBP):
/// Ann: email 2 Jan (1.00 GBP, spring, campaign contact), SMS 4 Jan (0.50 GBP, spring), sales call 6 Jan (3.00 GBP, enquiry),
/// first purchase 10 Jan of sku-a — 3 communications, 4.50 GBP, 8 days.
/// Ben: email 3 Jan 12:00 (2.00 EUR = 1.72 GBP, welcome), first purchase 3 Jan 18:00 of sku-a and sku-b — 6 hours.
/// Cat: email 5 Jan (1.00 GBP) about sku-b, no purchase — reached, not converted.
/// Dan: purchased in December, then an email and a purchase in January — not a prospect.
/// Eve: first purchase 7 Jan of sku-a with no communication — a direct conversion.
/// Fay: an email and her first purchase at the same instant, 9 Jan 12:00 — the email is not before it: direct.
/// Gus: a service complaint only — not a communication, not reached.
/// Segments: vip = {Ann, Cat}, new = {Ann, Ben}.
/// </summary>
public sealed class AcquisitionAnalysisTests
{
    private static readonly Money Gbp1 = Money.Of(1m, "GBP");

    private readonly Customer _ann = NewCustomer(), _ben = NewCustomer(), _cat = NewCustomer(), _dan = NewCustomer(), _eve = NewCustomer(), _fay = NewCustomer(), _gus = NewCustomer();

    private List<(Customer, Touchpoint[])> World() =>
    [
        (_ann, [
            Touch(_ann.Id, Jan(2), "email", TouchpointKind.CampaignContact, cost: Gbp1, campaign: "spring"),
            Touch(_ann.Id, Jan(4), "sms", TouchpointKind.CampaignContact, cost: Money.Of(0.50m, "GBP"), campaign: "spring"),
            Touch(_ann.Id, Jan(6), "phone", TouchpointKind.Enquiry, CrmFunction.Sales, cost: Money.Of(3m, "GBP")),
            Purchase(_ann.Id, Jan(10), "sku-a"),
            Touch(_ann.Id, Jan(12), "email", TouchpointKind.CampaignContact, cost: Gbp1, campaign: "after"),
        ]),
        (_ben, [
            Touch(_ben.Id, Jan(3), "email", TouchpointKind.CampaignContact, cost: Money.Of(2m, "EUR"), campaign: "welcome"),
            Purchase(_ben.Id, Jan(3, 18), "sku-a", "sku-b"),
        ]),
        (_cat, [Touch(_cat.Id, Jan(5), "email", TouchpointKind.CampaignContact, cost: Gbp1, products: ["sku-b"])]),
        (_dan, [
            Purchase(_dan.Id, Instant.FromUtc(2025, 12, 20, 12, 0), "sku-a"),
            Touch(_dan.Id, Jan(5), "email", TouchpointKind.CampaignContact, cost: Gbp1),
            Purchase(_dan.Id, Jan(8), "sku-a"),
        ]),
        (_eve, [Purchase(_eve.Id, Jan(7), "sku-a")]),
        (_fay, [Touch(_fay.Id, Jan(9), "email", TouchpointKind.CampaignContact, cost: Gbp1), Purchase(_fay.Id, Jan(9))]),
        (_gus, [Touch(_gus.Id, Jan(5), "phone", TouchpointKind.Complaint, CrmFunction.Service, cost: Gbp1)]),
    ];

    private SegmentSnapshot Vip => Segment("vip", _ann.Id, _cat.Id);

    private SegmentSnapshot New => Segment("new", _ann.Id, _ben.Id);

    private async Task<(AcquisitionAnalysis Analysis, AcquisitionReport Report, AcquisitionRequest Request)> AnalyseAsync(AttributionRule rule = AttributionRule.PositionBased)
    {
        var (customers, touchpoints) = await StoreAsync(World());
        var analysis = new AcquisitionAnalysis(customers, touchpoints, Rates);
        var request = Request(rule, Vip, New);
        return (analysis, await analysis.AnalyseAsync(Tenant, request), request);
    }

    private static AcquisitionGroupKey Key(string? product = null, string? segment = null) => new(product, segment is null ? null : new SegmentId(segment));

    private static AcquisitionCellKey Cell(string? channel, string? product = null, string? segment = null) => new(Key(product, segment), channel is null ? null : new ChannelId(channel));

    [Fact]
    public async Task Total_CountsReachConversionDirectAndCost()
    {
        var (_, report, _) = await AnalyseAsync();
        var total = report.Total;
        Assert.Equal(AcquisitionGroupKey.Total, total.Key);
        Assert.Equal(3, total.Reached);
        Assert.Equal(2, total.Converted);
        Assert.Equal(2, total.DirectConversions);
        Assert.Equal(2m / 3m, total.ConversionRate.Value);
        Assert.Equal(4, total.Communications);
        Assert.Equal(2m, total.CommunicationsPerConversion.Value);
        Assert.Equal(6.22m, total.AcquisitionCost);
        Assert.Equal(3.11m, total.CostPerAcquisition.Value);
        Assert.Equal(7.22m, total.ProspectSpend);
        Assert.Equal(3.61m, total.FullyLoadedCostPerAcquisition.Value);
    }

    [Fact]
    public async Task Total_BreaksCommunicationsDownByChannelKindAndCampaign()
    {
        var (_, report, _) = await AnalyseAsync();
        var total = report.Total;
        Assert.Equal(new Dictionary<ChannelId, long> { [new("email")] = 2, [new("phone")] = 1, [new("sms")] = 1 }, total.CommunicationsByChannel);
        Assert.Equal(new Dictionary<TouchpointKind, long> { [TouchpointKind.CampaignContact] = 3, [TouchpointKind.Enquiry] = 1 }, total.CommunicationsByKind);
        Assert.Equal(new Dictionary<string, long> { [""] = 1, ["spring"] = 2, ["welcome"] = 1 }, total.CommunicationsByCampaign);
    }

    [Fact]
    public async Task Total_TimeToFirstPurchase_MedianAndDistribution()
    {
        var (_, report, _) = await AnalyseAsync();
        var total = report.Total;

        // 6 hours (Ben) and 8 days (Ann): the median of an even count is the mean of the middle two, 99 hours.
        Assert.Equal(Duration.FromHours(99), total.MedianTimeToFirstPurchase);
        Assert.Equal([1m, 0m, 1m, 0m, 0m], total.TimeToFirstPurchase.Select(b => b.Conversions));
        Assert.Equal(Duration.Zero, total.TimeToFirstPurchase[0].From);
        Assert.Equal(Duration.FromDays(1), total.TimeToFirstPurchase[0].To);
        Assert.Null(total.TimeToFirstPurchase[^1].To);
    }

    [Fact]
    public async Task Products_APurchaseOfSeveralCountsInEach_NonConvertersByTheirCommunications()
    {
        var (_, report, _) = await AnalyseAsync();
        var a = report.Find(Key("sku-a"))!;
        Assert.Equal((2L, 2L, 1L), (a.Reached, a.Converted, a.DirectConversions));
        Assert.Equal(6.22m, a.AcquisitionCost);
        var b = report.Find(Key("sku-b"))!;
        Assert.Equal((2L, 1L, 0L), (b.Reached, b.Converted, b.DirectConversions));
        Assert.Equal(1.72m, b.AcquisitionCost);
        Assert.Equal(2.72m, b.ProspectSpend);
        var unspecified = report.Find(Key(AcquisitionGroupKey.UnspecifiedProduct))!;
        Assert.Equal((0L, 0L, 1L), (unspecified.Reached, unspecified.Converted, unspecified.DirectConversions));
        Assert.False(unspecified.ConversionRate.HasValue);
    }

    [Fact]
    public async Task Segments_CountTheirMembersOnly()
    {
        var (_, report, _) = await AnalyseAsync();
        var vip = report.Find(Key(segment: "vip"))!;
        Assert.Equal((2L, 1L, 0L), (vip.Reached, vip.Converted, vip.DirectConversions));
        Assert.Equal(4.50m, vip.AcquisitionCost);
        Assert.Equal(5.50m, vip.ProspectSpend);
        Assert.Equal(Duration.FromDays(8), vip.MedianTimeToFirstPurchase);
        var fresh = report.Find(Key(segment: "new"))!;
        Assert.Equal((2L, 2L), (fresh.Reached, fresh.Converted));
        Assert.Equal((1L, 1L), (report.Find(Key("sku-b", "new"))!.Reached, report.Find(Key("sku-b", "new"))!.Converted));
        Assert.Equal((1L, 0L), (report.Find(Key("sku-b", "vip"))!.Reached, report.Find(Key("sku-b", "vip"))!.Converted));
    }

    [Fact]
    public async Task PositionBased_CreditsFortyTwentyForty()
    {
        var (_, report, _) = await AnalyseAsync(AttributionRule.PositionBased);
        var email = report.Find(Cell("email"))!;
        Assert.Equal((3L, 2L), (email.Journeys, email.Converters));
        Assert.Equal(2.4m, email.Reach);
        Assert.Equal(1.4m, email.Conversions);
        Assert.Equal(1.4m / 2.4m, email.ConversionRate.Value);
        Assert.Equal(2.2m, email.Communications);
        Assert.Equal(3.52m, email.AcquisitionCost);
        Assert.Equal(4.52m, email.ProspectSpend);
        Assert.Equal(Duration.FromHours(6), email.MedianTimeToFirstPurchase);
        Assert.Equal([1m, 0m, 0.4m, 0m, 0m], email.TimeToFirstPurchase.Select(b => b.Conversions));
        var sms = report.Find(Cell("sms"))!;
        Assert.Equal((0.2m, 0.2m, 0.6m, 0.9m), (sms.Reach, sms.Conversions, sms.Communications, sms.AcquisitionCost));
        Assert.Equal(Duration.FromDays(8), sms.MedianTimeToFirstPurchase);
        var phone = report.Find(Cell("phone"))!;
        Assert.Equal((0.4m, 0.4m, 1.2m, 1.8m), (phone.Reach, phone.Conversions, phone.Communications, phone.AcquisitionCost));
    }

    [Fact]
    public async Task DirectConversions_AreTheNoCommunicationCell()
    {
        var (_, report, _) = await AnalyseAsync();
        var none = report.Find(Cell(null))!;
        Assert.Equal((2L, 2L, 0m, 2m), (none.Journeys, none.Converters, none.Reach, none.Conversions));
        Assert.False(none.ConversionRate.HasValue);
        Assert.Null(none.MedianTimeToFirstPurchase);
    }

    [Fact]
    public async Task FirstTouch_CreditsTheFirstCommunication()
    {
        var (_, report, _) = await AnalyseAsync(AttributionRule.FirstTouch);
        var email = report.Find(Cell("email"))!;
        Assert.Equal((3m, 2m, 6.22m, 4m), (email.Reach, email.Conversions, email.AcquisitionCost, email.Communications));
        Assert.Null(report.Find(Cell("sms")));
        Assert.Null(report.Find(Cell("phone")));
    }

    [Fact]
    public async Task LastTouch_CreditsTheLastCommunicationBeforeThePurchase()
    {
        var (_, report, _) = await AnalyseAsync(AttributionRule.LastTouch);
        var email = report.Find(Cell("email"))!;
        Assert.Equal((2m, 1m, 1.72m), (email.Reach, email.Conversions, email.AcquisitionCost));
        var phone = report.Find(Cell("phone"))!;
        Assert.Equal((1m, 1m, 4.50m, 3m), (phone.Reach, phone.Conversions, phone.AcquisitionCost, phone.Communications));
        Assert.Null(report.Find(Cell("sms")));
    }

    [Fact]
    public async Task Linear_SharesEquallyWithTheRemainderOnTheLast()
    {
        var (_, report, _) = await AnalyseAsync(AttributionRule.Linear);
        var third = 1m / 3m;
        Assert.Equal(2m + third, report.Find(Cell("email"))!.Reach);
        Assert.Equal(third, report.Find(Cell("sms"))!.Reach);
        Assert.Equal(1m - third - third, report.Find(Cell("phone"))!.Reach);
        Assert.Equal(1.5m, Math.Round(report.Find(Cell("sms"))!.AcquisitionCost, 20));
    }

    [Fact]
    public async Task DrillDown_StreamsTheCustomersAndTouchpointsBehindACell()
    {
        var (analysis, report, request) = await AnalyseAsync();
        var sms = await analysis.StreamCellAsync(Tenant, request, Cell("sms")).ToListAsync();
        var ann = Assert.Single(sms);
        Assert.Equal(_ann.Id, ann.CustomerId);
        Assert.Equal(["email", "sms", "phone"], ann.Communications.Select(t => t.Channel.Value));
        Assert.Equal(TouchpointKind.Purchase, ann.FirstPurchase!.Kind);
        Assert.Equal(4.50m, ann.Cost);
        Assert.Equal(Duration.FromDays(8), ann.TimeToFirstPurchase);
        Assert.Equal(0.2m, ann.Credit[new ChannelId("sms")]);
        Assert.Equal(["sku-a"], ann.Products);

        var direct = await analysis.StreamCellAsync(Tenant, request, Cell(null)).Select(j => j.CustomerId).ToListAsync();
        Assert.Equal(new[] { _eve.Id, _fay.Id }.Order(), direct.Order());

        var email = await analysis.StreamCellAsync(Tenant, request, Cell("email")).ToListAsync();
        Assert.Equal(report.Find(Cell("email"))!.Journeys, email.Count);
        Assert.Equal(report.Find(Cell("email"))!.Reach, email.Sum(j => j.Credit[new ChannelId("email")]));
    }

    [Fact]
    public async Task DrillDown_OfAGroup_IsEveryCustomerItCounts()
    {
        var (analysis, report, request) = await AnalyseAsync();
        var total = await analysis.StreamGroupAsync(Tenant, request, AcquisitionGroupKey.Total).ToListAsync();
        Assert.Equal(report.Total.Reached + report.Total.DirectConversions, total.Count);
        Assert.DoesNotContain(total, j => j.CustomerId == _dan.Id || j.CustomerId == _gus.Id);
        var skuB = await analysis.StreamGroupAsync(Tenant, request, Key("sku-b")).Select(j => j.CustomerId).ToListAsync();
        Assert.Equal(new[] { _ben.Id, _cat.Id }.Order(), skuB.Order());
        var vip = await analysis.StreamGroupAsync(Tenant, request, Key(segment: "vip")).Select(j => j.CustomerId).ToListAsync();
        Assert.Equal(new[] { _ann.Id, _cat.Id }.Order(), vip.Order());
        var cat = total.Single(j => j.CustomerId == _cat.Id);
        Assert.False(cat.Converted);
        Assert.Null(cat.TimeToFirstPurchase);
    }

    [Fact]
    public void Lifecycle_ACustomerPastTheProspectStageAtTheStart_IsNotAProspect()
    {
        var imported = CustomerId.New();
        var joined = CustomerId.New();
        var history = (Instant at) => (IReadOnlyList<LifecycleTransitionRecord>)[LifecycleTransitionRecord.Create(DefaultLifecycleModel.Prospect, DefaultLifecycleModel.FirstTimeCustomer, at, "first-purchase", LifecycleTriggerKind.Command, null, "import", "imported", "test")];
        var report = Scan(Request(), [
            (Snapshot(imported, history(Instant.FromUtc(2025, 12, 1, 0, 0))), [Touch(imported, Jan(5), "email", TouchpointKind.CampaignContact), Purchase(imported, Jan(8))]),
            (Snapshot(joined, history(Jan(8))), [Touch(joined, Jan(5), "email", TouchpointKind.CampaignContact), Purchase(joined, Jan(8))]),
        ]);
        Assert.Equal((1L, 1L), (report.Total.Reached, report.Total.Converted));
    }

    [Fact]
    public void Window_CommunicationsBeforeTheStartAndPurchasesAfterTheEndDoNotCount()
    {
        var early = CustomerId.New();
        var late = CustomerId.New();
        var report = Scan(Request(), [
            (Snapshot(early), [Touch(early, Instant.FromUtc(2025, 12, 30, 12, 0), "email", TouchpointKind.CampaignContact), Purchase(early, Jan(3))]),
            (Snapshot(late), [Touch(late, Jan(30), "email", TouchpointKind.CampaignContact), Purchase(late, Instant.FromUtc(2026, 2, 1, 0, 0))]),
        ]);
        Assert.Equal((1L, 0L, 1L), (report.Total.Reached, report.Total.Converted, report.Total.DirectConversions));
    }

    [Fact]
    public void AReturnAfterTheFirstPurchase_DoesNotUndoTheConversion()
    {
        var id = CustomerId.New();
        var report = Scan(Request(), [(Snapshot(id), [Touch(id, Jan(2), "email", TouchpointKind.CampaignContact), Purchase(id, Jan(3)), Touch(id, Jan(4), "web", TouchpointKind.Return, CrmFunction.Service)])]);
        Assert.Equal(1, report.Total.Converted);
    }

    [Fact]
    public void AnEmptyTenant_GivesZeroTotalsAndNoValues()
    {
        var report = Scan(Request(), []);
        Assert.Equal(0, report.Total.Reached);
        Assert.False(report.Total.ConversionRate.HasValue);
        Assert.False(report.Total.CostPerAcquisition.HasValue);
        Assert.Null(report.Total.MedianTimeToFirstPurchase);
        Assert.Empty(report.Groups);
        Assert.Empty(report.Cells);
    }

    [Fact]
    public async Task AMissingRate_StopsTheAnalysis()
    {
        var id = NewCustomer();
        var (customers, touchpoints) = await StoreAsync([(id, [Touch(id.Id, Jan(2), "email", TouchpointKind.CampaignContact, cost: Money.Of(1m, "USD"))])]);
        var analysis = new AcquisitionAnalysis(customers, touchpoints, Rates);
        var error = await Assert.ThrowsAsync<ExchangeRateNotFoundException>(async () => await analysis.AnalyseAsync(Tenant, Request()));
        Assert.Equal("CRM-MONEY-002", error.ErrorCode);
    }

    [Fact]
    public async Task BadArguments_AreRefusedNamingTheParameter()
    {
        var (customers, touchpoints) = await StoreAsync([]);
        Assert.Equal("customers", Assert.Throws<ArgumentNullException>(() => new AcquisitionAnalysis(null!, touchpoints, Rates)).ParamName);
        var analysis = new AcquisitionAnalysis(customers, touchpoints, Rates);
        Assert.Equal("tenantId", (await Assert.ThrowsAsync<ArgumentException>(async () => await analysis.AnalyseAsync(default, Request()))).ParamName);
        Assert.Equal("request", (await Assert.ThrowsAsync<ArgumentNullException>(async () => await analysis.AnalyseAsync(Tenant, null!))).ParamName);
        var foreign = new SegmentSnapshot(new TenantId("other"), new SegmentId("vip"), 1, Jan(1), Jan(1), []);
        Assert.Equal("request", (await Assert.ThrowsAsync<ArgumentException>(async () => await analysis.AnalyseAsync(Tenant, Request(segments: foreign)))).ParamName);
        Assert.Equal("group", Assert.Throws<ArgumentException>(() => analysis.StreamGroupAsync(Tenant, Request(), Key(segment: "vip"))).ParamName);
        Assert.Equal("cell", Assert.Throws<ArgumentException>(() => analysis.StreamCellAsync(Tenant, Request(), Cell("email", segment: "vip"))).ParamName);
    }

    [Fact]
    public void BadRequests_AreRefusedNamingTheParameter()
    {
        Assert.Equal("currency", Assert.Throws<ArgumentException>(() => new AcquisitionRequest(January, DateTimeZone.Utc, Currency.XXX)).ParamName);
        Assert.Equal("attribution", Assert.Throws<System.ComponentModel.InvalidEnumArgumentException>(() => new AcquisitionRequest(January, DateTimeZone.Utc, Currency.GBP, (AttributionRule)9)).ParamName);
        Assert.Equal("period", Assert.Throws<ArgumentNullException>(() => new AcquisitionRequest(null!, DateTimeZone.Utc, Currency.GBP)).ParamName);
        Assert.Equal("TimeBuckets", Assert.Throws<ArgumentException>(() => new AcquisitionRequest(January, DateTimeZone.Utc, Currency.GBP) { TimeBuckets = [] }).ParamName);
        Assert.Equal("TimeBuckets", Assert.Throws<ArgumentException>(() => new AcquisitionRequest(January, DateTimeZone.Utc, Currency.GBP) { TimeBuckets = [Duration.FromDays(2), Duration.FromDays(1)] }).ParamName);
        Assert.Equal("Segments", Assert.Throws<ArgumentException>(() => Request(AttributionRule.Linear, Segment("vip"), Segment("vip"))).ParamName);
        Assert.Equal("ProspectStage", Assert.Throws<ArgumentException>(() => new AcquisitionRequest(January, DateTimeZone.Utc, Currency.GBP) { ProspectStage = default }).ParamName);
    }
}

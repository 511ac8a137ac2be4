using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using NodaTime;
using F = CrmKernel.Metrics.Catalogue.StandardFigures;
using Xunit;

namespace CrmKernel.Tests.Metrics.Evaluation;

public sealed class MetricScanTests
{
    private static readonly DateInterval January = new(new LocalDate(2026, 1, 1), new LocalDate(2026, 1, 31));
    private static readonly Instant LastDay = Instant.FromUtc(2026, 1, 31, 12, 0);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(7 * 24 * 60, 0)]
    [InlineData((7 * 24 * 60) + 1, 1)]
    public void FirstContactResolution_IsUndoneByARepeatContactWithinSevenDays_EvenAfterThePeriod(int minutesLater, int expected)
    {
        var scan = new MetricScan(January, DateTimeZone.Utc);
        var phone = scan.RegisterChannel(new ChannelId("phone"));

        scan.BeginCustomer(default);
        scan.Add(Service(LastDay, phone, MetricTouchpointKind.Complaint, resolved: true));
        scan.Add(Service(LastDay + Duration.FromMinutes(minutesLater == 0 ? 1 : minutesLater), phone, MetricTouchpointKind.Other, resolved: false));
        scan.EndCustomer();

        var figures = scan.ToFigures(Currency.GBP).Values;
        Assert.Equal(1m, figures[F.Issues]);
        Assert.Equal(expected, figures[F.IssuesResolvedFirstContact]);
    }

    [Fact]
    public void Retention_IgnoresCustomersAcquiredInsideThePeriod()
    {
        var scan = new MetricScan(January, DateTimeZone.Utc);
        var web = scan.RegisterChannel(new ChannelId("web"));

        // Bought in December and January: at risk, retained. Bought only in January: acquired, neither at risk nor retained.
        // Bought in October only (before the look-back window): not at risk, and a January purchase would not be an acquisition.
        Customer(scan, Purchase(Instant.FromUtc(2025, 12, 20, 0, 0), web), Purchase(Instant.FromUtc(2026, 1, 2, 0, 0), web));
        Customer(scan, Purchase(Instant.FromUtc(2026, 1, 2, 0, 0), web));
        Customer(scan, Purchase(Instant.FromUtc(2025, 10, 2, 0, 0), web), Purchase(Instant.FromUtc(2026, 1, 9, 0, 0), web));

        var figures = scan.ToFigures(Currency.GBP).Values;
        Assert.Equal(1m, figures[F.CustomersAtRisk]);
        Assert.Equal(1m, figures[F.CustomersRetained]);
        Assert.Equal(1m, figures[F.Acquisitions]);
        Assert.Equal(3m, figures[F.PurchasingCustomers]);
        Assert.Equal(3m, figures[F.Orders]);
    }

    [Fact]
    public void Period_IsInterpretedInTheReportingZone()
    {
        var tokyo = DateTimeZoneProviders.Tzdb["Asia/Tokyo"];
        var scan = new MetricScan(January, tokyo);
        var web = scan.RegisterChannel(new ChannelId("web"));

        // 31 January 16:00 UTC is 1 February 01:00 in Tokyo: outside the period there.
        Customer(scan, Purchase(Instant.FromUtc(2026, 1, 31, 16, 0), web), Purchase(Instant.FromUtc(2025, 12, 31, 16, 0), web));

        var figures = scan.ToFigures(Currency.GBP).Values;
        Assert.Equal(1m, figures[F.Orders]);
        Assert.Equal(Instant.FromUtc(2025, 12, 31, 15, 0), scan.Start);
    }

    [Fact]
    public void Surveys_AreCountedOnTheirOwnScales()
    {
        var scan = new MetricScan(January, DateTimeZone.Utc);
        var web = scan.RegisterChannel(new ChannelId("web"));
        var at = Instant.FromUtc(2026, 1, 10, 0, 0);

        Customer(
            scan,
            Survey(at, web, new CesScore(5)), Survey(at, web, new Ces2Score(7)), Survey(at, web, new Ces2Score(1)),
            Survey(at, web, new NpsScore(6)), Survey(at, web, new NpsScore(8)), Survey(at, web, new CsatScore(4)));

        var figures = scan.ToFigures(Currency.GBP).Values;
        Assert.Equal((1m, 5m), (figures[F.CesResponses], figures[F.CesTotal]));
        Assert.Equal((2m, 8m), (figures[F.Ces2Responses], figures[F.Ces2Total]));
        Assert.Equal((2m, 0m, 1m), (figures[F.NpsResponses], figures[F.NpsPromoters], figures[F.NpsDetractors]));
        Assert.Equal((1m, 1m), (figures[F.CsatResponses], figures[F.CsatTopTwoBox]));
    }

    [Fact]
    public void Scan_RefusesTouchpointsOutsideACustomer_AndUnregisteredChannels()
    {
        var scan = new MetricScan(January, DateTimeZone.Utc);
        var touchpoint = Purchase(Instant.FromUtc(2026, 1, 2, 0, 0), 3);

        Assert.Throws<InvalidOperationException>(() => scan.Add(touchpoint));
        Assert.Throws<InvalidOperationException>(scan.EndCustomer);
        scan.BeginCustomer(default);
        Assert.Throws<InvalidOperationException>(() => scan.BeginCustomer(default));
        Assert.Throws<InvalidOperationException>(() => scan.ToFigures(Currency.GBP));
        Assert.Throws<ArgumentOutOfRangeException>(() => scan.Add(touchpoint));
    }

    [Fact]
    public void ChannelFigures_AddUpToTheTotals()
    {
        var scan = new MetricScan(January, DateTimeZone.Utc);
        var email = scan.RegisterChannel(new ChannelId("email"));
        var phone = scan.RegisterChannel(new ChannelId("phone"));
        var at = Instant.FromUtc(2026, 1, 10, 0, 0);

        Customer(
            scan,
            new MetricTouchpoint(at, MetricTouchpointKind.CampaignContact, CrmFunction.Marketing, InteractionDirection.Outbound, false, null, email, 0.5m, 0m),
            new MetricTouchpoint(at, MetricTouchpointKind.Other, CrmFunction.Service, InteractionDirection.Inbound, false, null, phone, 6m, 0m),
            new MetricTouchpoint(at, MetricTouchpointKind.Purchase, CrmFunction.Sales, InteractionDirection.Inbound, false, null, phone, null, 90m));

        var figures = scan.ToFigures(Currency.GBP);
        Assert.Equal(3m, figures.Values[F.Contacts]);
        Assert.Equal(2m, figures.Values[F.CostedContacts]);
        Assert.Equal(6.5m, figures.Values[F.ContactCost]);
        Assert.Equal(0.5m, figures.Values[F.MarketingCost]);
        Assert.Equal(6m, figures.Values[F.ServiceCost]);
        Assert.Equal(figures.Values[F.ContactCost], figures.Channels.Sum(c => c.Cost));
        Assert.Equal(["email", "phone"], figures.Channels.Select(c => c.Channel.Value));
        Assert.Equal(90m, figures.Channels[1].Revenue);
        Assert.Equal(scan.RegisterChannel(new ChannelId("email")), email);
    }

    private static void Customer(MetricScan scan, params MetricTouchpoint[] touchpoints)
    {
        scan.BeginCustomer(new CustomerFacts(1, 3));
        foreach (var touchpoint in touchpoints.OrderBy(t => t.OccurredAt))
        {
            scan.Add(touchpoint);
        }

        scan.EndCustomer();
    }

    private static MetricTouchpoint Purchase(Instant at, int channel)
        => new(at, MetricTouchpointKind.Purchase, CrmFunction.Sales, InteractionDirection.Inbound, false, null, channel, null, 10m);

    private static MetricTouchpoint Service(Instant at, int channel, MetricTouchpointKind kind, bool resolved)
        => new(at, kind, CrmFunction.Service, InteractionDirection.Inbound, resolved, null, channel, null, 0m);

    private static MetricTouchpoint Survey(Instant at, int channel, SatisfactionScore score)
        => new(at, MetricTouchpointKind.Other, CrmFunction.Service, InteractionDirection.Outbound, false, score, channel, null, 0m);
}

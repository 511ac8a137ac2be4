using CrmKernel.Customers;
using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Metrics.Hierarchy;
using CrmKernel.Primitives;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Ingestion;
using CrmKernel.Storage.InMemory;
using CrmKernel.Tests.Metrics.CustomerBase;
using CrmKernel.Touchpoints;
using NodaTime;
using NodaTime.Testing;
using Xunit;
using F = CrmKernel.Metrics.Catalogue.StandardFigures;
using S = CrmKernel.Metrics.Catalogue.StandardMetrics;

namespace CrmKernel.Tests.Metrics.Catalogue;

/// <summary>
/// The two purchase-counting conventions of the order-counting metrics: each purchase touchpoint an order, or a
/// customer's same-day purchases one occasion (the customer-base models' convention), on CDNOW's calibration period
/// through every evaluation path, and on hand-made cases.
/// </summary>
[Collection(CustomerBaseCollection.Name)]
public sealed class PurchaseCountingTests
{
    /// <summary>CDNOW's calibration period: the whole of the cohort's first 39 weeks.</summary>
    private static readonly DateInterval Calibration = new(new LocalDate(1997, 1, 1), new LocalDate(1997, 9, 30));

    private static readonly Instant CalibrationEnd = Instant.FromUtc(1997, 10, 1, 0, 0);

    [Fact]
    public void By_GivesTheCatalogueDefaultForEachOrder_AndAnOccasionTwinOtherwise()
    {
        Assert.Same(S.RepeatPurchaseRate, S.RepeatPurchaseRateBy(PurchaseCounting.EachOrder));
        Assert.Same(S.PurchaseFrequency, S.PurchaseFrequencyBy(PurchaseCounting.EachOrder));
        Assert.Same(S.AverageOrderValue, S.AverageOrderValueBy(PurchaseCounting.EachOrder));
        Assert.Same(S.ComplaintRate, S.ComplaintRateBy(PurchaseCounting.EachOrder));

        var occasions = new[]
        {
            S.RepeatPurchaseRateBy(PurchaseCounting.SameDayOccasion), S.PurchaseFrequencyBy(PurchaseCounting.SameDayOccasion),
            S.AverageOrderValueBy(PurchaseCounting.SameDayOccasion), S.ComplaintRateBy(PurchaseCounting.SameDayOccasion),
        };
        Assert.Equal(
            ["repeat-purchase-rate-by-occasion", "purchase-frequency-by-occasion", "average-order-value-by-occasion", "complaint-rate-by-occasion"],
            occasions.Select(d => d.Id.Value));
        Assert.All(occasions, d => Assert.Contains("purchase touchpoints on one day in the reporting zone", d.Conventions, StringComparison.Ordinal));
        Assert.All(occasions, d => Assert.DoesNotContain(d, S.All));
        Assert.Same(occasions[0], S.RepeatPurchaseRateBy(PurchaseCounting.SameDayOccasion));
        Assert.Equal("counting", Assert.Throws<System.ComponentModel.InvalidEnumArgumentException>(() => S.RepeatPurchaseRateBy((PurchaseCounting)2)).ParamName);
        Assert.Equal("counting", Assert.Throws<System.ComponentModel.InvalidEnumArgumentException>(() => S.AverageOrderValueBy((PurchaseCounting)(-1))).ParamName);
    }

    [Fact]
    public void Formulas_ReadTheOccasionFigures()
    {
        var figures = StandardMetricsTests.Figures(
            (F.PurchasingCustomers, 4m), (F.RepeatCustomers, 3m), (F.RepeatOccasionCustomers, 2m), (F.Orders, 10m), (F.PurchaseOccasions, 8m),
            (F.PurchaseRevenue, 400m), (F.Complaints, 2m));

        Assert.Equal(0.75m, S.RepeatPurchaseRate.Formula.Compute(figures).Value);
        Assert.Equal(0.5m, S.RepeatPurchaseRateBy(PurchaseCounting.SameDayOccasion).Formula.Compute(figures).Value);
        Assert.Equal(2m, S.PurchaseFrequencyBy(PurchaseCounting.SameDayOccasion).Formula.Compute(figures).Value);
        Assert.Equal(50m, S.AverageOrderValueBy(PurchaseCounting.SameDayOccasion).Formula.Compute(figures).Value);
        Assert.Equal(0.25m, S.ComplaintRateBy(PurchaseCounting.SameDayOccasion).Formula.Compute(figures).Value);

        var none = StandardMetricsTests.Figures((F.PurchasingCustomers, 0m), (F.RepeatOccasionCustomers, 0m), (F.PurchaseOccasions, 0m), (F.PurchaseRevenue, 0m), (F.Complaints, 0m));
        Assert.False(S.RepeatPurchaseRateBy(PurchaseCounting.SameDayOccasion).Formula.Compute(none).HasValue);
        Assert.False(S.AverageOrderValueBy(PurchaseCounting.SameDayOccasion).Formula.Compute(none).HasValue);
    }

    [Fact]
    public void Cdnow_RepeatPurchaseRate_Is959Of2357CountingOrders_And946Of2357CountingOccasions()
    {
        var figures = ScanCdnow(parts: 1);

        Assert.Equal(2357m, figures.Values[F.PurchasingCustomers]);
        Assert.Equal(959m, figures.Values[F.RepeatCustomers]);
        Assert.Equal(946m, figures.Values[F.RepeatOccasionCustomers]);
        Assert.Equal(959m / 2357m, S.RepeatPurchaseRateBy(PurchaseCounting.EachOrder).Formula.Compute(figures).Value);
        Assert.Equal(946m / 2357m, S.RepeatPurchaseRateBy(PurchaseCounting.SameDayOccasion).Formula.Compute(figures).Value);

        // Orders are the calibration lines; occasions are each customer's first purchase plus the 2,457 repeat transactions
        // of the published summary (Σx).
        Assert.Equal(4960m, figures.Values[F.Orders]);
        Assert.Equal(Cdnow.Purchases.Count(p => p.OccurredAt < CalibrationEnd), figures.Values[F.Orders]);
        Assert.Equal(2357m + 2457m, figures.Values[F.PurchaseOccasions]);
        Assert.Equal(Cdnow.Summary.Sum(c => c.CalibrationSpend.Amount), figures.Values[F.PurchaseRevenue]);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void Cdnow_PartialScansMergeToTheSameOccasions(int parts)
    {
        var whole = ScanCdnow(parts: 1);
        var merged = ScanCdnow(parts);

        Assert.Equal(whole.Values, merged.Values);
    }

    [Fact]
    public async Task Cdnow_StoreScanPath_GivesBothConventions_AndTheRevenueIdentityHoldsForEach()
    {
        var clock = new FakeClock(Instant.FromUtc(1998, 7, 1, 0, 0));
        var tenant = new TenantId("cdnow-occasions");
        var customers = new InMemoryCustomerStore(new InMemoryCrmOutbox());
        var touchpoints = new InMemoryTouchpointStore();
        var repository = new CustomerRepository(customers, clock);
        var ids = new Dictionary<CustomerId, CustomerId>();
        foreach (var id in Cdnow.Purchases.Select(p => p.CustomerId).Distinct())
        {
            var customer = Customer.Register(tenant, new PersonProfile("Cdnow", "Customer"), clock);
            await repository.SaveAsync(customer);
            ids[id] = customer.Id;
        }

        var key = 0;
        var report = await new TouchpointIngestion(touchpoints, clock).RecordManyAsync(tenant, Cdnow.Purchases.Select(p => new NewTouchpoint
        {
            CustomerId = ids[p.CustomerId],
            Channel = new ChannelId("web"),
            Direction = InteractionDirection.Inbound,
            Function = CrmFunction.Sales,
            Kind = TouchpointKind.Purchase,
            OccurredAt = p.OccurredAt,
            Source = new ExternalIdentifier("cdnow", $"line-{++key}"),
            Revenue = p.Value,
        }));
        Assert.Equal(6919, report.Recorded);

        var occasions = new[] { S.PurchaseFrequencyBy(PurchaseCounting.SameDayOccasion), S.AverageOrderValueBy(PurchaseCounting.SameDayOccasion), S.RepeatPurchaseRateBy(PurchaseCounting.SameDayOccasion) };
        var hierarchy = MetricHierarchy.Create(
            [S.PurchaseRevenue, S.PurchasingCustomers, S.RevenuePerCustomer, S.PurchaseFrequency, S.AverageOrderValue, S.RepeatPurchaseRate, .. occasions],
            [],
            [S.Identities[0], MetricIdentity.Product(S.RevenuePerCustomer.Id, [occasions[0].Id, occasions[1].Id], "revenue per customer = occasions per customer × value per occasion")]);
        var evaluator = new MetricEvaluator(customers, touchpoints, new FixedExchangeRateProvider([]), new InMemoryMetricInputs());

        var evaluation = await evaluator.EvaluateAsync(tenant, hierarchy, new MetricEvaluationRequest(Calibration, DateTimeZone.Utc, Currency.USD, compareWithPrevious: false));

        Assert.Equal(959m / 2357m, evaluation[S.RepeatPurchaseRate.Id].Value.Value);
        Assert.Equal(946m / 2357m, evaluation[occasions[2].Id].Value.Value);
        Assert.Equal(4814m / 2357m, evaluation[occasions[0].Id].Value.Value);
        Assert.Equal(ScanCdnow(parts: 1).Values[F.Orders] / 2357m, evaluation[S.PurchaseFrequency.Id].Value.Value);
        Assert.Equal(2, evaluation.Identities.Count);
        Assert.All(evaluation.Identities, check => Assert.Equal(IdentityOutcome.Holds, check.Outcome));
    }

    [Fact]
    public void Occasions_AreDaysOfTheReportingZone_NotOfUtc()
    {
        // 23:30 and 00:30 New York time are two days there, one day (04:30 and 05:30 UTC, in winter) in UTC.
        var zone = DateTimeZoneProviders.Tzdb["America/New_York"];
        var january = new DateInterval(new LocalDate(2026, 1, 1), new LocalDate(2026, 1, 31));
        Instant At(int day, int hour, int minute) => new LocalDateTime(2026, 1, day, hour, minute).InZoneStrictly(zone).ToInstant();

        var local = Scan(january, zone, [[At(10, 23, 30), At(11, 0, 30)], [At(12, 9, 0), At(12, 21, 0)]]);
        var utc = Scan(january, DateTimeZone.Utc, [[At(10, 23, 30), At(11, 0, 30)], [At(12, 9, 0), At(12, 21, 0)]]);

        Assert.Equal((4m, 3m, 2m, 1m), (local.Values[F.Orders], local.Values[F.PurchaseOccasions], local.Values[F.RepeatCustomers], local.Values[F.RepeatOccasionCustomers]));
        Assert.Equal((4m, 3m, 2m, 1m), (utc.Values[F.Orders], utc.Values[F.PurchaseOccasions], utc.Values[F.RepeatCustomers], utc.Values[F.RepeatOccasionCustomers]));
        Assert.Equal(2m, Scan(january, zone, [[At(10, 23, 30), At(11, 0, 30)]]).Values[F.PurchaseOccasions]);
        Assert.Equal(1m, Scan(january, DateTimeZone.Utc, [[At(10, 23, 30), At(11, 0, 30)]]).Values[F.PurchaseOccasions]);
    }

    [Fact]
    public void Occasions_CountOnlyPurchasesInThePeriod_AndStartAfreshForEachCustomer()
    {
        var january = new DateInterval(new LocalDate(2026, 1, 1), new LocalDate(2026, 1, 31));
        Instant At(int month, int day, int hour) => Instant.FromUtc(2026, month, day, hour, 0);

        // A December purchase on the 31st does not open an occasion that a 1 January purchase would join; two customers
        // buying on the same day are two occasions.
        var figures = Scan(january, DateTimeZone.Utc, [[Instant.FromUtc(2025, 12, 31, 23, 0), At(1, 1, 1), At(1, 1, 2), At(2, 1, 1)], [At(1, 1, 3)]]);

        Assert.Equal(3m, figures.Values[F.Orders]);
        Assert.Equal(2m, figures.Values[F.PurchaseOccasions]);
        Assert.Equal(1m, figures.Values[F.RepeatCustomers]);
        Assert.Equal(0m, figures.Values[F.RepeatOccasionCustomers]);
    }

    private static MetricFigures Scan(DateInterval period, DateTimeZone zone, Instant[][] customers)
    {
        var scan = new MetricScan(period, zone);
        var channel = scan.RegisterChannel(new ChannelId("web"));
        foreach (var purchases in customers)
        {
            scan.BeginCustomer(default);
            foreach (var at in purchases)
            {
                scan.Add(new MetricTouchpoint(at, MetricTouchpointKind.Purchase, CrmFunction.Sales, InteractionDirection.Inbound, false, null, channel, null, 10m));
            }

            scan.EndCustomer();
        }

        return scan.ToFigures(Currency.USD);
    }

    /// <summary>CDNOW's calibration period scanned customer by customer (in id order), split into <paramref name="parts"/> partial scans merged last-first.</summary>
    private static MetricFigures ScanCdnow(int parts)
    {
        var histories = Cdnow.Purchases.GroupBy(p => p.CustomerId).OrderBy(g => g.Key).Select(g => g.OrderBy(p => p.OccurredAt).ToArray()).ToArray();
        var scans = new MetricScan[parts];
        for (var part = 0; part < parts; part++)
        {
            var scan = scans[part] = new MetricScan(Calibration, DateTimeZone.Utc);
            var channel = scan.RegisterChannel(new ChannelId("web"));
            for (var c = part; c < histories.Length; c += parts)
            {
                scan.BeginCustomer(default);
                foreach (var purchase in histories[c])
                {
                    scan.Add(new MetricTouchpoint(purchase.OccurredAt, MetricTouchpointKind.Purchase, CrmFunction.Sales, InteractionDirection.Inbound, false, null, channel, null, purchase.Value.Amount));
                }

                scan.EndCustomer();
            }
        }

        for (var part = parts - 2; part >= 0; part--)
        {
            scans[parts - 1].Merge(scans[part]);
        }

        return scans[parts - 1].ToFigures(Currency.USD);
    }
}

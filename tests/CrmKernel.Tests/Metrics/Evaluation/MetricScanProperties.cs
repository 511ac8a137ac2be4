using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using Xunit;
using F = CrmKernel.Metrics.Catalogue.StandardFigures;

namespace CrmKernel.Tests.Metrics.Evaluation;

/// <summary>
/// The scan against a plain reference: on random small tenants, every customer-level and service figure the one-pass
/// scan produces equals the same figure computed the obvious way, with LINQ over each customer's whole history.
/// </summary>
public sealed class MetricScanProperties
{
    private static readonly DateInterval January = new(new LocalDate(2026, 1, 1), new LocalDate(2026, 1, 31));
    private static readonly Instant Start = Instant.FromUtc(2026, 1, 1, 0, 0);
    private static readonly Instant End = Instant.FromUtc(2026, 2, 1, 0, 0);
    private static readonly Instant LookbackStart = Instant.FromUtc(2025, 12, 1, 0, 0);
    private static readonly MetricTouchpointKind[] Kinds = Enum.GetValues<MetricTouchpointKind>();

    [Property(MaxTest = 300)]
    public Property Scan_AgreesWithAReferenceComputation()
    {
        var touchpoint =
            from day in Gen.Choose(-75, 45)
            from minute in Gen.Choose(0, (24 * 60) - 1)
            from kind in Gen.Elements(Kinds)
            from function in Gen.Elements(Enum.GetValues<CrmFunction>())
            from direction in Gen.Elements(Enum.GetValues<InteractionDirection>())
            from resolved in ArbMap.Default.GeneratorFor<bool>()
            from cost in Gen.Frequency((1, Gen.Constant<decimal?>(null)), (1, Gen.Choose(0, 999).Select(c => (decimal?)(c / 100m))))
            from revenue in Gen.Choose(0, 9_999)
            select new MetricTouchpoint(Start + Duration.FromDays(day) + Duration.FromMinutes(minute), kind, function, direction, resolved, null, 0, cost, kind == MetricTouchpointKind.Purchase ? revenue / 100m : 0m);
        var tenant = touchpoint.ArrayOf().Select(t => t.OrderBy(x => x.OccurredAt).ToArray()).ArrayOf();

        return Prop.ForAll(tenant.ToArbitrary(), customers =>
        {
            var scan = new MetricScan(January, DateTimeZone.Utc);
            scan.RegisterChannel(new ChannelId("web"));
            foreach (var history in customers)
            {
                scan.BeginCustomer(default);
                foreach (var t in history)
                {
                    scan.Add(t);
                }

                scan.EndCustomer();
            }

            var actual = scan.ToFigures(Currency.GBP).Values;
            var expected = Reference(customers);
            return expected.All(e => actual[e.Key] == e.Value).Label(string.Join(", ", expected.Where(e => actual[e.Key] != e.Value).Select(e => $"{e.Key}: expected {e.Value}, got {actual[e.Key]}")));
        });
    }

    /// <summary>
    /// The two purchase-counting conventions: occasions never exceed orders nor repeat-occasion customers repeat
    /// customers, and the two agree exactly when no customer buys twice on one day (otherwise there are fewer occasions).
    /// </summary>
    [Property(MaxTest = 300)]
    public Property PurchaseOccasions_NeverExceedOrders_AndEqualThemWithoutSameDayPurchases()
    {
        var purchase =
            from day in Gen.Choose(-10, 40)
            from minute in Gen.Choose(0, (24 * 60) - 1)
            select Start + Duration.FromDays(day) + Duration.FromMinutes(minute);
        var tenant = purchase.ArrayOf().Select(p => p.Order().ToArray()).ArrayOf();

        return Prop.ForAll(tenant.ToArbitrary(), customers =>
        {
            var scan = new MetricScan(January, DateTimeZone.Utc);
            var channel = scan.RegisterChannel(new ChannelId("web"));
            foreach (var history in customers)
            {
                scan.BeginCustomer(default);
                foreach (var at in history)
                {
                    scan.Add(new MetricTouchpoint(at, MetricTouchpointKind.Purchase, CrmFunction.Sales, InteractionDirection.Inbound, false, null, channel, null, 1m));
                }

                scan.EndCustomer();
            }

            var f = scan.ToFigures(Currency.GBP).Values;
            var sameDay = customers.Any(h => h.Where(t => t >= Start && t < End).GroupBy(t => t.InUtc().Date).Any(g => g.Count() > 1));
            var bounded = f[F.PurchaseOccasions] <= f[F.Orders] && f[F.RepeatOccasionCustomers] <= f[F.RepeatCustomers];
            var agree = f[F.PurchaseOccasions] == f[F.Orders] && f[F.RepeatOccasionCustomers] == f[F.RepeatCustomers];
            return (bounded && (sameDay ? f[F.PurchaseOccasions] < f[F.Orders] : agree)).Label($"orders {f[F.Orders]}, occasions {f[F.PurchaseOccasions]}, repeat {f[F.RepeatCustomers]}/{f[F.RepeatOccasionCustomers]}, same-day {sameDay}");
        });
    }

    private static Dictionary<FigureKey, decimal> Reference(MetricTouchpoint[][] customers)
    {
        static bool InPeriod(MetricTouchpoint t) => t.OccurredAt >= Start && t.OccurredAt < End;
        static bool InboundService(MetricTouchpoint t) => t.Direction == InteractionDirection.Inbound && t.Function == CrmFunction.Service;
        static bool IsIssue(MetricTouchpoint t) => InPeriod(t) && InboundService(t) && t.Kind is MetricTouchpointKind.Enquiry or MetricTouchpointKind.Complaint;

        var all = customers.SelectMany(c => c).Where(InPeriod).ToList();
        var purchases = customers.Select(c => c.Where(t => t.Kind == MetricTouchpointKind.Purchase).ToList()).ToList();
        var inPeriod = purchases.Select(p => p.Count(InPeriod)).ToList();
        var occasions = purchases.Select(p => p.Where(InPeriod).Select(t => t.OccurredAt.InUtc().Date).Distinct().Count()).ToList();
        var before = purchases.Select(p => p.Any(t => t.OccurredAt < Start)).ToList();
        var lookback = purchases.Select(p => p.Any(t => t.OccurredAt >= LookbackStart && t.OccurredAt < Start)).ToList();
        var firstContact = customers.Sum(c => c.Select((t, i) => (t, i)).Count(x =>
        {
            if (!IsIssue(x.t) || !x.t.Resolved)
            {
                return false;
            }

            var next = c.Skip(x.i + 1).FirstOrDefault(InboundService);
            return next.OccurredAt == default(Instant) || next.OccurredAt - x.t.OccurredAt > Duration.FromDays(7);
        }));

        return new Dictionary<FigureKey, decimal>
        {
            [F.Customers] = customers.Length,
            [F.Orders] = all.Count(t => t.Kind == MetricTouchpointKind.Purchase),
            [F.PurchaseRevenue] = all.Where(t => t.Kind == MetricTouchpointKind.Purchase).Sum(t => t.Revenue),
            [F.PurchasingCustomers] = inPeriod.Count(n => n > 0),
            [F.RepeatCustomers] = inPeriod.Count(n => n >= 2),
            [F.PurchaseOccasions] = occasions.Sum(),
            [F.RepeatOccasionCustomers] = occasions.Count(n => n >= 2),
            [F.Acquisitions] = inPeriod.Where((n, i) => n > 0 && !before[i]).Count(),
            [F.CustomersAtRisk] = lookback.Count(l => l),
            [F.CustomersRetained] = lookback.Where((l, i) => l && inPeriod[i] > 0).Count(),
            [F.Contacts] = all.Count,
            [F.CostedContacts] = all.Count(t => t.HasCost),
            [F.ContactCost] = all.Sum(t => t.Cost),
            [F.MarketingCost] = all.Where(t => t.Function == CrmFunction.Marketing).Sum(t => t.Cost),
            [F.Issues] = customers.Sum(c => c.Count(IsIssue)),
            [F.IssuesResolvedFirstContact] = firstContact,
            [F.HandledInteractions] = all.Count(InboundService),
            [F.Complaints] = all.Count(t => t.Kind == MetricTouchpointKind.Complaint),
            [F.CampaignContacts] = all.Count(t => t.Kind == MetricTouchpointKind.CampaignContact),
        };
    }
}

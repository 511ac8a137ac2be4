using CrmKernel.Customers;
using CrmKernel.ExchangeRates;
using CrmKernel.Lifecycle;
using CrmKernel.Metrics.Acquisition;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Services.Customers;
using CrmKernel.Storage.InMemory;
using CrmKernel.Touchpoints;
using NodaTime;
using NodaTime.Testing;

namespace CrmKernel.Tests.Metrics.Acquisition;

/// <summary>Touchpoints, customers and scans for the acquisition tests: January 2026 in UTC, reported in GBP.</summary>
internal static class AcquisitionTestData
{
    public static readonly TenantId Tenant = new("acquisition");
    public static readonly DateInterval January = new(new LocalDate(2026, 1, 1), new LocalDate(2026, 1, 31));
    public static readonly FixedExchangeRateProvider Rates = new([new ExchangeRate(Currency.EUR, Currency.GBP, new LocalDate(2025, 12, 1), 0.86m)]);
    private static int _key;

    public static Instant Jan(int day, int hour = 12) => Instant.FromUtc(2026, 1, day, hour, 0);

    public static AcquisitionRequest Request(AttributionRule rule = AttributionRule.PositionBased, params SegmentSnapshot[] segments)
        => new(January, DateTimeZone.Utc, Currency.GBP, rule) { Segments = segments };

    public static SegmentSnapshot Segment(string name, params CustomerId[] members)
        => new(Tenant, new SegmentId(name), 1, Jan(1, 0), Jan(1, 0), members);

    public static Touchpoint Touch(
        CustomerId customer, Instant at, string channel, TouchpointKind kind, CrmFunction function = CrmFunction.Marketing,
        Money? cost = null, string? campaign = null, string[]? products = null)
        => Touchpoint.Create(Tenant, TouchpointId.New(), at, new NewTouchpoint
        {
            CustomerId = customer,
            Channel = new ChannelId(channel),
            Direction = kind == TouchpointKind.Purchase ? InteractionDirection.Inbound : InteractionDirection.Outbound,
            Function = function,
            Kind = kind,
            OccurredAt = at,
            Source = new ExternalIdentifier("test", $"a-{Interlocked.Increment(ref _key)}"),
            Cost = cost,
            CampaignId = campaign,
            ProductIds = products ?? [],
        });

    public static Touchpoint Purchase(CustomerId customer, Instant at, params string[] products)
        => Touch(customer, at, "web", TouchpointKind.Purchase, CrmFunction.Sales, products: products);

    public static CustomerSnapshot Snapshot(CustomerId id, IReadOnlyList<LifecycleTransitionRecord>? history = null) => new()
    {
        Id = id,
        TenantId = Tenant,
        Profile = new PersonProfile("Test", "Customer"),
        CreatedAt = Instant.FromUtc(2025, 6, 1, 0, 0),
        UpdatedAt = Instant.FromUtc(2025, 6, 1, 0, 0),
        Version = 1,
        LifecycleHistory = history ?? [],
    };

    /// <summary>Runs the one-pass scan over customers given with their touchpoints (sorted here into timeline order).</summary>
    public static AcquisitionReport Scan(AcquisitionRequest request, IEnumerable<(CustomerSnapshot Customer, Touchpoint[] Touchpoints)> customers, IExchangeRateProvider? rates = null)
    {
        var scan = new AcquisitionScan(request, new CurrencyConverter(rates ?? Rates, request.Currency));
        foreach (var (customer, touchpoints) in customers)
        {
            var ordered = touchpoints.OrderBy(t => t.Position).ToArray();
            if (scan.EvaluateAsync(customer, ordered, default).AsTask().GetAwaiter().GetResult())
            {
                scan.Accumulate(ordered);
            }
        }

        return scan.ToReport();
    }

    /// <summary>Stores the customers and their touchpoints in in-memory stores, registered through the repository.</summary>
    public static async Task<(InMemoryCustomerStore Customers, InMemoryTouchpointStore Touchpoints)> StoreAsync(IEnumerable<(Customer Customer, Touchpoint[] Touchpoints)> customers)
    {
        var store = new InMemoryCustomerStore(new InMemoryCrmOutbox());
        var touchpoints = new InMemoryTouchpointStore();
        var repository = new CustomerRepository(store, new FakeClock(Jan(1, 0)));
        foreach (var (customer, timeline) in customers)
        {
            await repository.SaveAsync(customer);
            if (timeline.Length > 0)
            {
                await touchpoints.AppendAsync(Tenant, timeline, default);
            }
        }

        return (store, touchpoints);
    }

    public static Customer NewCustomer() => Customer.Register(Tenant, new PersonProfile("Test", "Customer"), new FakeClock(Instant.FromUtc(2025, 6, 1, 0, 0)));
}

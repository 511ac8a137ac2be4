using CrmKernel.Customers;
using CrmKernel.ExchangeRates;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Services.Ingestion;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using CrmKernel.Touchpoints;
using NodaTime;
using NodaTime.Testing;

namespace CrmKernel.Tests.Metrics.Profitability;

/// <summary>A tenant in the in-memory stores for the channel-mix and win-back tests: customers stored with a hand-made lifecycle history, touchpoints recorded as given.</summary>
internal sealed class MixWorld
{
    public static readonly TenantId Tenant = new("mix");
    public static readonly DateInterval January = new(new LocalDate(2026, 1, 1), new LocalDate(2026, 1, 31));
    public static readonly FixedExchangeRateProvider Rates = new([new ExchangeRate(Currency.EUR, Currency.GBP, new LocalDate(2025, 12, 1), 0.86m)]);

    private readonly TouchpointIngestion _ingestion;
    private int _key;

    public MixWorld()
    {
        Customers = new InMemoryCustomerStore(new InMemoryCrmOutbox());
        Touchpoints = new InMemoryTouchpointStore();
        _ingestion = new TouchpointIngestion(Touchpoints, new FakeClock(Instant.FromUtc(2026, 6, 1, 0, 0)));
    }

    public InMemoryCustomerStore Customers { get; }

    public InMemoryTouchpointStore Touchpoints { get; }

    public static Instant Day(int month, int day, int year = 2026) => Instant.FromUtc(year, month, day, 12, 0);

    public static LifecycleTransitionRecord Move(LifecycleStage from, LifecycleStage to, Instant at)
        => LifecycleTransitionRecord.Create(from, to, at, "test", LifecycleTriggerKind.Command, null, "test", "hand-made", "tester");

    public static SegmentSnapshot Segment(string name, params CustomerId[] members)
        => new(Tenant, new SegmentId(name), 1, Day(1, 1), Day(1, 1), members);

    /// <summary>Stores a customer with the given lifecycle history (oldest first).</summary>
    public async Task<CustomerId> CustomerAsync(params LifecycleTransitionRecord[] history)
    {
        var id = CustomerId.New();
        var snapshot = new CustomerSnapshot
        {
            Id = id,
            TenantId = Tenant,
            Profile = new PersonProfile("Test", "Customer"),
            CreatedAt = Day(1, 1, 2025),
            UpdatedAt = Day(1, 1, 2025),
            Version = 1,
            LifecycleStage = history.Length > 0 ? history[^1].To : null,
            LifecycleHistory = history,
        };
        await Customers.CommitAsync(new CustomerCommit(snapshot, 0, []), CancellationToken.None);
        return id;
    }

    public async Task RecordAsync(
        CustomerId customer, Instant at, string channel, CrmFunction function = CrmFunction.Service, InteractionDirection direction = InteractionDirection.Inbound,
        TouchpointKind? kind = null, Money? revenue = null, Money? cost = null, string? campaign = null)
        => await _ingestion.RecordAsync(Tenant, new NewTouchpoint
        {
            CustomerId = customer,
            Channel = new ChannelId(channel),
            Direction = direction,
            Function = function,
            Kind = kind ?? (revenue is null ? TouchpointKind.Enquiry : TouchpointKind.Purchase),
            OccurredAt = at,
            Source = new ExternalIdentifier("test", $"t-{++_key}"),
            Revenue = revenue,
            Cost = cost,
            CampaignId = campaign,
        });

    public Task PurchaseAsync(CustomerId customer, Instant at, Money revenue)
        => RecordAsync(customer, at, "web", CrmFunction.Sales, kind: TouchpointKind.Purchase, revenue: revenue);

    public async Task CallsAsync(CustomerId customer, int count, Instant from, string channel = "phone")
    {
        for (var i = 0; i < count; i++)
        {
            await RecordAsync(customer, from + Duration.FromHours(i), channel);
        }
    }
}

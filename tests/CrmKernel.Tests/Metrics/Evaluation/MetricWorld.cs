using CrmKernel.Customers;
using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Primitives;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Ingestion;
using CrmKernel.Storage.InMemory;
using CrmKernel.Touchpoints;
using NodaTime;
using NodaTime.Testing;

namespace CrmKernel.Tests.Metrics.Evaluation;

/// <summary>A small tenant in the in-memory stores, with a hand-computable January 2026 (see <see cref="CreateAsync"/>).</summary>
internal sealed class MetricWorld
{
    public static readonly TenantId Tenant = new("metrics");
    public static readonly DateInterval January = new(new LocalDate(2026, 1, 1), new LocalDate(2026, 1, 31));

    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 3, 1, 0, 0));
    private readonly TouchpointIngestion _ingestion;
    private readonly CustomerRepository _repository;
    private int _key;

    private MetricWorld()
    {
        Customers = new InMemoryCustomerStore(new InMemoryCrmOutbox());
        Touchpoints = new InMemoryTouchpointStore();
        _repository = new CustomerRepository(Customers, _clock);
        _ingestion = new TouchpointIngestion(Touchpoints, _clock);
    }

    public InMemoryCustomerStore Customers { get; }

    public InMemoryTouchpointStore Touchpoints { get; }

    public InMemoryMetricInputs Inputs { get; } = new();

    public static FixedExchangeRateProvider Rates { get; } = new([new ExchangeRate(Currency.EUR, Currency.GBP, new LocalDate(2025, 12, 1), 0.86m)]);

    /// <summary>
    /// Alice bought in December and twice in January (retained, repeat); Bob bought in December only (churned); Carol's first
    /// purchase is in January, in EUR (acquired; 100 EUR = 86 GBP), after a 1.50 GBP campaign contact she responded to; Dave
    /// complained on 30 January (resolved) and called again on 3 February (not first-contact resolution), gave NPS 10, and his
    /// resolution on 31 January got CSAT 5; Erin's resolved enquiry had no repeat (first-contact resolution), CES 2 and CES 2.0 6.
    /// </summary>
    public static async Task<MetricWorld> CreateAsync()
    {
        var world = new MetricWorld();
        var alice = await world.CustomerAsync(complete: true);
        var bob = await world.CustomerAsync();
        var carol = await world.CustomerAsync();
        var dave = await world.CustomerAsync();
        var erin = await world.CustomerAsync();

        await world.Purchase(alice, new LocalDate(2025, 12, 10), Money.Of(100m, "GBP"));
        await world.Purchase(alice, new LocalDate(2026, 1, 5), Money.Of(50m, "GBP"));
        await world.Purchase(alice, new LocalDate(2026, 1, 20), Money.Of(70m, "GBP"));
        await world.Purchase(bob, new LocalDate(2025, 12, 15), Money.Of(200m, "GBP"));
        await world.Record(carol, new LocalDate(2026, 1, 2), CrmFunction.Marketing, TouchpointKind.CampaignContact, "email", InteractionDirection.Outbound, cost: Money.Of(1.50m, "GBP"));
        await world.Record(carol, new LocalDate(2026, 1, 3), CrmFunction.Marketing, TouchpointKind.Response, "email");
        await world.Purchase(carol, new LocalDate(2026, 1, 10), Money.Of(100m, "EUR"));
        await world.Record(dave, new LocalDate(2026, 1, 30), CrmFunction.Service, TouchpointKind.Complaint, "phone", outcome: TouchpointOutcome.Resolved, cost: Money.Of(4m, "GBP"));
        await world.Record(dave, new LocalDate(2026, 1, 31), CrmFunction.Service, TouchpointKind.Resolution, "phone", InteractionDirection.Outbound, satisfaction: new CsatScore(5));
        await world.Record(dave, new LocalDate(2026, 1, 15), CrmFunction.Innovation, TouchpointKind.Feedback, "web", satisfaction: new NpsScore(10));
        await world.Record(dave, new LocalDate(2026, 2, 3), CrmFunction.Service, TouchpointKind.Enquiry, "phone");
        await world.Record(erin, new LocalDate(2026, 1, 12), CrmFunction.Service, TouchpointKind.Enquiry, "chat", outcome: TouchpointOutcome.Resolved, satisfaction: new CesScore(2));
        await world.Record(erin, new LocalDate(2026, 1, 13), CrmFunction.Service, TouchpointKind.Feedback, "web", InteractionDirection.Outbound, satisfaction: new Ces2Score(6));
        return world;
    }

    public MetricEvaluator Evaluator(IExchangeRateProvider? rates = null) => new(Customers, Touchpoints, rates ?? Rates, Inputs);

    /// <summary>A tenant with nobody in it, for a test that places its own touchpoints.</summary>
    public static MetricWorld CreateEmpty() => new();

    /// <summary>Registers a customer.</summary>
    public Task<CustomerId> NewCustomerAsync() => CustomerAsync();

    /// <summary>Records a web purchase at exactly <paramref name="at"/>.</summary>
    public async Task PurchaseAtAsync(CustomerId customer, Instant at, Money revenue)
        => await _ingestion.RecordAsync(Tenant, new NewTouchpoint
        {
            CustomerId = customer,
            Channel = new ChannelId("web"),
            Direction = InteractionDirection.Inbound,
            Function = CrmFunction.Sales,
            Kind = TouchpointKind.Purchase,
            OccurredAt = at,
            Source = new ExternalIdentifier("test", $"t-{++_key}"),
            Revenue = revenue,
        });

    private async Task<CustomerId> CustomerAsync(bool complete = false)
    {
        var customer = Customer.Register(Tenant, new PersonProfile("Test", "Customer"), _clock);
        if (complete)
        {
            customer.ChangeHomeTimeZone(DateTimeZone.Utc);
            customer.AddExternalIdentifier(new ExternalIdentifier("shop", "C-1"));
        }

        await _repository.SaveAsync(customer);
        return customer.Id;
    }

    private Task Purchase(CustomerId customer, LocalDate day, Money revenue)
        => Record(customer, day, CrmFunction.Sales, TouchpointKind.Purchase, "web", revenue: revenue);

    private async Task Record(
        CustomerId customer, LocalDate day, CrmFunction function, TouchpointKind kind, string channel, InteractionDirection direction = InteractionDirection.Inbound,
        Money? revenue = null, Money? cost = null, TouchpointOutcome? outcome = null, SatisfactionScore? satisfaction = null)
        => await _ingestion.RecordAsync(Tenant, new NewTouchpoint
        {
            CustomerId = customer,
            Channel = new ChannelId(channel),
            Direction = direction,
            Function = function,
            Kind = kind,
            OccurredAt = day.At(new LocalTime(12, 0)).InUtc().ToInstant(),
            Source = new ExternalIdentifier("test", $"t-{++_key}"),
            Revenue = revenue,
            Cost = cost,
            Outcome = outcome,
            Satisfaction = satisfaction,
        });
}

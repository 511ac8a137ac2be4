using CrmKernel.Customers;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Ingestion;
using CrmKernel.Storage.InMemory;
using CrmKernel.Testing;
using CrmKernel.Touchpoints;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace CrmKernel.Tests.Ingestion;

/// <summary>
/// Idempotency by source key, field by field: the same contact under the same key is one record; a contact that
/// differs in any one field under the same key is a conflict naming the key, and stores and applies nothing.
/// </summary>
public sealed class TouchpointIngestionIdempotencyProperties
{
    private static readonly TenantId Tenant = new("ingestion-props");
    private static readonly Instant Now = Instant.FromUtc(2026, 6, 1, 0, 0);
    private static readonly CustomerId Known = CustomerId.New();

    /// <summary>One change per field of <see cref="NewTouchpoint"/> except the source key, each keeping the contact valid.</summary>
    private static readonly (string Field, Func<NewTouchpoint, NewTouchpoint> Change)[] Changes =
    [
        (nameof(NewTouchpoint.CustomerId), t => Copy(t, customer: CustomerId.New())),
        (nameof(NewTouchpoint.Channel), t => Copy(t, channel: new ChannelId(t.Channel.Value == "email" ? "web" : "email"))),
        (nameof(NewTouchpoint.Direction), t => Copy(t, direction: t.Direction == InteractionDirection.Inbound ? InteractionDirection.Outbound : InteractionDirection.Inbound)),
        (nameof(NewTouchpoint.Function), t => Copy(t, function: t.Function == CrmFunction.Sales ? CrmFunction.Service : CrmFunction.Sales)),
        (nameof(NewTouchpoint.Kind), t => Copy(t, kind: t.Kind == TouchpointKind.Purchase ? TouchpointKind.Enquiry : TouchpointKind.Purchase)),
        (nameof(NewTouchpoint.OccurredAt), t => Copy(t, occurredAt: t.OccurredAt.PlusNanoseconds(1))),
        (nameof(NewTouchpoint.Participants), t => Copy(t, participants: t.Participants.Count == 0 ? [TouchpointParticipant.Staff("agent-x", "agent")] : [.. t.Participants.Skip(1)])),
        (nameof(NewTouchpoint.Outcome), t => Copy(t, outcome: t.Outcome is null ? TouchpointOutcome.Completed : null, setOutcome: true)),
        (nameof(NewTouchpoint.Satisfaction), t => Copy(t, satisfaction: OtherScore(t.Satisfaction), setSatisfaction: true)),
        (nameof(NewTouchpoint.Sentiment), t => Copy(t, sentiment: t.Sentiment is null ? new Sentiment(0.5m) : null, setSentiment: true)),
        (nameof(NewTouchpoint.Cost), t => Copy(t, cost: t.Cost is { } c ? c + Money.Of(1m, c.Currency.Code) : Money.Of(1m, (t.Revenue?.Currency)?.Code ?? "EUR"), setCost: true)),
        (nameof(NewTouchpoint.Revenue), t => Copy(t, revenue: t.Revenue is { } r ? r + Money.Of(1m, r.Currency.Code) : Money.Of(1m, (t.Cost?.Currency)?.Code ?? "EUR"), setRevenue: true)),
        (nameof(NewTouchpoint.ProductIds), t => Copy(t, products: t.ProductIds.Count == 0 ? ["sku-extra"] : [.. t.ProductIds.Skip(1)])),
        (nameof(NewTouchpoint.CampaignId), t => Copy(t, campaign: t.CampaignId is null ? "spring-2026" : null, setCampaign: true)),
    ];

    public static class Arbitraries
    {
        public static Arbitrary<NewTouchpoint> Contacts() => CrmGenerators.NewTouchpointFor([Known]).ToArbitrary();
    }

    [Fact]
    public void Changes_CoverEveryFieldOfNewTouchpoint_ButTheSourceKey()
    {
        var fields = typeof(NewTouchpoint).GetProperties().Select(p => p.Name).Where(n => n != nameof(NewTouchpoint.Source)).Order(StringComparer.Ordinal);
        Assert.Equal(fields, Changes.Select(c => c.Field).Order(StringComparer.Ordinal));
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 60)]
    public void SameKey_SameContent_IsOneRecord_AndAnyChangedField_IsAConflictNamingTheKey(NewTouchpoint contact) => Run(async () =>
    {
        foreach (var withLifecycle in new[] { false, true })
        {
            var world = await World.CreateAsync(withLifecycle);
            var first = await world.Ingestion.RecordAsync(Tenant, contact);
            Assert.Equal(1, first.Recorded);
            var version = await world.CustomerVersionAsync();

            var again = await world.Ingestion.RecordAsync(Tenant, contact);
            Assert.True(again.AlreadyRecorded);
            Assert.Equal(first.Touchpoint!.Id, again.Touchpoint!.Id);
            Assert.Empty(again.Transitions);
            var bulkAgain = await world.Ingestion.RecordManyAsync(Tenant, [contact]);
            Assert.Equal(0, bulkAgain.Recorded);
            Assert.Equal([0], bulkAgain.AlreadyPresent);

            foreach (var (field, change) in Changes)
            {
                var changed = change(contact);
                var e = await Assert.ThrowsAsync<TouchpointConflictException>(async () => await world.Ingestion.RecordAsync(Tenant, changed));
                Assert.True(contact.Source.Equals(e.SourceKey), $"{field}: the conflict names {e.SourceKey}");
                Assert.Contains(contact.Source.ToString(), e.Message, StringComparison.Ordinal);
                Assert.Equal(first.Touchpoint.Id, e.ExistingId);

                var bulk = await world.Ingestion.RecordManyAsync(Tenant, [changed]);
                var conflict = Assert.Single(bulk.Conflicts);
                Assert.Equal((0, contact.Source), (conflict.Index, conflict.SourceKey));
                Assert.Equal(0, bulk.Recorded);
                Assert.Empty(bulk.Transitions);
            }

            Assert.Equal(1, await world.Touchpoints.CountAsync(Tenant, default));
            Assert.Equal(version, await world.CustomerVersionAsync());
        }
    });

    private static SatisfactionScore? OtherScore(SatisfactionScore? score) => score switch
    {
        null => new CsatScore(3),
        CsatScore s => new CesScore(s.Value), // same number on another scale is different content
        CesScore s => new CsatScore(s.Value),
        NpsScore s => new NpsScore((s.Value + 1) % 11),
        _ => null,
    };

    private static NewTouchpoint Copy(
        NewTouchpoint t,
        CustomerId? customer = null,
        ChannelId? channel = null,
        InteractionDirection? direction = null,
        CrmFunction? function = null,
        TouchpointKind? kind = null,
        Instant? occurredAt = null,
        IReadOnlyList<TouchpointParticipant>? participants = null,
        TouchpointOutcome? outcome = null,
        bool setOutcome = false,
        SatisfactionScore? satisfaction = null,
        bool setSatisfaction = false,
        Sentiment? sentiment = null,
        bool setSentiment = false,
        Money? cost = null,
        bool setCost = false,
        Money? revenue = null,
        bool setRevenue = false,
        IReadOnlyList<string>? products = null,
        string? campaign = null,
        bool setCampaign = false) => new()
    {
        CustomerId = customer ?? t.CustomerId,
        Channel = channel ?? t.Channel,
        Direction = direction ?? t.Direction,
        Function = function ?? t.Function,
        Kind = kind ?? t.Kind,
        OccurredAt = occurredAt ?? t.OccurredAt,
        Source = t.Source,
        Participants = participants ?? t.Participants,
        Outcome = setOutcome ? outcome : t.Outcome,
        Satisfaction = setSatisfaction ? satisfaction : t.Satisfaction,
        Sentiment = setSentiment ? sentiment : t.Sentiment,
        Cost = setCost ? cost : t.Cost,
        Revenue = setRevenue ? revenue : t.Revenue,
        ProductIds = products ?? t.ProductIds,
        CampaignId = setCampaign ? campaign : t.CampaignId,
    };

    private static void Run(Func<Task> body) => Task.Run(body).GetAwaiter().GetResult();

    private sealed class World
    {
        private readonly InMemoryCustomerStore _customers;

        private World(InMemoryCustomerStore customers, InMemoryTouchpointStore touchpoints, TouchpointIngestion ingestion)
            => (_customers, Touchpoints, Ingestion) = (customers, touchpoints, ingestion);

        public InMemoryTouchpointStore Touchpoints { get; }

        public TouchpointIngestion Ingestion { get; }

        public static async Task<World> CreateAsync(bool withLifecycle)
        {
            var clock = new FakeClock(Now);
            var outbox = new InMemoryCrmOutbox();
            var customers = new InMemoryCustomerStore(outbox);
            var touchpoints = new InMemoryTouchpointStore();
            await new CustomerRepository(customers, clock, null, outbox).SaveAsync(Customer.Register(Tenant, Known, new PersonProfile("Ada", "Lovelace"), clock));
            var ingestion = withLifecycle
                ? new TouchpointIngestion(touchpoints, clock, DefaultLifecycleModel.Create(), customers, new InMemoryCustomerTouchpointStore(customers, touchpoints), null, outbox)
                : new TouchpointIngestion(touchpoints, clock);
            return new World(customers, touchpoints, ingestion);
        }

        public async Task<long> CustomerVersionAsync() => (await _customers.FindAsync(Tenant, Known, default))!.Version;
    }
}

using CrmKernel.Channels;
using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Events;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Services.Channels;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Ingestion;
using CrmKernel.Services.Lifecycle;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using CrmKernel.Testing.Channels;
using CrmKernel.Touchpoints;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Xunit;
using static CrmKernel.Lifecycle.DefaultLifecycleModel;
using static CrmKernel.Tests.Lifecycle.LifecycleTestData;

namespace CrmKernel.Tests.Lifecycle;

/// <summary>The ordinary ingestion path (<see cref="TouchpointIngestion"/>, single and bulk) applies the lifecycle in the same commit.</summary>
public sealed class TouchpointIngestionLifecycleTests
{
    private readonly FakeClock _clock = new(Start, Duration.FromMilliseconds(1));
    private readonly InMemoryCrmOutbox _outbox = new();
    private readonly InMemoryCustomerStore _customers;
    private readonly InMemoryTouchpointStore _touchpoints = new();
    private readonly List<ICrmEvent> _published = [];

    public TouchpointIngestionLifecycleTests() => _customers = new InMemoryCustomerStore(_outbox);

    private TouchpointIngestion Ingestion(ICustomerTouchpointStore? atomic = null)
        => new(_touchpoints, _clock, Model, _customers, atomic ?? new InMemoryCustomerTouchpointStore(_customers, _touchpoints), new Publisher(_published), _outbox);

    private CustomerRepository Repository => new(_customers, _clock, null, _outbox);

    private async Task<Customer> SavedAsync()
    {
        var customer = NewCustomer(_clock);
        await Repository.SaveAsync(customer);
        return customer;
    }

    private async Task<Customer> StoredAsync(CustomerId id) => Customer.Rehydrate((await _customers.FindAsync(Tenant, id, default))!, _clock);

    private async Task<IReadOnlyList<Touchpoint>> TimelineAsync(CustomerId id)
        => await _touchpoints.PageTimelineAsync(Tenant, new TimelineFilter([id]), null, 100, default);

    [Fact]
    public async Task RecordAsync_ExistingCustomer_StoresTheTouchpointAndTheTransitionInOneCommit_AndPublishesAfter()
    {
        var customer = await SavedAsync();

        var touchpoint = (await Ingestion().RecordAsync(Tenant, Details(customer.Id, TouchpointKind.Purchase, Day(1)))).Touchpoint!;

        var stored = await StoredAsync(customer.Id);
        Assert.Equal(FirstTimeCustomer, stored.Lifecycle.Stage);
        Assert.Equal(touchpoint.Id, Assert.Single(stored.Lifecycle.History).TouchpointId);
        Assert.Equal(2, stored.Version);
        Assert.NotNull(await _touchpoints.FindAsync(Tenant, touchpoint.Id, default));
        var changed = Assert.IsType<LifecycleStageChanged>(Assert.Single(_published));
        Assert.Equal(FirstTimeCustomer, changed.Transition.To);
    }

    [Fact]
    public async Task RecordAsync_UnknownCustomer_AppendsTheTouchpointAlone()
    {
        var unknown = CustomerId.New();

        var touchpoint = (await Ingestion().RecordAsync(Tenant, Details(unknown, TouchpointKind.Purchase, Day(1)))).Touchpoint!;

        Assert.NotNull(await _touchpoints.FindAsync(Tenant, touchpoint.Id, default));
        Assert.Null(await _customers.FindAsync(Tenant, unknown, default));
        Assert.Empty(_published);
        Assert.Empty(await _outbox.ListPendingAsync(Tenant, 100, default));
    }

    [Fact]
    public async Task RecordAsync_WithThePlainConstructor_MovesNobody()
    {
        var customer = await SavedAsync();
        var ingestion = new TouchpointIngestion(_touchpoints, _clock);

        await ingestion.RecordAsync(Tenant, Details(customer.Id, TouchpointKind.Purchase, Day(1)));

        Assert.Null(ingestion.LifecycleModel);
        Assert.Null((await StoredAsync(customer.Id)).Lifecycle.Stage);
        Assert.Equal(1, await _touchpoints.CountAsync(Tenant, default));
    }

    [Fact]
    public async Task RecordAsync_Redelivered_ReturnsTheStoredTouchpoint_AndAppliesNothingTwice()
    {
        var customer = await SavedAsync();
        var details = Details(customer.Id, TouchpointKind.Purchase, Day(1), key: "order-1");
        var ingestion = Ingestion();

        var first = (await ingestion.RecordAsync(Tenant, details)).Touchpoint!;
        var again = (await ingestion.RecordAsync(Tenant, details)).Touchpoint!;

        Assert.Equal(first.Id, again.Id);
        var stored = await StoredAsync(customer.Id);
        Assert.Equal(1, stored.Lifecycle.Facts.PurchaseCount);
        Assert.Single(stored.Lifecycle.History);
        Assert.Equal(2, stored.Version);
        Assert.Single(_published);
    }

    [Fact]
    public async Task RecordAsync_AConflictingTouchpoint_ThrowsAndStoresNothing()
    {
        var customer = await SavedAsync();
        var ingestion = Ingestion();
        await ingestion.RecordAsync(Tenant, Details(customer.Id, TouchpointKind.Purchase, Day(1), key: "k"));

        await Assert.ThrowsAsync<TouchpointConflictException>(async () => await ingestion.RecordAsync(Tenant, Details(customer.Id, TouchpointKind.Complaint, Day(2), key: "k")));

        var stored = await StoredAsync(customer.Id);
        Assert.Equal(0, stored.Lifecycle.Facts.OpenComplaints);
        Assert.Equal(2, stored.Version);
        Assert.Single(await TimelineAsync(customer.Id));
    }

    [Fact]
    public async Task RecordAsync_AfterAConcurrentChange_RetriesFromAFreshRead_AndKeepsBothChanges()
    {
        var customer = await SavedAsync();
        var atomic = new InterferingStore(new InMemoryCustomerTouchpointStore(_customers, _touchpoints), Repository, times: 1);

        await Ingestion(atomic).RecordAsync(Tenant, Details(customer.Id, TouchpointKind.Purchase, Day(1)));

        Assert.Equal(2, atomic.Calls);
        var stored = await StoredAsync(customer.Id);
        Assert.Contains(new CustomerTag("interfered-1"), stored.Tags);
        Assert.Equal(FirstTimeCustomer, stored.Lifecycle.Stage);
        Assert.Equal(1, stored.Lifecycle.Facts.PurchaseCount);
    }

    [Fact]
    public async Task RecordAsync_WhenEveryCommitLosesTheRace_ThrowsAndStoresNothing()
    {
        var customer = await SavedAsync();
        var atomic = new InterferingStore(new InMemoryCustomerTouchpointStore(_customers, _touchpoints), Repository, times: int.MaxValue);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await Ingestion(atomic).RecordAsync(Tenant, Details(customer.Id, TouchpointKind.Purchase, Day(1))));

        Assert.Equal(LifecycleService.MaxAttempts, atomic.Calls);
        var stored = await StoredAsync(customer.Id);
        Assert.Null(stored.Lifecycle.Stage);
        Assert.Equal(0, stored.Lifecycle.Facts.PurchaseCount);
        Assert.Equal(0, await _touchpoints.CountAsync(Tenant, default));
        Assert.Empty(_published);
    }

    [Fact]
    public async Task RecordManyAsync_HistoricalTouchpointsBeforeTheRegistration_RecordTransitionsAtTheRegistration_AndTheCustomerStillLoads()
    {
        _clock.Reset(Day(400));
        var ada = await SavedAsync();

        // An import of last year's orders: both occurred before Ada was registered; the first lapse is due before it too.
        var report = await Ingestion().RecordManyAsync(Tenant, [Details(ada.Id, TouchpointKind.Purchase, Day(1)), Details(ada.Id, TouchpointKind.Purchase, Day(300))]);

        Assert.Equal(2, report.Recorded);
        var stored = await StoredAsync(ada.Id); // rehydration checks that no transition is before the registration
        Assert.All(stored.Lifecycle.History, t => Assert.True(t.At >= stored.CreatedAt));
        Assert.Equal([FirstTimeCustomer, Lapsed, WonBack], stored.Lifecycle.History.Select(t => t.To));
        Assert.Equal(2, stored.Lifecycle.Facts.PurchaseCount);
    }

    [Fact]
    public async Task RecordManyAsync_SeveralCustomers_ReadsAndCommitsEachOnce_InOccurredAtOrder()
    {
        var ada = await SavedAsync();
        var bob = await SavedAsync();
        var unknown = CustomerId.New();
        var valid = Details(ada.Id, TouchpointKind.Purchase, Day(5));
        var invalid = new NewTouchpoint
        {
            CustomerId = valid.CustomerId, Channel = valid.Channel, Direction = valid.Direction, Function = valid.Function,
            Kind = valid.Kind, OccurredAt = valid.OccurredAt, Source = valid.Source, Cost = Money.Of(-1m, "EUR"),
        };
        NewTouchpoint[] feed =
        [
            Details(ada.Id, TouchpointKind.Purchase, Day(3)),        // 0: ada's second purchase, delivered first
            Details(bob.Id, TouchpointKind.Purchase, Day(1)),        // 1
            Details(unknown, TouchpointKind.Purchase, Day(1)),       // 2: customer not known yet
            Details(ada.Id, TouchpointKind.Purchase, Day(1)),        // 3: ada's first purchase
            invalid,                                                 // 4
            Details(bob.Id, TouchpointKind.Complaint, Day(2)),       // 5
            Details(ada.Id, TouchpointKind.Purchase, Day(4)),        // 6: ada's third purchase
            Details(unknown, TouchpointKind.Complaint, Day(2)),      // 7
        ];

        var report = await Ingestion().RecordManyAsync(Tenant, feed);

        Assert.Equal(7, report.Recorded);
        Assert.Equal(4, Assert.Single(report.Invalid).Index);
        Assert.Empty(report.AlreadyPresent);
        Assert.Empty(report.Conflicts);

        var storedAda = await StoredAsync(ada.Id);
        Assert.Equal(2, storedAda.Version); // one commit for three touchpoints
        Assert.Equal(3, storedAda.Lifecycle.Facts.PurchaseCount);
        Assert.Equal(
            [(FirstTimeCustomer, Day(1)), (RepeatCustomer, Day(3)), (LoyalAdvocate, Day(4))],
            storedAda.Lifecycle.History.Select(t => (t.To, t.At)));
        var storedBob = await StoredAsync(bob.Id);
        Assert.Equal(2, storedBob.Version);
        Assert.Equal([FirstTimeCustomer, Dissatisfied], storedBob.Lifecycle.History.Select(t => t.To));
        Assert.Equal(2, (await TimelineAsync(unknown)).Count);
        Assert.Null(await _customers.FindAsync(Tenant, unknown, default));
        Assert.Equal(5, _published.OfType<LifecycleStageChanged>().Count());
        Assert.Empty(await _outbox.ListPendingAsync(Tenant, 100, default));
    }

    [Fact]
    public async Task RecordManyAsync_Redelivered_ReportsEveryRowAlreadyPresent_AndChangesNothing()
    {
        var ada = await SavedAsync();
        NewTouchpoint[] feed = [Details(ada.Id, TouchpointKind.Purchase, Day(1)), Details(ada.Id, TouchpointKind.Purchase, Day(2)), Details(CustomerId.New(), TouchpointKind.Purchase, Day(1))];
        var ingestion = Ingestion();
        await ingestion.RecordManyAsync(Tenant, feed);
        var before = await _customers.FindAsync(Tenant, ada.Id, default);

        var again = await ingestion.RecordManyAsync(Tenant, feed);

        Assert.Equal(0, again.Recorded);
        Assert.Equal([0, 1, 2], again.AlreadyPresent);
        var after = await StoredAsync(ada.Id);
        Assert.Equal(before!.Version, after.Version);
        Assert.Equal(2, after.Lifecycle.Facts.PurchaseCount);
        Assert.Equal(3, await _touchpoints.CountAsync(Tenant, default));
    }

    [Fact]
    public async Task RecordManyAsync_PartlyRedeliveredOrConflicting_StoresAndAppliesOnlyTheNewRows()
    {
        var ada = await SavedAsync();
        var ingestion = Ingestion();
        var known = Details(ada.Id, TouchpointKind.Purchase, Day(1), key: "order-1");
        await ingestion.RecordAsync(Tenant, known);
        await ingestion.RecordAsync(Tenant, Details(ada.Id, TouchpointKind.Complaint, Day(2), key: "case-1"));
        NewTouchpoint[] feed =
        [
            Details(ada.Id, TouchpointKind.Purchase, Day(3)),                     // 0: new
            known,                                                                // 1: re-delivered
            Details(ada.Id, TouchpointKind.Purchase, Day(5), key: "case-1"),      // 2: another contact under a taken key
            Details(ada.Id, TouchpointKind.Purchase, Day(4), key: "order-9"),     // 3: new
            Details(ada.Id, TouchpointKind.Purchase, Day(6), key: "order-9"),     // 4: a different contact under an earlier row's key
        ];

        var report = await ingestion.RecordManyAsync(Tenant, feed);

        Assert.Equal(2, report.Recorded);
        Assert.Equal([1], report.AlreadyPresent);
        Assert.Equal([2, 4], report.Conflicts.Select(c => c.Index));
        Assert.All(report.Conflicts, c => Assert.Equal(feed[c.Index].Source, c.SourceKey));
        var stored = await StoredAsync(ada.Id);
        Assert.Equal(3, stored.Lifecycle.Facts.PurchaseCount);
        Assert.Equal(4, await _touchpoints.CountAsync(Tenant, default));
        Assert.Equal(4, stored.Version); // registered, two single recordings, one bulk commit
    }

    [Fact]
    public async Task RecordManyAsync_AfterAConcurrentChange_RetriesTheCustomerFromAFreshRead()
    {
        var ada = await SavedAsync();
        var atomic = new InterferingStore(new InMemoryCustomerTouchpointStore(_customers, _touchpoints), Repository, times: 2);

        var report = await Ingestion(atomic).RecordManyAsync(Tenant, [Details(ada.Id, TouchpointKind.Purchase, Day(1)), Details(ada.Id, TouchpointKind.Purchase, Day(2))]);

        Assert.Equal(2, report.Recorded);
        Assert.Equal(3, atomic.Calls);
        var stored = await StoredAsync(ada.Id);
        Assert.Contains(new CustomerTag("interfered-2"), stored.Tags);
        Assert.Equal(2, stored.Lifecycle.Facts.PurchaseCount);
        Assert.Equal(RepeatCustomer, stored.Lifecycle.Stage);
    }

    [Fact]
    public async Task RecordManyAsync_WhenACustomersCommitKeepsFailing_ThrowsAndStoresNothingOfThatCustomer()
    {
        var ada = await SavedAsync();
        var atomic = new InterferingStore(new InMemoryCustomerTouchpointStore(_customers, _touchpoints), Repository, times: int.MaxValue);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await Ingestion(atomic).RecordManyAsync(Tenant, [Details(ada.Id, TouchpointKind.Purchase, Day(1)), Details(ada.Id, TouchpointKind.Purchase, Day(2))]));

        var stored = await StoredAsync(ada.Id);
        Assert.Equal(0, stored.Lifecycle.Facts.PurchaseCount);
        Assert.Null(stored.Lifecycle.Stage);
        Assert.Equal(0, await _touchpoints.CountAsync(Tenant, default));
        Assert.Empty(_published);
    }

    [Fact]
    public async Task RecordManyAsync_GivesTheSameCustomerAsRecordingOneByOneInOccurredAtOrder()
    {
        var kinds = new[] { TouchpointKind.Purchase, TouchpointKind.Complaint, TouchpointKind.Resolution, TouchpointKind.Purchase, TouchpointKind.Referral, TouchpointKind.Purchase };
        var ada = await SavedAsync();
        var steps = kinds.Select((k, i) => (Kind: k, At: Day(10 * (kinds.Length - i)))).ToArray(); // newest first
        await Ingestion().RecordManyAsync(Tenant, steps.Select(s => Details(ada.Id, s.Kind, s.At)));

        var otherStores = new TouchpointIngestionLifecycleTests();
        var twin = await otherStores.SavedAsync();
        foreach (var (kind, at) in steps.OrderBy(s => s.At))
        {
            await otherStores.Ingestion().RecordAsync(Tenant, Details(twin.Id, kind, at));
        }

        var bulk = (await StoredAsync(ada.Id)).Lifecycle;
        var single = (await otherStores.StoredAsync(twin.Id)).Lifecycle;
        Assert.Equal(single.History.Select(t => (t.From, t.To, t.At, t.Rule)), bulk.History.Select(t => (t.From, t.To, t.At, t.Rule)));
        Assert.Equal(single.Facts.PurchaseCount, bulk.Facts.PurchaseCount);
    }

    [Fact]
    public async Task AddCrmKernel_GivesTheIngestionTheModelAndTheAtomicStore()
    {
        var custom = DefaultLifecycleModel.Create(new DefaultLifecycleOptions { LapseAfter = Duration.FromDays(90) });
        using var provider = new ServiceCollection().AddCrmKernel(b => b.UseInMemoryStores().UseClock(_clock).UseLifecycleModel(custom)).BuildServiceProvider();
        var customer = NewCustomer(_clock);
        await provider.GetRequiredService<CustomerRepository>().SaveAsync(customer);
        var ingestion = provider.GetRequiredService<TouchpointIngestion>();

        await ingestion.RecordAsync(Tenant, Details(customer.Id, TouchpointKind.Purchase, Day(1)));

        Assert.Same(custom, ingestion.LifecycleModel);
        Assert.Equal(FirstTimeCustomer, (await provider.GetRequiredService<CustomerRepository>().GetAsync(Tenant, customer.Id)).Lifecycle.Stage);
    }

    [Fact]
    public async Task ChannelDispatcher_RecordsThroughTheSameLifecyclePath()
    {
        // A model in which a delivered campaign message moves a prospect: the dispatcher's touchpoint must move the customer.
        var prospect = new LifecycleStage("prospect");
        var contacted = new LifecycleStage("contacted");
        var model = new LifecycleModelBuilder(prospect)
            .AddStage(contacted)
            .AddRule("contacted", [prospect], contacted, LifecycleTrigger.OnTouchpoint(TouchpointKind.CampaignContact))
            .Build();
        var clock = new FakeClock(Instant.FromUtc(2026, 3, 2, 12, 0));
        var channel = new RecordingChannel();
        using var provider = new ServiceCollection()
            .AddCrmKernel(b => b.UseInMemoryStores().UseClock(clock).UseLifecycleModel(model).AddChannel(channel).UseContactPolicy(new ContactPolicy(DateTimeZone.Utc)))
            .BuildServiceProvider();
        var customers = provider.GetRequiredService<CustomerRepository>();
        var customer = Customer.Register(Tenant, new PersonProfile("Ada", "Lovelace"), clock);
        var address = EmailAddress.Parse("ada@example.com");
        customer.AddContactPoint(address);
        customer.GrantConsent(ConsentPurpose.Marketing, channel.Descriptor.Id, address, "web-form");
        await customers.SaveAsync(customer);

        var result = await provider.GetRequiredService<ChannelDispatcher>().DispatchAsync(
            Tenant, new DispatchRequest(customer.Id, channel.Descriptor.Id, ConsentPurpose.Marketing, CrmFunction.Marketing, new MessageContent("Spring offers are here.", "Spring"), "spring/ada"));

        Assert.Equal(DispatchOutcome.Sent, result.Outcome);
        var stored = await customers.GetAsync(Tenant, customer.Id);
        var transition = Assert.Single(stored.Lifecycle.History);
        Assert.Equal(contacted, transition.To);
        Assert.Equal(result.Touchpoint!.Id, transition.TouchpointId);
    }

    /// <summary>An atomic store where another writer changes the customer just before each of the first <c>times</c> writes.</summary>
    private sealed class InterferingStore(ICustomerTouchpointStore inner, CustomerRepository repository, int times) : ICustomerTouchpointStore
    {
        public int Calls { get; private set; }

        public async ValueTask<TouchpointAppendResult> AppendWithCustomerAsync(TenantId tenantId, Touchpoint touchpoint, CustomerCommit? commit, CancellationToken cancellationToken)
        {
            await InterfereAsync(tenantId, touchpoint.CustomerId);
            return await inner.AppendWithCustomerAsync(tenantId, touchpoint, commit, cancellationToken);
        }

        public async ValueTask<TouchpointAppendResult> AppendManyWithCustomerAsync(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, CustomerCommit? commit, CancellationToken cancellationToken)
        {
            await InterfereAsync(tenantId, touchpoints[0].CustomerId);
            return await inner.AppendManyWithCustomerAsync(tenantId, touchpoints, commit, cancellationToken);
        }

        private async Task InterfereAsync(TenantId tenantId, CustomerId customerId)
        {
            Calls++;
            if (Calls <= times)
            {
                var other = await repository.GetAsync(tenantId, customerId);
                other.Tag(new CustomerTag($"interfered-{Calls}"));
                await repository.SaveAsync(other);
            }

        }
    }

    private sealed class Publisher(List<ICrmEvent> published) : ICrmEventPublisher
    {
        public ValueTask PublishAsync(IReadOnlyList<ICrmEvent> events, CancellationToken cancellationToken)
        {
            published.AddRange(events);
            return ValueTask.CompletedTask;
        }
    }
}

using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Ingestion;
using CrmKernel.Services.Lifecycle;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using NodaTime;
using Xunit;

namespace CrmKernel.Testing.Storage;

/// <summary>
/// The conformance kit for <see cref="ICustomerTouchpointStore"/> (and the <see cref="TouchpointIngestion"/> and <see cref="LifecycleService"/> over it):
/// inherit it and return stores whose <see cref="CrmStores.CustomerTouchpoints"/> and <see cref="CrmStores.Touchpoints"/>
/// are set. Covers atomicity (a stale customer or a conflicting touchpoint stores neither), re-delivery, outbox events,
/// and lifecycle state surviving the store.
/// </summary>
public abstract class CustomerTouchpointStoreConformanceTests : StoreConformanceTests
{
    private static readonly LifecycleModel Model = DefaultLifecycleModel.Create();

    /// <summary>The atomic capability under test.</summary>
    protected static ICustomerTouchpointStore Atomic(CrmStores stores)
    {
        Preconditions.NotNull(stores);
        return stores.CustomerTouchpoints ?? throw new InvalidOperationException("CreateStoresAsync must set CrmStores.CustomerTouchpoints for this kit.");
    }

    /// <summary>The touchpoint store under test.</summary>
    protected static ITouchpointStore Touchpoints(CrmStores stores)
    {
        Preconditions.NotNull(stores);
        return stores.Touchpoints ?? throw new InvalidOperationException("CreateStoresAsync must set CrmStores.Touchpoints for this kit.");
    }

    /// <summary>The ingestion pipeline, applying the lifecycle, over the stores under test.</summary>
    protected TouchpointIngestion Ingestion(CrmStores stores, ICrmEventPublisher? publisher = null)
    {
        Preconditions.NotNull(stores);
        return new TouchpointIngestion(Touchpoints(stores), Clock, Model, stores.Customers, Atomic(stores), publisher, stores.Outbox);
    }

    /// <summary>The lifecycle service (commands and transition streaming) over the stores under test.</summary>
    protected LifecycleService Commands(CrmStores stores, ICrmEventPublisher? publisher = null)
    {
        Preconditions.NotNull(stores);
        return new LifecycleService(new CustomerRepository(stores.Customers, Clock, publisher, stores.Outbox), Model);
    }

    /// <summary>A purchase touchpoint's details for <paramref name="customer"/>.</summary>
    protected static NewTouchpoint Purchase(CustomerId customer, Instant at, string? key = null) => new()
    {
        CustomerId = customer,
        Channel = new ChannelId("web"),
        Direction = InteractionDirection.Inbound,
        Function = CrmFunction.Sales,
        Kind = TouchpointKind.Purchase,
        OccurredAt = at,
        Source = new ExternalIdentifier("kit", key ?? Guid.NewGuid().ToString("N")),
    };

    /// <summary>A touchpoint and the customer change it causes are stored together, with the customer's events in the outbox.</summary>
    [Fact]
    public virtual async Task AppendWithCustomer_StoresBoth()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var customer = await SavedCustomerAsync(stores, tenant);
        var touchpoint = Touchpoint.Create(tenant, TouchpointId.New(), Clock.GetCurrentInstant(), Purchase(customer.Id, Start));
        customer.ApplyTouchpoint(Model, touchpoint);
        var commit = CustomerCommit.Create(customer);

        var result = await Atomic(stores).AppendWithCustomerAsync(tenant, touchpoint, commit, default);

        Assert.Equal(1, result.Appended);
        Assert.NotNull(await Touchpoints(stores).FindAsync(tenant, touchpoint.Id, default));
        AssertSameState(commit.Customer, await stores.Customers.FindAsync(tenant, customer.Id, default));
        var pending = await stores.Outbox.ListPendingAsync(tenant, 100, default);
        Assert.Contains(pending, e => e.EventType == nameof(LifecycleStageChanged));
    }

    /// <summary>A stale customer version stores neither the customer nor the touchpoint.</summary>
    [Fact]
    public virtual async Task AppendWithCustomer_StaleCustomer_StoresNeither()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var (customer, stale) = await StaleCopyAsync(stores, tenant);
        var before = await stores.Customers.FindAsync(tenant, customer.Id, default);
        var outboxBefore = (await stores.Outbox.ListPendingAsync(tenant, 1_000, default)).Count;

        var touchpoint = Touchpoint.Create(tenant, TouchpointId.New(), Clock.GetCurrentInstant(), Purchase(customer.Id, Start));
        stale.ApplyTouchpoint(Model, touchpoint);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await Atomic(stores).AppendWithCustomerAsync(tenant, touchpoint, CustomerCommit.Create(stale), default));

        Assert.Null(await Touchpoints(stores).FindAsync(tenant, touchpoint.Id, default));
        Assert.Null(await Touchpoints(stores).FindBySourceAsync(tenant, touchpoint.Source, default));
        AssertSameState(before!, await stores.Customers.FindAsync(tenant, customer.Id, default));
        Assert.Equal(outboxBefore, (await stores.Outbox.ListPendingAsync(tenant, 1_000, default)).Count);
    }

    /// <summary>A touchpoint whose source key holds a different touchpoint stores neither, and reports the conflict.</summary>
    [Fact]
    public virtual async Task AppendWithCustomer_ConflictingTouchpoint_StoresNeither()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var customer = await SavedCustomerAsync(stores, tenant);
        var first = Touchpoint.Create(tenant, TouchpointId.New(), Clock.GetCurrentInstant(), Purchase(customer.Id, Start, "same-key"));
        await Touchpoints(stores).AppendAsync(tenant, [first], default);
        var before = await stores.Customers.FindAsync(tenant, customer.Id, default);

        var conflicting = Touchpoint.Create(tenant, TouchpointId.New(), Clock.GetCurrentInstant(), Purchase(customer.Id, Start + Duration.FromHours(1), "same-key"));
        customer.ApplyTouchpoint(Model, conflicting);
        var result = await Atomic(stores).AppendWithCustomerAsync(tenant, conflicting, CustomerCommit.Create(customer), default);

        Assert.Equal(0, result.Appended);
        Assert.Equal([0], result.Conflicts);
        Assert.Null(await Touchpoints(stores).FindAsync(tenant, conflicting.Id, default));
        AssertSameState(before!, await stores.Customers.FindAsync(tenant, customer.Id, default));
    }

    /// <summary>Several touchpoints of one customer and the customer change they cause are stored together, in one commit.</summary>
    [Fact]
    public virtual async Task AppendManyWithCustomer_StoresAll()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var customer = await SavedCustomerAsync(stores, tenant);
        var touchpoints = PurchasesOf(customer, tenant, 3);
        foreach (var touchpoint in touchpoints)
        {
            customer.ApplyTouchpoint(Model, touchpoint);
        }

        var commit = CustomerCommit.Create(customer);
        var result = await Atomic(stores).AppendManyWithCustomerAsync(tenant, touchpoints, commit, default);

        Assert.Equal(3, result.Appended);
        Assert.Empty(result.AlreadyPresent);
        Assert.Empty(result.Conflicts);
        Assert.Equal(3, await Touchpoints(stores).CountAsync(tenant, default));
        AssertSameState(commit.Customer, await stores.Customers.FindAsync(tenant, customer.Id, default));
    }

    /// <summary>Without a customer change the touchpoints are appended alone.</summary>
    [Fact]
    public virtual async Task AppendManyWithCustomer_WithoutACommit_AppendsTheTouchpoints()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var touchpoints = PurchasesOf(NewCustomer(tenant), tenant, 2);

        var result = await Atomic(stores).AppendManyWithCustomerAsync(tenant, touchpoints, null, default);

        Assert.Equal(2, result.Appended);
        Assert.NotNull(await Touchpoints(stores).FindAsync(tenant, touchpoints[1].Id, default));
    }

    /// <summary>One touchpoint already stored (same content) or under a taken key (different content) stores nothing at all, and is reported.</summary>
    [Fact]
    public virtual async Task AppendManyWithCustomer_ATakenSourceKey_StoresNothing_AndReportsIt()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var customer = await SavedCustomerAsync(stores, tenant);
        var stored = Touchpoint.Create(tenant, TouchpointId.New(), Clock.GetCurrentInstant(), Purchase(customer.Id, Start, "taken"));
        var other = Touchpoint.Create(tenant, TouchpointId.New(), Clock.GetCurrentInstant(), Purchase(customer.Id, Start, "other"));
        await Touchpoints(stores).AppendAsync(tenant, [stored, other], default);
        var before = await stores.Customers.FindAsync(tenant, customer.Id, default);
        var fresh = Touchpoint.Create(tenant, TouchpointId.New(), Clock.GetCurrentInstant(), Purchase(customer.Id, Start + Duration.FromHours(1), "fresh"));
        var redelivered = Touchpoint.Create(tenant, TouchpointId.New(), Clock.GetCurrentInstant(), Purchase(customer.Id, Start, "taken"));
        var conflicting = Touchpoint.Create(tenant, TouchpointId.New(), Clock.GetCurrentInstant(), Purchase(customer.Id, Start + Duration.FromHours(2), "other"));
        Touchpoint[] batch = [fresh, redelivered, conflicting];
        foreach (var touchpoint in batch)
        {
            customer.ApplyTouchpoint(Model, touchpoint);
        }

        var result = await Atomic(stores).AppendManyWithCustomerAsync(tenant, batch, CustomerCommit.Create(customer), default);

        Assert.Equal(0, result.Appended);
        Assert.Equal([1], result.AlreadyPresent);
        Assert.Equal([2], result.Conflicts);
        Assert.Null(await Touchpoints(stores).FindAsync(tenant, fresh.Id, default));
        Assert.Equal(2, await Touchpoints(stores).CountAsync(tenant, default));
        AssertSameState(before!, await stores.Customers.FindAsync(tenant, customer.Id, default));
    }

    /// <summary>Two touchpoints of the list under one source key: the later one is reported, nothing is stored.</summary>
    [Fact]
    public virtual async Task AppendManyWithCustomer_ADuplicateKeyInTheList_StoresNothing_AndReportsTheLaterOne()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var customer = NewCustomer(tenant);
        var first = Touchpoint.Create(tenant, TouchpointId.New(), Clock.GetCurrentInstant(), Purchase(customer.Id, Start, "twice"));
        var second = Touchpoint.Create(tenant, TouchpointId.New(), Clock.GetCurrentInstant(), Purchase(customer.Id, Start + Duration.FromHours(1), "twice"));

        var result = await Atomic(stores).AppendManyWithCustomerAsync(tenant, [first, second], null, default);

        Assert.Equal(0, result.Appended);
        Assert.Equal([1], result.Conflicts);
        Assert.Equal(0, await Touchpoints(stores).CountAsync(tenant, default));
    }

    /// <summary>A stale customer version stores neither the customer nor any of the touchpoints.</summary>
    [Fact]
    public virtual async Task AppendManyWithCustomer_StaleCustomer_StoresNothing()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var (customer, stale) = await StaleCopyAsync(stores, tenant);
        var before = await stores.Customers.FindAsync(tenant, customer.Id, default);
        var outboxBefore = (await stores.Outbox.ListPendingAsync(tenant, 1_000, default)).Count;
        var touchpoints = PurchasesOf(stale, tenant, 2);
        foreach (var touchpoint in touchpoints)
        {
            stale.ApplyTouchpoint(Model, touchpoint);
        }

        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await Atomic(stores).AppendManyWithCustomerAsync(tenant, touchpoints, CustomerCommit.Create(stale), default));

        Assert.Equal(0, await Touchpoints(stores).CountAsync(tenant, default));
        AssertSameState(before!, await stores.Customers.FindAsync(tenant, customer.Id, default));
        Assert.Equal(outboxBefore, (await stores.Outbox.ListPendingAsync(tenant, 1_000, default)).Count);
    }

    /// <summary>Bad arguments are refused before anything is stored.</summary>
    [Fact]
    public virtual async Task AppendManyWithCustomer_RefusesAnEmptyListOrTouchpointsOfTwoCustomers()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var a = PurchasesOf(NewCustomer(tenant), tenant, 1)[0];
        var b = PurchasesOf(NewCustomer(tenant), tenant, 1)[0];

        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Atomic(stores).AppendManyWithCustomerAsync(tenant, [], null, default));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Atomic(stores).AppendManyWithCustomerAsync(tenant, [a, b], null, default));
        Assert.Equal(0, await Touchpoints(stores).CountAsync(tenant, default));
    }

    /// <summary>Bulk ingestion through a lifecycle-applying <see cref="TouchpointIngestion"/> moves each stored customer once per batch and reports its transitions.</summary>
    [Fact]
    public virtual async Task RecordMany_AppliesEachCustomersTouchpointsInOneCommit()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var customer = await SavedCustomerAsync(stores, tenant);
        var unknown = CustomerId.New();
        var ingestion = Ingestion(stores);

        var report = await ingestion.RecordManyAsync(tenant, [Purchase(customer.Id, Start + Duration.FromDays(2)), Purchase(unknown, Start), Purchase(customer.Id, Start)]);
        var again = await ingestion.RecordManyAsync(tenant, [Purchase(customer.Id, Start + Duration.FromDays(3), "repeat"), Purchase(customer.Id, Start + Duration.FromDays(3), "repeat")]);

        Assert.Equal(3, report.Recorded);
        Assert.Equal([2, 0], report.Transitions.Select(t => t.Index));
        Assert.All(report.Transitions, t => Assert.Equal(customer.Id, t.CustomerId));
        Assert.Equal(1, again.Recorded);
        Assert.Equal([1], again.AlreadyPresent);
        Assert.Empty(again.Conflicts);
        var stored = Customer.Rehydrate((await stores.Customers.FindAsync(tenant, customer.Id, default))!, Clock);
        Assert.Equal([DefaultLifecycleModel.FirstTimeCustomer, DefaultLifecycleModel.RepeatCustomer, DefaultLifecycleModel.LoyalAdvocate], stored.Lifecycle.History.Select(t => t.To));
        Assert.Equal(Start, stored.Lifecycle.History[0].At);
        Assert.Equal(3, stored.Version);
        Assert.Equal(4, await Touchpoints(stores).CountAsync(tenant, default));
    }

    /// <summary>Recording a touchpoint through the pipeline moves the stored customer, and re-delivery applies nothing twice.</summary>
    [Fact]
    public virtual async Task Record_AppliesTransitionsOnce_EvenWhenRedelivered()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var customer = await SavedCustomerAsync(stores, tenant);
        var ingestion = Ingestion(stores);
        var details = Purchase(customer.Id, Start, "order-1");

        var first = await ingestion.RecordAsync(tenant, details);
        var again = await ingestion.RecordAsync(tenant, details);

        Assert.False(first.AlreadyRecorded);
        Assert.Equal(DefaultLifecycleModel.FirstTimeCustomer, Assert.Single(first.Transitions).Transition.To);
        Assert.True(again.AlreadyRecorded);
        Assert.Empty(again.Transitions);
        Assert.Equal(first.Touchpoint!.Id, again.Touchpoint!.Id);
        var stored = Customer.Rehydrate((await stores.Customers.FindAsync(tenant, customer.Id, default))!, Clock);
        Assert.Single(stored.Lifecycle.History);
        Assert.Equal(1, stored.Lifecycle.Facts.PurchaseCount);
        Assert.Equal(1, await Touchpoints(stores).CountAsync(tenant, default));
    }

    /// <summary>A touchpoint that changes only lifecycle facts (no stage) is still stored with the customer's facts.</summary>
    [Fact]
    public virtual async Task Record_StoresFactsWithoutATransition()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var customer = await SavedCustomerAsync(stores, tenant);
        var complaint = Purchase(customer.Id, Start);
        var result = await Ingestion(stores).RecordAsync(tenant, new NewTouchpoint
        {
            CustomerId = complaint.CustomerId,
            Channel = complaint.Channel,
            Direction = complaint.Direction,
            Function = CrmFunction.Service,
            Kind = TouchpointKind.Complaint,
            OccurredAt = complaint.OccurredAt,
            Source = complaint.Source,
        });

        Assert.Empty(result.Transitions);
        var stored = await stores.Customers.FindAsync(tenant, customer.Id, default);
        Assert.Equal(1, stored!.LifecycleFacts!.OpenComplaints);
        Assert.Equal(2, stored.Version);
    }

    /// <summary>Customers with lifecycle history round-trip every lifecycle field.</summary>
    [Fact]
    public virtual async Task LifecycleState_RoundTrips()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var ingestion = Ingestion(stores);
        var customer = await SavedCustomerAsync(stores, tenant);
        var day = Duration.FromDays(1);
        await ingestion.RecordAsync(tenant, Purchase(customer.Id, Start));
        await ingestion.RecordAsync(tenant, Purchase(customer.Id, Start + day));
        await new LifecycleEvaluator(new CustomerRepository(stores.Customers, Clock, outbox: stores.Outbox), Model).EvaluateAsync(tenant, Start + (day * 400));
        await ingestion.RecordAsync(tenant, Purchase(customer.Id, Start + (day * 401)));
        await Commands(stores).ApplyCommandAsync(tenant, customer.Id, DefaultLifecycleModel.MarkFormer, "kit-agent", "asked to leave");

        var stored = await stores.Customers.FindAsync(tenant, customer.Id, default);
        var loaded = Customer.Rehydrate(stored!, Clock);
        Assert.Equal(
            [DefaultLifecycleModel.FirstTimeCustomer, DefaultLifecycleModel.RepeatCustomer, DefaultLifecycleModel.Lapsed, DefaultLifecycleModel.WonBack, DefaultLifecycleModel.Former],
            loaded.Lifecycle.History.Select(t => t.To));
        Assert.Equal(DefaultLifecycleModel.Former, loaded.Lifecycle.Stage);
        AssertSameState(loaded.ToSnapshot(), stored);
    }

    /// <summary>
    /// Four writers add purchases to one customer at the same time, each through
    /// <see cref="ICustomerTouchpointStore.AppendWithCustomerAsync"/> with its own read of the customer. The race is forced,
    /// not left to timing: in every round all writers read before any appends, then all appends are released together,
    /// so all commit over the same version. Exactly one may win per round; every other one fails with
    /// <see cref="ConcurrencyConflictException"/> and stores neither its touchpoint nor its commit, and retries with a fresh
    /// read in the next round. At the end every stored touchpoint is counted in the customer's facts exactly once. A store
    /// that skips the version check fails in the first round, on every run.
    /// </summary>
    [Fact]
    public virtual async Task ConcurrentWriters_CountEveryStoredTouchpointOnce()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var customer = await SavedCustomerAsync(stores, tenant);
        const int Writers = 4;
        const int PerWriter = 25;
        var made = new int[Writers];
        var commits = 0;
        for (var round = 0; ; round++)
        {
            var active = Enumerable.Range(0, Writers).Where(w => made[w] < PerWriter).ToArray();
            if (active.Length == 0)
            {
                break;
            }

            // Gate 1: every writer's read completes before any writer appends, so all hold the same version.
            var read = await Task.WhenAll(active.Select(w => Task.Run(async () => (await stores.Customers.FindAsync(tenant, customer.Id, default))!)));
            var version = read[0].Version;
            Assert.All(read, s => Assert.Equal(version, s.Version));
            var writes = active.Select((w, i) =>
            {
                var touchpoint = Touchpoint.Create(tenant, TouchpointId.New(), Clock.GetCurrentInstant(), Purchase(customer.Id, Start + Duration.FromMinutes((w * PerWriter) + made[w]), $"w{w}-{made[w]}"));
                var mine = Customer.Rehydrate(read[i], Clock);
                mine.ApplyTouchpoint(Model, touchpoint);
                return (Touchpoint: touchpoint, Commit: CustomerCommit.Create(mine));
            }).ToArray();

            // Gate 2: all appends are released together.
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var appends = writes.Select(write => Task.Run(async () =>
            {
                await go.Task;
                try
                {
                    return (Result: await Atomic(stores).AppendWithCustomerAsync(tenant, write.Touchpoint, write.Commit, default), Conflict: (ConcurrencyConflictException?)null);
                }
                catch (ConcurrencyConflictException conflict)
                {
                    return (Result: (TouchpointAppendResult?)null, Conflict: conflict);
                }
            })).ToArray();
            go.SetResult();
            var outcomes = await Task.WhenAll(appends);

            var winners = Enumerable.Range(0, active.Length).Where(i => outcomes[i].Conflict is null).ToArray();
            Assert.True(winners.Length == 1, $"Round {round}: {winners.Length} of {active.Length} writers committed over version {version}; exactly one may.");
            Assert.Equal(1, outcomes[winners[0]].Result!.Appended);
            for (var i = 0; i < active.Length; i++)
            {
                if (outcomes[i].Conflict is { } conflict)
                {
                    Assert.Equal((CrmErrorCodes.ConcurrencyConflict, version), (conflict.ErrorCode, conflict.ExpectedVersion));
                    Assert.Null(await Touchpoints(stores).FindAsync(tenant, writes[i].Touchpoint.Id, default));
                }
            }

            made[active[winners[0]]]++;
            commits++;
        }

        var stored = Customer.Rehydrate((await stores.Customers.FindAsync(tenant, customer.Id, default))!, Clock);
        Assert.Equal(Writers * PerWriter, commits);
        Assert.Equal(Writers * PerWriter, await Touchpoints(stores).CountAsync(tenant, default));
        Assert.Equal(Writers * PerWriter, stored.Lifecycle.Facts.PurchaseCount);
        Assert.Equal(1 + (Writers * PerWriter), stored.Version);
    }

    private Touchpoint[] PurchasesOf(Customer customer, TenantId tenant, int count)
        => [.. Enumerable.Range(0, count).Select(i => Touchpoint.Create(tenant, TouchpointId.New(), Clock.GetCurrentInstant(), Purchase(customer.Id, Start + Duration.FromHours(i))))];

    /// <summary>Saves a new customer, keeps a copy read at version 1, then changes and saves the customer again, so the copy is stale.</summary>
    private async Task<(Customer Current, Customer Stale)> StaleCopyAsync(CrmStores stores, TenantId tenant)
    {
        var customer = await SavedCustomerAsync(stores, tenant);
        var stale = Customer.Rehydrate((await stores.Customers.FindAsync(tenant, customer.Id, default))!, Clock);
        customer.Tag(new CustomerTag("moved-on"));
        await Repository(stores).SaveAsync(customer);
        return (customer, stale);
    }

    private async Task<Customer> SavedCustomerAsync(CrmStores stores, TenantId tenant)
    {
        var customer = NewCustomer(tenant);
        await Repository(stores).SaveAsync(customer);
        return customer;
    }
}

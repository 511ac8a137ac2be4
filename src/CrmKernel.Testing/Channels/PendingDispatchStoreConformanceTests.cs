using CrmKernel.Channels;
using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Services.Channels;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Ingestion;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using CrmKernel.Touchpoints;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace CrmKernel.Testing.Channels;

/// <summary>
/// The conformance kit for <see cref="IPendingDispatchStore"/>: inherit it in your durable store's test project and
/// supply <see cref="CreateStoreAsync"/>. The dispatcher relies on exactly these behaviours to lose no message.
/// </summary>
public abstract class PendingDispatchStoreConformanceTests
{
    private static readonly Instant Start = Instant.FromUtc(2026, 3, 1, 9, 0);

    /// <summary>Creates a fresh, empty store for one test.</summary>
    /// <returns>The store.</returns>
    protected abstract ValueTask<IPendingDispatchStore> CreateStoreAsync();

    /// <summary>A saved entry is found by tenant and key with every field; saving the key again replaces it.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Save_ThenFind_RoundTrips_AndSavingAgainReplaces()
    {
        var store = await CreateStoreAsync();
        var tenant = NewTenant();
        var first = Pending(tenant, "order-1/shipped", 1, Start, null);
        await store.SaveAsync(first, CancellationToken.None);

        var found = await store.FindAsync(tenant, "order-1/shipped", CancellationToken.None);
        AssertSame(first, found);

        var second = Pending(tenant, "order-1/shipped", 2, Start + Duration.FromMinutes(5), "HTTP 503");
        await store.SaveAsync(second, CancellationToken.None);
        AssertSame(second, await store.FindAsync(tenant, "order-1/shipped", CancellationToken.None));
        Assert.Single(await StreamAsync(store, tenant));
    }

    /// <summary>Remove reports whether there was an entry, and a removed entry is gone; a tenant that never saved one has none.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Remove_ReportsWhetherThereWasAnEntry()
    {
        var store = await CreateStoreAsync();
        var tenant = NewTenant();
        var unseen = NewTenant();
        await store.SaveAsync(Pending(tenant, "k", 1, Start, null), CancellationToken.None);
        Assert.Null(await store.FindAsync(unseen, "k", CancellationToken.None));
        Assert.False(await store.RemoveAsync(unseen, "k", CancellationToken.None));
        Assert.Empty(await StreamAsync(store, unseen));

        Assert.True(await store.RemoveAsync(tenant, "k", CancellationToken.None));
        Assert.False(await store.RemoveAsync(tenant, "k", CancellationToken.None));
        Assert.Null(await store.FindAsync(tenant, "k", CancellationToken.None));
        Assert.Empty(await StreamAsync(store, tenant));
    }

    /// <summary>ReadAll streams one tenant's entries, oldest last attempt first; tenants never see each other's; keys are case-sensitive.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task ReadAll_IsPerTenant_OldestFirst()
    {
        var store = await CreateStoreAsync();
        var tenant = NewTenant();
        var other = NewTenant();
        await store.SaveAsync(Pending(tenant, "late", 1, Start + Duration.FromHours(2), null), CancellationToken.None);
        await store.SaveAsync(Pending(tenant, "early", 3, Start, "timeout"), CancellationToken.None);
        await store.SaveAsync(Pending(tenant, "EARLY", 1, Start + Duration.FromHours(1), null), CancellationToken.None);
        await store.SaveAsync(Pending(other, "early", 1, Start, null), CancellationToken.None);

        Assert.Equal(["early", "EARLY", "late"], (await StreamAsync(store, tenant)).Select(p => p.DispatchKey));
        Assert.Equal(["early"], (await StreamAsync(store, other)).Select(p => p.DispatchKey));
        Assert.True(await store.RemoveAsync(other, "early", CancellationToken.None));
        Assert.NotNull(await store.FindAsync(tenant, "early", CancellationToken.None));
    }

    /// <summary>Bad arguments are argument errors; a cancelled token throws <see cref="OperationCanceledException"/>.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task BadArguments_AndCancellation_AreRefused()
    {
        var store = await CreateStoreAsync();
        var tenant = NewTenant();
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.SaveAsync(null!, CancellationToken.None));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.FindAsync(default, "k", CancellationToken.None));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.RemoveAsync(default, "k", CancellationToken.None));
        Assert.ThrowsAny<ArgumentException>(() => store.StreamAsync(default, CancellationToken.None));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.SaveAsync(Pending(tenant, "k", 1, Start, null), cancelled.Token));
        Assert.Null(await store.FindAsync(tenant, "k", CancellationToken.None));
        await store.SaveAsync(Pending(tenant, "k", 1, Start, null), CancellationToken.None);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.FindAsync(tenant, "k", cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.RemoveAsync(tenant, "k", cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var entry in store.StreamAsync(tenant, cancelled.Token))
            {
                Assert.Fail($"A cancelled stream gave {entry.DispatchKey}.");
            }
        });
        Assert.NotNull(await store.FindAsync(tenant, "k", CancellationToken.None));
    }

    /// <summary>
    /// The process dies after the channel accepted a message and before the dispatcher recorded it. A fresh dispatcher over
    /// the same stores finds the message pending and sends it again under the same idempotency key, so a far end that
    /// deduplicates by key (as <see cref="RecordingChannel"/> and the webhook sample's receiver do) delivers it once; the
    /// delivery is then recorded once and the entry leaves the store.
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task CrashBetweenAcceptAndRecord_RetrySendsUnderTheSameKey_AndTheFarEndDeliversOnce()
    {
        var world = await DispatchWorld.CreateAsync(await CreateStoreAsync());
        world.Touchpoints.CrashOnDeliveredRecord = true;
        await Assert.ThrowsAsync<SimulatedCrashException>(async () => await world.Dispatcher().DispatchAsync(world.Tenant, world.Request));
        Assert.NotNull(await world.Pending.FindAsync(world.Tenant, world.Request.DispatchKey, CancellationToken.None));

        var results = await ToListAsync(world.Dispatcher().RetryPendingAsync(world.Tenant));

        Assert.Equal(DispatchOutcome.Sent, Assert.Single(results).Outcome);
        Assert.Equal(2, world.Channel.Calls.Count);
        Assert.All(world.Channel.Calls, call => Assert.Equal(world.Request.DispatchKey, call.IdempotencyKey));
        Assert.Single(world.Channel.Delivered);
        Assert.NotNull(await world.Touchpoints.FindBySourceAsync(world.Tenant, new ExternalIdentifier(ChannelDispatcher.DeliveredSource, world.Request.DispatchKey), CancellationToken.None));
        Assert.Null(await world.Pending.FindAsync(world.Tenant, world.Request.DispatchKey, CancellationToken.None));
        Assert.Empty(await ToListAsync(world.Dispatcher().RetryPendingAsync(world.Tenant)));
        Assert.Equal(2, world.Channel.Calls.Count);
    }

    /// <summary>
    /// The process dies after the channel accepted a message and before the dispatcher recorded it; the customer then
    /// withdraws consent. The retry re-checks consent, refuses, sends nothing and drops the entry.
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task CrashBetweenAcceptAndRecord_ConsentWithdrawnBeforeRetry_NothingIsSentAgain()
    {
        var world = await DispatchWorld.CreateAsync(await CreateStoreAsync());
        world.Touchpoints.CrashOnDeliveredRecord = true;
        await Assert.ThrowsAsync<SimulatedCrashException>(async () => await world.Dispatcher().DispatchAsync(world.Tenant, world.Request));

        var customer = await world.Customers.GetAsync(world.Tenant, world.Request.CustomerId);
        customer.WithdrawConsent(ConsentPurpose.Marketing, world.Channel.Descriptor.Id, null, "unsubscribe-link");
        await world.Customers.SaveAsync(customer);

        var result = Assert.Single(await ToListAsync(world.Dispatcher().RetryPendingAsync(world.Tenant)));

        Assert.Equal(DispatchOutcome.Refused, result.Outcome);
        Assert.Equal(DispatchRefusal.ConsentRefused, result.Refusal);
        Assert.Single(world.Channel.Calls);
        Assert.Null(await world.Pending.FindAsync(world.Tenant, world.Request.DispatchKey, CancellationToken.None));
        Assert.Empty(await ToListAsync(world.Dispatcher().RetryPendingAsync(world.Tenant)));
        Assert.Single(world.Channel.Calls);
    }

    /// <summary>
    /// The process dies after the delivery was recorded and before the entry was removed: the retry finds the delivery
    /// and sends nothing (<see cref="DispatchOutcome.AlreadySent"/>), and the entry leaves the store.
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task CrashAfterRecordBeforeRemove_RetrySendsNothing()
    {
        var world = await DispatchWorld.CreateAsync(new CrashOnRemove(await CreateStoreAsync()));
        await Assert.ThrowsAsync<SimulatedCrashException>(async () => await world.Dispatcher().DispatchAsync(world.Tenant, world.Request));
        ((CrashOnRemove)world.Pending).Armed = false;

        var result = Assert.Single(await ToListAsync(world.Dispatcher().RetryPendingAsync(world.Tenant)));

        Assert.Equal(DispatchOutcome.AlreadySent, result.Outcome);
        Assert.Single(world.Channel.Calls);
        Assert.Null(await world.Pending.FindAsync(world.Tenant, world.Request.DispatchKey, CancellationToken.None));
    }

    private static TenantId NewTenant() => new("kit-" + Guid.NewGuid().ToString("N")[..12]);

    private static PendingDispatch Pending(TenantId tenant, string key, int attempts, Instant at, string? reason)
        => new(
            tenant,
            new DispatchRequest(CustomerId.New(), new ChannelId("kit-email"), ConsentPurpose.Service, CrmFunction.Service, new MessageContent("Kit body ✓", "Kit"), key, kind: new TouchpointKind("order-update"), campaignId: "kit-campaign"),
            attempts,
            at,
            reason);

    private static async Task<List<PendingDispatch>> StreamAsync(IPendingDispatchStore store, TenantId tenant)
    {
        var list = new List<PendingDispatch>();
        await foreach (var entry in store.StreamAsync(tenant, CancellationToken.None))
        {
            list.Add(entry);
        }

        return list;
    }

    private static void AssertSame(PendingDispatch expected, PendingDispatch? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.TenantId, actual.TenantId);
        Assert.Equal(expected.DispatchKey, actual.DispatchKey);
        Assert.Equal(expected.Attempts, actual.Attempts);
        Assert.Equal(expected.LastAttemptAt, actual.LastAttemptAt);
        Assert.Equal(expected.LastReason, actual.LastReason);
        var e = expected.Request;
        var a = actual.Request;
        Assert.Equal(e.CustomerId, a.CustomerId);
        Assert.Equal(e.Channel, a.Channel);
        Assert.Equal(e.Purpose, a.Purpose);
        Assert.Equal(e.Function, a.Function);
        Assert.Equal(e.Kind, a.Kind);
        Assert.Equal(e.CampaignId, a.CampaignId);
        Assert.Equal(e.Recipient, a.Recipient);
        Assert.Equal(e.Content.Body, a.Content.Body);
        Assert.Equal(e.Content.Subject, a.Content.Subject);
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    /// <summary>
    /// A customer with an email address and marketing consent on <see cref="RecordingChannel"/>, in-memory customers and
    /// touchpoints, the pending store under test, and a way to make a fresh dispatcher over all of them (a restart).
    /// </summary>
    private sealed class DispatchWorld
    {
        private readonly FakeClock _clock = new(Instant.FromUtc(2026, 3, 2, 10, 0));

        private DispatchWorld(IPendingDispatchStore pending)
        {
            Pending = pending;
            var outbox = new InMemoryCrmOutbox();
            Customers = new CustomerRepository(new InMemoryCustomerStore(outbox), _clock, null, outbox);
        }

        public TenantId Tenant { get; } = NewTenant();

        public IPendingDispatchStore Pending { get; }

        public CustomerRepository Customers { get; }

        public CrashingTouchpointStore Touchpoints { get; } = new(new InMemoryTouchpointStore());

        public RecordingChannel Channel { get; } = new();

        public DispatchRequest Request { get; private set; } = null!;

        public static async Task<DispatchWorld> CreateAsync(IPendingDispatchStore pending)
        {
            var world = new DispatchWorld(pending);
            var customer = Customer.Register(world.Tenant, new PersonProfile("Ada", "Lovelace"), world._clock);
            customer.AddContactPoint(EmailAddress.Parse("ada@kit.example"));
            customer.GrantConsent(ConsentPurpose.Marketing, world.Channel.Descriptor.Id, null, "web-form:signup");
            await world.Customers.SaveAsync(customer);
            world.Request = new DispatchRequest(
                customer.Id, world.Channel.Descriptor.Id, ConsentPurpose.Marketing, CrmFunction.Marketing,
                new MessageContent("Spring is here.", "Spring"), dispatchKey: "spring-2026/ada");
            return world;
        }

        /// <summary>A dispatcher as a freshly started process would build it over the same stores.</summary>
        public ChannelDispatcher Dispatcher()
            => new([Channel], Customers, new TouchpointIngestion(Touchpoints, _clock), Touchpoints, Pending, ContactPolicy.Default, _clock);
    }

    /// <summary>The pending store under test; the process dies when an entry is about to be removed, while armed.</summary>
    private sealed class CrashOnRemove(IPendingDispatchStore inner) : IPendingDispatchStore
    {
        public bool Armed { get; set; } = true;

        public ValueTask SaveAsync(PendingDispatch dispatch, CancellationToken cancellationToken) => inner.SaveAsync(dispatch, cancellationToken);

        public ValueTask<PendingDispatch?> FindAsync(TenantId tenantId, string dispatchKey, CancellationToken cancellationToken)
            => inner.FindAsync(tenantId, dispatchKey, cancellationToken);

        public ValueTask<bool> RemoveAsync(TenantId tenantId, string dispatchKey, CancellationToken cancellationToken)
            => Armed ? throw new SimulatedCrashException() : inner.RemoveAsync(tenantId, dispatchKey, cancellationToken);

        public IAsyncEnumerable<PendingDispatch> StreamAsync(TenantId tenantId, CancellationToken cancellationToken) => inner.StreamAsync(tenantId, cancellationToken);
    }
}

using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Events;
using CrmKernel.Services.Events;
using CrmKernel.Storage;
using CrmKernel.Testing.Channels;
using Xunit;

namespace CrmKernel.Testing.Storage;

/// <summary>
/// The conformance kit for <see cref="ICrmOutbox"/>: events committed with aggregate state are kept verbatim,
/// in commit order, per tenant, until marked published.
/// </summary>
public abstract class CrmOutboxConformanceTests : StoreConformanceTests
{
    /// <summary>Committed events come back verbatim and in commit order.</summary>
    [Fact]
    public virtual async Task CommittedEvents_ArePendingVerbatim_InCommitOrder()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var first = NewCustomer(tenant);
        var second = GeneratedCustomers(tenant, 1)[0];
        var commits = new[] { CustomerCommit.Create(first), CustomerCommit.Create(second) };
        foreach (var commit in commits)
        {
            await stores.Customers.CommitAsync(commit, default);
        }

        var pending = await stores.Outbox.ListPendingAsync(tenant, 10_000, default);

        Assert.Equal(commits.SelectMany(c => c.Events), pending);
        Assert.All(pending, e => Assert.Equal(1, e.AggregateVersion));
    }

    /// <summary>Reading pending events honours the limit and does not consume them.</summary>
    [Fact]
    public virtual async Task ReadPending_HonoursTheLimit_AndDoesNotConsume()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var customer = NewCustomer(tenant);
        customer.Tag(new CustomerTag("a"));
        customer.Tag(new CustomerTag("b"));
        var commit = CustomerCommit.Create(customer);
        await stores.Customers.CommitAsync(commit, default);

        Assert.Equal(commit.Events.Take(2), await stores.Outbox.ListPendingAsync(tenant, 2, default));
        Assert.Equal(commit.Events, await stores.Outbox.ListPendingAsync(tenant, 100, default));
    }

    /// <summary>Marked events are no longer pending; unknown and repeated ids are ignored.</summary>
    [Fact]
    public virtual async Task MarkPublished_RemovesOnlyThoseEvents()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var customer = NewCustomer(tenant);
        customer.Tag(new CustomerTag("vip"));
        var commit = CustomerCommit.Create(customer);
        await stores.Customers.CommitAsync(commit, default);

        await stores.Outbox.MarkPublishedAsync(tenant, [commit.Events[0].EventId, Guid.NewGuid()], default);
        await stores.Outbox.MarkPublishedAsync(tenant, [commit.Events[0].EventId], default);

        Assert.Equal(commit.Events.Skip(1), await stores.Outbox.ListPendingAsync(tenant, 100, default));
    }

    /// <summary>One tenant's outbox is invisible to, and unaffected by, another's.</summary>
    [Fact]
    public virtual async Task Outboxes_AreTenantScoped()
    {
        await using var stores = await CreateStoresAsync();
        var a = NewTenant();
        var b = NewTenant();
        var commit = CustomerCommit.Create(NewCustomer(a));
        await stores.Customers.CommitAsync(commit, default);

        await stores.Outbox.MarkPublishedAsync(b, [.. commit.Events.Select(e => e.EventId)], default);

        Assert.Empty(await stores.Outbox.ListPendingAsync(b, 100, default));
        Assert.Equal(commit.Events, await stores.Outbox.ListPendingAsync(a, 100, default));
    }

    /// <summary>Bad arguments are rejected.</summary>
    [Fact]
    public virtual async Task BadArguments_AreRejected()
    {
        await using var stores = await CreateStoresAsync();
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await stores.Outbox.ListPendingAsync(default, 10, default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await stores.Outbox.ListPendingAsync(NewTenant(), 0, default));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await stores.Outbox.MarkPublishedAsync(default, [], default));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await stores.Outbox.MarkPublishedAsync(NewTenant(), null!, default));
    }

    /// <summary>
    /// Events committed but not published before a crash (the publisher never got them) are published after a restart by
    /// <see cref="CrmEventRelay"/>, at least once: a relay that crashes after publishing and before marking them published
    /// leaves them pending, and the next relay publishes the same events again, with the same event ids, so a consumer that
    /// drops the ids it has seen sees every committed event exactly once, in commit order per customer.
    /// </summary>
    [Fact]
    public virtual async Task EventsCommittedBeforeACrash_ArePublishedAfterRestart_AtLeastOnce_InOrderPerCustomer()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();

        // Before the crash: five commits of two customers, interleaved; the process dies before any publish returns.
        var dead = new RecordingPublisher { Fail = true };
        var repository = Repository(stores, dead);
        var ada = NewCustomer(tenant);
        var bob = NewCustomer(tenant);
        var committed = new List<ICrmEvent>();
        foreach (var (customer, tag) in new[] { (ada, "a1"), (bob, "b1"), (ada, "a2"), (bob, "b2"), (ada, "a3") })
        {
            customer.Tag(new CustomerTag(tag));
            committed.AddRange(customer.PendingEvents);
            await repository.SaveAsync(customer);
        }

        Assert.Empty(dead.Published);

        // After the restart, the first relay publishes and then crashes before marking the events published.
        var consumer = new DeduplicatingConsumer();
        var crashing = new CrmEventRelay(new CrashBeforeMark(stores.Outbox), consumer);
        await Assert.ThrowsAsync<SimulatedCrashException>(async () => await crashing.PublishPendingAsync(tenant));

        // The next relay publishes them again (at least once), and marks them.
        var relay = new CrmEventRelay(stores.Outbox, consumer);
        Assert.Equal(committed.Count, await relay.PublishPendingAsync(tenant));
        Assert.Equal(0, await relay.PublishPendingAsync(tenant));
        Assert.Empty(await stores.Outbox.ListPendingAsync(tenant, 10_000, default));

        Assert.Equal(2 * committed.Count, consumer.Received.Count);
        Assert.Equal(committed.Select(e => e.EventId), consumer.Effects.Select(e => e.EventId));
        foreach (var customer in new[] { ada, bob })
        {
            Assert.Equal(
                committed.OfType<CustomerEvent>().Where(e => e.CustomerId == customer.Id).Select(e => e.EventId),
                consumer.Effects.OfType<CustomerEvent>().Where(e => e.CustomerId == customer.Id).Select(e => e.EventId));
        }
    }

    /// <summary>An outbox whose process dies when it is asked to mark events published.</summary>
    private sealed class CrashBeforeMark(ICrmOutbox inner) : ICrmOutbox
    {
        public ValueTask<IReadOnlyList<CrmEventEnvelope>> ListPendingAsync(Primitives.TenantId tenantId, int limit, CancellationToken cancellationToken)
            => inner.ListPendingAsync(tenantId, limit, cancellationToken);

        public ValueTask MarkPublishedAsync(Primitives.TenantId tenantId, IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken)
            => throw new SimulatedCrashException();
    }

    /// <summary>A consumer that receives every delivery and applies each event id once, as consumers of an at-least-once feed must.</summary>
    private sealed class DeduplicatingConsumer : ICrmEventPublisher
    {
        private readonly HashSet<Guid> _seen = [];

        public List<ICrmEvent> Received { get; } = [];

        public List<ICrmEvent> Effects { get; } = [];

        public ValueTask PublishAsync(IReadOnlyList<ICrmEvent> events, CancellationToken cancellationToken)
        {
            foreach (var e in events)
            {
                Received.Add(e);
                if (_seen.Add(e.EventId))
                {
                    Effects.Add(e);
                }
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>
    /// A pending list larger than <see cref="StoreLimits.MaxPageSize"/>, or more event ids than that in one mark, is
    /// refused with <c>CRM-INPUT-001</c> naming the parameter.
    /// </summary>
    [Fact]
    public virtual async Task CallsOverTheStoreLimits_AreRefusedWithTheInputLimitCode()
    {
        await using var stores = await CreateStoresAsync();
        var list = await Assert.ThrowsAsync<InputLimitExceededException>(async () => await stores.Outbox.ListPendingAsync(NewTenant(), StoreLimits.MaxPageSize + 1, default));
        var mark = await Assert.ThrowsAsync<InputLimitExceededException>(async () =>
            await stores.Outbox.MarkPublishedAsync(NewTenant(), [.. Enumerable.Range(0, StoreLimits.MaxPageSize + 1).Select(_ => Guid.NewGuid())], default));

        Assert.Equal((CrmErrorCodes.InputLimitExceeded, "limit", StoreLimits.MaxPageSize), (list.ErrorCode, list.ParamName, list.Limit));
        Assert.Equal((CrmErrorCodes.InputLimitExceeded, "eventIds", StoreLimits.MaxPageSize), (mark.ErrorCode, mark.ParamName, mark.Limit));
    }
}

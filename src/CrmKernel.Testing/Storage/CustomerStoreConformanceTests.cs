using System.Collections.Concurrent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Events;
using CrmKernel.Storage;
using Xunit;

namespace CrmKernel.Testing.Storage;

/// <summary>
/// The conformance kit for <see cref="ICustomerStore"/>: inherit it in your adapter's test project and
/// supply <see cref="StoreConformanceTests.CreateStoresAsync"/>. An adapter is correct when it passes every
/// test here. Tests are virtual so that new kit versions reach every adapter; override one only to add to it.
/// </summary>
public abstract partial class CustomerStoreConformanceTests : StoreConformanceTests
{
    /// <summary>The environment variable that sets <see cref="UpdatesPerWriter"/> for a full run (the figure is 1,000).</summary>
    public const string RaceUpdatesVariable = "CRMKERNEL_RACE_UPDATES";

    /// <summary>
    /// How many updates each of the 8 writers makes in <see cref="ConcurrentWriters_WithRetry_LoseNoUpdate"/>: the
    /// value of <see cref="RaceUpdatesVariable"/> when it is set to a positive number, otherwise 100 (every round is
    /// forced, so a bug shows in the first round; more rounds only add confidence and time).
    /// </summary>
    protected virtual int UpdatesPerWriter
        => int.TryParse(Environment.GetEnvironmentVariable(RaceUpdatesVariable), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var updates) && updates > 0 ? updates : 100;

    /// <summary>
    /// Opens stores over the same data as <paramref name="stores"/> through a connection of their own, as another
    /// process would see them; <see cref="ConcurrentWriters_WithRetry_LoseNoUpdate"/> gives each writer one. The default
    /// returns <paramref name="stores"/> itself (right for in-memory stores); an adapter with connections overrides it
    /// (for SQLite, another store on the same file). The kit disposes what this returns, unless it is
    /// <paramref name="stores"/>, before <paramref name="stores"/>.
    /// </summary>
    /// <param name="stores">Stores created by <see cref="StoreConformanceTests.CreateStoresAsync"/> in the same test.</param>
    /// <returns>Stores over the same data.</returns>
    protected virtual ValueTask<CrmStores> OpenAnotherConnectionAsync(CrmStores stores) => ValueTask.FromResult(stores);

    /// <summary>Every field of generated customers survives a commit and a read by id.</summary>
    [Fact]
    public virtual async Task Commit_ThenFind_RoundTripsEveryField()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var repository = Repository(stores);
        foreach (var customer in GeneratedCustomers(tenant, 60))
        {
            await repository.SaveAsync(customer);
            var expected = customer.ToSnapshot();
            AssertSameState(expected, await stores.Customers.FindAsync(tenant, customer.Id, default));
            var loaded = await repository.GetAsync(tenant, customer.Id);
            AssertSameState(expected, loaded.ToSnapshot());
        }
    }

    /// <summary>A changed customer reads back with its new state and version; removed parts are gone.</summary>
    [Fact]
    public virtual async Task Update_ReplacesTheState()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var repository = Repository(stores);
        var customer = GeneratedCustomers(tenant, 1)[0];
        await repository.SaveAsync(customer);

        var loaded = await repository.GetAsync(tenant, customer.Id);
        foreach (var point in loaded.ContactPoints.ToList())
        {
            loaded.RemoveContactPoint(point.Value);
        }

        foreach (var tag in loaded.Tags.ToList())
        {
            loaded.Untag(tag);
        }

        loaded.AddContactPoint(EmailAddress.Parse("changed@kit.example"), "new");
        loaded.SetCustomAttribute("changed", CustomAttributeValue.FromBoolean(true));
        await repository.SaveAsync(loaded);

        var stored = await stores.Customers.FindAsync(tenant, customer.Id, default);
        AssertSameState(loaded.ToSnapshot(), stored);
        Assert.Equal(2, stored!.Version);
    }

    /// <summary>The version moves by one on every write, starting at 1.</summary>
    [Fact]
    public virtual async Task Version_MovesOnEveryWrite()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var repository = Repository(stores);
        var customer = NewCustomer(tenant);
        for (var expected = 1; expected <= 3; expected++)
        {
            await repository.SaveAsync(customer);
            Assert.Equal(expected, customer.Version);
            Assert.Equal(expected, (await stores.Customers.FindAsync(tenant, customer.Id, default))!.Version);
            customer.Tag(new CustomerTag($"v{expected}"));
        }
    }

    /// <summary>Lookups by external identifier and by contact point find the customer, and stop finding it once removed.</summary>
    [Fact]
    public virtual async Task Lookups_ByIdentifierAndContactPoint_FollowChanges()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var repository = Repository(stores);
        var customer = NewCustomer(tenant, "lookup@kit.example");
        var phone = PhoneNumber.Parse("+442079460958");
        var erp = new ExternalIdentifier("erp", "K-1");
        customer.AddContactPoint(phone);
        customer.AddExternalIdentifier(erp);
        await repository.SaveAsync(customer);

        Assert.Equal(customer.Id, (await stores.Customers.FindByExternalIdentifierAsync(tenant, new ExternalIdentifier("ERP", "K-1"), default))?.Id);
        Assert.Equal(customer.Id, Assert.Single(await stores.Customers.ListByContactPointAsync(tenant, EmailAddress.Parse("LOOKUP@kit.example"), default)).Id);
        Assert.Equal(customer.Id, Assert.Single(await stores.Customers.ListByContactPointAsync(tenant, phone, default)).Id);
        Assert.Null(await stores.Customers.FindByExternalIdentifierAsync(tenant, new ExternalIdentifier("erp", "k-1"), default));

        customer.RemoveExternalIdentifier(erp);
        customer.RemoveContactPoint(phone);
        await repository.SaveAsync(customer);

        Assert.Null(await stores.Customers.FindByExternalIdentifierAsync(tenant, erp, default));
        Assert.Empty(await stores.Customers.ListByContactPointAsync(tenant, phone, default));
        Assert.Single(await stores.Customers.ListByContactPointAsync(tenant, EmailAddress.Parse("lookup@kit.example"), default));
    }

    /// <summary>Two customers sharing a contact point are both found, in id order; an identifier freed by one can be taken by another.</summary>
    [Fact]
    public virtual async Task SharedContactPoints_AreAllFound_AndFreedIdentifiersCanMove()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var repository = Repository(stores);
        var first = NewCustomer(tenant, "shared@kit.example");
        var second = NewCustomer(tenant, "shared@kit.example");
        var key = new ExternalIdentifier("shop", "S-9");
        first.AddExternalIdentifier(key);
        await repository.SaveAsync(first);
        await repository.SaveAsync(second);

        var found = await stores.Customers.ListByContactPointAsync(tenant, EmailAddress.Parse("shared@kit.example"), default);
        Assert.Equal(new[] { first.Id, second.Id }.Order(), found.Select(s => s.Id));

        first.RemoveExternalIdentifier(key);
        await repository.SaveAsync(first);
        second.AddExternalIdentifier(key);
        await repository.SaveAsync(second);
        Assert.Equal(second.Id, (await stores.Customers.FindByExternalIdentifierAsync(tenant, key, default))?.Id);
    }

    /// <summary>A write from a stale version throws <see cref="ConcurrencyConflictException"/> and changes nothing.</summary>
    [Fact]
    public virtual async Task StaleWrite_IsAConcurrencyConflict_AndChangesNothing()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var repository = Repository(stores);
        var customer = NewCustomer(tenant);
        await repository.SaveAsync(customer);
        var first = await repository.GetAsync(tenant, customer.Id);
        var second = await repository.GetAsync(tenant, customer.Id);
        first.Tag(new CustomerTag("first"));
        await repository.SaveAsync(first);
        var pendingBefore = await stores.Outbox.ListPendingAsync(tenant, 100, default);

        second.Tag(new CustomerTag("second"));
        var error = await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await repository.SaveAsync(second));

        Assert.Equal(CrmErrorCodes.ConcurrencyConflict, error.ErrorCode);
        Assert.Equal(1, error.ExpectedVersion);
        Assert.Equal(2, error.ActualVersion);
        AssertSameState(first.ToSnapshot(), await stores.Customers.FindAsync(tenant, customer.Id, default));
        Assert.Equal(pendingBefore, await stores.Outbox.ListPendingAsync(tenant, 100, default));
        Assert.Equal(1, second.Version);
        Assert.NotEmpty(second.PendingEvents);
    }

    /// <summary>Inserting an id that exists, or updating one that does not, is a concurrency conflict.</summary>
    [Fact]
    public virtual async Task InsertOfExisting_AndUpdateOfMissing_AreConflicts()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var customer = NewCustomer(tenant);
        var insert = CustomerCommit.Create(customer);
        await stores.Customers.CommitAsync(insert, default);

        var again = await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await stores.Customers.CommitAsync(insert, default));
        Assert.Equal(1, again.ActualVersion);

        var missing = NewCustomer(tenant);
        var update = new CustomerCommit(With(missing.ToSnapshot(), version: 5), 4, []);
        var absent = await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await stores.Customers.CommitAsync(update, default));
        Assert.Null(absent.ActualVersion);
        Assert.Null(await stores.Customers.FindAsync(tenant, missing.Id, default));
        Assert.Equal(1, await stores.Customers.CountAsync(tenant, default));
    }

    /// <summary>
    /// The race, forced rather than left to thread timing: in every round each of 8 writers (each on its own
    /// connection, see <see cref="OpenAnotherConnectionAsync"/>) reads the customer, and only when every read is done
    /// do all of them commit at once, so all commit over the same version. Exactly one commit per round wins; every
    /// other one fails with <see cref="ConcurrencyConflictException"/> naming the version it expected and the one it
    /// found. Losers retry in the next round, until each writer has made <see cref="UpdatesPerWriter"/> updates: the
    /// final version and a shared counter attribute equal the number of commits that succeeded, and no writer's own
    /// count is short. A store that skips its version check fails in the first round, on every run.
    /// </summary>
    [Fact]
    public virtual async Task ConcurrentWriters_WithRetry_LoseNoUpdate()
    {
        const int writers = 8;
        const string counter = "race-counter";
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var customer = NewCustomer(tenant);
        await Repository(stores).SaveAsync(customer);
        var connections = new List<CrmStores>();
        try
        {
            for (var w = 0; w < writers; w++)
            {
                connections.Add(await OpenAnotherConnectionAsync(stores));
            }

            var repositories = connections.Select(c => Repository(c)).ToArray();
            var made = new int[writers];
            var commits = 0;
            for (var round = 0; ; round++)
            {
                var active = Enumerable.Range(0, writers).Where(w => made[w] < UpdatesPerWriter).ToArray();
                if (active.Length == 0)
                {
                    break;
                }

                // Gate 1: every writer's read completes before any writer commits, so all hold the same version.
                var read = await Task.WhenAll(active.Select(w => Task.Run(async () => await repositories[w].GetAsync(tenant, customer.Id))));
                var version = read[0].Version;
                Assert.All(read, c => Assert.Equal(version, c.Version));
                for (var i = 0; i < active.Length; i++)
                {
                    var mine = $"writer{active[i]}";
                    read[i].SetCustomAttribute(counter, CustomAttributeValue.FromNumber(Number(read[i], counter) + 1));
                    read[i].SetCustomAttribute(mine, CustomAttributeValue.FromNumber(Number(read[i], mine) + 1));
                }

                // Gate 2: all commits are released together.
                var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var saves = active.Select((w, i) => Task.Run(async () =>
                {
                    await go.Task;
                    try
                    {
                        await repositories[w].SaveAsync(read[i]);
                        return null;
                    }
                    catch (ConcurrencyConflictException conflict)
                    {
                        return conflict;
                    }
                })).ToArray();
                go.SetResult();
                var outcomes = await Task.WhenAll(saves);

                var winners = Enumerable.Range(0, active.Length).Where(i => outcomes[i] is null).ToArray();
                Assert.True(winners.Length == 1, $"Round {round}: {winners.Length} of {active.Length} writers committed over version {version}; exactly one may.");
                foreach (var conflict in outcomes.OfType<ConcurrencyConflictException>())
                {
                    Assert.Equal(CrmErrorCodes.ConcurrencyConflict, conflict.ErrorCode);
                    Assert.Equal(version, conflict.ExpectedVersion);
                    Assert.Equal(version + 1, conflict.ActualVersion);
                }

                made[active[winners[0]]]++;
                commits++;
            }

            var final = await Repository(stores).GetAsync(tenant, customer.Id);
            Assert.Equal(writers * UpdatesPerWriter, commits);
            Assert.Equal(1 + commits, final.Version);
            Assert.Equal(commits, Number(final, counter));
            for (var w = 0; w < writers; w++)
            {
                Assert.Equal(UpdatesPerWriter, Number(final, $"writer{w}"));
            }
        }
        finally
        {
            foreach (var connection in connections.Where(c => !ReferenceEquals(c, stores)))
            {
                await connection.DisposeAsync();
            }
        }

        static decimal Number(Customer customer, string name)
            => customer.CustomAttributes.TryGetValue(name, out var value) ? value.AsNumber() : 0;
    }

    /// <summary>Nothing of tenant A can be read, found, updated, counted or paged from tenant B.</summary>
    [Fact]
    public virtual async Task Tenants_AreIsolated()
    {
        await using var stores = await CreateStoresAsync();
        var a = NewTenant();
        var b = NewTenant();
        var repository = Repository(stores);
        var customer = NewCustomer(a, "isolated@kit.example");
        var key = new ExternalIdentifier("erp", "ISO-1");
        customer.AddExternalIdentifier(key);
        await repository.SaveAsync(customer);

        Assert.Null(await stores.Customers.FindAsync(b, customer.Id, default));
        Assert.Null(await stores.Customers.FindByExternalIdentifierAsync(b, key, default));
        Assert.Empty(await stores.Customers.ListByContactPointAsync(b, EmailAddress.Parse("isolated@kit.example"), default));
        Assert.Equal(0, await stores.Customers.CountAsync(b, default));
        Assert.Empty(await stores.Customers.PageAsync(b, null, 100, default));
        Assert.Empty(await stores.Outbox.ListPendingAsync(b, 100, default));

        var hijack = new CustomerCommit(With(customer.ToSnapshot(), tenant: b, version: 2), 1, []);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await stores.Customers.CommitAsync(hijack, default));
        AssertSameState(customer.ToSnapshot(), await stores.Customers.FindAsync(a, customer.Id, default));

        // The same identifier and the same customer id may exist independently in another tenant.
        var twin = new CustomerCommit(With(customer.ToSnapshot(), tenant: b, version: 1), 0, []);
        await stores.Customers.CommitAsync(twin, default);
        Assert.Equal(1, await stores.Customers.CountAsync(a, default));
        Assert.Equal(1, await stores.Customers.CountAsync(b, default));
        Assert.Equal(customer.Id, (await stores.Customers.FindByExternalIdentifierAsync(b, key, default))?.Id);
    }

    /// <summary>Keyset pages return every customer once, in ascending id order.</summary>
    [Fact]
    public virtual async Task Pages_ReturnEveryCustomerOnce_InIdOrder()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var repository = Repository(stores);
        var ids = new List<CustomerId>();
        for (var i = 0; i < 53; i++)
        {
            var customer = NewCustomer(tenant);
            await repository.SaveAsync(customer);
            ids.Add(customer.Id);
        }

        var seen = new List<CustomerId>();
        await foreach (var page in stores.Customers.CustomerPagesAsync(tenant, 10, default))
        {
            Assert.True(page.Count <= 10);
            seen.AddRange(page.Select(s => s.Id));
        }

        Assert.Equal(ids.Order(), seen);
        Assert.Equal(53, await stores.Customers.CountAsync(tenant, default));
        var streamed = new List<CustomerId>();
        await foreach (var customer in repository.StreamAsync(tenant, 7))
        {
            streamed.Add(customer.Id);
        }

        Assert.Equal(seen, streamed);
    }

    /// <summary>Customers inserted while a reader pages neither make it skip nor repeat a customer.</summary>
    [Fact]
    public virtual async Task Pages_UnderConcurrentInserts_NeitherSkipNorRepeat()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var repository = Repository(stores);
        var before = new HashSet<CustomerId>();
        for (var i = 0; i < 200; i++)
        {
            var customer = NewCustomer(tenant);
            await repository.SaveAsync(customer);
            before.Add(customer.Id);
        }

        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await repository.SaveAsync(NewCustomer(tenant));
            }
        });

        var seen = new List<CustomerId>();
        await foreach (var customer in repository.StreamAsync(tenant, 9))
        {
            seen.Add(customer.Id);
            await Task.Yield();
        }

        await stop.CancelAsync();
        await writer;

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(seen.Order(), seen);
        Assert.Superset(before, seen.ToHashSet());
    }

    /// <summary>A commit refused for an identifier held by another customer stores nothing and publishes nothing.</summary>
    [Fact]
    public virtual async Task FailedCommit_LeavesNothingBehind_AndPublishesNothing()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var publisher = new RecordingPublisher();
        var repository = Repository(stores, publisher);
        var holder = NewCustomer(tenant);
        holder.AddExternalIdentifier(new ExternalIdentifier("erp", "TAKEN"));
        await repository.SaveAsync(holder);
        var published = publisher.Published.Count;
        var pending = await stores.Outbox.ListPendingAsync(tenant, 100, default);

        var newcomer = NewCustomer(tenant, "newcomer@kit.example");
        newcomer.AddExternalIdentifier(new ExternalIdentifier("erp", "TAKEN"));
        var error = await Assert.ThrowsAsync<ExternalIdentifierConflictException>(async () => await repository.SaveAsync(newcomer));

        Assert.Equal(CrmErrorCodes.ExternalIdentifierInUse, error.ErrorCode);
        Assert.Equal(holder.Id, error.HolderId);
        Assert.Null(await stores.Customers.FindAsync(tenant, newcomer.Id, default));
        Assert.Empty(await stores.Customers.ListByContactPointAsync(tenant, EmailAddress.Parse("newcomer@kit.example"), default));
        Assert.Equal(1, await stores.Customers.CountAsync(tenant, default));
        Assert.Equal(published, publisher.Published.Count);
        Assert.Equal(pending, await stores.Outbox.ListPendingAsync(tenant, 100, default));
        Assert.Equal(0, newcomer.Version);
        Assert.NotEmpty(newcomer.PendingEvents);
    }

    /// <summary>Events reach the publisher only after the commit, and in the order raised.</summary>
    [Fact]
    public virtual async Task Events_ArePublishedAfterCommit_InOrder()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var seenStored = new ConcurrentBag<bool>();
        var publisher = new ProbePublisher(async e =>
        {
            var customerEvent = (CustomerEvent)e[0];
            seenStored.Add(await stores.Customers.FindAsync(tenant, customerEvent.CustomerId, default) is not null);
        });
        var repository = new CustomerRepository(stores.Customers, Clock, publisher, stores.Outbox);
        var customer = NewCustomer(tenant);
        customer.Tag(new CustomerTag("vip"));
        var raised = customer.PendingEvents.Select(e => e.EventId).ToList();

        await repository.SaveAsync(customer);

        Assert.Equal(raised, publisher.Received.Select(e => e.EventId));
        Assert.All(seenStored, Assert.True);
        Assert.Empty(customer.PendingEvents);
        Assert.Empty(await stores.Outbox.ListPendingAsync(tenant, 100, default));
    }

    /// <summary>A publisher failure does not undo or fail the save; the events wait in the outbox and the relay delivers them.</summary>
    [Fact]
    public virtual async Task PublisherFailure_KeepsEventsInTheOutbox_ForTheRelay()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var publisher = new RecordingPublisher { Fail = true };
        var repository = Repository(stores, publisher);
        var customer = NewCustomer(tenant);
        var raised = customer.PendingEvents.Select(e => e.EventId).ToList();

        await repository.SaveAsync(customer);

        Assert.NotNull(await stores.Customers.FindAsync(tenant, customer.Id, default));
        Assert.Equal(raised, (await stores.Outbox.ListPendingAsync(tenant, 100, default)).Select(e => e.EventId));

        publisher.Fail = false;
        var relay = new CrmEventRelay(stores.Outbox, publisher);
        Assert.Equal(raised.Count, await relay.PublishPendingAsync(tenant));
        Assert.Equal(raised, publisher.Published.Select(e => e.EventId));
        Assert.Empty(await stores.Outbox.ListPendingAsync(tenant, 100, default));
        Assert.Equal(0, await relay.PublishPendingAsync(tenant));
    }

    /// <summary>Every call honours a cancelled token, and a cancelled commit stores nothing.</summary>
    [Fact]
    public virtual async Task CancelledCalls_Throw_AndStoreNothing()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var customer = NewCustomer(tenant);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var token = cancelled.Token;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await stores.Customers.CommitAsync(CustomerCommit.Create(customer), token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await stores.Customers.FindAsync(tenant, customer.Id, token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await stores.Customers.FindByExternalIdentifierAsync(tenant, new ExternalIdentifier("erp", "1"), token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await stores.Customers.ListByContactPointAsync(tenant, customer.ContactPoints[0].Value, token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await stores.Customers.CountAsync(tenant, token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await stores.Customers.PageAsync(tenant, null, 10, token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await stores.Outbox.ListPendingAsync(tenant, 10, token));
        Assert.Equal(0, await stores.Customers.CountAsync(tenant, default));
    }

    /// <summary>An empty tenant or id, or a page size out of range, is an argument error.</summary>
    [Fact]
    public virtual async Task BadArguments_AreRejected()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var id = CustomerId.New();
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await stores.Customers.FindAsync(default, id, default));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await stores.Customers.FindAsync(tenant, default, default));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await stores.Customers.FindByExternalIdentifierAsync(default, new ExternalIdentifier("erp", "1"), default));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await stores.Customers.ListByContactPointAsync(default, EmailAddress.Parse("a@kit.example"), default));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await stores.Customers.CountAsync(default, default));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await stores.Customers.PageAsync(default, null, 10, default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await stores.Customers.PageAsync(tenant, null, 0, default));
        var overLimit = await Assert.ThrowsAsync<InputLimitExceededException>(async () => await stores.Customers.PageAsync(tenant, null, StoreLimits.MaxPageSize + 1, default));
        Assert.Equal((CrmErrorCodes.InputLimitExceeded, "limit"), (overLimit.ErrorCode, overLimit.ParamName));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await stores.Customers.CommitAsync(null!, default));
    }

    /// <summary>Returns a copy of a snapshot with some fields replaced.</summary>
    protected static CustomerSnapshot With(CustomerSnapshot s, TenantId? tenant = null, long? version = null) => new()
    {
        Id = s.Id,
        TenantId = tenant ?? s.TenantId,
        Profile = s.Profile,
        ContactPoints = s.ContactPoints,
        ExternalIdentifiers = s.ExternalIdentifiers,
        Tags = s.Tags,
        CustomAttributes = s.CustomAttributes,
        HomeTimeZoneId = s.HomeTimeZoneId,
        CreatedAt = s.CreatedAt,
        UpdatedAt = s.UpdatedAt,
        Version = version ?? s.Version,
    };

    private sealed class ProbePublisher(Func<IReadOnlyList<Events.ICrmEvent>, Task> probe) : ICrmEventPublisher
    {
        public List<Events.ICrmEvent> Received { get; } = [];

        public async ValueTask PublishAsync(IReadOnlyList<Events.ICrmEvent> events, CancellationToken cancellationToken)
        {
            await probe(events);
            Received.AddRange(events);
        }
    }
}

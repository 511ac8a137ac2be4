using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Identity;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Relationships;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Identity;
using CrmKernel.Services.Ingestion;
using CrmKernel.Services.Relationships;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using CrmKernel.Touchpoints;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace CrmKernel.Tests.Ingestion;

/// <summary>
/// The ingestion pipeline honours merges: a touchpoint addressed to a merged-away customer is stored with the survivor
/// (following chains), moves the survivor's lifecycle in the same commit, is listed in the merge record and reported
/// as redirected; a re-delivery is already recorded; a lost race with an unmerge is routed again; nothing extra is asked
/// when every customer exists. A new relationship naming a merged-away customer is refused.
/// </summary>
public sealed class TouchpointIngestionMergeTests
{
    private static readonly TenantId Tenant = new("ingest-merge");
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 3, 1, 9, 0), Duration.FromSeconds(1));
    private readonly InMemoryCrmOutbox _outbox = new();
    private readonly InMemoryCustomerStore _customers;
    private readonly InMemoryTouchpointStore _touchpoints = new();
    private readonly InMemoryRelationshipStore _relationships = new();
    private readonly CountingMergeStore _merges;
    private readonly CustomerMergeService _service;

    public TouchpointIngestionMergeTests()
    {
        _customers = new InMemoryCustomerStore(_outbox);
        _merges = new CountingMergeStore(new InMemoryCustomerMergeStore(_customers, _touchpoints, _relationships));
        _service = new CustomerMergeService(_merges, _clock);
    }

    private TouchpointIngestion Ingestion(ICustomerMergeStore? merges)
        => new(_touchpoints, _clock, DefaultLifecycleModel.Create(), _customers, new InMemoryCustomerTouchpointStore(_customers, _touchpoints), null, _outbox, null, merges);

    private async Task<CustomerId> SavedAsync(string name)
    {
        var customer = Customer.Register(Tenant, new PersonProfile(name, "Merge"), _clock);
        customer.AddContactPoint(EmailAddress.Parse($"{name}.{Guid.NewGuid():N}@example.com"));
        await new CustomerRepository(_customers, _clock, null, _outbox).SaveAsync(customer);
        return customer.Id;
    }

    private static NewTouchpoint Purchase(CustomerId customer, int day, string key) => new()
    {
        CustomerId = customer,
        Channel = new ChannelId("web"),
        Direction = InteractionDirection.Inbound,
        Function = CrmFunction.Sales,
        Kind = TouchpointKind.Purchase,
        OccurredAt = Instant.FromUtc(2026, 1, 1, 0, 0) + Duration.FromDays(day),
        Source = new ExternalIdentifier("test", key),
    };

    private async Task<CustomerId> OwnerAsync(string key)
        => (await _touchpoints.FindBySourceAsync(Tenant, new ExternalIdentifier("test", key), default))!.CustomerId;

    private async Task<Customer> ReadAsync(CustomerId id) => Customer.Rehydrate((await _customers.FindAsync(Tenant, id, default))!, _clock);

    [Fact]
    public async Task Single_ForMergedAwayCustomer_IsStoredWithSurvivorAndMovesItsLifecycle()
    {
        var (survivor, merged) = (await SavedAsync("ada"), await SavedAsync("countess"));
        var record = await _service.MergeAsync(Tenant, survivor, merged);

        var result = await Ingestion(_merges).RecordAsync(Tenant, Purchase(merged, 1, "one"));

        Assert.Equal(1, result.Recorded);
        Assert.Equal(survivor, result.Touchpoint!.CustomerId);
        var redirect = Assert.Single(result.Redirected);
        Assert.Equal((0, result.Touchpoint.Id, merged, survivor), (redirect.Index, redirect.TouchpointId, redirect.AddressedTo, redirect.StoredWith));
        Assert.Equal((survivor, DefaultLifecycleModel.FirstTimeCustomer), (Assert.Single(result.Transitions).CustomerId, result.Transitions[0].Transition.To));
        Assert.Equal(DefaultLifecycleModel.FirstTimeCustomer, (await ReadAsync(survivor)).Lifecycle.Stage);
        Assert.Equal([result.Touchpoint.Id], (await _merges.FindMergeAsync(Tenant, record.Id, default))!.RedirectedTouchpoints);
    }

    [Fact]
    public async Task ReIngestingTheSameSourceKey_AfterARedirect_IsAlreadyRecorded()
    {
        var (survivor, merged) = (await SavedAsync("ada"), await SavedAsync("countess"));
        await _service.MergeAsync(Tenant, survivor, merged);
        var ingestion = Ingestion(_merges);
        var first = await ingestion.RecordAsync(Tenant, Purchase(merged, 1, "same"));

        var again = await ingestion.RecordAsync(Tenant, Purchase(merged, 1, "same"));
        var bulk = await ingestion.RecordManyAsync(Tenant, [Purchase(merged, 1, "same"), Purchase(merged, 1, "same")]);
        var conflict = await ingestion.RecordManyAsync(Tenant, [Purchase(merged, 2, "same")]);

        Assert.True(again.AlreadyRecorded);
        Assert.Equal(first.Touchpoint!.Id, again.Touchpoint!.Id);
        Assert.Empty(again.Redirected);
        Assert.Equal(0, bulk.Recorded);
        Assert.Equal([0, 1], bulk.AlreadyPresent);
        Assert.Empty(bulk.Conflicts);
        Assert.Equal(0, Assert.Single(conflict.Conflicts).Index);
        Assert.Equal(1, await _touchpoints.CountAsync(Tenant, default));
        Assert.Equal(1, (await ReadAsync(survivor)).Lifecycle.Facts.PurchaseCount);
    }

    [Fact]
    public async Task Bulk_MixedBatch_StoresEachContactWithItsCustomerOrSurvivor()
    {
        var (a, b, c) = (await SavedAsync("a"), await SavedAsync("b"), await SavedAsync("c"));
        var d = await SavedAsync("d");
        var unknown = CustomerId.New();
        var first = await _service.MergeAsync(Tenant, a, b);
        var second = await _service.MergeAsync(Tenant, c, a);

        var result = await Ingestion(_merges).RecordManyAsync(Tenant,
        [
            Purchase(unknown, 1, "unknown"),
            Purchase(b, 2, "b"),
            Purchase(d, 3, "d"),
            Purchase(a, 4, "a"),
            Purchase(c, 5, "c"),
            Purchase(b, 6, "b-later"),
        ]);

        Assert.Equal(6, result.Recorded);
        Assert.Equal((unknown, c, d, c, c, c), (await OwnerAsync("unknown"), await OwnerAsync("b"), await OwnerAsync("d"), await OwnerAsync("a"), await OwnerAsync("c"), await OwnerAsync("b-later")));
        Assert.Equal(new[] { (1, b, c), (3, a, c), (5, b, c) }, result.Redirected.Select(r => (r.Index, r.AddressedTo, r.StoredWith)));
        Assert.Equal(4, (await ReadAsync(c)).Lifecycle.Facts.PurchaseCount);
        Assert.All(result.Transitions.Where(t => t.Index != 2), t => Assert.Equal(c, t.CustomerId));
        var viaB = result.Redirected.Where(r => r.AddressedTo == b).Select(r => r.TouchpointId).Order().ToArray();
        Assert.Equal(viaB, (await _merges.FindMergeAsync(Tenant, first.Id, default))!.RedirectedTouchpoints.Order());
        Assert.Equal(result.Redirected.Select(r => r.TouchpointId).Order(), (await _merges.FindMergeAsync(Tenant, second.Id, default))!.RedirectedTouchpoints.Order());

        // Unmerging both in reverse order gives every contact back to the customer it was addressed to.
        await _service.UnmergeAsync(Tenant, second.Id);
        await _service.UnmergeAsync(Tenant, first.Id);
        Assert.Equal((b, a, c, b), (await OwnerAsync("b"), await OwnerAsync("a"), await OwnerAsync("c"), await OwnerAsync("b-later")));
    }

    [Fact]
    public async Task ChainOfTwoMerges_SingleRecord_LandsOnTheLastSurvivor()
    {
        var (a, b, c) = (await SavedAsync("a"), await SavedAsync("b"), await SavedAsync("c"));
        var first = await _service.MergeAsync(Tenant, a, b);
        var second = await _service.MergeAsync(Tenant, c, a);

        var result = await Ingestion(_merges).RecordAsync(Tenant, Purchase(b, 1, "chain"));

        Assert.Equal(c, result.Touchpoint!.CustomerId);
        Assert.Equal((b, c), (Assert.Single(result.Redirected).AddressedTo, result.Redirected[0].StoredWith));
        Assert.Contains(result.Touchpoint.Id, (await _merges.FindMergeAsync(Tenant, first.Id, default))!.RedirectedTouchpoints);
        Assert.Contains(result.Touchpoint.Id, (await _merges.FindMergeAsync(Tenant, second.Id, default))!.RedirectedTouchpoints);
        Assert.Equal(DefaultLifecycleModel.FirstTimeCustomer, (await ReadAsync(c)).Lifecycle.Stage);
    }

    [Fact]
    public async Task UnmergeRacingWithTheCommit_IsRoutedAgainToTheRestoredCustomer()
    {
        var (survivor, merged) = (await SavedAsync("ada"), await SavedAsync("countess"));
        var record = await _service.MergeAsync(Tenant, survivor, merged);
        _merges.BeforeRedirect = async () => await _service.UnmergeAsync(Tenant, record.Id);

        var single = await Ingestion(_merges).RecordAsync(Tenant, Purchase(merged, 1, "single"));
        var record2 = await _service.MergeAsync(Tenant, survivor, merged);
        _merges.BeforeRedirect = async () => await _service.UnmergeAsync(Tenant, record2.Id);
        var bulk = await Ingestion(_merges).RecordManyAsync(Tenant, [Purchase(merged, 2, "bulk")]);

        Assert.Equal(merged, single.Touchpoint!.CustomerId);
        Assert.Empty(single.Redirected);
        Assert.Equal(1, bulk.Recorded);
        Assert.Empty(bulk.Redirected);
        Assert.Equal((merged, merged), (await OwnerAsync("single"), await OwnerAsync("bulk")));
        Assert.Equal(2, (await ReadAsync(merged)).Lifecycle.Facts.PurchaseCount);
        Assert.Equal(0, (await ReadAsync(survivor)).Lifecycle.Facts.PurchaseCount);
    }

    [Fact]
    public async Task WhenEveryCustomerExists_NoMergeIsLookedUp()
    {
        var (a, b) = (await SavedAsync("a"), await SavedAsync("b"));
        var ingestion = Ingestion(_merges);

        await ingestion.RecordAsync(Tenant, Purchase(a, 1, "one"));
        await ingestion.RecordManyAsync(Tenant, [Purchase(a, 2, "two"), Purchase(b, 3, "three")]);

        Assert.Equal(0, _merges.Lookups);
        Assert.Equal(0, _merges.Appends);
        await ingestion.RecordManyAsync(Tenant, [Purchase(CustomerId.New(), 4, "four"), Purchase(a, 5, "five"), Purchase(CustomerId.New(), 6, "six")]);
        Assert.Equal(1, _merges.Lookups);
    }

    [Fact]
    public async Task WithoutTheMergeCapability_AMergedAwayCustomersTouchpointIsOneOfAnUnknownCustomer()
    {
        var (survivor, merged) = (await SavedAsync("ada"), await SavedAsync("countess"));
        await _service.MergeAsync(Tenant, survivor, merged);

        var result = await Ingestion(null).RecordAsync(Tenant, Purchase(merged, 1, "plain"));

        Assert.Equal(merged, result.Touchpoint!.CustomerId);
        Assert.Empty(result.Redirected);
        Assert.Empty(result.Transitions);
    }

    [Fact]
    public async Task NewRelationship_NamingAMergedAwayCustomer_IsRefusedNamingTheSurvivor()
    {
        var (survivor, merged) = (await SavedAsync("ada"), await SavedAsync("countess"));
        var kept = await new RelationshipGraph(_relationships).EstablishAsync(Tenant, RelationshipType.Household, survivor, merged, _clock.GetCurrentInstant());
        await _service.MergeAsync(Tenant, survivor, merged);
        var graph = new RelationshipGraph(_relationships);

        var refused = await Assert.ThrowsAsync<CustomerMergeException>(async () => await graph.EstablishAsync(Tenant, RelationshipType.Employment, CustomerId.New(), merged, _clock.GetCurrentInstant()));

        Assert.Equal(CrmErrorCodes.CustomerMergedAway, refused.ErrorCode);
        Assert.Contains(survivor.ToString(), refused.Message, StringComparison.Ordinal);
        Assert.Equal([kept.Id], (await _relationships.ListByPartyAsync(Tenant, merged, default)).Select(r => r.Id));

        // An existing relationship between the two is kept as it was by the merge, and can still be ended.
        var ended = await graph.EndAsync(Tenant, kept.Id, _clock.GetCurrentInstant());
        Assert.NotNull(ended.ValidTo);
    }

    /// <summary>Counts merge look-ups and redirecting appends, and can run an action (e.g. an unmerge) before a redirected commit.</summary>
    private sealed class CountingMergeStore(ICustomerMergeStore inner) : ICustomerMergeStore
    {
        public int Lookups { get; private set; }

        public int Appends { get; private set; }

        public Func<Task>? BeforeRedirect { get; set; }

        public ValueTask<CustomerSnapshot?> FindAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken) => inner.FindAsync(tenantId, customerId, cancellationToken);

        public ValueTask<CustomerSnapshot?> FindByExternalIdentifierAsync(TenantId tenantId, ExternalIdentifier identifier, CancellationToken cancellationToken) => inner.FindByExternalIdentifierAsync(tenantId, identifier, cancellationToken);

        public ValueTask<IReadOnlyList<CustomerSnapshot>> ListByContactPointAsync(TenantId tenantId, ContactPoint contactPoint, CancellationToken cancellationToken) => inner.ListByContactPointAsync(tenantId, contactPoint, cancellationToken);

        public ValueTask<long> CountAsync(TenantId tenantId, CancellationToken cancellationToken) => inner.CountAsync(tenantId, cancellationToken);

        public ValueTask<IReadOnlyList<CustomerSnapshot>> PageAsync(TenantId tenantId, CustomerId? after, int limit, CancellationToken cancellationToken) => inner.PageAsync(tenantId, after, limit, cancellationToken);

        public ValueTask CommitAsync(CustomerCommit commit, CancellationToken cancellationToken) => inner.CommitAsync(commit, cancellationToken);

        public ValueTask<CustomerMergeRecord> CommitMergeAsync(CustomerMergeCommit commit, CancellationToken cancellationToken) => inner.CommitMergeAsync(commit, cancellationToken);

        public ValueTask<CustomerMergeRecord> CommitUnmergeAsync(CustomerUnmergeCommit commit, CancellationToken cancellationToken) => inner.CommitUnmergeAsync(commit, cancellationToken);

        public ValueTask<CustomerMergeRecord?> FindMergeAsync(TenantId tenantId, CustomerMergeId mergeId, CancellationToken cancellationToken) => inner.FindMergeAsync(tenantId, mergeId, cancellationToken);

        public ValueTask<CustomerMergeRecord?> FindActiveMergeAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken)
        {
            Lookups++;
            return inner.FindActiveMergeAsync(tenantId, customerId, cancellationToken);
        }

        public ValueTask<IReadOnlyDictionary<CustomerId, CustomerId>> FindSurvivorsAsync(TenantId tenantId, IReadOnlyCollection<CustomerId> customerIds, CancellationToken cancellationToken)
        {
            Lookups++;
            return inner.FindSurvivorsAsync(tenantId, customerIds, cancellationToken);
        }

        public ValueTask<IReadOnlyList<CustomerMergeRecord>> ListMergesByCustomerAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken) => inner.ListMergesByCustomerAsync(tenantId, customerId, cancellationToken);

        public ValueTask<TouchpointAppendResult> AppendTouchpointsAsync(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, CancellationToken cancellationToken)
        {
            Appends++;
            return inner.AppendTouchpointsAsync(tenantId, touchpoints, cancellationToken);
        }

        public async ValueTask<TouchpointAppendResult> AppendRedirectedWithCustomerAsync(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, IReadOnlyList<CustomerId> addressedTo, CustomerCommit? commit, CancellationToken cancellationToken)
        {
            if (BeforeRedirect is { } before)
            {
                BeforeRedirect = null;
                await before();
            }

            return await inner.AppendRedirectedWithCustomerAsync(tenantId, touchpoints, addressedTo, commit, cancellationToken);
        }
    }
}

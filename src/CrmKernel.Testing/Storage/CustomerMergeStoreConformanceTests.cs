using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Identity;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Relationships;
using CrmKernel.Services.Identity;
using CrmKernel.Services.Ingestion;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using NodaTime;
using Xunit;

namespace CrmKernel.Testing.Storage;

/// <summary>
/// The conformance kit for <see cref="ICustomerMergeStore"/>, and for <see cref="CustomerMergeService"/> running on it: a
/// merge commits the survivor's merged state, removes the merged customer, moves its touchpoints and external identifiers
/// and stores its events, all at once; an unmerge restores both customers and gives back what was addressed to the merged
/// one; the same merge twice is one merge; of two racing merges one wins and the other conflicts without changing
/// anything; a merged-away customer cannot be merged again or written to. Return stores whose
/// <see cref="CrmStores.Merges"/>, <see cref="CrmStores.Touchpoints"/> and <see cref="CrmStores.Relationships"/> are set, on one database.
/// </summary>
public abstract class CustomerMergeStoreConformanceTests : StoreConformanceTests
{
    /// <summary>The lifecycle model the kit's ingestion scenarios apply.</summary>
    protected static readonly LifecycleModel LifecycleModel = DefaultLifecycleModel.Create();

    /// <summary>The merge store under test.</summary>
    protected static ICustomerMergeStore Merges(CrmStores stores)
        => Preconditions.NotNull(stores).Merges ?? throw new InvalidOperationException("CreateStoresAsync must set CrmStores.Merges for the merge kit.");

    /// <summary>The service under test, on the stores.</summary>
    protected CustomerMergeService Service(CrmStores stores) => new(Merges(stores), Clock);

    /// <summary>A purchase touchpoint for <paramref name="customer"/>.</summary>
    protected Touchpoint Purchase(TenantId tenant, CustomerId customer, int day) => Touchpoint.Create(tenant, TouchpointId.New(), Clock.GetCurrentInstant(), new NewTouchpoint
    {
        CustomerId = customer,
        Channel = new ChannelId("web"),
        Direction = InteractionDirection.Inbound,
        Function = CrmFunction.Sales,
        Kind = TouchpointKind.Purchase,
        OccurredAt = Start + Duration.FromDays(day),
        Source = new ExternalIdentifier("kit", TouchpointId.New().ToString()),
    });

    /// <summary>Two stored people of one tenant: the first with consent and an identifier, the second with its own.</summary>
    protected async Task<(Customer Survivor, Customer Merged)> TwoAsync(CrmStores stores, TenantId tenant)
    {
        var repository = Repository(stores);
        var survivor = Customer.Register(tenant, new PersonProfile("Ada", "Lovelace"), Clock);
        survivor.AddContactPoint(EmailAddress.Parse($"ada{Guid.NewGuid():N}@kit.example"));
        survivor.AddExternalIdentifier(new ExternalIdentifier("crm", Guid.NewGuid().ToString("N")));
        survivor.GrantConsent(ConsentPurpose.Marketing, new ChannelId("email"), null, "web");
        var merged = Customer.Register(tenant, new PersonProfile("Ada", null, honorific: "Countess"), Clock);
        merged.AddContactPoint(EmailAddress.Parse($"ada.l{Guid.NewGuid():N}@kit.example"));
        merged.AddExternalIdentifier(new ExternalIdentifier("shop", Guid.NewGuid().ToString("N")));
        merged.DeclineConsent(ConsentPurpose.Marketing, null, null, "shop");
        merged.Tag(new CustomerTag("vip"));
        await repository.SaveAsync(survivor);
        await repository.SaveAsync(merged);
        return (survivor, merged);
    }

    private async Task<IReadOnlyList<TouchpointId>> TimelineAsync(CrmStores stores, TenantId tenant, CustomerId customer)
        => [.. (await stores.Touchpoints!.PageTimelineAsync(tenant, new TimelineFilter([customer]), null, 1_000, default)).Select(t => t.Id).Order()];

    /// <summary>The same state, whatever the version.</summary>
    protected static void AssertRestored(CustomerSnapshot expected, CustomerSnapshot? actual)
    {
        Assert.NotNull(actual);
        AssertSameState(CopyWithVersion(expected, actual.Version), actual);
    }

    private static CustomerSnapshot CopyWithVersion(CustomerSnapshot s, long version) => new()
    {
        Id = s.Id,
        TenantId = s.TenantId,
        Profile = s.Profile,
        ContactPoints = s.ContactPoints,
        ExternalIdentifiers = s.ExternalIdentifiers,
        Tags = s.Tags,
        CustomAttributes = s.CustomAttributes,
        HomeTimeZoneId = s.HomeTimeZoneId,
        CreatedAt = s.CreatedAt,
        UpdatedAt = s.UpdatedAt,
        Version = version,
        LifecycleStage = s.LifecycleStage,
        LifecycleHistory = s.LifecycleHistory,
        LifecycleFacts = s.LifecycleFacts,
        Consents = s.Consents,
    };

    /// <summary>A merge stores the merged state, removes the merged customer, moves its touchpoints and identifiers, keeps the record and its event.</summary>
    [Fact]
    public virtual async Task Merge_CommitsEverythingAtOnce()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var (survivor, merged) = await TwoAsync(stores, tenant);
        var theirs = Purchase(tenant, merged.Id, 1);
        var ours = Purchase(tenant, survivor.Id, 2);
        await stores.Touchpoints!.AppendAsync(tenant, [theirs, ours], default);
        var before = (await stores.Customers.FindAsync(tenant, merged.Id, default))!;

        var record = await Service(stores).MergeAsync(tenant, survivor.Id, merged.Id);

        var store = Merges(stores);
        Assert.Null(await store.FindAsync(tenant, merged.Id, default));
        var now = (await store.FindAsync(tenant, survivor.Id, default))!;
        Assert.Equal(record.SurvivorVersionAfterMerge, now.Version);
        Assert.Equal(2, now.ContactPoints.Count);
        Assert.Equal("Countess", ((PersonProfile)now.Profile).Honorific);
        Assert.Contains(new CustomerTag("vip"), now.Tags);
        Assert.Equal(survivor.Id, (await store.FindByExternalIdentifierAsync(tenant, before.ExternalIdentifiers[0], default))?.Id);
        Assert.Equal(ContactAnswer.Refused, Customer.Rehydrate(now, Clock).MayContact(ConsentPurpose.Marketing, new ChannelId("email"), now.ContactPoints[0].Value, Clock.GetCurrentInstant()).Answer);
        Assert.Equal([theirs.Id], record.MovedTouchpoints);
        Assert.Equal(new[] { theirs.Id, ours.Id }.Order(), await TimelineAsync(stores, tenant, survivor.Id));
        Assert.Empty(await TimelineAsync(stores, tenant, merged.Id));
        AssertRestored(before, (await store.FindMergeAsync(tenant, record.Id, default))?.MergedBefore);
        Assert.Equal(record.Id, (await store.FindActiveMergeAsync(tenant, merged.Id, default))?.Id);
        Assert.Null(await store.FindActiveMergeAsync(tenant, survivor.Id, default));
        Assert.Equal([record.Id], (await store.ListMergesByCustomerAsync(tenant, merged.Id, default)).Select(r => r.Id));
        Assert.Equal([record.Id], (await store.ListMergesByCustomerAsync(tenant, survivor.Id, default)).Select(r => r.Id));
        var events = await stores.Outbox.ListPendingAsync(tenant, 1_000, default);
        Assert.Single(events, e => e.EventType == nameof(CustomerMerged) && e.AggregateId == survivor.Id.ToString() && e.AggregateVersion == now.Version);
        Assert.Null(await store.FindMergeAsync(NewTenant(), record.Id, default));
    }

    /// <summary>
    /// An unmerge restores both customers as they were; a touchpoint recorded for the survivor in between stays with it,
    /// one addressed to the merged customer in between goes to the survivor while merged and back on unmerge.
    /// </summary>
    [Fact]
    public virtual async Task Unmerge_RestoresBothAndAttributesWhatArrivedInBetween()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var (survivor, merged) = await TwoAsync(stores, tenant);
        var theirs = Purchase(tenant, merged.Id, 1);
        await stores.Touchpoints!.AppendAsync(tenant, [theirs], default);
        var relationships = stores.Relationships ?? throw new InvalidOperationException("CreateStoresAsync must set CrmStores.Relationships for the merge kit.");
        var employer = CustomerId.New();
        var job = Relationship.Create(tenant, RelationshipId.New(), RelationshipType.Employment, employer, merged.Id, true, Start, null, 1);
        var between = Relationship.Create(tenant, RelationshipId.New(), RelationshipType.Household, survivor.Id, merged.Id, false, Start, null, 1);
        await relationships.CommitAsync(job, 0, default);
        await relationships.CommitAsync(between, 0, default);
        var survivorBefore = (await stores.Customers.FindAsync(tenant, survivor.Id, default))!;
        var mergedBefore = (await stores.Customers.FindAsync(tenant, merged.Id, default))!;
        var service = Service(stores);
        var record = await service.MergeAsync(tenant, survivor.Id, merged.Id);

        var forSurvivor = Purchase(tenant, survivor.Id, 3);
        var forMerged = Purchase(tenant, merged.Id, 4);
        var result = await Merges(stores).AppendTouchpointsAsync(tenant, [forSurvivor, forMerged], default);
        Assert.Equal(2, result.Appended);
        Assert.Equal(survivor.Id, (await stores.Touchpoints.FindAsync(tenant, forMerged.Id, default))?.CustomerId);
        Assert.Equal(survivor.Id, await service.ResolveAsync(tenant, merged.Id));
        Assert.Equal(survivor.Id, (await relationships.FindAsync(tenant, job.Id, default))?.To);
        Assert.Equal((survivor.Id, merged.Id), (await relationships.FindAsync(tenant, between.Id, default)) is { } kept ? (kept.From, kept.To) : default);
        Assert.Equal([job.Id], record.MovedRelationships);

        var undone = await service.UnmergeAsync(tenant, record.Id);

        Assert.False(undone.IsActive);
        Assert.Equal([forMerged.Id], undone.RedirectedTouchpoints);
        AssertRestored(survivorBefore, await stores.Customers.FindAsync(tenant, survivor.Id, default));
        AssertRestored(mergedBefore, await stores.Customers.FindAsync(tenant, merged.Id, default));
        Assert.Equal([forSurvivor.Id], await TimelineAsync(stores, tenant, survivor.Id));
        Assert.Equal(new[] { theirs.Id, forMerged.Id }.Order(), await TimelineAsync(stores, tenant, merged.Id));
        Assert.Equal(merged.Id, (await stores.Customers.FindByExternalIdentifierAsync(tenant, mergedBefore.ExternalIdentifiers[0], default))?.Id);
        Assert.Equal(merged.Id, (await relationships.FindAsync(tenant, job.Id, default))?.To);
        Assert.Equal([job.Id, between.Id], (await relationships.ListByPartyAsync(tenant, merged.Id, default)).Select(r => r.Id).Order());
        Assert.Null(await Merges(stores).FindActiveMergeAsync(tenant, merged.Id, default));
        Assert.Equal(merged.Id, await service.ResolveAsync(tenant, merged.Id));
        var events = await stores.Outbox.ListPendingAsync(tenant, 1_000, default);
        Assert.Single(events, e => e.EventType == nameof(CustomerUnmerged) && e.AggregateId == survivor.Id.ToString());

        // The restored customer can be written to again.
        var again = (await Repository(stores).GetAsync(tenant, merged.Id))!;
        again.Tag(new CustomerTag("back"));
        await Repository(stores).SaveAsync(again);
    }

    /// <summary>Changes made to the survivor while merged stay; only what came from the merged customer is taken off.</summary>
    [Fact]
    public virtual async Task Unmerge_KeepsTheSurvivorsLaterChanges()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var (survivor, merged) = await TwoAsync(stores, tenant);
        var survivorBefore = (await stores.Customers.FindAsync(tenant, survivor.Id, default))!;
        var service = Service(stores);
        var record = await service.MergeAsync(tenant, survivor.Id, merged.Id);
        var current = await Repository(stores).GetAsync(tenant, survivor.Id);
        current.Tag(new CustomerTag("later"));
        await Repository(stores).SaveAsync(current);

        await service.UnmergeAsync(tenant, record.Id);

        var restored = (await stores.Customers.FindAsync(tenant, survivor.Id, default))!;
        Assert.Equal(survivorBefore.ContactPoints, restored.ContactPoints);
        Assert.Equal(survivorBefore.ExternalIdentifiers, restored.ExternalIdentifiers);
        Assert.Equal(survivorBefore.Consents, restored.Consents);
        Assert.Equal([new CustomerTag("later")], restored.Tags);
        Assert.Equal("Countess", ((PersonProfile)restored.Profile).Honorific);
    }

    /// <summary>The same merge twice is one merge; the same unmerge twice is one unmerge.</summary>
    [Fact]
    public virtual async Task Merge_IsIdempotent()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var (survivor, merged) = await TwoAsync(stores, tenant);
        var service = Service(stores);
        var first = await service.MergeAsync(tenant, survivor.Id, merged.Id);
        var version = (await stores.Customers.FindAsync(tenant, survivor.Id, default))!.Version;

        var second = await service.MergeAsync(tenant, survivor.Id, merged.Id);
        var replayed = await Merges(stores).CommitMergeAsync(Commit(first.SurvivorBefore, first.MergedBefore), default);

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.Id, replayed.Id);
        Assert.Equal(version, (await stores.Customers.FindAsync(tenant, survivor.Id, default))!.Version);
        Assert.Single(await stores.Outbox.ListPendingAsync(tenant, 1_000, default), e => e.EventType == nameof(CustomerMerged));
        var undone = await service.UnmergeAsync(tenant, first.Id);
        var again = await service.UnmergeAsync(tenant, first.Id);
        Assert.Equal(undone.UnmergedAt, again.UnmergedAt);
        Assert.Single(await stores.Outbox.ListPendingAsync(tenant, 1_000, default), e => e.EventType == nameof(CustomerUnmerged));
    }

    private CustomerMergeCommit Commit(CustomerSnapshot survivor, CustomerSnapshot merged)
    {
        var id = CustomerMergeId.New();
        var state = CustomerMerger.Merge(survivor, merged, SurvivorshipPolicy.Default, id, Clock.GetCurrentInstant());
        var record = new CustomerMergeRecord(id, survivor, merged, Clock.GetCurrentInstant(), state.Version, state.Consents.Count, [], [], []);
        return new CustomerMergeCommit(record, state, []);
    }

    /// <summary>Two merges racing on one customer: one wins, the other gets a conflict and stores nothing.</summary>
    [Fact]
    public virtual async Task RacingMerges_OneWinsTheOtherConflicts()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var (a, b) = await TwoAsync(stores, tenant);
        var c = NewCustomer(tenant);
        await Repository(stores).SaveAsync(c);
        var touchpoint = Purchase(tenant, b.Id, 1);
        await stores.Touchpoints!.AppendAsync(tenant, [touchpoint], default);
        var sa = (await stores.Customers.FindAsync(tenant, a.Id, default))!;
        var sb = (await stores.Customers.FindAsync(tenant, b.Id, default))!;
        var sc = (await stores.Customers.FindAsync(tenant, c.Id, default))!;
        var intoA = Commit(sa, sb);
        var intoC = Commit(sc, sb);

        var outcomes = await Task.WhenAll(Try(intoA), Try(intoC));

        Assert.Single(outcomes, o => o is null);
        var loser = Assert.Single(outcomes, o => o is not null)!;
        Assert.Contains(loser, new[] { CrmErrorCodes.ConcurrencyConflict, CrmErrorCodes.CustomerMergedAway });
        var winner = outcomes[0] is null ? sa : sc;
        var other = outcomes[0] is null ? sc : sa;
        Assert.Equal(winner.Id, (await stores.Touchpoints.FindAsync(tenant, touchpoint.Id, default))?.CustomerId);
        AssertSameState(other, await stores.Customers.FindAsync(tenant, other.Id, default));
        Assert.Empty(await Merges(stores).ListMergesByCustomerAsync(tenant, other.Id, default));

        async Task<string?> Try(CustomerMergeCommit commit)
        {
            await Task.Yield();
            try
            {
                await Merges(stores).CommitMergeAsync(commit, default);
                return null;
            }
            catch (CrmException e)
            {
                return e.ErrorCode;
            }
        }
    }

    /// <summary>A merge from a stale read stores nothing: both customers, the touchpoints and the outbox are unchanged.</summary>
    [Fact]
    public virtual async Task StaleMerge_ChangesNothing()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var (a, b) = await TwoAsync(stores, tenant);
        var touchpoint = Purchase(tenant, b.Id, 1);
        await stores.Touchpoints!.AppendAsync(tenant, [touchpoint], default);
        var sa = (await stores.Customers.FindAsync(tenant, a.Id, default))!;
        var sb = (await stores.Customers.FindAsync(tenant, b.Id, default))!;
        var commit = Commit(sa, sb);
        var changed = await Repository(stores).GetAsync(tenant, b.Id);
        changed.Tag(new CustomerTag("changed"));
        await Repository(stores).SaveAsync(changed);
        var pending = (await stores.Outbox.ListPendingAsync(tenant, 1_000, default)).Count;
        var nowB = (await stores.Customers.FindAsync(tenant, b.Id, default))!;

        var e = await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await Merges(stores).CommitMergeAsync(commit, default));

        Assert.Equal(CrmErrorCodes.ConcurrencyConflict, e.ErrorCode);
        AssertSameState(sa, await stores.Customers.FindAsync(tenant, a.Id, default));
        AssertSameState(nowB, await stores.Customers.FindAsync(tenant, b.Id, default));
        Assert.Equal(b.Id, (await stores.Touchpoints.FindAsync(tenant, touchpoint.Id, default))?.CustomerId);
        Assert.Equal(pending, (await stores.Outbox.ListPendingAsync(tenant, 1_000, default)).Count);
        Assert.Empty(await Merges(stores).ListMergesByCustomerAsync(tenant, a.Id, default));
    }

    /// <summary>A merged-away customer cannot be merged again, into anyone, or written to.</summary>
    [Fact]
    public virtual async Task MergedAway_CannotBeMergedOrWritten()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var (a, b) = await TwoAsync(stores, tenant);
        var c = NewCustomer(tenant);
        await Repository(stores).SaveAsync(c);
        var service = Service(stores);
        await service.MergeAsync(tenant, a.Id, b.Id);

        var intoC = await Assert.ThrowsAsync<CustomerMergeException>(async () => await service.MergeAsync(tenant, c.Id, b.Id));
        var asSurvivor = await Assert.ThrowsAsync<CustomerMergeException>(async () => await service.MergeAsync(tenant, b.Id, c.Id));
        b.Tag(new CustomerTag("stale"));
        var write = await Assert.ThrowsAsync<CustomerMergeException>(async () => await Repository(stores).SaveAsync(b));
        var sb = Customer.Register(tenant, b.Id, new PersonProfile("Re", "Used"), Clock);
        var insert = await Assert.ThrowsAsync<CustomerMergeException>(async () => await Repository(stores).SaveAsync(sb));

        Assert.All(new[] { intoC, asSurvivor, write, insert }, e => Assert.Equal(CrmErrorCodes.CustomerMergedAway, e.ErrorCode));
        Assert.DoesNotContain(tenant.ToString(), write.Message.Replace(tenant.ToString(), string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Null(await stores.Customers.FindAsync(tenant, b.Id, default));
    }

    /// <summary>A bulk import of a merged-away id (a re-run of the import that first created it) counts it as stored and stores nothing.</summary>
    [Fact]
    public virtual async Task MergedAway_IsNotImportedAgain()
    {
        await using var stores = await CreateStoresAsync();
        if (stores.Customers is not ICustomerBulkStore bulk)
        {
            return;
        }

        var tenant = NewTenant();
        var (a, b) = await TwoAsync(stores, tenant);
        await Service(stores).MergeAsync(tenant, a.Id, b.Id);
        var again = Customer.Register(tenant, b.Id, new PersonProfile("Ada", null), Clock);

        var result = await bulk.ImportAsync(tenant, [CustomerCommit.Create(again)], default);

        Assert.Equal(0, result.Inserted);
        Assert.Equal([0], result.AlreadyPresent);
        Assert.Null(await stores.Customers.FindAsync(tenant, b.Id, default));
        Assert.Equal(1, await stores.Customers.CountAsync(tenant, default));
    }

    /// <summary>A merge whose survivor was merged away since cannot be undone until that later merge is; then both can.</summary>
    [Fact]
    public virtual async Task ChainedMerges_UnmergeInReverseOrder()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var (a, b) = await TwoAsync(stores, tenant);
        var c = NewCustomer(tenant);
        await Repository(stores).SaveAsync(c);
        var service = Service(stores);
        var first = await service.MergeAsync(tenant, a.Id, b.Id);
        var second = await service.MergeAsync(tenant, c.Id, a.Id);
        var forB = Purchase(tenant, b.Id, 5);
        await Merges(stores).AppendTouchpointsAsync(tenant, [forB], default);
        Assert.Equal(c.Id, (await stores.Touchpoints!.FindAsync(tenant, forB.Id, default))?.CustomerId);
        Assert.Equal(c.Id, await service.ResolveAsync(tenant, b.Id));

        var blocked = await Assert.ThrowsAsync<CustomerMergeException>(async () => await service.UnmergeAsync(tenant, first.Id));
        Assert.Equal(CrmErrorCodes.UnmergeSurvivorMergedAway, blocked.ErrorCode);
        await service.UnmergeAsync(tenant, second.Id);
        Assert.Equal(a.Id, (await stores.Touchpoints.FindAsync(tenant, forB.Id, default))?.CustomerId);
        await service.UnmergeAsync(tenant, first.Id);
        Assert.Equal(b.Id, (await stores.Touchpoints.FindAsync(tenant, forB.Id, default))?.CustomerId);
        Assert.Equal(3, await stores.Customers.CountAsync(tenant, default));
    }

    /// <summary>The ingestion pipeline over the stores, honouring merges.</summary>
    protected TouchpointIngestion Ingestion(CrmStores stores)
    {
        Preconditions.NotNull(stores);
        var atomic = stores.CustomerTouchpoints ?? throw new InvalidOperationException("CreateStoresAsync must set CrmStores.CustomerTouchpoints for the merge kit's ingestion scenarios.");
        return new TouchpointIngestion(stores.Touchpoints!, Clock, LifecycleModel, stores.Customers, atomic, null, stores.Outbox, null, Merges(stores));
    }

    /// <summary>A purchase's details for <paramref name="customer"/>, under <paramref name="key"/>.</summary>
    protected NewTouchpoint PurchaseDetails(CustomerId customer, int day, string key) => new()
    {
        CustomerId = customer,
        Channel = new ChannelId("web"),
        Direction = InteractionDirection.Inbound,
        Function = CrmFunction.Sales,
        Kind = TouchpointKind.Purchase,
        OccurredAt = Start + Duration.FromDays(day),
        Source = new ExternalIdentifier("kit", key),
    };

    /// <summary>
    /// A commit re-addressed to the survivor of a merge is stored with it (with the survivor's change) and listed as
    /// redirected; a touchpoint of the survivor in the same commit is not; an unmerge gives the redirected one back.
    /// </summary>
    [Fact]
    public virtual async Task RedirectedCommit_LandsOnSurvivorAndGoesBackOnUnmerge()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var (survivor, merged) = await TwoAsync(stores, tenant);
        var service = Service(stores);
        var record = await service.MergeAsync(tenant, survivor.Id, merged.Id);
        var customer = (await Repository(stores).FindAsync(tenant, survivor.Id))!;
        var redirected = Purchase(tenant, survivor.Id, 3);
        var own = Purchase(tenant, survivor.Id, 4);
        customer.ApplyTouchpoint(LifecycleModel, redirected);
        customer.ApplyTouchpoint(LifecycleModel, own);
        var commit = CustomerCommit.Create(customer);

        var result = await Merges(stores).AppendRedirectedWithCustomerAsync(tenant, [redirected, own], [merged.Id, survivor.Id], commit, default);

        Assert.Equal(2, result.Appended);
        Assert.Equal(commit.NewVersion, (await stores.Customers.FindAsync(tenant, survivor.Id, default))?.Version);
        Assert.Equal(survivor.Id, (await stores.Touchpoints!.FindAsync(tenant, redirected.Id, default))?.CustomerId);
        Assert.Equal([redirected.Id], (await Merges(stores).FindMergeAsync(tenant, record.Id, default))!.RedirectedTouchpoints);
        await service.UnmergeAsync(tenant, record.Id);
        Assert.Equal(merged.Id, (await stores.Touchpoints.FindAsync(tenant, redirected.Id, default))?.CustomerId);
        Assert.Equal(survivor.Id, (await stores.Touchpoints.FindAsync(tenant, own.Id, default))?.CustomerId);
    }

    /// <summary>A redirect read before the merge was undone (or before the survivor was merged on) conflicts and stores nothing.</summary>
    [Fact]
    public virtual async Task RedirectedCommit_ThatNoLongerHolds_ConflictsAndStoresNothing()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var (a, b) = await TwoAsync(stores, tenant);
        var c = NewCustomer(tenant);
        await Repository(stores).SaveAsync(c);
        var service = Service(stores);
        var undone = await service.MergeAsync(tenant, a.Id, b.Id);
        await service.UnmergeAsync(tenant, undone.Id);
        var stale = Purchase(tenant, a.Id, 3);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await Merges(stores).AppendRedirectedWithCustomerAsync(tenant, [stale], [b.Id], null, default));

        Assert.Null(await stores.Touchpoints!.FindAsync(tenant, stale.Id, default));
        var first = await service.MergeAsync(tenant, a.Id, b.Id);
        var second = await service.MergeAsync(tenant, c.Id, a.Id);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await Merges(stores).AppendRedirectedWithCustomerAsync(tenant, [stale], [b.Id], null, default));
        Assert.Null(await stores.Touchpoints.FindAsync(tenant, stale.Id, default));
        var survivors = await Merges(stores).FindSurvivorsAsync(tenant, [a.Id, b.Id, c.Id, CustomerId.New()], default);
        Assert.Equal([(a.Id, c.Id), (b.Id, c.Id)], survivors.Select(p => (p.Key, p.Value)).Order());
        Assert.Empty(await Merges(stores).FindSurvivorsAsync(tenant, [c.Id], default));
        var routed = stale.WithCustomer(c.Id);
        Assert.Equal(1, (await Merges(stores).AppendRedirectedWithCustomerAsync(tenant, [routed], [b.Id], null, default)).Appended);
        Assert.Contains(routed.Id, (await Merges(stores).FindMergeAsync(tenant, first.Id, default))!.RedirectedTouchpoints);
        Assert.Contains(routed.Id, (await Merges(stores).FindMergeAsync(tenant, second.Id, default))!.RedirectedTouchpoints);
    }

    /// <summary>
    /// The ingestion pipeline stores a merged-away customer's touchpoint with the survivor, moving the survivor's
    /// lifecycle, reports it as redirected; a re-delivery is already recorded; an unmerge gives it back.
    /// </summary>
    [Fact]
    public virtual async Task Ingestion_OfMergedAwayCustomer_MovesSurvivorAndIsGivenBack()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var (survivor, merged) = await TwoAsync(stores, tenant);
        var service = Service(stores);
        var record = await service.MergeAsync(tenant, survivor.Id, merged.Id);
        var ingestion = Ingestion(stores);
        var details = PurchaseDetails(merged.Id, 3, "order-merged");

        var result = await ingestion.RecordAsync(tenant, details);
        var again = await ingestion.RecordAsync(tenant, details);
        var bulk = await ingestion.RecordManyAsync(tenant, [PurchaseDetails(merged.Id, 4, "order-2"), PurchaseDetails(survivor.Id, 5, "order-3"), details]);

        var moved = Assert.Single(result.Redirected);
        Assert.Equal((merged.Id, survivor.Id, result.Touchpoint!.Id), (moved.AddressedTo, moved.StoredWith, moved.TouchpointId));
        Assert.Equal(survivor.Id, result.Touchpoint.CustomerId);
        Assert.Equal(DefaultLifecycleModel.FirstTimeCustomer, Assert.Single(result.Transitions).Transition.To);
        Assert.Equal(survivor.Id, result.Transitions[0].CustomerId);
        Assert.True(again.AlreadyRecorded);
        Assert.Equal(2, bulk.Recorded);
        Assert.Equal([2], bulk.AlreadyPresent);
        Assert.Empty(bulk.Conflicts);
        Assert.Equal([0], bulk.Redirected.Select(r => r.Index));
        var stored = Customer.Rehydrate((await stores.Customers.FindAsync(tenant, survivor.Id, default))!, Clock);
        Assert.Equal(3, stored.Lifecycle.Facts.PurchaseCount);
        Assert.Null(await stores.Customers.FindAsync(tenant, merged.Id, default));
        var redirected = (await Merges(stores).FindMergeAsync(tenant, record.Id, default))!.RedirectedTouchpoints;
        Assert.Equal(new[] { result.Touchpoint.Id, bulk.Redirected[0].TouchpointId }.Order(), redirected.Order());

        await service.UnmergeAsync(tenant, record.Id);
        Assert.Equal(merged.Id, (await stores.Touchpoints!.FindAsync(tenant, result.Touchpoint.Id, default))?.CustomerId);
        Assert.Equal(merged.Id, (await stores.Touchpoints.FindAsync(tenant, bulk.Redirected[0].TouchpointId, default))?.CustomerId);
        Assert.True((await ingestion.RecordAsync(tenant, details)).AlreadyRecorded);
    }

    /// <summary>A new relationship naming a merged-away customer is refused (CRM-MERGE-003, naming the survivor); after an unmerge it is accepted.</summary>
    [Fact]
    public virtual async Task NewRelationship_NamingMergedAwayCustomer_IsRefused()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var (survivor, merged) = await TwoAsync(stores, tenant);
        var relationships = stores.Relationships ?? throw new InvalidOperationException("CreateStoresAsync must set CrmStores.Relationships for the merge kit.");
        var service = Service(stores);
        var record = await service.MergeAsync(tenant, survivor.Id, merged.Id);
        var job = Relationship.Create(tenant, RelationshipId.New(), RelationshipType.Employment, CustomerId.New(), merged.Id, true, Start, null, 1);

        var refused = await Assert.ThrowsAsync<CustomerMergeException>(async () => await relationships.CommitAsync(job, 0, default));

        Assert.Equal(CrmErrorCodes.CustomerMergedAway, refused.ErrorCode);
        Assert.Contains(survivor.Id.ToString(), refused.Message, StringComparison.Ordinal);
        Assert.Null(await relationships.FindAsync(tenant, job.Id, default));
        await service.UnmergeAsync(tenant, record.Id);
        await relationships.CommitAsync(job, 0, default);
        Assert.Equal(merged.Id, (await relationships.FindAsync(tenant, job.Id, default))?.To);
    }
}

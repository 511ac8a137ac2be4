using CrmKernel.Consent;
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
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using CrmKernel.Testing;
using CrmKernel.Touchpoints;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace CrmKernel.Tests.Identity;

/// <summary>Two generated customers of one tenant and kind with disjoint identifiers, and touchpoint days for each.</summary>
public sealed record MergePair(Customer Survivor, Customer Merged, int[] SurvivorDays, int[] MergedDays, int[] LaterSurvivorDays, int[] LaterMergedDays)
{
    public override string ToString() => $"{Survivor.Profile.Kind}: {Survivor.ContactPoints.Count}+{Merged.ContactPoints.Count} points, {Survivor.Consent.Count}+{Merged.Consent.Count} consents, touchpoints {SurvivorDays.Length}/{MergedDays.Length}/{LaterSurvivorDays.Length}/{LaterMergedDays.Length}";
}

/// <summary>One step of the model-based test.</summary>
public sealed record MergeStep(int Kind, int First, int Second)
{
    public override string ToString() => Kind switch { 0 => $"merge {Second} into {First}", 1 => $"unmerge #{First}", 2 => $"touchpoint for {First}", _ => Second % 2 == 0 ? $"ingest for {First}" : $"ingest for {First} and {Second}" };
}

public static class MergeArbitraries
{
    internal static readonly TenantId Tenant = new("merge-props");

    private static readonly Gen<int[]> Days = Gen.Choose(0, 400).ArrayOf().Select(static d => d.Take(4).ToArray());

    public static Arbitrary<MergePair> Pairs() =>
        (from a in CrmGenerators.CustomerOf(Tenant)
         from b in CrmGenerators.CustomerOf(Tenant)
         from d1 in Days
         from d2 in Days
         from d3 in Days
         from d4 in Days
         select new MergePair(a, b, d1, d2, d3, d4))
        .Where(static p => p.Survivor.Profile.Kind == p.Merged.Profile.Kind && !p.Survivor.ExternalIdentifiers.Intersect(p.Merged.ExternalIdentifiers).Any())
        .ToArbitrary();

    public static Arbitrary<MergeStep[]> Steps() =>
        (from kind in Gen.Frequency((4, Gen.Constant(0)), (2, Gen.Constant(1)), (2, Gen.Constant(2)), (3, Gen.Constant(3)))
         from first in Gen.Choose(0, 3)
         from second in Gen.Choose(0, 3)
         select new MergeStep(kind, first, second)).ArrayOf().Select(static s => s.Take(25).ToArray()).ToArbitrary();
}

/// <summary>
/// The laws of merging: merge then unmerge restores both customers and every touchpoint's owner; merged consent is never
/// more permissive than either input; and a model of merges, unmerges and recorded touchpoints agrees with the store.
/// </summary>
public sealed class CustomerMergeProperties
{
    private static Touchpoint Purchase(CustomerId customer, int day, Instant recordedAt) => Touchpoint.Create(MergeArbitraries.Tenant, TouchpointId.New(), recordedAt, new NewTouchpoint
    {
        CustomerId = customer,
        Channel = new ChannelId("web"),
        Direction = InteractionDirection.Inbound,
        Function = CrmFunction.Sales,
        Kind = TouchpointKind.Purchase,
        OccurredAt = Instant.FromUtc(2026, 1, 1, 0, 0) + Duration.FromDays(day),
        Source = new ExternalIdentifier("prop", TouchpointId.New().ToString()),
    });

    private static (InMemoryCustomerMergeStore Store, InMemoryTouchpointStore Touchpoints, CustomerRepository Repository, InMemoryRelationshipStore Relationships, TouchpointIngestion Ingestion) Stores(IClock clock)
    {
        var outbox = new InMemoryCrmOutbox();
        var customers = new InMemoryCustomerStore(outbox);
        var touchpoints = new InMemoryTouchpointStore();
        var relationships = new InMemoryRelationshipStore();
        var merges = new InMemoryCustomerMergeStore(customers, touchpoints, relationships);
        var ingestion = new TouchpointIngestion(touchpoints, clock, DefaultLifecycleModel.Create(), customers, new InMemoryCustomerTouchpointStore(customers, touchpoints), null, outbox, null, merges);
        return (merges, touchpoints, new CustomerRepository(customers, clock, null, outbox), relationships, ingestion);
    }

    private static NewTouchpoint Details(CustomerId customer, int day, string key) => new()
    {
        CustomerId = customer,
        Channel = new ChannelId("web"),
        Direction = InteractionDirection.Inbound,
        Function = CrmFunction.Sales,
        Kind = TouchpointKind.Purchase,
        OccurredAt = Instant.FromUtc(2026, 1, 1, 0, 0) + Duration.FromDays(day),
        Source = new ExternalIdentifier("pipeline", key),
    };

    private static void AssertSameExceptVersion(CustomerSnapshot expected, CustomerSnapshot? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Profile, actual.Profile);
        Assert.Equal(expected.ContactPoints, actual.ContactPoints);
        Assert.Equal(expected.ExternalIdentifiers, actual.ExternalIdentifiers);
        Assert.Equal(expected.Tags.Order(), actual.Tags.Order());
        Assert.Equal(expected.CustomAttributes.OrderBy(a => a.Key, StringComparer.Ordinal), actual.CustomAttributes.OrderBy(a => a.Key, StringComparer.Ordinal));
        Assert.Equal(expected.HomeTimeZoneId, actual.HomeTimeZoneId);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.UpdatedAt, actual.UpdatedAt);
        Assert.Equal(expected.LifecycleStage, actual.LifecycleStage);
        Assert.Equal(expected.LifecycleHistory, actual.LifecycleHistory);
        Assert.Equal(expected.Consents, actual.Consents);
    }

    private static Instant After(params Customer[] customers)
        => customers.Max(c => Instant.Max(c.UpdatedAt, c.Consent.Entries.Select(e => e.ValidFrom).DefaultIfEmpty(c.UpdatedAt).Max())) + Duration.FromDays(1);

    [Property(Arbitrary = new[] { typeof(MergeArbitraries) }, MaxTest = 150)]
    public void MergeThenUnmerge_RestoresBothCustomersAndEveryTouchpointsOwner(MergePair pair)
    {
        var clock = new FakeClock(After(pair.Survivor, pair.Merged), Duration.FromSeconds(1));
        var (store, touchpoints, repository, relationships, _) = Stores(clock);
        var tenant = MergeArbitraries.Tenant;
        repository.SaveAsync(pair.Survivor).AsTask().GetAwaiter().GetResult();
        repository.SaveAsync(pair.Merged).AsTask().GetAwaiter().GetResult();
        var survivorBefore = store.FindAsync(tenant, pair.Survivor.Id, default).AsTask().Result!;
        var mergedBefore = store.FindAsync(tenant, pair.Merged.Id, default).AsTask().Result!;
        var owners = new Dictionary<TouchpointId, CustomerId>();
        void Record(CustomerId addressed, int[] days, CustomerId owner)
        {
            var batch = days.Select(d => Purchase(addressed, d, clock.GetCurrentInstant())).ToArray();
            if (batch.Length > 0)
            {
                Assert.Equal(batch.Length, store.AppendTouchpointsAsync(tenant, batch, default).AsTask().Result.Appended);
            }

            foreach (var t in batch)
            {
                owners[t.Id] = owner;
            }
        }

        Record(pair.Survivor.Id, pair.SurvivorDays, pair.Survivor.Id);
        Record(pair.Merged.Id, pair.MergedDays, pair.Merged.Id);
        var third = CustomerId.New();
        var links = new[]
        {
            Relationship.Create(tenant, RelationshipId.New(), RelationshipType.Household, pair.Survivor.Id, third, false, clock.GetCurrentInstant(), null, 1),
            Relationship.Create(tenant, RelationshipId.New(), RelationshipType.Employment, third, pair.Merged.Id, true, clock.GetCurrentInstant(), null, 1),
            Relationship.Create(tenant, RelationshipId.New(), RelationshipType.Referral, pair.Merged.Id, pair.Survivor.Id, false, clock.GetCurrentInstant(), null, 1),
        };
        foreach (var link in links.Take(pair.MergedDays.Length % 4))
        {
            relationships.CommitAsync(link, 0, default).AsTask().GetAwaiter().GetResult();
        }

        var stored = links.Take(pair.MergedDays.Length % 4).ToArray();
        var service = new CustomerMergeService(store, clock);
        var record = service.MergeAsync(tenant, pair.Survivor.Id, pair.Merged.Id).AsTask().Result;
        Assert.Null(store.FindAsync(tenant, pair.Merged.Id, default).AsTask().Result);
        Record(pair.Survivor.Id, pair.LaterSurvivorDays, pair.Survivor.Id);
        Record(pair.Merged.Id, pair.LaterMergedDays, pair.Merged.Id);
        Assert.All(owners.Keys, id => Assert.Equal(pair.Survivor.Id, touchpoints.FindAsync(tenant, id, default).AsTask().Result!.CustomerId));
        Assert.Equal(stored.Length, relationships.ListByPartyAsync(tenant, pair.Survivor.Id, default).AsTask().Result.Count);
        Assert.Equal(stored.Count(r => r.Involves(pair.Survivor.Id) && r.Involves(pair.Merged.Id)), relationships.ListByPartyAsync(tenant, pair.Merged.Id, default).AsTask().Result.Count);

        service.UnmergeAsync(tenant, record.Id).AsTask().GetAwaiter().GetResult();

        AssertSameExceptVersion(survivorBefore, store.FindAsync(tenant, pair.Survivor.Id, default).AsTask().Result);
        AssertSameExceptVersion(mergedBefore, store.FindAsync(tenant, pair.Merged.Id, default).AsTask().Result);
        Assert.All(owners, o => Assert.Equal(o.Value, touchpoints.FindAsync(tenant, o.Key, default).AsTask().Result!.CustomerId));
        Assert.All(stored, r =>
        {
            var now = relationships.FindAsync(tenant, r.Id, default).AsTask().Result!;
            Assert.Equal((r.From, r.To), (now.From, now.To));
        });
    }

    [Property(Arbitrary = new[] { typeof(MergeArbitraries) }, MaxTest = 300)]
    public void MergedConsent_IsNeverMorePermissiveThanEitherInput(MergePair pair)
    {
        var at = After(pair.Survivor, pair.Merged) - Duration.FromDays(1) + Duration.FromHours(pair.SurvivorDays.Length * 1000);
        var clock = new FakeClock(at);
        var a = pair.Survivor.ToSnapshot(1);
        var b = pair.Merged.ToSnapshot(1);
        var merged = CustomerMerger.Merge(a, b, SurvivorshipPolicy.Default, CustomerMergeId.New(), at);
        var (ca, cb, cm) = (Customer.Rehydrate(a, clock), Customer.Rehydrate(b, clock), Customer.Rehydrate(merged, clock));
        var purposes = a.Consents.Concat(b.Consents).Select(e => e.Purpose).Append(ConsentPurpose.Marketing).Distinct();
        var channels = new[] { "email", "sms", "web", "post" }.Select(c => new ChannelId(c));
        var points = merged.ContactPoints.Select(p => p.Value).Append(EmailAddress.Parse("nobody@else.example"));
        foreach (var purpose in purposes)
        {
            foreach (var channel in channels)
            {
                foreach (var point in points)
                {
                    var least = Math.Min(CustomerMerger.Rank(ca.MayContact(purpose, channel, point, at).Answer), CustomerMerger.Rank(cb.MayContact(purpose, channel, point, at).Answer));
                    Assert.True(CustomerMerger.Rank(cm.MayContact(purpose, channel, point, at).Answer) <= least, $"{purpose} {channel} {point}");
                }
            }
        }

        // Both histories are kept.
        var kept = merged.Consents.Take(a.Consents.Count + b.Consents.Count).ToList();
        Assert.Equal(a.Consents.Count + b.Consents.Count, kept.Count(e => a.Consents.Contains(e) || b.Consents.Contains(e)));
        Assert.Equal(kept.OrderBy(e => e.CapturedAt), kept);
    }

    [Property(Arbitrary = new[] { typeof(MergeArbitraries) }, MaxTest = 100)]
    public void MergeUnmergeAndRecord_AgreeWithAModel(MergeStep[] steps)
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 3, 1, 0, 0), Duration.FromSeconds(1));
        var (store, touchpoints, repository, _, ingestion) = Stores(clock);
        var tenant = MergeArbitraries.Tenant;
        var ids = new CustomerId[4];
        for (var i = 0; i < ids.Length; i++)
        {
            var customer = Customer.Register(tenant, new PersonProfile("Model", $"Customer{i}"), clock);
            customer.AddExternalIdentifier(new ExternalIdentifier("model", $"c{i}"));
            repository.SaveAsync(customer).AsTask().GetAwaiter().GetResult();
            ids[i] = customer.Id;
        }

        var service = new CustomerMergeService(store, clock);

        // The model: which customer each one is merged into (while active), the merges in order, each touchpoint's home.
        var mergedInto = new Dictionary<int, int>();
        var merges = new List<(CustomerMergeId Id, int Survivor, int Merged, bool Active)>();
        var homes = new Dictionary<TouchpointId, int>();
        int Resolve(int i) => mergedInto.TryGetValue(i, out var s) ? Resolve(s) : i;

        foreach (var step in steps)
        {
            switch (step.Kind)
            {
                case 0:
                {
                    var (s, m) = (step.First, step.Second);
                    var again = mergedInto.TryGetValue(m, out var into) && into == s;
                    var code = again ? null
                        : s == m ? CrmErrorCodes.MergeWithItself
                        : mergedInto.ContainsKey(m) ? CrmErrorCodes.CustomerMergedAway
                        : mergedInto.ContainsKey(s) ? CrmErrorCodes.CustomerMergedAway
                        : null;
                    if (code is not null)
                    {
                        var e = Assert.ThrowsAny<CrmException>(() => service.MergeAsync(tenant, ids[s], ids[m]).AsTask().GetAwaiter().GetResult());
                        Assert.Equal(code, e.ErrorCode);
                        break;
                    }

                    var record = service.MergeAsync(tenant, ids[s], ids[m]).AsTask().GetAwaiter().GetResult();
                    if (again)
                    {
                        Assert.Equal(merges.Last(x => x.Merged == m && x.Active).Id, record.Id);
                    }
                    else
                    {
                        mergedInto[m] = s;
                        merges.Add((record.Id, s, m, true));
                    }

                    break;
                }

                case 1:
                {
                    if (merges.Count == 0)
                    {
                        break;
                    }

                    var k = step.First % merges.Count;
                    var (id, s, m, active) = merges[k];
                    if (active && mergedInto.ContainsKey(s))
                    {
                        var e = Assert.Throws<CustomerMergeException>(() => service.UnmergeAsync(tenant, id).AsTask().GetAwaiter().GetResult());
                        Assert.Equal(CrmErrorCodes.UnmergeSurvivorMergedAway, e.ErrorCode);
                        break;
                    }

                    var undone = service.UnmergeAsync(tenant, id).AsTask().GetAwaiter().GetResult();
                    Assert.False(undone.IsActive);
                    if (active)
                    {
                        mergedInto.Remove(m);
                        merges[k] = (id, s, m, false);
                    }

                    break;
                }

                case 2:
                {
                    var touchpoint = Purchase(ids[step.First], step.Second, clock.GetCurrentInstant());
                    Assert.Equal(1, store.AppendTouchpointsAsync(tenant, [touchpoint], default).AsTask().Result.Appended);
                    homes[touchpoint.Id] = step.First;
                    break;
                }

                default:
                {
                    // Through the pipeline: one contact (delivered twice), or a batch of two for two customers.
                    var addressed = step.Second % 2 == 0 ? new[] { step.First } : new[] { step.First, step.Second };
                    var keys = addressed.Select(_ => TouchpointId.New().ToString()).ToArray();
                    var batch = addressed.Select((c, i) => Details(ids[c], step.Second + i, keys[i])).ToArray();
                    var result = addressed.Length == 1
                        ? ingestion.RecordAsync(tenant, batch[0]).AsTask().Result
                        : ingestion.RecordManyAsync(tenant, batch).AsTask().Result;
                    Assert.Equal(addressed.Length, result.Recorded);
                    Assert.Equal(addressed.Select((c, i) => (i, Resolve(c))).Where(x => x.Item2 != addressed[x.i]).Select(x => (x.i, ids[addressed[x.i]], ids[x.Item2])), result.Redirected.Select(r => (r.Index, r.AddressedTo, r.StoredWith)));
                    for (var i = 0; i < addressed.Length; i++)
                    {
                        var stored = touchpoints.FindBySourceAsync(tenant, batch[i].Source, default).AsTask().Result!;
                        homes[stored.Id] = addressed[i];
                    }

                    Assert.True(ingestion.RecordAsync(tenant, batch[0]).AsTask().Result.AlreadyRecorded);
                    break;
                }
            }

            for (var i = 0; i < ids.Length; i++)
            {
                var found = store.FindAsync(tenant, ids[i], default).AsTask().Result;
                Assert.Equal(mergedInto.ContainsKey(i), found is null);
                Assert.Equal(ids[Resolve(i)], service.ResolveAsync(tenant, ids[i]).AsTask().Result);
                Assert.Equal(ids[Resolve(i)], store.FindByExternalIdentifierAsync(tenant, new ExternalIdentifier("model", $"c{i}"), default).AsTask().Result?.Id);
            }

            Assert.All(homes, h => Assert.Equal(ids[Resolve(h.Value)], touchpoints.FindAsync(tenant, h.Key, default).AsTask().Result!.CustomerId));
        }
    }
}

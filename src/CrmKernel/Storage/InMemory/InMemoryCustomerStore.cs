using System.Collections.ObjectModel;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

namespace CrmKernel.Storage.InMemory;

/// <summary>
/// The reference customer store: keeps customers in memory, thread-safe, with O(1) lookups by id, external
/// identifier and contact point and O(log n) keyset paging. Use it in tests, prototypes and samples, and read
/// it to learn what an adapter must do; register it with <c>builder.UseInMemoryStores()</c>. Data lives as
/// long as the instance.
/// </summary>
/// <remarks>Each tenant's data sits behind its own lock, so tenants never contend with each other.</remarks>
public sealed partial class InMemoryCustomerStore : ICustomerBulkStore
{
    private readonly TenantPartitions<TenantCustomers> _tenants = new();
    private readonly InMemoryCrmOutbox _outbox;

    /// <summary>Creates a store that records committed events in <paramref name="outbox"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="outbox"/> is null.</exception>
    public InMemoryCustomerStore(InMemoryCrmOutbox outbox) => _outbox = Preconditions.NotNull(outbox);

    /// <inheritdoc />
    public ValueTask<CustomerSnapshot?> FindAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(customerId);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_tenants.Read(tenantId, customerId, static (t, id) => t.ById.GetValueOrDefault(id), null));
    }

    /// <inheritdoc />
    public ValueTask<CustomerSnapshot?> FindByExternalIdentifierAsync(TenantId tenantId, ExternalIdentifier identifier, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(identifier);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_tenants.Read(tenantId, identifier, static (t, key) => t.ByIdentifier.TryGetValue(key, out var id) ? t.ById[id] : null, null));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CustomerSnapshot>> ListByContactPointAsync(TenantId tenantId, ContactPoint contactPoint, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(contactPoint);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_tenants.Read(tenantId, contactPoint, static IReadOnlyList<CustomerSnapshot> (t, point) =>
        {
            if (!t.ByContactPoint.TryGetValue(point, out var ids))
            {
                return [];
            }

            var found = new CustomerSnapshot[ids.Count];
            for (var i = 0; i < found.Length; i++)
            {
                found[i] = t.ById[ids[i]];
            }

            Array.Sort(found, static (a, b) => a.Id.CompareTo(b.Id));
            return found;
        }, []));
    }

    /// <inheritdoc />
    public ValueTask<long> CountAsync(TenantId tenantId, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_tenants.Read(tenantId, 0, static (t, _) => (long)t.ById.Count, 0L));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CustomerSnapshot>> PageAsync(TenantId tenantId, CustomerId? after, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_tenants.Read(tenantId, (after, limit), static IReadOnlyList<CustomerSnapshot> (t, request) =>
        {
            var (after, limit) = request;
            var page = new List<CustomerSnapshot>(Math.Min(limit, t.ById.Count));
            foreach (var id in t.Order.Page(after, limit))
            {
                page.Add(t.ById[id]);
            }

            return page;
        }, []));
    }

    /// <inheritdoc />
    public ValueTask CommitAsync(CustomerCommit commit, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(commit);
        cancellationToken.ThrowIfCancellationRequested();
        var state = Freeze(commit.Customer);
        return _tenants.Write(state.TenantId, (commit, state, _outbox), static (t, write) =>
        {
            var (commit, state, outbox) = write;
            EnsureNotMergedAway(t, state);
            var existing = t.ById.GetValueOrDefault(state.Id);
            if (existing?.Version != (commit.IsInsert ? null : commit.ExpectedVersion))
            {
                throw new ConcurrencyConflictException(CustomerEventJson.AggregateType, state.Id.ToString(), commit.ExpectedVersion, existing?.Version);
            }

            EnsureIdentifiersFree(t, state);
            t.Store(existing, state);
            outbox.Append(state.TenantId, commit.Events);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>
    /// Commits <paramref name="commit"/> inside this tenant's lock, through <paramref name="inner"/>, which receives the
    /// check (throws on a stale version or a taken identifier) and the store action, and decides whether to run them.
    /// </summary>
    internal TResult CommitWith<TResult>(CustomerCommit commit, Func<Action, Action, TResult> inner)
    {
        var state = Freeze(commit.Customer);
        return _tenants.Write(state.TenantId, (commit, state, _outbox, inner), static (t, write) =>
        {
            var (commit, state, outbox, inner) = write;
            var existing = t.ById.GetValueOrDefault(state.Id);
            return inner(
                () =>
                {
                    EnsureNotMergedAway(t, state);
                    if (existing?.Version != (commit.IsInsert ? null : commit.ExpectedVersion))
                    {
                        throw new ConcurrencyConflictException(CustomerEventJson.AggregateType, state.Id.ToString(), commit.ExpectedVersion, existing?.Version);
                    }

                    EnsureIdentifiersFree(t, state);
                },
                () =>
                {
                    t.Store(existing, state);
                    outbox.Append(state.TenantId, commit.Events);
                });
        });
    }

    /// <inheritdoc />
    public ValueTask<BulkImportResult> ImportAsync(TenantId tenantId, IReadOnlyList<CustomerCommit> batch, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(batch);
        StoreArguments.CheckBatch(batch.Count, StoreLimits.MaxImportBatch, nameof(batch));
        foreach (var commit in batch)
        {
            Preconditions.Check(commit is not null && commit.IsInsert && commit.Customer.TenantId == tenantId, "Every commit must insert a customer of the tenant.", nameof(batch));
        }

        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_tenants.Write(tenantId, (batch, _outbox, tenantId), static (t, import) =>
        {
            var (batch, outbox, tenantId) = import;
            var inserted = 0;
            var present = new List<int>();
            var rejected = new List<BulkImportRejection>();
            for (var i = 0; i < batch.Count; i++)
            {
                var state = Freeze(batch[i].Customer);
                if (t.ById.ContainsKey(state.Id) || t.MergedAway.ContainsKey(state.Id))
                {
                    present.Add(i);
                    continue;
                }

                try
                {
                    EnsureIdentifiersFree(t, state);
                }
                catch (ExternalIdentifierConflictException e)
                {
                    rejected.Add(new BulkImportRejection(i, state.Id, e.ErrorCode));
                    continue;
                }

                t.Store(null, state);
                outbox.Append(tenantId, batch[i].Events);
                inserted++;
            }

            return new BulkImportResult(inserted, present, rejected);
        }));
    }

    /// <summary>
    /// Under the tenant's lock: returns <paramref name="earlier"/>'s result when it has one (an earlier erasure);
    /// otherwise checks the customer and its version, runs <paramref name="inner"/> (the other stores' part), then stores
    /// the shell and appends its event. When anything throws, the customer is unchanged.
    /// </summary>
    internal TResult EraseWith<TResult>(CustomerErasure erasure, Func<TResult?> earlier, Func<int, TResult> inner)
        where TResult : class
    {
        var state = Freeze(erasure.Shell);
        return _tenants.Write(erasure.TenantId, 0, (t, _) =>
        {
            if (earlier() is { } found)
            {
                return found;
            }

            var existing = t.ById.GetValueOrDefault(state.Id) ?? throw new CustomerNotFoundException(erasure.TenantId, erasure.CustomerId);
            if (existing.Version != erasure.Commit.ExpectedVersion)
            {
                throw new ConcurrencyConflictException(CustomerEventJson.AggregateType, state.Id.ToString(), erasure.Commit.ExpectedVersion, existing.Version);
            }

            // Every merge record naming the customer (either side) is redacted with the erasure; one redacted before stays as it is.
            var merges = t.MergesByCustomer.TryGetValue(state.Id, out var ids)
                ? ids.Select(id => t.Merges[id]).Where(static m => !m.IsRedacted).Select(m => m.Redacted(erasure.At)).ToArray()
                : [];
            var result = inner(merges.Length);
            foreach (var merge in merges)
            {
                t.Merges[merge.Id] = merge;
            }

            t.Store(existing, state);
            _outbox.Append(state.TenantId, erasure.Commit.Events);
            return result;
        });
    }

    private static void EnsureIdentifiersFree(TenantCustomers tenant, CustomerSnapshot state)
    {
        foreach (var identifier in state.ExternalIdentifiers)
        {
            if (tenant.ByIdentifier.TryGetValue(identifier, out var holder) && holder != state.Id)
            {
                throw new ExternalIdentifierConflictException(state.Id, holder, identifier);
            }
        }
    }

    /// <summary>Copies the snapshot's collections so later changes by the caller cannot reach stored data (a database copies too).</summary>
    private static CustomerSnapshot Freeze(CustomerSnapshot s) => new()
    {
        Id = Preconditions.NotDefault(s.Id),
        TenantId = Preconditions.NotDefault(s.TenantId),
        Profile = s.Profile,
        ContactPoints = s.ContactPoints.Count == 0 ? [] : s.ContactPoints.ToArray().AsReadOnly(),
        ExternalIdentifiers = s.ExternalIdentifiers.Count == 0 ? [] : s.ExternalIdentifiers.ToArray().AsReadOnly(),
        Tags = s.Tags.Count == 0 ? [] : s.Tags.ToArray().AsReadOnly(),
        CustomAttributes = s.CustomAttributes.Count == 0 ? ReadOnlyDictionary<string, CustomAttributeValue>.Empty : new Dictionary<string, CustomAttributeValue>(s.CustomAttributes, StringComparer.Ordinal).AsReadOnly(),
        HomeTimeZoneId = s.HomeTimeZoneId,
        CreatedAt = s.CreatedAt,
        UpdatedAt = s.UpdatedAt,
        Version = s.Version,
        LifecycleStage = s.LifecycleStage,
        LifecycleHistory = s.LifecycleHistory.Count == 0 ? [] : s.LifecycleHistory.ToArray().AsReadOnly(),
        LifecycleFacts = s.LifecycleFacts,
        Consents = s.Consents.Count == 0 ? [] : s.Consents.ToArray().AsReadOnly(),
    };

    private sealed class TenantCustomers : ITenantPartition
    {
        public readonly Dictionary<CustomerId, CustomerMergeId> MergedAway = [];
        public readonly Dictionary<CustomerMergeId, Identity.CustomerMergeRecord> Merges = [];
        public readonly Dictionary<CustomerId, List<CustomerMergeId>> MergesByCustomer = [];
        public readonly Dictionary<CustomerMergeId, List<TouchpointId>> Redirected = [];

        public Lock Gate { get; } = new();
        public readonly Dictionary<CustomerId, CustomerSnapshot> ById = [];
        public readonly Dictionary<ExternalIdentifier, CustomerId> ByIdentifier = [];
        public readonly Dictionary<ContactPoint, List<CustomerId>> ByContactPoint = [];
        public readonly OrderedIdSet<CustomerId> Order = [];

        /// <summary>Each scanned customer's compact row, built on its first scan and dropped when the customer is stored again.</summary>
        public readonly Dictionary<CustomerId, CustomerScanRow> ScanRows = [];

        /// <summary>
        /// Every customer's scan row in id order, built when a scan starts from the beginning and dropped (never changed)
        /// when any customer is stored or removed, so the pages handed out from it stay what they were. Null when stale.
        /// </summary>
        public CustomerScanRow[]? ScanSnapshot;

        /// <summary>Replaces <paramref name="previous"/> (or nothing) by <paramref name="state"/>, keeping every index in step. Caller holds the lock.</summary>
        public void Store(CustomerSnapshot? previous, CustomerSnapshot state)
        {
            if (previous is not null)
            {
                foreach (var identifier in previous.ExternalIdentifiers)
                {
                    ByIdentifier.Remove(identifier);
                }

                foreach (var point in previous.ContactPoints)
                {
                    var holders = ByContactPoint[point.Value];
                    holders.Remove(state.Id);
                    if (holders.Count == 0)
                    {
                        ByContactPoint.Remove(point.Value);
                    }
                }
            }
            else
            {
                Order.Add(state.Id);
            }

            foreach (var identifier in state.ExternalIdentifiers)
            {
                ByIdentifier[identifier] = state.Id;
            }

            foreach (var point in state.ContactPoints)
            {
                if (!ByContactPoint.TryGetValue(point.Value, out var holders))
                {
                    ByContactPoint[point.Value] = holders = new List<CustomerId>(1);
                }

                holders.Add(state.Id);
            }

            ById[state.Id] = state;
            ScanRows.Remove(state.Id);
            ScanSnapshot = null;
        }

        /// <summary>Removes a stored customer and its index entries (a merge does, for the merged customer). Caller holds the lock.</summary>
        public void Remove(CustomerSnapshot previous)
        {
            foreach (var identifier in previous.ExternalIdentifiers)
            {
                ByIdentifier.Remove(identifier);
            }

            foreach (var point in previous.ContactPoints)
            {
                var holders = ByContactPoint[point.Value];
                holders.Remove(previous.Id);
                if (holders.Count == 0)
                {
                    ByContactPoint.Remove(point.Value);
                }
            }

            Order.Remove(previous.Id);
            ById.Remove(previous.Id);
            ScanRows.Remove(previous.Id);
            ScanSnapshot = null;
        }
    }
}

using CrmKernel.Cases;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

namespace CrmKernel.Storage.InMemory;

/// <summary>
/// The reference store for service cases: thread-safe, keeping each case as the kernel's document (so every read
/// rebuilds and re-checks it, as a database adapter's does), indexed by id, by customer and by status, and committed
/// events appended to an <see cref="InMemoryCrmOutbox"/> under the same lock. Registered with
/// <c>builder.UseInMemoryStores()</c>; data lives as long as the instance.
/// </summary>
public sealed class InMemoryCaseStore : ICaseStore
{
    private readonly TenantPartitions<TenantCases> _tenants = new();
    private readonly InMemoryCrmOutbox _outbox;

    /// <summary>Creates a store that records committed events in <paramref name="outbox"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="outbox"/> is null.</exception>
    public InMemoryCaseStore(InMemoryCrmOutbox outbox) => _outbox = Preconditions.NotNull(outbox);

    /// <inheritdoc />
    public ValueTask<ServiceCase?> FindAsync(TenantId tenantId, CaseId caseId, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(caseId);
        cancellationToken.ThrowIfCancellationRequested();
        var stored = _tenants.Read(tenantId, caseId, static (t, id) => t.Cases.GetValueOrDefault(id), default);
        return ValueTask.FromResult(stored.Document is null ? null : CaseJson.ReadCase(tenantId, caseId.ToString(), stored.Document));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ServiceCase>> PageAsync(TenantId tenantId, CaseId? after, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        var documents = _tenants.Read(tenantId, (after, limit), static (t, request) => Page(t.Order, t.Cases, request.after, request.limit), []);
        return ValueTask.FromResult(Rebuild(tenantId, documents));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ServiceCase>> PageByCustomerAsync(TenantId tenantId, CustomerId customerId, CaseId? after, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(customerId);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        var documents = _tenants.Read(
            tenantId,
            (customerId, after, limit),
            static (t, request) => t.ByCustomer.TryGetValue(request.customerId, out var ids) ? Page(ids, t.Cases, request.after, request.limit) : [],
            []);
        return ValueTask.FromResult(Rebuild(tenantId, documents));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ServiceCase>> PageByStatusAsync(TenantId tenantId, CaseStatus status, CaseId? after, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.Defined(status);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        var documents = _tenants.Read(
            tenantId,
            (status, after, limit),
            static (t, request) => t.ByStatus.TryGetValue(request.status, out var ids) ? Page(ids, t.Cases, request.after, request.limit) : [],
            []);
        return ValueTask.FromResult(Rebuild(tenantId, documents));
    }

    /// <inheritdoc />
    public ValueTask CommitAsync(CaseCommit commit, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(commit);
        cancellationToken.ThrowIfCancellationRequested();
        return _tenants.Write(commit.TenantId, (commit, _outbox), static (t, write) =>
        {
            var (commit, outbox) = write;
            foreach (var w in commit.Writes)
            {
                var stored = t.Cases.GetValueOrDefault(w.CaseId);
                var storedVersion = stored.Document is null ? 0 : stored.Version;
                if (storedVersion != w.ExpectedVersion)
                {
                    throw new ConcurrencyConflictException(CaseJson.CaseAggregate, w.CaseId.ToString(), w.ExpectedVersion, stored.Document is null ? null : stored.Version);
                }
            }

            foreach (var w in commit.Writes)
            {
                var stored = t.Cases.GetValueOrDefault(w.CaseId);
                if (stored.Document is not null)
                {
                    t.ByStatus[stored.Status].Remove(w.CaseId);
                }
                else
                {
                    t.Order.Add(w.CaseId);
                    Index(t.ByCustomer, w.CustomerId, w.CaseId);
                }

                Index(t.ByStatus, w.Status, w.CaseId);
                t.Cases[w.CaseId] = (w.NewVersion, w.Status, w.Document);
            }

            outbox.Append(commit.TenantId, commit.Events);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>
    /// Under the tenant's lock: rewrites every case of <paramref name="customerId"/> with the erased form, after
    /// <paramref name="inner"/> succeeded; when it or a rewrite throws, no case changes.
    /// </summary>
    internal TResult EraseCustomer<TResult>(TenantId tenantId, CustomerId customerId, Func<int, TResult> inner)
        => _tenants.Write(tenantId, 0, (t, _) =>
        {
            var ids = t.ByCustomer.TryGetValue(customerId, out var owned) ? owned.ToArray() : [];
            var erased = new (long Version, CaseStatus Status, string Document)[ids.Length];
            for (var i = 0; i < ids.Length; i++)
            {
                var stored = t.Cases[ids[i]];
                var document = ErasureDocuments.EraseCase(tenantId, ids[i], stored.Document);
                erased[i] = (document.Version, stored.Status, document.Document);
            }

            var result = inner(ids.Length);
            for (var i = 0; i < ids.Length; i++)
            {
                t.Cases[ids[i]] = erased[i];
            }

            return result;
        });

    private static void Index<TKey>(Dictionary<TKey, OrderedIdSet<CaseId>> index, TKey key, CaseId id)
        where TKey : notnull
    {
        if (!index.TryGetValue(key, out var ids))
        {
            index[key] = ids = [];
        }

        ids.Add(id);
    }

    private static (string Key, string Document)[] Page(OrderedIdSet<CaseId> ids, Dictionary<CaseId, (long Version, CaseStatus Status, string Document)> documents, CaseId? after, int limit)
    {
        var page = new List<(string, string)>(Math.Min(limit, ids.Count));
        foreach (var id in ids.Page(after, limit))
        {
            page.Add((id.ToString(), documents[id].Document));
        }

        return [.. page];
    }

    private static IReadOnlyList<ServiceCase> Rebuild(TenantId tenantId, (string Key, string Document)[] documents)
    {
        var rebuilt = new ServiceCase[documents.Length];
        for (var i = 0; i < rebuilt.Length; i++)
        {
            rebuilt[i] = CaseJson.ReadCase(tenantId, documents[i].Key, documents[i].Document);
        }

        return rebuilt;
    }

    private sealed class TenantCases : ITenantPartition
    {
        public Lock Gate { get; } = new();
        public readonly Dictionary<CaseId, (long Version, CaseStatus Status, string Document)> Cases = [];
        public readonly OrderedIdSet<CaseId> Order = [];
        public readonly Dictionary<CustomerId, OrderedIdSet<CaseId>> ByCustomer = [];
        public readonly Dictionary<CaseStatus, OrderedIdSet<CaseId>> ByStatus = [];
    }
}

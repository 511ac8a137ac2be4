using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Sales;

namespace CrmKernel.Storage.InMemory;

/// <summary>
/// The reference store for sales pipelines and opportunities: thread-safe, keeping each one as the kernel's document
/// (so every read rebuilds and re-checks it, as a database adapter's does), deals indexed by id and by customer, and
/// committed events appended to an <see cref="InMemoryCrmOutbox"/> under the same lock. Registered with
/// <c>builder.UseInMemoryStores()</c>; data lives as long as the instance.
/// </summary>
public sealed class InMemorySalesStore : IOpportunityStore, ISalesPipelineStore
{
    private readonly TenantPartitions<TenantSales> _tenants = new();
    private readonly InMemoryCrmOutbox _outbox;

    /// <summary>Creates a store that records committed events in <paramref name="outbox"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="outbox"/> is null.</exception>
    public InMemorySalesStore(InMemoryCrmOutbox outbox) => _outbox = Preconditions.NotNull(outbox);

    /// <inheritdoc />
    public ValueTask<Opportunity?> FindAsync(TenantId tenantId, OpportunityId opportunityId, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(opportunityId);
        cancellationToken.ThrowIfCancellationRequested();
        var stored = _tenants.Read(tenantId, opportunityId, static (t, id) => t.Opportunities.GetValueOrDefault(id), default);
        return ValueTask.FromResult(stored.Document is null ? null : SalesJson.ReadOpportunity(tenantId, opportunityId.ToString(), stored.Document));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Opportunity>> PageAsync(TenantId tenantId, OpportunityId? after, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        var documents = _tenants.Read(tenantId, (after, limit), static (t, request) => Page(t.Order, t.Opportunities, request.after, request.limit), []);
        return ValueTask.FromResult(Rebuild(tenantId, documents));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Opportunity>> PageByCustomerAsync(TenantId tenantId, CustomerId customerId, OpportunityId? after, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(customerId);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        var documents = _tenants.Read(
            tenantId,
            (customerId, after, limit),
            static (t, request) => t.ByCustomer.TryGetValue(request.customerId, out var ids) ? Page(ids, t.Opportunities, request.after, request.limit) : [],
            []);
        return ValueTask.FromResult(Rebuild(tenantId, documents));
    }

    /// <inheritdoc />
    public ValueTask CommitAsync(OpportunityCommit commit, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(commit);
        cancellationToken.ThrowIfCancellationRequested();
        return _tenants.Write(commit.TenantId, (commit, _outbox), static (t, write) =>
        {
            var (commit, outbox) = write;
            var stored = t.Opportunities.GetValueOrDefault(commit.OpportunityId);
            var storedVersion = stored.Document is null ? 0 : stored.Version;
            if (storedVersion != commit.ExpectedVersion)
            {
                throw new ConcurrencyConflictException(SalesJson.OpportunityAggregate, commit.OpportunityId.ToString(), commit.ExpectedVersion, stored.Document is null ? null : stored.Version);
            }

            t.Opportunities[commit.OpportunityId] = (commit.NewVersion, commit.Document);
            if (commit.IsInsert)
            {
                t.Order.Add(commit.OpportunityId);
                if (!t.ByCustomer.TryGetValue(commit.CustomerId, out var ids))
                {
                    t.ByCustomer[commit.CustomerId] = ids = [];
                }

                ids.Add(commit.OpportunityId);
            }

            outbox.Append(commit.TenantId, commit.Events);
            return ValueTask.CompletedTask;
        });
    }

    /// <inheritdoc />
    public ValueTask<SalesPipeline?> FindAsync(TenantId tenantId, SalesPipelineId pipelineId, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(pipelineId);
        cancellationToken.ThrowIfCancellationRequested();
        var document = _tenants.Read(tenantId, pipelineId, static (t, id) => t.Pipelines.GetValueOrDefault(id).Document, null);
        return ValueTask.FromResult(document is null ? null : SalesJson.ReadPipeline(tenantId, pipelineId.ToString(), document));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SalesPipeline>> ListAsync(TenantId tenantId, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        cancellationToken.ThrowIfCancellationRequested();
        var documents = _tenants.Read(tenantId, 0, static (t, _) => t.Pipelines.OrderBy(p => p.Key).Select(p => (p.Key.ToString(), p.Value.Document)).ToArray(), []);
        return ValueTask.FromResult<IReadOnlyList<SalesPipeline>>([.. documents.Select(d => SalesJson.ReadPipeline(tenantId, d.Item1, d.Document))]);
    }

    /// <inheritdoc />
    public ValueTask CommitAsync(SalesPipeline pipeline, long expectedVersion, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(pipeline);
        cancellationToken.ThrowIfCancellationRequested();
        var document = SalesJson.WritePipeline(pipeline);
        return _tenants.Write(pipeline.TenantId, (pipeline, expectedVersion, document), static (t, write) =>
        {
            var (pipeline, expectedVersion, document) = write;
            var stored = t.Pipelines.GetValueOrDefault(pipeline.Id);
            var storedVersion = stored.Document is null ? 0 : stored.Version;
            if (storedVersion != expectedVersion || pipeline.Version != expectedVersion + 1)
            {
                throw new ConcurrencyConflictException(SalesJson.PipelineAggregate, pipeline.Id.ToString(), expectedVersion, stored.Document is null ? null : stored.Version);
            }

            t.Pipelines[pipeline.Id] = (pipeline.Version, document);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>
    /// Under the tenant's lock: rewrites every opportunity of <paramref name="customerId"/> with the erased form, after
    /// <paramref name="inner"/> succeeded; when it or a rewrite throws, no opportunity changes.
    /// </summary>
    internal TResult EraseCustomer<TResult>(TenantId tenantId, CustomerId customerId, Func<int, TResult> inner)
        => _tenants.Write(tenantId, 0, (t, _) =>
        {
            var ids = t.ByCustomer.TryGetValue(customerId, out var owned) ? owned.ToArray() : [];
            var erased = new (long Version, string Document)[ids.Length];
            for (var i = 0; i < ids.Length; i++)
            {
                var document = ErasureDocuments.EraseOpportunity(tenantId, ids[i], t.Opportunities[ids[i]].Document);
                erased[i] = (document.Version, document.Document);
            }

            var result = inner(ids.Length);
            for (var i = 0; i < ids.Length; i++)
            {
                t.Opportunities[ids[i]] = erased[i];
            }

            return result;
        });

    private static (string Key, string Document)[] Page(OrderedIdSet<OpportunityId> ids, Dictionary<OpportunityId, (long Version, string Document)> documents, OpportunityId? after, int limit)
    {
        var page = new List<(string, string)>(Math.Min(limit, ids.Count));
        foreach (var id in ids.Page(after, limit))
        {
            page.Add((id.ToString(), documents[id].Document));
        }

        return [.. page];
    }

    private static IReadOnlyList<Opportunity> Rebuild(TenantId tenantId, (string Key, string Document)[] documents)
    {
        var rebuilt = new Opportunity[documents.Length];
        for (var i = 0; i < rebuilt.Length; i++)
        {
            rebuilt[i] = SalesJson.ReadOpportunity(tenantId, documents[i].Key, documents[i].Document);
        }

        return rebuilt;
    }

    private sealed class TenantSales : ITenantPartition
    {
        public Lock Gate { get; } = new();
        public readonly Dictionary<OpportunityId, (long Version, string Document)> Opportunities = [];
        public readonly OrderedIdSet<OpportunityId> Order = [];
        public readonly Dictionary<CustomerId, OrderedIdSet<OpportunityId>> ByCustomer = [];
        public readonly Dictionary<SalesPipelineId, (long Version, string Document)> Pipelines = [];
    }
}

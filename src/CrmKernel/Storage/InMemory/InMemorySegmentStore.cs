using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Segments;

namespace CrmKernel.Storage.InMemory;

/// <summary>
/// The reference segment store: thread-safe, every version of every definition and every snapshot kept in memory per
/// tenant. Registered with <c>builder.UseInMemoryStores()</c>; data lives as long as the instance.
/// </summary>
public sealed class InMemorySegmentStore : ISegmentStore
{
    private readonly TenantPartitions<TenantSegments> _tenants = new();

    /// <inheritdoc />
    public ValueTask SaveAsync(TenantId tenantId, SegmentDefinition definition, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(definition);
        cancellationToken.ThrowIfCancellationRequested();
        _tenants.Write(tenantId, definition, static (t, definition) =>
        {
            var versions = t.Definitions.GetValueOrDefault(definition.Id);
            var latest = versions?.Count ?? 0;
            if (latest != definition.Version - 1)
            {
                throw new ConcurrencyConflictException("segment", definition.Id.Value, definition.Version - 1, latest);
            }

            if (versions is null)
            {
                versions = [];
                t.Definitions.Add(definition.Id, versions);
            }

            versions.Add(definition);
            return true;
        });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<SegmentDefinition?> FindAsync(TenantId tenantId, SegmentId segment, int? version, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(segment);
        if (version is { } v)
        {
            Preconditions.Positive(v, "A segment's versions start at 1.", nameof(version));
        }

        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_tenants.Read(tenantId, (segment, version), static (t, request) =>
        {
            if (!t.Definitions.TryGetValue(request.segment, out var versions))
            {
                return null;
            }

            return request.version is { } v ? (v <= versions.Count ? versions[v - 1] : null) : versions[^1];
        }, null));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SegmentDefinition>> PageAsync(TenantId tenantId, SegmentId? after, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_tenants.Read(tenantId, (after, limit), static IReadOnlyList<SegmentDefinition> (t, request) =>
        {
            // Keyset: a binary search for the first id after the key, then the page — O(log n + page), never a scan.
            var ids = t.Definitions.Keys;
            var start = 0;
            if (request.after is { } after)
            {
                var (lo, hi) = (0, ids.Count);
                while (lo < hi)
                {
                    var mid = (lo + hi) >>> 1;
                    (lo, hi) = ids[mid].CompareTo(after) <= 0 ? (mid + 1, hi) : (lo, mid);
                }

                start = lo;
            }

            var page = new List<SegmentDefinition>(Math.Min(request.limit, ids.Count - start));
            for (var i = start; i < ids.Count && page.Count < request.limit; i++)
            {
                page.Add(t.Definitions.Values[i][^1]);
            }

            return page;
        }, []));
    }

    /// <inheritdoc />
    public ValueTask SaveSnapshotAsync(SegmentSnapshot snapshot, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(snapshot);
        cancellationToken.ThrowIfCancellationRequested();
        _tenants.Write(snapshot.TenantId, snapshot, static (t, snapshot) =>
        {
            if (!t.Snapshots.TryGetValue(snapshot.Segment, out var latest) || snapshot.EvaluatedAt >= latest.EvaluatedAt)
            {
                t.Snapshots[snapshot.Segment] = snapshot;
            }

            return true;
        });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<SegmentSnapshot?> FindLatestSnapshotAsync(TenantId tenantId, SegmentId segment, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(segment);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_tenants.Read(tenantId, segment, static (t, segment) => t.Snapshots.GetValueOrDefault(segment), null));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CustomerId>> PageSnapshotMembersAsync(TenantId tenantId, SegmentId segment, CustomerId? after, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(segment);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        var snapshot = _tenants.Read(tenantId, segment, static (t, segment) => t.Snapshots.GetValueOrDefault(segment), null);
        return ValueTask.FromResult<IReadOnlyList<CustomerId>>(snapshot is null ? [] : snapshot.MembersAfter(after, limit));
    }

    private sealed class TenantSegments : ITenantPartition
    {
        public Lock Gate { get; } = new();

        public SortedList<SegmentId, List<SegmentDefinition>> Definitions { get; } = [];

        public Dictionary<SegmentId, SegmentSnapshot> Snapshots { get; } = [];
    }
}

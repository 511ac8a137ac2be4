using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Storage.InMemory;

/// <summary>
/// The reference touchpoint store: thread-safe, O(1) duplicate detection by source key, and each customer's
/// touchpoints kept in timeline order so a timeline page costs a binary search plus the page. Registered with
/// <c>builder.UseInMemoryStores()</c>; data lives as long as the instance.
/// </summary>
public sealed class InMemoryTouchpointStore : ITouchpointScanStore
{
    private static readonly Comparer<Touchpoint> ByPosition = Comparer<Touchpoint>.Create(static (a, b) => a.Position.CompareTo(b.Position));

    private readonly ConcurrentDictionary<TenantId, TenantTouchpoints> _tenants = new();

    /// <inheritdoc />
    public ValueTask<TouchpointAppendResult> AppendAsync(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(touchpoints);
        for (var i = 0; i < touchpoints.Count; i++)
        {
            Preconditions.Check(touchpoints[i] is not null && touchpoints[i].TenantId == tenantId, "Every touchpoint must belong to the tenant appended to.", nameof(touchpoints));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var tenant = _tenants.GetOrAdd(tenantId, static _ => new TenantTouchpoints());
        var appended = 0;
        List<int>? present = null;
        List<int>? conflicts = null;
        lock (tenant.Gate)
        {
            for (var i = 0; i < touchpoints.Count; i++)
            {
                var touchpoint = touchpoints[i];
                if (tenant.BySource.TryGetValue(touchpoint.Source, out var stored))
                {
                    (stored.HasSameContent(touchpoint) ? present ??= [] : conflicts ??= []).Add(i);
                    continue;
                }

                if (!tenant.ById.TryAdd(touchpoint.Id, touchpoint))
                {
                    (conflicts ??= []).Add(i);
                    continue;
                }

                tenant.BySource.Add(touchpoint.Source, touchpoint);
                tenant.Timeline(touchpoint.CustomerId).Add(touchpoint);
                appended++;
            }
        }

        return ValueTask.FromResult(new TouchpointAppendResult(appended, present ?? (IReadOnlyList<int>)[], conflicts ?? (IReadOnlyList<int>)[]));
    }

    /// <summary>
    /// Appends one touchpoint under the tenant's lock unless its source key is taken; before appending runs
    /// <paramref name="check"/> (which may throw: then nothing is stored) and <paramref name="store"/>.
    /// </summary>
    internal TouchpointAppendResult AppendGuarded(TenantId tenantId, Touchpoint touchpoint, Action check, Action store)
    {
        var tenant = _tenants.GetOrAdd(tenantId, static _ => new TenantTouchpoints());
        lock (tenant.Gate)
        {
            if (tenant.BySource.TryGetValue(touchpoint.Source, out var stored))
            {
                return stored.HasSameContent(touchpoint) ? new TouchpointAppendResult(0, [0], []) : new TouchpointAppendResult(0, [], [0]);
            }

            if (tenant.ById.ContainsKey(touchpoint.Id))
            {
                return new TouchpointAppendResult(0, [], [0]);
            }

            check();
            store();
            tenant.ById.Add(touchpoint.Id, touchpoint);
            tenant.BySource.Add(touchpoint.Source, touchpoint);
            tenant.Timeline(touchpoint.CustomerId).Add(touchpoint);
            return new TouchpointAppendResult(1, [], []);
        }
    }

    /// <summary>
    /// Appends several touchpoints under the tenant's lock, all or none: when a source key or id is taken (by a stored
    /// touchpoint or an earlier one in the list) nothing is stored and those are reported; otherwise
    /// <paramref name="check"/> runs (it may throw: then nothing is stored), then <paramref name="store"/>, then the appends.
    /// </summary>
    internal TouchpointAppendResult AppendAllGuarded(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, Action check, Action store)
    {
        var tenant = _tenants.GetOrAdd(tenantId, static _ => new TenantTouchpoints());
        lock (tenant.Gate)
        {
            List<int>? present = null;
            List<int>? conflicts = null;
            for (var i = 0; i < touchpoints.Count; i++)
            {
                var touchpoint = touchpoints[i];
                var earlier = EarlierWithSameKey(touchpoints, i);
                if (earlier is not null || tenant.BySource.TryGetValue(touchpoint.Source, out earlier))
                {
                    (earlier.HasSameContent(touchpoint) ? present ??= [] : conflicts ??= []).Add(i);
                }
                else if (tenant.ById.ContainsKey(touchpoint.Id))
                {
                    (conflicts ??= []).Add(i);
                }
            }

            if (present is not null || conflicts is not null)
            {
                return new TouchpointAppendResult(0, present ?? (IReadOnlyList<int>)[], conflicts ?? (IReadOnlyList<int>)[]);
            }

            check();
            store();
            for (var i = 0; i < touchpoints.Count; i++)
            {
                var touchpoint = touchpoints[i];
                tenant.ById.Add(touchpoint.Id, touchpoint);
                tenant.BySource.Add(touchpoint.Source, touchpoint);
                tenant.Timeline(touchpoint.CustomerId).Add(touchpoint);
            }

            return new TouchpointAppendResult(touchpoints.Count, [], []);
        }

        // One customer's share of a batch is short: a linear scan costs less than a set.
        static Touchpoint? EarlierWithSameKey(IReadOnlyList<Touchpoint> touchpoints, int index)
        {
            var touchpoint = touchpoints[index];
            for (var j = 0; j < index; j++)
            {
                if (touchpoints[j].Source.Equals(touchpoint.Source) || touchpoints[j].Id == touchpoint.Id)
                {
                    return touchpoints[j];
                }
            }

            return null;
        }
    }

    /// <inheritdoc />
    public ValueTask<Touchpoint?> FindAsync(TenantId tenantId, TouchpointId touchpointId, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(touchpointId);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_tenants.TryGetValue(tenantId, out var tenant))
        {
            return ValueTask.FromResult<Touchpoint?>(null);
        }

        lock (tenant.Gate)
        {
            return ValueTask.FromResult(tenant.ById.GetValueOrDefault(touchpointId));
        }
    }

    /// <inheritdoc />
    public ValueTask<Touchpoint?> FindBySourceAsync(TenantId tenantId, ExternalIdentifier source, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(source);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_tenants.TryGetValue(tenantId, out var tenant))
        {
            return ValueTask.FromResult<Touchpoint?>(null);
        }

        lock (tenant.Gate)
        {
            return ValueTask.FromResult(tenant.BySource.GetValueOrDefault(source));
        }
    }

    /// <inheritdoc />
    public ValueTask<long> CountAsync(TenantId tenantId, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_tenants.TryGetValue(tenantId, out var tenant))
        {
            return ValueTask.FromResult(0L);
        }

        lock (tenant.Gate)
        {
            return ValueTask.FromResult((long)tenant.ById.Count);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Touchpoint>> PageTimelineAsync(TenantId tenantId, TimelineFilter filter, TimelinePosition? after, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(filter);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        var page = new List<Touchpoint>();
        if (!_tenants.TryGetValue(tenantId, out var tenant))
        {
            return ValueTask.FromResult<IReadOnlyList<Touchpoint>>(page);
        }

        lock (tenant.Gate)
        {
            // A k-way merge over each customer's ordered list, starting at the cursor (or the period start).
            var cursors = new PriorityQueue<(List<Touchpoint> List, int Index), TimelinePosition>();
            foreach (var customer in filter.CustomerIds)
            {
                if (tenant.ByCustomer.TryGetValue(customer, out var timeline) && timeline.Count > 0)
                {
                    var start = StartIndex(timeline.Items, filter, after);
                    if (start < timeline.Items.Count)
                    {
                        cursors.Enqueue((timeline.Items, start), timeline.Items[start].Position);
                    }
                }
            }

            while (page.Count < limit && cursors.TryDequeue(out var cursor, out _))
            {
                var touchpoint = cursor.List[cursor.Index];
                if (filter.To is { } end && touchpoint.OccurredAt >= end)
                {
                    continue;
                }

                if (filter.Matches(touchpoint))
                {
                    page.Add(touchpoint);
                }

                if (cursor.Index + 1 < cursor.List.Count)
                {
                    cursors.Enqueue((cursor.List, cursor.Index + 1), cursor.List[cursor.Index + 1].Position);
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyList<Touchpoint>>(page);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Customers come in the order given (duplicates skipped); each customer's touchpoints are turned into rows under the
    /// tenant's lock, into one pooled buffer reused for the whole call, and yielded in batches of about
    /// 4,096 rows (a customer is never split) after the lock is released, so nothing is allocated per touchpoint or per
    /// customer, and a touchpoint appended meanwhile is either wholly in a customer's group or not.
    /// </remarks>
    public IAsyncEnumerable<ReadOnlyMemory<TouchpointScanRow>> StreamRowsByCustomerAsync(TenantId tenantId, IReadOnlyCollection<CustomerId> customerIds, Instant? to, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(customerIds);
        StoreArguments.CheckCustomerIds(customerIds, nameof(customerIds));
        return StreamRowsByCustomer(tenantId, customerIds, to, cancellationToken);
    }

    private async IAsyncEnumerable<ReadOnlyMemory<TouchpointScanRow>> StreamRowsByCustomer(TenantId tenantId, IReadOnlyCollection<CustomerId> customerIds, Instant? to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const int ScanBatchSize = 4_096;
        cancellationToken.ThrowIfCancellationRequested();
        if (!_tenants.TryGetValue(tenantId, out var tenant))
        {
            yield break;
        }

        var seen = new HashSet<CustomerId>(customerIds.Count);
        var buffer = ArrayPool<TouchpointScanRow>.Shared.Rent(ScanBatchSize);
        try
        {
            var count = 0;
            foreach (var customer in customerIds)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!seen.Add(customer))
                {
                    continue;
                }

                lock (tenant.Gate)
                {
                    if (tenant.ByCustomer.TryGetValue(customer, out var timeline))
                    {
                        var items = timeline.Items;
                        var end = to is { } limit ? EndIndex(items, limit) : items.Count;
                        if (count + end > buffer.Length)
                        {
                            var larger = ArrayPool<TouchpointScanRow>.Shared.Rent(count + end);
                            buffer.AsSpan(0, count).CopyTo(larger);
                            ArrayPool<TouchpointScanRow>.Shared.Return(buffer);
                            buffer = larger;
                        }

                        for (var i = 0; i < end; i++)
                        {
                            buffer[count++] = TouchpointScanRow.From(items[i]);
                        }
                    }
                }

                if (count >= ScanBatchSize)
                {
                    yield return buffer.AsMemory(0, count);
                    count = 0;
                }
            }

            if (count > 0)
            {
                yield return buffer.AsMemory(0, count);
            }
        }
        finally
        {
            ArrayPool<TouchpointScanRow>.Shared.Return(buffer);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private static int EndIndex(List<Touchpoint> items, Instant to)
    {
        // First index that occurred at or after the end.
        int lo = 0, hi = items.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (items[mid].OccurredAt < to)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static int StartIndex(List<Touchpoint> items, TimelineFilter filter, TimelinePosition? after)
    {
        // First index whose position is after the cursor and at or after the period start.
        int lo = 0, hi = items.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            var position = items[mid].Position;
            var before = (after is { } cursor && position <= cursor) || (filter.From is { } from && position.OccurredAt < from);
            if (before)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private sealed class TenantTouchpoints
    {
        public readonly Lock Gate = new();
        public readonly Dictionary<TouchpointId, Touchpoint> ById = [];
        public readonly Dictionary<ExternalIdentifier, Touchpoint> BySource = [];
        public readonly Dictionary<CustomerId, CustomerTimelineList> ByCustomer = [];

        public CustomerTimelineList Timeline(CustomerId customerId)
        {
            if (!ByCustomer.TryGetValue(customerId, out var timeline))
            {
                ByCustomer[customerId] = timeline = new CustomerTimelineList();
            }

            return timeline;
        }
    }

    /// <summary>One customer's touchpoints in timeline order; appends in order are O(1), late arrivals a binary-search insert.</summary>
    private sealed class CustomerTimelineList
    {
        public List<Touchpoint> Items { get; } = new(4);

        public int Count => Items.Count;

        public void Add(Touchpoint touchpoint)
        {
            if (Items.Count == 0 || ByPosition.Compare(Items[^1], touchpoint) < 0)
            {
                Items.Add(touchpoint);
                return;
            }

            var index = Items.BinarySearch(touchpoint, ByPosition);
            Items.Insert(index < 0 ? ~index : index, touchpoint);
        }
    }
}

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
/// touchpoints kept in timeline order so a timeline page costs a binary search plus the page. Touchpoints are kept in
/// columns (about a hundred bytes each, no object per touchpoint) and rebuilt on read, so a read returns a new
/// <see cref="Touchpoint"/> equal in content to the one appended. Registered with <c>builder.UseInMemoryStores()</c>;
/// data lives as long as the instance.
/// </summary>
public sealed class InMemoryTouchpointStore : ITouchpointScanStore
{
    private readonly ConcurrentDictionary<TenantId, TenantTouchpoints> _tenants = new();

    [ThreadStatic]
    private static HashSet<CustomerId>? t_scanSeen;

    /// <inheritdoc />
    public ValueTask<TouchpointAppendResult> AppendAsync(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(touchpoints);
        StoreArguments.CheckBatch(touchpoints.Count, StoreLimits.MaxAppendBatch, nameof(touchpoints));
        for (var i = 0; i < touchpoints.Count; i++)
        {
            Preconditions.Check(touchpoints[i] is not null && touchpoints[i].TenantId == tenantId, "Every touchpoint must belong to the tenant appended to.", nameof(touchpoints));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var tenant = Tenant(tenantId);
        var appended = 0;
        List<int>? present = null;
        List<int>? conflicts = null;
        using (tenant.Writing())
        {
            var table = tenant.Table;
            for (var i = 0; i < touchpoints.Count; i++)
            {
                var touchpoint = touchpoints[i];
                table.PrefetchAhead(touchpoints, i);
                var stored = table.AddIfFree(touchpoint);
                if (stored == TouchpointTable.Added)
                {
                    appended++;
                }
                else if (stored == TouchpointTable.IdTaken || !table.Read(stored).HasSameContent(touchpoint))
                {
                    (conflicts ??= []).Add(i);
                }
                else
                {
                    (present ??= []).Add(i);
                }
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
        var tenant = Tenant(tenantId);
        using (tenant.Writing())
        {
            var table = tenant.Table;
            var stored = table.FindSource(touchpoint.Source);
            if (stored >= 0)
            {
                return table.Read(stored).HasSameContent(touchpoint) ? new TouchpointAppendResult(0, [0], []) : new TouchpointAppendResult(0, [], [0]);
            }

            if (table.FindId(touchpoint.Id) >= 0)
            {
                return new TouchpointAppendResult(0, [], [0]);
            }

            check();
            store();
            table.Add(touchpoint);
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
        var tenant = Tenant(tenantId);
        using (tenant.Writing())
        {
            var table = tenant.Table;
            List<int>? present = null;
            List<int>? conflicts = null;
            for (var i = 0; i < touchpoints.Count; i++)
            {
                var touchpoint = touchpoints[i];
                var earlier = EarlierWithSameKey(touchpoints, i);
                if (earlier is null && table.FindSource(touchpoint.Source) is var stored and >= 0)
                {
                    earlier = table.Read(stored);
                }

                if (earlier is not null)
                {
                    (earlier.HasSameContent(touchpoint) ? present ??= [] : conflicts ??= []).Add(i);
                }
                else if (table.FindId(touchpoint.Id) >= 0)
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
                table.Add(touchpoints[i]);
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

    /// <summary>Under the tenant's write lock, runs <paramref name="write"/> on its table (merge and unmerge re-point rows with it).</summary>
    internal TResult WithTable<TResult>(TenantId tenantId, Func<TouchpointTable, TResult> write)
    {
        var tenant = Tenant(tenantId);
        using (tenant.Writing())
        {
            return write(tenant.Table);
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

        using (tenant.Reading())
        {
            var row = tenant.Table.FindId(touchpointId);
            return ValueTask.FromResult(row < 0 ? null : tenant.Table.Read(row));
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

        using (tenant.Reading())
        {
            var row = tenant.Table.FindSource(source);
            return ValueTask.FromResult(row < 0 ? null : tenant.Table.Read(row));
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

        using (tenant.Reading())
        {
            return ValueTask.FromResult((long)tenant.Table.Count);
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

        using (tenant.Reading())
        {
            // A k-way merge over each customer's ordered rows, starting at the cursor (or the period start).
            var table = tenant.Table;
            var timelines = new List<int[]>();
            var cursors = new PriorityQueue<(int Timeline, int Index), TimelinePosition>();
            foreach (var customer in filter.CustomerIds)
            {
                var rows = table.TimelineOf(customer);
                var start = StartIndex(table, rows, filter, after);
                if (start < rows.Length)
                {
                    timelines.Add(rows.ToArray());
                    cursors.Enqueue((timelines.Count - 1, start), table.PositionOf(rows[start]));
                }
            }

            while (page.Count < limit && cursors.TryDequeue(out var cursor, out var position))
            {
                if (filter.To is { } end && position.OccurredAt >= end)
                {
                    continue;
                }

                var rows = timelines[cursor.Timeline];
                var row = rows[cursor.Index];
                if (table.MatchesSets(row, filter))
                {
                    page.Add(table.Read(row));
                }

                if (cursor.Index + 1 < rows.Length)
                {
                    cursors.Enqueue((cursor.Timeline, cursor.Index + 1), table.PositionOf(rows[cursor.Index + 1]));
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

        // The set that skips a repeated customer is reused by the next scan on this thread (a metric scan asks page by page).
        var seen = t_scanSeen ?? new HashSet<CustomerId>(customerIds.Count);
        t_scanSeen = null;
        var list = customerIds as IReadOnlyList<CustomerId>;
        var position = -1;
        var buffer = ArrayPool<TouchpointScanRow>.Shared.Rent(ScanBatchSize);
        try
        {
            var count = 0;
            foreach (var customer in customerIds)
            {
                cancellationToken.ThrowIfCancellationRequested();
                position++;
                if (!seen.Add(customer))
                {
                    continue;
                }

                using (tenant.Reading())
                {
                    var table = tenant.Table;
                    if (list is not null)
                    {
                        table.PrefetchScan(list, position);
                    }

                    var rows = table.TimelineOf(customer);
                    var end = to is { } limit ? EndIndex(table, rows, limit) : rows.Length;
                    if (count + end > buffer.Length)
                    {
                        var larger = ArrayPool<TouchpointScanRow>.Shared.Rent(count + end);
                        buffer.AsSpan(0, count).CopyTo(larger);
                        ArrayPool<TouchpointScanRow>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    for (var i = 0; i < end; i++)
                    {
                        buffer[count++] = table.ScanRow(rows[i]);
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
            seen.Clear();
            t_scanSeen = seen;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private static int EndIndex(TouchpointTable table, ReadOnlySpan<int> rows, Instant to)
    {
        // First index that occurred at or after the end.
        int lo = 0, hi = rows.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (table.OccurredAt(rows[mid]) < to)
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

    private static int StartIndex(TouchpointTable table, ReadOnlySpan<int> rows, TimelineFilter filter, TimelinePosition? after)
    {
        // First index whose position is after the cursor and at or after the period start.
        int lo = 0, hi = rows.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            var position = table.PositionOf(rows[mid]);
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

    private TenantTouchpoints Tenant(TenantId tenantId) => _tenants.GetOrAdd(tenantId, static id => new TenantTouchpoints(id));

    /// <summary>
    /// A tenant's table behind a reader-writer lock: appends are exclusive, reads (finds, timeline pages, metric scans)
    /// run side by side, so parallel metric workers do not queue behind each other.
    /// </summary>
    private sealed class TenantTouchpoints(TenantId tenantId)
    {
        private readonly ReaderWriterLockSlim _gate = new(LockRecursionPolicy.SupportsRecursion);

        public TouchpointTable Table { get; } = new(tenantId);

        public ReadScope Reading()
        {
            _gate.EnterReadLock();
            return new ReadScope(_gate);
        }

        public WriteScope Writing()
        {
            _gate.EnterWriteLock();
            return new WriteScope(_gate);
        }
    }

    private readonly struct ReadScope(ReaderWriterLockSlim gate) : IDisposable
    {
        public void Dispose() => gate.ExitReadLock();
    }

    private readonly struct WriteScope(ReaderWriterLockSlim gate) : IDisposable
    {
        public void Dispose() => gate.ExitWriteLock();
    }
}

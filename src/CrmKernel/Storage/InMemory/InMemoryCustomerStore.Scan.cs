using System.Collections;
using System.Runtime.InteropServices;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

namespace CrmKernel.Storage.InMemory;

/// <summary>
/// The compact customer scan of the in-memory store: each customer as a <see cref="CustomerScanRow"/>, built from its
/// snapshot on its first scan and kept until the customer is stored again, so that evaluating metrics again does not
/// rebuild every customer's lifecycle entries. A scan from the first page also lays every row out in id order once (the
/// tenant's scan snapshot) and hands out later pages as read-only windows on it, so paging a large tenant allocates
/// nothing per customer; a write drops the snapshot (pages already handed out keep theirs), and until the next scan from
/// the beginning pages are copied as before.
/// </summary>
public sealed partial class InMemoryCustomerStore : ICustomerScanStore
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CustomerScanRow>> PageRowsAsync(TenantId tenantId, CustomerId? after, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_tenants.Read(tenantId, (after, limit), static IReadOnlyList<CustomerScanRow> (t, request) =>
        {
            // The tenant's lock is exclusive, so filling the caches while reading is safe.
            if (request.after is null && t.ScanSnapshot is null)
            {
                var snapshot = new CustomerScanRow[t.Order.Count];
                var i = 0;
                foreach (var id in t.Order)
                {
                    snapshot[i++] = RowOf(t, id);
                }

                t.ScanSnapshot = snapshot;
            }

            if (t.ScanSnapshot is { } rows)
            {
                var start = request.after is { } cursor ? FirstAfter(rows, cursor) : 0;
                var count = Math.Min(request.limit, rows.Length - start);
                return count == 0 ? [] : new RowWindow(rows, start, count);
            }

            var page = new List<CustomerScanRow>(Math.Min(request.limit, t.ById.Count));
            foreach (var id in t.Order.Page(request.after, request.limit))
            {
                page.Add(RowOf(t, id));
            }

            return page;
        }, []));
    }

    private static CustomerScanRow RowOf(TenantCustomers tenant, CustomerId id)
    {
        ref var row = ref CollectionsMarshal.GetValueRefOrAddDefault(tenant.ScanRows, id, out var cached);
        if (!cached)
        {
            row = CustomerScanRow.From(tenant.ById[id]);
        }

        return row;
    }

    /// <summary>The index of the first row whose id is greater than <paramref name="after"/> (the rows are in id order).</summary>
    private static int FirstAfter(CustomerScanRow[] rows, CustomerId after)
    {
        var (low, high) = (0, rows.Length);
        while (low < high)
        {
            var middle = (int)((uint)(low + high) >> 1);
            if (rows[middle].Id.CompareTo(after) <= 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <summary>A read-only page of the scan snapshot (the snapshot is never written after it is built).</summary>
    private sealed class RowWindow(CustomerScanRow[] rows, int start, int count) : IReadOnlyList<CustomerScanRow>
    {
        public int Count => count;

        public CustomerScanRow this[int index] => (uint)index < (uint)count ? rows[start + index] : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<CustomerScanRow> GetEnumerator()
        {
            for (var i = 0; i < count; i++)
            {
                yield return rows[start + i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

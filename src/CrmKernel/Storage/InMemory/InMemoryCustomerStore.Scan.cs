using System.Runtime.InteropServices;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

namespace CrmKernel.Storage.InMemory;

/// <summary>
/// The compact customer scan of the in-memory store: each customer as a <see cref="CustomerScanRow"/>, built from its
/// snapshot on its first scan and kept until the customer is stored again, so that evaluating metrics again does not
/// rebuild every customer's lifecycle entries.
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
            var rows = new List<CustomerScanRow>(Math.Min(request.limit, t.ById.Count));
            foreach (var id in t.Order.Page(request.after, request.limit))
            {
                // The tenant's lock is exclusive, so filling the cache while reading is safe.
                ref var row = ref CollectionsMarshal.GetValueRefOrAddDefault(t.ScanRows, id, out var cached);
                if (!cached)
                {
                    row = CustomerScanRow.From(t.ById[id]);
                }

                rows.Add(row);
            }

            return rows;
        }, []));
    }
}

using CrmKernel.Primitives;

namespace CrmKernel.Storage.InMemory;

/// <summary>The compact customer scan of the in-memory store: its snapshot pages, each customer as a <see cref="CustomerScanRow"/>.</summary>
public sealed partial class InMemoryCustomerStore : ICustomerScanStore
{
    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<CustomerScanRow>> PageRowsAsync(TenantId tenantId, CustomerId? after, int limit, CancellationToken cancellationToken)
    {
        var page = await PageAsync(tenantId, after, limit, cancellationToken).ConfigureAwait(false);
        var rows = new CustomerScanRow[page.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = CustomerScanRow.From(page[i]);
        }

        return rows;
    }
}

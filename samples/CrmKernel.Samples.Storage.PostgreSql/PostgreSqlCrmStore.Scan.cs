using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Storage;

namespace CrmKernel.Samples.Storage.PostgreSql;

/// <summary>The compact customer scan: one lean statement per page, read by <see cref="CustomerScanRows"/>.</summary>
public sealed partial class PostgreSqlCrmStore : ICustomerScanStore
{
    /// <inheritdoc />
    /// <exception cref="InvalidStoredStateException">A stored value the row holds does not parse.</exception>
    public ValueTask<IReadOnlyList<CustomerScanRow>> PageRowsAsync(TenantId tenantId, CustomerId? after, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return ReadAsync((c, ct) => CustomerScanRows.PageAsync(Database, c, tenantId, after, limit, ct), cancellationToken);
    }
}

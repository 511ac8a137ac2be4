using CrmKernel.Primitives;
using CrmKernel.Storage;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>The compact customer scan: one lean statement per page, read by <see cref="CustomerScanReader"/>.</summary>
public sealed partial class SqliteCrmStore : ICustomerScanStore
{
    /// <inheritdoc />
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    /// <exception cref="CrmKernel.Diagnostics.InvalidStoredStateException">A stored value the row holds does not parse.</exception>
    public ValueTask<IReadOnlyList<CustomerScanRow>> PageRowsAsync(TenantId tenantId, CustomerId? after, int limit, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();

        // Ids are stored as lower-case "D" text, whose order is CustomerId order; '' sorts before every id.
        var start = after is { } id ? ColumnText.OfId(id) : string.Empty;
        return ReadAsync((session, ct) => ValueTask.FromResult(CustomerScanReader.ReadPage(session, tenantId, start, limit, ct)), inTransaction: false, cancellationToken);
    }
}

using CrmKernel.Primitives;
using CrmKernel.Privacy;
using CrmKernel.Storage;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>The erasure capability: one write transaction over every table that holds a customer's data.</summary>
public sealed partial class SqliteCrmStore : ICustomerErasureStore
{
    /// <inheritdoc />
    public async ValueTask<ErasureRecord> EraseAsync(CustomerErasure erasure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(erasure);
        cancellationToken.ThrowIfCancellationRequested();
        return await WriteAsync((session, ct) => ErasureRows.EraseAsync(session, erasure, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<ErasureRecord?> FindErasureAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.NotDefault(customerId, nameof(customerId));
        return await ReadAsync((session, ct) => ErasureRows.FindAsync(session, tenantId, customerId, ct), inTransaction: false, cancellationToken).ConfigureAwait(false);
    }
}

using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Privacy;
using CrmKernel.Storage;

namespace CrmKernel.Samples.Storage.PostgreSql;

/// <summary>The erasure capability: one transaction over every table that holds a customer's data.</summary>
public sealed partial class PostgreSqlCrmStore : ICustomerErasureStore
{
    /// <inheritdoc />
    public ValueTask<ErasureRecord> EraseAsync(CustomerErasure erasure, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(erasure);
        cancellationToken.ThrowIfCancellationRequested();
        return WriteAsync((c, t, ct) => ErasureRows.EraseAsync(Database, c, t, erasure, ct), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<ErasureRecord?> FindErasureAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(customerId);
        return ReadAsync((c, ct) => ErasureRows.FindAsync(Database, c, null, tenantId, customerId, ct), cancellationToken);
    }
}

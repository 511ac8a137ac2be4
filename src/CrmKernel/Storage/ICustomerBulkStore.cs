using CrmKernel.Primitives;

namespace CrmKernel.Storage;

/// <summary>
/// An optional capability of a customer store: importing many new customers in one call, far faster than
/// one commit each. <c>CustomerRepository.ImportAsync</c> uses it when the store implements it and
/// falls back to single commits otherwise.
/// </summary>
/// <remarks>
/// Imports are idempotent: a customer whose id is already stored is reported as already present and left
/// unchanged, so re-running an interrupted import is safe. A customer that cannot be stored (an external
/// identifier held by another customer) is reported as rejected; every other customer is kept.
/// </remarks>
public interface ICustomerBulkStore : ICustomerStore
{
    /// <summary>Inserts the customers of <paramref name="batch"/> (each a commit with expected version 0) that are not stored yet.</summary>
    /// <exception cref="ArgumentException">A commit is not an insert or belongs to another tenant.</exception>
    ValueTask<BulkImportResult> ImportAsync(TenantId tenantId, IReadOnlyList<CustomerCommit> batch, CancellationToken cancellationToken);
}

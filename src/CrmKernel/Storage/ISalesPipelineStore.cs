using CrmKernel.Primitives;
using CrmKernel.Sales;

namespace CrmKernel.Storage;

/// <summary>
/// Where a tenant's sales pipelines are kept. Application code uses <c>OpportunityService.DefinePipelineAsync</c> and
/// <c>RevisePipelineAsync</c>. Pipelines are configuration: they raise no events.
/// </summary>
/// <remarks>
/// Contract (proven by <c>OpportunityStoreConformanceTests</c>): tenant-scoped; <see cref="CommitAsync"/> inserts when
/// the expected version is 0 and otherwise replaces only if the stored version equals it, else
/// <see cref="ConcurrencyConflictException"/>; every field round-trips.
/// </remarks>
public interface ISalesPipelineStore
{
    /// <summary>Reads a pipeline by id; null when the tenant has none.</summary>
    /// <exception cref="Diagnostics.InvalidStoredStateException">The stored pipeline is not valid.</exception>
    ValueTask<SalesPipeline?> FindAsync(TenantId tenantId, SalesPipelineId pipelineId, CancellationToken cancellationToken);

    /// <summary>Reads every pipeline of the tenant, in id order.</summary>
    ValueTask<IReadOnlyList<SalesPipeline>> ListAsync(TenantId tenantId, CancellationToken cancellationToken);

    /// <summary>Stores a pipeline at its <see cref="SalesPipeline.Version"/>, written from <paramref name="expectedVersion"/> (0 = new).</summary>
    /// <exception cref="ConcurrencyConflictException">The stored version is not <paramref name="expectedVersion"/>, or the pipeline's version is not the next one; nothing was stored.</exception>
    ValueTask CommitAsync(SalesPipeline pipeline, long expectedVersion, CancellationToken cancellationToken);
}

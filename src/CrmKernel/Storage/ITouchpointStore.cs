using CrmKernel.Primitives;
using CrmKernel.Touchpoints;

namespace CrmKernel.Storage;

/// <summary>
/// Where touchpoints are kept: the interface a storage adapter implements for the append-only, high-volume
/// log of every contact. Application code uses <c>TouchpointIngestion</c> and <c>CustomerTimeline</c>.
/// </summary>
/// <remarks>
/// <para>The contract, proven by <c>CrmKernel.Testing</c>'s <c>TouchpointStoreConformanceTests</c>:</para>
/// <list type="bullet">
/// <item>Every call is tenant-scoped; a default tenant is an <see cref="ArgumentException"/>.</item>
/// <item><see cref="AppendAsync"/> is idempotent on the touchpoint's <see cref="Touchpoint.Source"/> (source + key):
/// a touchpoint whose source is stored with the same content is reported as already present; with different content
/// (or a stored id reused) it is reported as a conflict and not stored. Every other touchpoint is stored. Appending
/// the same batch twice therefore equals appending it once.</item>
/// <item>Timeline pages are ordered by <see cref="TimelinePosition"/> (occurred-at, then id): total and stable.</item>
/// <item>A cancelled token throws <see cref="OperationCanceledException"/>.</item>
/// </list>
/// </remarks>
public interface ITouchpointStore
{
    /// <summary>Appends touchpoints of one tenant, reporting duplicates and conflicts by position.</summary>
    /// <exception cref="ArgumentException">A touchpoint belongs to another tenant.</exception>
    ValueTask<TouchpointAppendResult> AppendAsync(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, CancellationToken cancellationToken);

    /// <summary>Reads a touchpoint by id; null when the tenant has none.</summary>
    ValueTask<Touchpoint?> FindAsync(TenantId tenantId, TouchpointId touchpointId, CancellationToken cancellationToken);

    /// <summary>Reads the touchpoint recorded under a source system's key; null when none is.</summary>
    ValueTask<Touchpoint?> FindBySourceAsync(TenantId tenantId, ExternalIdentifier source, CancellationToken cancellationToken);

    /// <summary>Counts the tenant's touchpoints.</summary>
    ValueTask<long> CountAsync(TenantId tenantId, CancellationToken cancellationToken);

    /// <summary>
    /// Reads one keyset page of the touchpoints of <see cref="TimelineFilter.CustomerIds"/> that match the filter,
    /// in <see cref="TimelinePosition"/> order, strictly after <paramref name="after"/> when given.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is less than 1.</exception>
    /// <exception cref="Diagnostics.InputLimitExceededException"><paramref name="limit"/> is more than <see cref="StoreLimits.MaxPageSize"/> (<c>CRM-INPUT-001</c>).</exception>
    ValueTask<IReadOnlyList<Touchpoint>> PageTimelineAsync(TenantId tenantId, TimelineFilter filter, TimelinePosition? after, int limit, CancellationToken cancellationToken);
}

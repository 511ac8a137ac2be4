using CrmKernel.Primitives;
using CrmKernel.Segments;

namespace CrmKernel.Storage;

/// <summary>
/// Where segment definitions (every version) and frozen memberships are kept. Application code uses
/// <c>SegmentService</c>, which validates a definition before saving it and evaluates and freezes memberships.
/// </summary>
/// <remarks>
/// Contract (proven by <c>SegmentStoreConformanceTests</c>): tenant-scoped; <see cref="SaveAsync"/> stores version n only
/// when the latest stored version is n − 1 (none for version 1), otherwise <see cref="ConcurrencyConflictException"/> and
/// nothing is stored; every version stays readable; pages list each segment's latest version as keyset pages in ascending
/// id order, at most <see cref="StoreLimits.MaxPageSize"/> items, a short page being the last; the latest snapshot of a
/// segment is the one with the greatest <see cref="SegmentSnapshot.EvaluatedAt"/> (the last saved among equals), read
/// back with the same members in id order.
/// </remarks>
public interface ISegmentStore
{
    /// <summary>Stores a new version of a segment: version 1 when the segment is new, otherwise one more than the latest stored.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is null.</exception>
    /// <exception cref="ConcurrencyConflictException">The latest stored version is not <c>definition.Version − 1</c>; nothing was stored.</exception>
    ValueTask SaveAsync(TenantId tenantId, SegmentDefinition definition, CancellationToken cancellationToken);

    /// <summary>Reads a segment's latest version (when <paramref name="version"/> is null) or a given one; null when there is none.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is less than 1.</exception>
    /// <exception cref="Diagnostics.InvalidStoredStateException">The stored definition is not valid.</exception>
    ValueTask<SegmentDefinition?> FindAsync(TenantId tenantId, SegmentId segment, int? version, CancellationToken cancellationToken);

    /// <summary>Reads one page of the tenant's segments, each at its latest version: those after <paramref name="after"/> (from the start when null), in id order.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is less than 1.</exception>
    /// <exception cref="Diagnostics.InputLimitExceededException"><paramref name="limit"/> is more than <see cref="StoreLimits.MaxPageSize"/>.</exception>
    ValueTask<IReadOnlyList<SegmentDefinition>> PageAsync(TenantId tenantId, SegmentId? after, int limit, CancellationToken cancellationToken);

    /// <summary>Stores a frozen membership; earlier snapshots of the segment are kept.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="snapshot"/> is null.</exception>
    ValueTask SaveSnapshotAsync(SegmentSnapshot snapshot, CancellationToken cancellationToken);

    /// <summary>Reads the latest snapshot of a segment with all its members; null when none was saved.</summary>
    ValueTask<SegmentSnapshot?> FindLatestSnapshotAsync(TenantId tenantId, SegmentId segment, CancellationToken cancellationToken);

    /// <summary>Reads one page of the members of a segment's latest snapshot: those after <paramref name="after"/>, in id order; empty when there is no snapshot.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is less than 1.</exception>
    /// <exception cref="Diagnostics.InputLimitExceededException"><paramref name="limit"/> is more than <see cref="StoreLimits.MaxPageSize"/>.</exception>
    ValueTask<IReadOnlyList<CustomerId>> PageSnapshotMembersAsync(TenantId tenantId, SegmentId segment, CustomerId? after, int limit, CancellationToken cancellationToken);
}

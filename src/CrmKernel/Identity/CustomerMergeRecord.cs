using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Identity;

/// <summary>
/// What a merge did, kept by the merge store so that the merge can be undone: both customers exactly as they were before
/// it, the survivor's version right after it, and every touchpoint that was moved to the survivor (at the merge, and
/// afterwards because it was addressed to the merged-away customer). <c>CustomerMergeService</c> creates it; adapters
/// store and read it back field by field.
/// Relationships of the merged customer are re-pointed to the survivor too (and back on unmerge), except one between the two.
/// </summary>
/// <remarks>
/// The record holds personal data (the two snapshots) until an erasure of either customer redacts it
/// (<see cref="Redacted"/>, <see cref="IsRedacted"/>): the erasure store does so in the erasure's transaction. Find a
/// customer's records with <c>ICustomerMergeStore.ListMergesByCustomerAsync</c>.
/// </remarks>
public sealed class CustomerMergeRecord
{
    /// <summary>Creates a record (what a store reads back).</summary>
    /// <exception cref="ArgumentNullException">A snapshot or list is null.</exception>
    /// <exception cref="ArgumentException">The snapshots are of another tenant or the same customer, or a count is negative.</exception>
    public CustomerMergeRecord(
        CustomerMergeId id,
        CustomerSnapshot survivorBefore,
        CustomerSnapshot mergedBefore,
        Instant mergedAt,
        long survivorVersionAfterMerge,
        int mergedConsentCount,
        IReadOnlyList<TouchpointId> movedTouchpoints,
        IReadOnlyList<TouchpointId> redirectedTouchpoints,
        IReadOnlyList<RelationshipId> movedRelationships,
        Instant? unmergedAt = null,
        Instant? erasedAt = null)
    {
        Preconditions.NotDefault(id);
        Preconditions.NotNull(survivorBefore);
        Preconditions.NotNull(mergedBefore);
        Preconditions.NotNull(movedTouchpoints);
        Preconditions.NotNull(redirectedTouchpoints);
        Preconditions.NotNull(movedRelationships);
        Preconditions.Check(survivorBefore.TenantId == mergedBefore.TenantId && survivorBefore.Id != mergedBefore.Id, "The two customers must be distinct customers of one tenant.", nameof(mergedBefore));
        Preconditions.Check(survivorVersionAfterMerge > survivorBefore.Version && mergedConsentCount >= 0, "The version after the merge must follow the survivor's and the consent count must not be negative.", nameof(survivorVersionAfterMerge));
        Id = id;
        SurvivorBefore = survivorBefore;
        MergedBefore = mergedBefore;
        MergedAt = mergedAt;
        SurvivorVersionAfterMerge = survivorVersionAfterMerge;
        MergedConsentCount = mergedConsentCount;
        MovedTouchpoints = movedTouchpoints;
        RedirectedTouchpoints = redirectedTouchpoints;
        MovedRelationships = movedRelationships;
        UnmergedAt = unmergedAt;
        ErasedAt = erasedAt;
    }

    /// <summary>The merge's id.</summary>
    public CustomerMergeId Id { get; }

    /// <summary>The tenant of both customers.</summary>
    public TenantId TenantId => SurvivorBefore.TenantId;

    /// <summary>The customer that remains.</summary>
    public CustomerId SurvivorId => SurvivorBefore.Id;

    /// <summary>The customer merged away (while the merge is active, its id and external identifiers resolve to the survivor).</summary>
    public CustomerId MergedId => MergedBefore.Id;

    /// <summary>The survivor as it was just before the merge.</summary>
    public CustomerSnapshot SurvivorBefore { get; }

    /// <summary>The merged-away customer as it was just before the merge; an unmerge restores it.</summary>
    public CustomerSnapshot MergedBefore { get; }

    /// <summary>When the merge happened.</summary>
    public Instant MergedAt { get; }

    /// <summary>The survivor's stored version right after the merge: unchanged since when it still is.</summary>
    public long SurvivorVersionAfterMerge { get; }

    /// <summary>How many consent entries the survivor held right after the merge (later entries are the survivor's own).</summary>
    public int MergedConsentCount { get; }

    /// <summary>The merged customer's touchpoints moved to the survivor by the merge.</summary>
    public IReadOnlyList<TouchpointId> MovedTouchpoints { get; }

    /// <summary>Touchpoints recorded after the merge for the merged-away customer's id, stored with the survivor while the merge is active.</summary>
    public IReadOnlyList<TouchpointId> RedirectedTouchpoints { get; }

    /// <summary>The merged customer's relationships re-pointed to the survivor by the merge (not those between the two).</summary>
    public IReadOnlyList<RelationshipId> MovedRelationships { get; }

    /// <summary>When the merge was undone, or null while it is active.</summary>
    public Instant? UnmergedAt { get; }

    /// <summary>
    /// When an erasure of one of the two customers redacted the record (both snapshots replaced by pseudonymous shells),
    /// or null while it holds the snapshots as they were. A redacted merge can no longer be undone (<c>CRM-MERGE-006</c>).
    /// </summary>
    public Instant? ErasedAt { get; }

    /// <summary>True when an erasure redacted the record (<see cref="ErasedAt"/> is set).</summary>
    public bool IsRedacted => ErasedAt is not null;

    /// <summary>True while the merge has not been undone.</summary>
    public bool IsActive => UnmergedAt is null;

    /// <summary>True when the record is about <paramref name="customerId"/> (either side).</summary>
    public bool Involves(CustomerId customerId) => SurvivorId == customerId || MergedId == customerId;

    /// <summary>A copy with the moved touchpoints and relationships set (what a store does when it commits the merge).</summary>
    public CustomerMergeRecord WithMoved(IReadOnlyList<TouchpointId> movedTouchpoints, IReadOnlyList<RelationshipId> movedRelationships)
        => new(Id, SurvivorBefore, MergedBefore, MergedAt, SurvivorVersionAfterMerge, MergedConsentCount, movedTouchpoints, RedirectedTouchpoints, movedRelationships, UnmergedAt);

    /// <summary>A copy with more redirected touchpoints (what a store does when it redirects a touchpoint).</summary>
    public CustomerMergeRecord WithRedirected(IReadOnlyList<TouchpointId> redirectedTouchpoints)
        => new(Id, SurvivorBefore, MergedBefore, MergedAt, SurvivorVersionAfterMerge, MergedConsentCount, MovedTouchpoints, redirectedTouchpoints, MovedRelationships, UnmergedAt, ErasedAt);

    /// <summary>A copy marked undone at <paramref name="at"/>.</summary>
    public CustomerMergeRecord AsUnmerged(Instant at)
        => new(Id, SurvivorBefore, MergedBefore, MergedAt, SurvivorVersionAfterMerge, MergedConsentCount, MovedTouchpoints, RedirectedTouchpoints, MovedRelationships, at, ErasedAt);

    /// <summary>
    /// A copy whose two snapshots are pseudonymous shells (same ids, kind, versions, times and lifecycle; no profile values,
    /// contact points, identifiers, tags, attributes, home time zone or consent evidence), marked redacted at
    /// <paramref name="at"/>; ids, times, counts and moved or redirected items are kept, so the record still says what
    /// happened. What an erasure store does to every merge record naming the erased customer. A record redacted before is
    /// returned as it is.
    /// </summary>
    public CustomerMergeRecord Redacted(Instant at)
        => IsRedacted
            ? this
            : new(Id, CustomerShell.Of(SurvivorBefore), CustomerShell.Of(MergedBefore), MergedAt, SurvivorVersionAfterMerge, MergedConsentCount, MovedTouchpoints, RedirectedTouchpoints, MovedRelationships, UnmergedAt, at);
}

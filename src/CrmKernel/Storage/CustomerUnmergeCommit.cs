using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Identity;
using NodaTime;

namespace CrmKernel.Storage;

/// <summary>
/// What <see cref="ICustomerMergeStore.CommitUnmergeAsync"/> stores in one atomic step: the survivor's restored state
/// (written only if the survivor is still at the version it was read at), the merged customer restored, and the
/// unmerge's events. <c>CustomerMergeService</c> builds it; adapters read it.
/// </summary>
public sealed class CustomerUnmergeCommit
{
    /// <summary>Creates a commit.</summary>
    /// <param name="record">The active merge to undo, as read.</param>
    /// <param name="survivor">The survivor's restored state: its version is one more than the one it was read at.</param>
    /// <param name="merged">The merged customer restored.</param>
    /// <param name="unmergedAt">When the merge was undone.</param>
    /// <param name="events">The events to store in the outbox, all of the record's tenant.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A state is not the record's customer, or an event is of another tenant.</exception>
    public CustomerUnmergeCommit(CustomerMergeRecord record, CustomerSnapshot survivor, CustomerSnapshot merged, Instant unmergedAt, IReadOnlyList<CrmEventEnvelope> events)
    {
        Preconditions.NotNull(record);
        Preconditions.NotNull(survivor);
        Preconditions.NotNull(merged);
        Preconditions.NotNull(events);
        Preconditions.Check(survivor.Id == record.SurvivorId && survivor.TenantId == record.TenantId && survivor.Version > 1, "The survivor's state must be the record's survivor after an update.", nameof(survivor));
        Preconditions.Check(merged.Id == record.MergedId && merged.TenantId == record.TenantId && merged.Version > 0, "The merged state must be the record's merged customer.", nameof(merged));
        foreach (var e in events)
        {
            Preconditions.Check(e is not null && e.TenantId == record.TenantId, "Every event must belong to the record's tenant.", nameof(events));
        }

        Record = record;
        Survivor = survivor;
        Merged = merged;
        UnmergedAt = unmergedAt;
        Events = events;
    }

    /// <summary>The merge to undo.</summary>
    public CustomerMergeRecord Record { get; }

    /// <summary>The survivor's restored state.</summary>
    public CustomerSnapshot Survivor { get; }

    /// <summary>The survivor's stored version the restored state was made from.</summary>
    public long SurvivorExpectedVersion => Survivor.Version - 1;

    /// <summary>The merged customer restored.</summary>
    public CustomerSnapshot Merged { get; }

    /// <summary>When the merge was undone.</summary>
    public Instant UnmergedAt { get; }

    /// <summary>The events to store with the unmerge.</summary>
    public IReadOnlyList<CrmEventEnvelope> Events { get; }
}

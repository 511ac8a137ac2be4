using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Identity;

namespace CrmKernel.Storage;

/// <summary>
/// What <see cref="ICustomerMergeStore.CommitMergeAsync"/> stores in one atomic step: the merge record, the survivor's
/// merged state and the merge's events. <c>CustomerMergeService</c> builds it; adapters read it.
/// </summary>
public sealed class CustomerMergeCommit
{
    /// <summary>Creates a commit.</summary>
    /// <param name="record">The record (its moved touchpoints are filled in by the store).</param>
    /// <param name="survivor">The survivor's merged state: version <c>record.SurvivorBefore.Version + 1</c>.</param>
    /// <param name="events">The events to store in the outbox, all of the record's tenant.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The survivor's state is not the record's survivor at its next version, or an event is of another tenant.</exception>
    public CustomerMergeCommit(CustomerMergeRecord record, CustomerSnapshot survivor, IReadOnlyList<CrmEventEnvelope> events)
    {
        Preconditions.NotNull(record);
        Preconditions.NotNull(survivor);
        Preconditions.NotNull(events);
        Preconditions.Check(survivor.Id == record.SurvivorId && survivor.TenantId == record.TenantId && survivor.Version == record.SurvivorBefore.Version + 1 && record.SurvivorVersionAfterMerge == survivor.Version, "The survivor's state must be the record's survivor at its next version.", nameof(survivor));
        foreach (var e in events)
        {
            Preconditions.Check(e is not null && e.TenantId == record.TenantId, "Every event must belong to the record's tenant.", nameof(events));
        }

        Record = record;
        Survivor = survivor;
        Events = events;
    }

    /// <summary>The merge record.</summary>
    public CustomerMergeRecord Record { get; }

    /// <summary>The survivor's merged state.</summary>
    public CustomerSnapshot Survivor { get; }

    /// <summary>The events to store with the merge.</summary>
    public IReadOnlyList<CrmEventEnvelope> Events { get; }
}

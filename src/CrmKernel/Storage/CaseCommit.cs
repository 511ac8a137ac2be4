using CrmKernel.Cases;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

namespace CrmKernel.Storage;

/// <summary>
/// What <see cref="ICaseStore.CommitAsync"/> stores in one atomic step: the new state of one case (or of the duplicate
/// and the survivor of a merge) as documents with the key columns to index, the versions they were read at, and the
/// events their changes raised. The case service builds it with <see cref="Create(ServiceCase)"/>; adapters read it.
/// </summary>
public sealed class CaseCommit
{
    /// <summary>The most cases one commit stores (a merge's two).</summary>
    internal const int MaxCases = 2;

    private CaseCommit(TenantId tenantId, IReadOnlyList<CaseWrite> writes, IReadOnlyList<CrmEventEnvelope> events)
    {
        TenantId = tenantId;
        Writes = writes;
        Events = events;
    }

    /// <summary>The commit that stores a case's pending changes at its next version.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="serviceCase"/> is null.</exception>
    public static CaseCommit Create(ServiceCase serviceCase) => Create([Preconditions.NotNull(serviceCase)]);

    /// <summary>The commit that stores the pending changes of several cases of one tenant (a merge's duplicate and survivor) together.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="cases"/> is null or holds null.</exception>
    /// <exception cref="ArgumentException">No case, more than two, the same case twice, or cases of different tenants.</exception>
    public static CaseCommit Create(IEnumerable<ServiceCase> cases)
    {
        var list = Preconditions.NotNull(cases).ToArray();
        Preconditions.Check(list.Length is >= 1 and <= MaxCases && Array.TrueForAll(list, static c => c is not null), $"A commit stores 1 to {MaxCases} cases.", nameof(cases));
        Preconditions.Check(list.Select(static c => c.Id).Distinct().Count() == list.Length && list.All(c => c.TenantId == list[0].TenantId), "The cases are distinct cases of one tenant.", nameof(cases));
        var writes = new CaseWrite[list.Length];
        var events = new List<CrmEventEnvelope>();
        for (var i = 0; i < list.Length; i++)
        {
            var version = list[i].Version + 1;
            writes[i] = new CaseWrite(list[i], CaseJson.WriteCase(list[i], version));
            foreach (var e in list[i].PendingEvents)
            {
                events.Add(CaseJson.ToEnvelope(e, version));
            }
        }

        return new CaseCommit(list[0].TenantId, writes, events);
    }

    /// <summary>The tenant.</summary>
    public TenantId TenantId { get; }

    /// <summary>The cases to store, each with its key columns, expected version and document.</summary>
    public IReadOnlyList<CaseWrite> Writes { get; }

    /// <summary>The events to store in the outbox together with the states.</summary>
    public IReadOnlyList<CrmEventEnvelope> Events { get; }
}

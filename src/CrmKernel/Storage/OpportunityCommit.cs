using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Sales;

namespace CrmKernel.Storage;

/// <summary>
/// What <see cref="IOpportunityStore.CommitAsync"/> stores in one atomic step: an opportunity's new state as a
/// document with the key columns to index, the version it was read at, and the events its change raised. The sales
/// service builds it with <see cref="Create"/>; adapters read it.
/// </summary>
public sealed class OpportunityCommit
{
    private OpportunityCommit(Opportunity opportunity, string document, IReadOnlyList<CrmEventEnvelope> events)
    {
        TenantId = opportunity.TenantId;
        OpportunityId = opportunity.Id;
        CustomerId = opportunity.CustomerId;
        PipelineId = opportunity.PipelineId;
        Status = opportunity.Status;
        ExpectedVersion = opportunity.Version;
        Document = document;
        Events = events;
    }

    /// <summary>The commit that stores a deal's pending changes at its next version.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="opportunity"/> is null.</exception>
    public static OpportunityCommit Create(Opportunity opportunity)
    {
        Preconditions.NotNull(opportunity);
        var version = opportunity.Version + 1;
        var events = new CrmEventEnvelope[opportunity.PendingEvents.Count];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = SalesJson.ToEnvelope(opportunity.PendingEvents[i], version);
        }

        return new OpportunityCommit(opportunity, SalesJson.WriteOpportunity(opportunity, version), events);
    }

    /// <summary>The tenant.</summary>
    public TenantId TenantId { get; }

    /// <summary>The deal's id (the key).</summary>
    public OpportunityId OpportunityId { get; }

    /// <summary>The deal's customer (index it: deals are listed per customer).</summary>
    public CustomerId CustomerId { get; }

    /// <summary>The deal's pipeline.</summary>
    public SalesPipelineId PipelineId { get; }

    /// <summary>The deal's status after the commit.</summary>
    public OpportunityStatus Status { get; }

    /// <summary>The version the change was made from: 0 means insert.</summary>
    public long ExpectedVersion { get; }

    /// <summary>The version stored by this commit (<see cref="ExpectedVersion"/> + 1).</summary>
    public long NewVersion => ExpectedVersion + 1;

    /// <summary>True when this commit inserts a new deal.</summary>
    public bool IsInsert => ExpectedVersion == 0;

    /// <summary>The new state; store it verbatim and read it back with <see cref="SalesDocuments.ReadOpportunity(TenantId, OpportunityId, CustomerId, SalesPipelineId, string, string)"/>.</summary>
    public string Document { get; }

    /// <summary>The events to store in the outbox together with the state.</summary>
    public IReadOnlyList<CrmEventEnvelope> Events { get; }
}

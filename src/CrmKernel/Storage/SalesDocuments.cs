using CrmKernel.Primitives;
using CrmKernel.Sales;

namespace CrmKernel.Storage;

/// <summary>
/// The kernel's text form of sales pipelines and opportunities, for storage adapters: store the document a commit
/// carries verbatim (next to the key columns you index) and turn it back into the aggregate with these methods when
/// you read it. The kernel owns the format and reads every version it ever wrote.
/// </summary>
public static class SalesDocuments
{
    /// <summary>The document to store for a pipeline passed to <see cref="ISalesPipelineStore.CommitAsync"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="pipeline"/> is null.</exception>
    public static string Write(SalesPipeline pipeline) => SalesJson.WritePipeline(Diagnostics.Preconditions.NotNull(pipeline));

    /// <summary>Rebuilds the stored pipeline <paramref name="pipelineId"/> of <paramref name="tenantId"/> from its document.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is null.</exception>
    /// <exception cref="Diagnostics.InvalidStoredStateException">The document is not a valid pipeline, or not the one with this id (<c>CRM-STORE-001</c>).</exception>
    public static SalesPipeline ReadPipeline(TenantId tenantId, SalesPipelineId pipelineId, string document)
    {
        var pipeline = SalesJson.ReadPipeline(tenantId, pipelineId.ToString(), document);
        return pipeline.Id == pipelineId ? pipeline : throw new Diagnostics.InvalidStoredStateException(SalesJson.PipelineAggregate, pipelineId.ToString(), "the document holds another pipeline");
    }

    /// <summary>
    /// Rebuilds the stored opportunity <paramref name="opportunityId"/> of <paramref name="tenantId"/> from the document of
    /// its last commit, checking that the key columns the adapter read beside it (customer, pipeline, status) agree with it.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="status"/> or <paramref name="document"/> is null.</exception>
    /// <exception cref="Diagnostics.InvalidStoredStateException">The document is not a valid opportunity, not the one with this id, or disagrees with its key columns (<c>CRM-STORE-001</c>).</exception>
    public static Opportunity ReadOpportunity(TenantId tenantId, OpportunityId opportunityId, CustomerId customerId, SalesPipelineId pipelineId, string status, string document)
    {
        Diagnostics.Preconditions.NotNull(status);
        var opportunity = ReadOpportunity(tenantId, opportunityId, document);
        return opportunity.CustomerId == customerId && opportunity.PipelineId == pipelineId && opportunity.Status.ToString() == status
            ? opportunity
            : throw new Diagnostics.InvalidStoredStateException(SalesJson.OpportunityAggregate, opportunityId.ToString(), "the document disagrees with the row's customer, pipeline or status");
    }

    /// <summary>Rebuilds the stored opportunity <paramref name="opportunityId"/> of <paramref name="tenantId"/> from the document of its last commit.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is null.</exception>
    /// <exception cref="Diagnostics.InvalidStoredStateException">The document is not a valid opportunity, or not the one with this id (<c>CRM-STORE-001</c>).</exception>
    public static Opportunity ReadOpportunity(TenantId tenantId, OpportunityId opportunityId, string document)
    {
        var opportunity = SalesJson.ReadOpportunity(tenantId, opportunityId.ToString(), document);
        return opportunity.Id == opportunityId ? opportunity : throw new Diagnostics.InvalidStoredStateException(SalesJson.OpportunityAggregate, opportunityId.ToString(), "the document holds another opportunity");
    }
}

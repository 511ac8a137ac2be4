using System.Runtime.CompilerServices;
using CrmKernel.Diagnostics;
using CrmKernel.Events;
using CrmKernel.Primitives;
using CrmKernel.Sales;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Ingestion;
using CrmKernel.Services.Relationships;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Services.Sales;

/// <summary>
/// The sales process as application code drives it: define pipelines, open deals for customers, work them (line items,
/// contact roles, stage moves), close them won or lost, reopen lost ones. Resolve it from DI after
/// <c>services.AddCrmKernel(b => b.UseInMemoryStores())</c> (or the SQLite or PostgreSQL store).
/// </summary>
/// <remarks>
/// <para>Each command reads the deal, applies the change through the <see cref="Opportunity"/> aggregate (which enforces
/// the rules), and commits the new state with its events in one store call, then publishes the events. A command that
/// loses an optimistic-concurrency race is retried from a fresh read, up to <see cref="MaxAttempts"/> times; a refused
/// command changes nothing.</para>
/// <para>Closing won records the deal as a purchase touchpoint (kind <c>purchase</c>, function sales, revenue the deal's
/// amount, its products) through <see cref="TouchpointIngestion"/>, the one ingestion pipeline, so the customer moves
/// through the lifecycle exactly as for any other purchase (a prospect becomes a first-time customer). The touchpoint's
/// source key is derived from the deal (<see cref="PurchaseSource"/>, <c>opportunity:{id}</c>), so recording it again
/// stores nothing twice: if the process stops between the win and the purchase, <see cref="RecordPurchaseAsync"/> records
/// it later.</para>
/// </remarks>
public sealed class OpportunityService
{
    /// <summary>How many times a command is tried when the deal keeps changing under it.</summary>
    public const int MaxAttempts = 5;

    /// <summary>The source system of the purchase touchpoints of won deals.</summary>
    public const string PurchaseSource = "crm-sales";

    private readonly IOpportunityStore _opportunities;
    private readonly ISalesPipelineStore _pipelines;
    private readonly CustomerRepository _customers;
    private readonly TouchpointIngestion _ingestion;
    private readonly RelationshipGraph _graph;
    private readonly IClock _clock;

    /// <summary>Creates the service (DI does this for you).</summary>
    /// <param name="opportunities">The opportunity store.</param>
    /// <param name="pipelines">The pipeline store.</param>
    /// <param name="customers">The customer repository: deals are for existing customers, and events are published through it.</param>
    /// <param name="ingestion">The ingestion pipeline that records the purchase of a won deal.</param>
    /// <param name="graph">The relationship graph contact roles are checked against.</param>
    /// <param name="clock">Stamps every change.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public OpportunityService(IOpportunityStore opportunities, ISalesPipelineStore pipelines, CustomerRepository customers, TouchpointIngestion ingestion, RelationshipGraph graph, IClock clock)
    {
        _opportunities = Preconditions.NotNull(opportunities);
        _pipelines = Preconditions.NotNull(pipelines);
        _customers = Preconditions.NotNull(customers);
        _ingestion = Preconditions.NotNull(ingestion);
        _graph = Preconditions.NotNull(graph);
        _clock = Preconditions.NotNull(clock);
    }

    /// <summary>The channel purchase touchpoints of won deals are recorded on unless a call names another.</summary>
    public static ChannelId DirectSalesChannel { get; } = new("direct-sales");

    /// <summary>Defines a new pipeline for the tenant.</summary>
    /// <exception cref="ArgumentNullException">An argument is null or <paramref name="stages"/> holds null.</exception>
    /// <exception cref="ArgumentException">See <see cref="SalesPipeline.Define"/>.</exception>
    public async ValueTask<SalesPipeline> DefinePipelineAsync(TenantId tenantId, string name, IEnumerable<SalesStage> stages, CancellationToken cancellationToken = default)
    {
        var pipeline = SalesPipeline.Define(tenantId, SalesPipelineId.New(), name, stages);
        await _pipelines.CommitAsync(pipeline, 0, cancellationToken).ConfigureAwait(false);
        return pipeline;
    }

    /// <summary>Revises a pipeline: new name and stages, every existing stage kept (see <see cref="SalesPipeline.Revise"/>).</summary>
    /// <exception cref="ArgumentNullException">An argument is null or <paramref name="stages"/> holds null.</exception>
    /// <exception cref="ArgumentException">See <see cref="SalesPipeline.Revise"/>.</exception>
    /// <exception cref="SalesRuleException"><c>CRM-SALES-009</c> no such pipeline; <c>CRM-SALES-007</c> a stage would be removed.</exception>
    /// <exception cref="ConcurrencyConflictException">The pipeline kept changing for <see cref="MaxAttempts"/> attempts.</exception>
    public async ValueTask<SalesPipeline> RevisePipelineAsync(TenantId tenantId, SalesPipelineId pipelineId, string name, IEnumerable<SalesStage> stages, CancellationToken cancellationToken = default)
    {
        Preconditions.NotNull(name);
        var list = Preconditions.NotNull(stages).ToArray();
        for (var attempt = 1; ; attempt++)
        {
            var current = await GetPipelineAsync(tenantId, pipelineId, cancellationToken).ConfigureAwait(false);
            var revised = current.Revise(name, list);
            try
            {
                await _pipelines.CommitAsync(revised, current.Version, cancellationToken).ConfigureAwait(false);
                return revised;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    /// <summary>Gets a pipeline.</summary>
    /// <exception cref="ArgumentException">A default tenant or id.</exception>
    /// <exception cref="SalesRuleException"><c>CRM-SALES-009</c>: the tenant has no such pipeline.</exception>
    public async ValueTask<SalesPipeline> GetPipelineAsync(TenantId tenantId, SalesPipelineId pipelineId, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(pipelineId);
        return await _pipelines.FindAsync(tenantId, pipelineId, cancellationToken).ConfigureAwait(false)
               ?? throw new SalesRuleException(CrmErrorCodes.SalesPipelineNotFound, $"Tenant {tenantId} has no sales pipeline {pipelineId}.");
    }

    /// <summary>Every pipeline of the tenant, in id (creation) order.</summary>
    /// <exception cref="ArgumentException">A default tenant.</exception>
    public ValueTask<IReadOnlyList<SalesPipeline>> ListPipelinesAsync(TenantId tenantId, CancellationToken cancellationToken = default)
        => _pipelines.ListAsync(Preconditions.NotDefault(tenantId), cancellationToken);

    /// <summary>Finds a deal; null when the tenant has none.</summary>
    /// <exception cref="ArgumentException">A default tenant or id.</exception>
    public ValueTask<Opportunity?> FindAsync(TenantId tenantId, OpportunityId opportunityId, CancellationToken cancellationToken = default)
        => _opportunities.FindAsync(Preconditions.NotDefault(tenantId), Preconditions.NotDefault(opportunityId), cancellationToken);

    /// <summary>Gets a deal.</summary>
    /// <exception cref="ArgumentException">A default tenant or id.</exception>
    /// <exception cref="SalesRuleException"><c>CRM-SALES-008</c>: the tenant has no such deal.</exception>
    public async ValueTask<Opportunity> GetAsync(TenantId tenantId, OpportunityId opportunityId, CancellationToken cancellationToken = default)
        => await FindAsync(tenantId, opportunityId, cancellationToken).ConfigureAwait(false)
           ?? throw new SalesRuleException(CrmErrorCodes.OpportunityNotFound, $"Tenant {tenantId} has no opportunity {opportunityId}.");

    /// <summary>Streams every deal of the tenant in id (creation) order, in keyset pages of <paramref name="pageSize"/>.</summary>
    /// <exception cref="ArgumentException">A default tenant.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pageSize"/> is not 1 to 10,000.</exception>
    public IAsyncEnumerable<Opportunity> StreamAsync(TenantId tenantId, int pageSize = 500, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        StoreArguments.CheckLimit(pageSize, nameof(pageSize));
        return Stream((after, ct) => _opportunities.PageAsync(tenantId, after, pageSize, ct), pageSize, cancellationToken);
    }

    /// <summary>Streams a customer's deals in id (creation) order.</summary>
    /// <exception cref="ArgumentException">A default tenant or customer.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pageSize"/> is not 1 to 10,000.</exception>
    public IAsyncEnumerable<Opportunity> StreamByCustomerAsync(TenantId tenantId, CustomerId customerId, int pageSize = 500, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(customerId);
        StoreArguments.CheckLimit(pageSize, nameof(pageSize));
        return Stream((after, ct) => _opportunities.PageByCustomerAsync(tenantId, customerId, after, pageSize, ct), pageSize, cancellationToken);
    }

    /// <summary>Opens a deal for an existing customer in a pipeline's first stage (or <paramref name="stageKey"/>).</summary>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">A default id or currency, or a blank or too long text.</exception>
    /// <exception cref="CustomerNotFoundException">The customer does not exist.</exception>
    /// <exception cref="SalesRuleException"><c>CRM-SALES-009</c> no such pipeline; <c>CRM-SALES-001</c> no such stage.</exception>
    public async ValueTask<Opportunity> OpenAsync(TenantId tenantId, CustomerId customerId, SalesPipelineId pipelineId, string name, string owner, Currency currency, LocalDate expectedCloseDate, string actor, string? stageKey = null, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(customerId);
        Preconditions.NotNull(name);
        Preconditions.NotNull(owner);
        Preconditions.NotNull(actor);
        var pipeline = await GetPipelineAsync(tenantId, pipelineId, cancellationToken).ConfigureAwait(false);
        _ = await _customers.GetAsync(tenantId, customerId, cancellationToken).ConfigureAwait(false);
        var opportunity = Opportunity.Open(OpportunityId.New(), customerId, pipeline, name, owner, currency, expectedCloseDate, _clock.GetCurrentInstant(), actor, stageKey);
        await CommitAsync(opportunity, cancellationToken).ConfigureAwait(false);
        return opportunity;
    }

    /// <summary>Adds a product to an open deal (see <see cref="Opportunity.AddLineItem"/>).</summary>
    /// <exception cref="CurrencyMismatchException">The price is not in the deal's currency.</exception>
    /// <exception cref="SalesRuleException">See <see cref="Opportunity.AddLineItem"/>; <c>CRM-SALES-008</c> no such deal.</exception>
    public ValueTask<OpportunityLineItem> AddLineItemAsync(TenantId tenantId, OpportunityId opportunityId, string productId, decimal quantity, Money unitPrice, decimal discount = 0m, CancellationToken cancellationToken = default)
    {
        Preconditions.NotNull(productId);
        return ChangeAsync(tenantId, opportunityId, (o, at) => o.AddLineItem(productId, quantity, unitPrice, discount, at), cancellationToken);
    }

    /// <summary>Removes a line from an open deal.</summary>
    /// <exception cref="SalesRuleException">See <see cref="Opportunity.RemoveLineItem"/>; <c>CRM-SALES-008</c> no such deal.</exception>
    public async ValueTask RemoveLineItemAsync(TenantId tenantId, OpportunityId opportunityId, int lineNumber, CancellationToken cancellationToken = default)
        => await ChangeAsync(tenantId, opportunityId, (o, at) => { o.RemoveLineItem(lineNumber, at); return true; }, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Gives a contact a role in an open deal. The contact must be related to the deal's customer now (any relationship
    /// in the graph, e.g. an employee of the customer organisation, a household member of the customer person).
    /// </summary>
    /// <exception cref="SalesRuleException"><c>CRM-SALES-010</c> not related; see also <see cref="Opportunity.AddContactRole"/>; <c>CRM-SALES-008</c> no such deal.</exception>
    public async ValueTask AddContactRoleAsync(TenantId tenantId, OpportunityId opportunityId, CustomerId contactId, string role, CancellationToken cancellationToken = default)
    {
        var contactRole = new OpportunityContactRole(contactId, role);
        var current = await GetAsync(tenantId, opportunityId, cancellationToken).ConfigureAwait(false);
        var related = await _graph.AsOfAsync(tenantId, current.CustomerId, _clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false);
        if (!related.Any(r => r.Other(current.CustomerId) == contactId))
        {
            throw new SalesRuleException(CrmErrorCodes.ContactNotRelated, $"Customer {contactId} is not related to customer {current.CustomerId} of opportunity {opportunityId}.");
        }

        await ChangeAsync(tenantId, opportunityId, (o, at) => { o.AddContactRole(contactRole, at); return true; }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes a contact's role from an open deal.</summary>
    /// <exception cref="SalesRuleException">See <see cref="Opportunity.RemoveContactRole"/>; <c>CRM-SALES-008</c> no such deal.</exception>
    public async ValueTask RemoveContactRoleAsync(TenantId tenantId, OpportunityId opportunityId, CustomerId contactId, string role, CancellationToken cancellationToken = default)
    {
        var contactRole = new OpportunityContactRole(contactId, role);
        await ChangeAsync(tenantId, opportunityId, (o, at) => { o.RemoveContactRole(contactRole, at); return true; }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Changes an open deal's expected close date.</summary>
    /// <exception cref="SalesRuleException">See <see cref="Opportunity.Reschedule"/>; <c>CRM-SALES-008</c> no such deal.</exception>
    public async ValueTask RescheduleAsync(TenantId tenantId, OpportunityId opportunityId, LocalDate expectedCloseDate, CancellationToken cancellationToken = default)
        => await ChangeAsync(tenantId, opportunityId, (o, at) => { o.Reschedule(expectedCloseDate, at); return true; }, cancellationToken).ConfigureAwait(false);

    /// <summary>Gives an open deal to another owner.</summary>
    /// <exception cref="SalesRuleException">See <see cref="Opportunity.Reassign"/>; <c>CRM-SALES-008</c> no such deal.</exception>
    public async ValueTask ReassignAsync(TenantId tenantId, OpportunityId opportunityId, string owner, CancellationToken cancellationToken = default)
    {
        Preconditions.NotNull(owner);
        await ChangeAsync(tenantId, opportunityId, (o, at) => { o.Reassign(owner, at); return true; }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Moves an open deal to another stage of its pipeline.</summary>
    /// <returns>The history entry.</returns>
    /// <exception cref="SalesRuleException">See <see cref="Opportunity.MoveToStage"/>; <c>CRM-SALES-008</c> no such deal.</exception>
    public async ValueTask<OpportunityStageChange> MoveStageAsync(TenantId tenantId, OpportunityId opportunityId, string stageKey, string actor, string reason, CancellationToken cancellationToken = default)
    {
        Preconditions.NotNull(stageKey);
        Preconditions.NotNull(actor);
        Preconditions.NotNull(reason);
        var pipeline = await PipelineOfAsync(tenantId, opportunityId, cancellationToken).ConfigureAwait(false);
        return await ChangeAsync(tenantId, opportunityId, (o, at) => o.MoveToStage(pipeline, stageKey, at, actor, reason), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes an open deal as lost.</summary>
    /// <exception cref="SalesRuleException">See <see cref="Opportunity.CloseLost"/>; <c>CRM-SALES-008</c> no such deal.</exception>
    public ValueTask<OpportunityStageChange> CloseLostAsync(TenantId tenantId, OpportunityId opportunityId, string actor, string reason, CancellationToken cancellationToken = default)
    {
        Preconditions.NotNull(actor);
        Preconditions.NotNull(reason);
        return ChangeAsync(tenantId, opportunityId, (o, at) => o.CloseLost(at, actor, reason), cancellationToken);
    }

    /// <summary>Reopens a lost deal into an open stage of its pipeline.</summary>
    /// <exception cref="SalesRuleException">See <see cref="Opportunity.Reopen"/>; <c>CRM-SALES-008</c> no such deal.</exception>
    public async ValueTask<OpportunityStageChange> ReopenAsync(TenantId tenantId, OpportunityId opportunityId, string stageKey, string actor, string reason, CancellationToken cancellationToken = default)
    {
        Preconditions.NotNull(stageKey);
        Preconditions.NotNull(actor);
        Preconditions.NotNull(reason);
        var pipeline = await PipelineOfAsync(tenantId, opportunityId, cancellationToken).ConfigureAwait(false);
        return await ChangeAsync(tenantId, opportunityId, (o, at) => o.Reopen(pipeline, stageKey, at, actor, reason), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Closes an open deal as won, then records its purchase through the ingestion pipeline (which moves the customer
    /// through the lifecycle). On <paramref name="channel"/>, <see cref="DirectSalesChannel"/> when null.
    /// </summary>
    /// <returns>The purchase as ingested, with the lifecycle transitions it triggered.</returns>
    /// <exception cref="SalesRuleException">See <see cref="Opportunity.CloseWon"/>; <c>CRM-SALES-008</c> no such deal.</exception>
    public async ValueTask<IngestionResult> CloseWonAsync(TenantId tenantId, OpportunityId opportunityId, string actor, string reason, ChannelId? channel = null, CancellationToken cancellationToken = default)
    {
        Preconditions.NotNull(actor);
        Preconditions.NotNull(reason);
        await ChangeAsync(tenantId, opportunityId, (o, at) => o.CloseWon(at, actor, reason), cancellationToken).ConfigureAwait(false);
        return await RecordPurchaseAsync(tenantId, opportunityId, channel, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records the purchase of a won deal through the ingestion pipeline, idempotently (source <see cref="PurchaseSource"/>,
    /// key <c>opportunity:{id}</c>): <see cref="CloseWonAsync"/> calls it; call it yourself to finish a win whose purchase
    /// was not recorded (the process stopped in between). A second call stores nothing and reports it already recorded.
    /// </summary>
    /// <exception cref="SalesRuleException"><c>CRM-SALES-008</c> no such deal; <c>CRM-SALES-012</c> the deal is not won.</exception>
    public async ValueTask<IngestionResult> RecordPurchaseAsync(TenantId tenantId, OpportunityId opportunityId, ChannelId? channel = null, CancellationToken cancellationToken = default)
    {
        var won = await GetAsync(tenantId, opportunityId, cancellationToken).ConfigureAwait(false);
        if (won.Status != OpportunityStatus.Won)
        {
            throw new SalesRuleException(CrmErrorCodes.OpportunityNotWon, $"Opportunity {opportunityId} is {won.Status.ToString().ToUpperInvariant()}: only a won deal is a purchase.");
        }

        var purchase = new NewTouchpoint
        {
            CustomerId = won.CustomerId,
            Channel = channel ?? DirectSalesChannel,
            Direction = InteractionDirection.Inbound,
            Function = CrmFunction.Sales,
            Kind = TouchpointKind.Purchase,
            OccurredAt = won.ClosedAt!.Value,
            Source = PurchaseKey(won.Id),
            Revenue = won.Amount,
            ProductIds = [.. won.LineItems.Select(i => i.ProductId).Distinct(StringComparer.Ordinal)],
        };
        return await _ingestion.RecordAsync(tenantId, purchase, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The source key of a won deal's purchase touchpoint.</summary>
    public static ExternalIdentifier PurchaseKey(OpportunityId opportunityId) => new(PurchaseSource, $"opportunity:{Preconditions.NotDefault(opportunityId)}");

    private async ValueTask<SalesPipeline> PipelineOfAsync(TenantId tenantId, OpportunityId opportunityId, CancellationToken cancellationToken)
    {
        var current = await GetAsync(tenantId, opportunityId, cancellationToken).ConfigureAwait(false);
        return await GetPipelineAsync(tenantId, current.PipelineId, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<T> ChangeAsync<T>(TenantId tenantId, OpportunityId opportunityId, Func<Opportunity, Instant, T> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var opportunity = await GetAsync(tenantId, opportunityId, cancellationToken).ConfigureAwait(false);
            var result = change(opportunity, _clock.GetCurrentInstant());
            try
            {
                await CommitAsync(opportunity, cancellationToken).ConfigureAwait(false);
                return result;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    private async ValueTask CommitAsync(Opportunity opportunity, CancellationToken cancellationToken)
    {
        var commit = OpportunityCommit.Create(opportunity);
        await _opportunities.CommitAsync(commit, cancellationToken).ConfigureAwait(false);
        var events = opportunity.PendingEvents.ToArray<ICrmEvent>();
        opportunity.MarkCommitted(commit.NewVersion);
        await _customers.PublishAsync(opportunity.TenantId, events, cancellationToken).ConfigureAwait(false);
    }

    private static async IAsyncEnumerable<Opportunity> Stream(Func<OpportunityId?, CancellationToken, ValueTask<IReadOnlyList<Opportunity>>> read, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var page in StorePaging.OpportunityPagesAsync(read, pageSize, cancellationToken).ConfigureAwait(false))
        {
            foreach (var opportunity in page)
            {
                yield return opportunity;
            }
        }
    }
}

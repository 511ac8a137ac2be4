using CrmKernel.Diagnostics;
using CrmKernel.Events;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Relationships;
using CrmKernel.Sales;
using CrmKernel.Services.Events;
using CrmKernel.Services.Ingestion;
using CrmKernel.Services.Relationships;
using CrmKernel.Services.Sales;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using NodaTime;
using Xunit;

namespace CrmKernel.Testing.Storage;

/// <summary>
/// The conformance kit for <see cref="IOpportunityStore"/> and <see cref="ISalesPipelineStore"/>, and for
/// <see cref="OpportunityService"/> running on them: every field round-trips (line items, contact roles, the whole stage
/// history), versions conflict and a conflicting commit changes nothing, events go to the outbox in the same commit and
/// the relay can read them back, tenants are isolated, keyset pages per tenant and per customer neither skip nor repeat,
/// and a won deal records its purchase through the ingestion pipeline once, moving the customer from prospect to
/// first-time customer. Return stores whose <see cref="CrmStores.Opportunities"/>, <see cref="CrmStores.SalesPipelines"/>,
/// <see cref="CrmStores.Touchpoints"/>, <see cref="CrmStores.Relationships"/> and <see cref="CrmStores.CustomerTouchpoints"/> are set.
/// </summary>
public abstract class OpportunityStoreConformanceTests : StoreConformanceTests
{
    /// <summary>The opportunity store under test.</summary>
    protected static IOpportunityStore Opportunities(CrmStores stores)
        => Preconditions.NotNull(stores).Opportunities ?? throw new InvalidOperationException("CreateStoresAsync must set CrmStores.Opportunities for the opportunity kit.");

    /// <summary>The pipeline store under test.</summary>
    protected static ISalesPipelineStore Pipelines(CrmStores stores)
        => Preconditions.NotNull(stores).SalesPipelines ?? throw new InvalidOperationException("CreateStoresAsync must set CrmStores.SalesPipelines for the opportunity kit.");

    /// <summary>The service over the stores under test, publishing to <paramref name="publisher"/>.</summary>
    protected OpportunityService Service(CrmStores stores, ICrmEventPublisher? publisher = null)
    {
        Preconditions.NotNull(stores);
        var touchpoints = stores.Touchpoints ?? throw new InvalidOperationException("CreateStoresAsync must set CrmStores.Touchpoints for the opportunity kit.");
        var atomic = stores.CustomerTouchpoints ?? throw new InvalidOperationException("CreateStoresAsync must set CrmStores.CustomerTouchpoints for the opportunity kit.");
        var relationships = stores.Relationships ?? throw new InvalidOperationException("CreateStoresAsync must set CrmStores.Relationships for the opportunity kit.");
        var ingestion = new TouchpointIngestion(touchpoints, Clock, DefaultLifecycleModel.Create(), stores.Customers, atomic, publisher, stores.Outbox);
        return new OpportunityService(Opportunities(stores), Pipelines(stores), Repository(stores, publisher), ingestion, new RelationshipGraph(relationships), Clock);
    }

    /// <summary>A four-stage pipeline of <paramref name="tenant"/> at version 1.</summary>
    protected static SalesPipeline NewPipeline(TenantId tenant) => SalesPipeline.Define(tenant, SalesPipelineId.New(), "New business",
    [
        new SalesStage("qualify", "Qualify", 0.1m, ForecastCategory.Pipeline),
        new SalesStage("propose", "Propose", 0.4m, ForecastCategory.BestCase),
        new SalesStage("negotiate", "Negotiate", 0.75m, ForecastCategory.Commit),
        new SalesStage("verbal", "Verbal yes", 0.9m, ForecastCategory.Commit),
    ]);

    /// <summary>A new deal (version 0, with pending events) of <paramref name="customer"/> in <paramref name="pipeline"/>.</summary>
    protected Opportunity NewDeal(SalesPipeline pipeline, CustomerId customer)
        => Opportunity.Open(OpportunityId.New(), customer, Preconditions.NotNull(pipeline), "Kit deal", "owner-7", Currency.EUR, new LocalDate(2026, 6, 30), Clock.GetCurrentInstant(), "kit-rep");

    /// <summary>Commits a deal's pending changes as the service does, returning the commit.</summary>
    protected static async Task<OpportunityCommit> CommitAsync(CrmStores stores, Opportunity deal)
    {
        var commit = OpportunityCommit.Create(deal);
        await Opportunities(stores).CommitAsync(commit, default);
        deal.MarkCommitted(commit.NewVersion);
        return commit;
    }

    /// <summary>Every field of a pipeline round-trips; a revision stores the next version; stale writes conflict.</summary>
    [Fact]
    public virtual async Task Pipeline_RoundTripsEveryField_AndVersionsConflict()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var pipeline = NewPipeline(tenant);
        await Pipelines(stores).CommitAsync(pipeline, 0, default);
        AssertSamePipeline(pipeline, await Pipelines(stores).FindAsync(tenant, pipeline.Id, default));

        var revised = pipeline.Revise("New business 2027", [.. pipeline.Stages.Reverse(), new SalesStage("legal", "Legal review", 0.95m, ForecastCategory.Commit)]);
        await Pipelines(stores).CommitAsync(revised, 1, default);
        AssertSamePipeline(revised, await Pipelines(stores).FindAsync(tenant, pipeline.Id, default));

        var stale = await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await Pipelines(stores).CommitAsync(pipeline.Revise("again", pipeline.Stages), 1, default));
        Assert.Equal(CrmErrorCodes.ConcurrencyConflict, stale.ErrorCode);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await Pipelines(stores).CommitAsync(pipeline, 0, default));
        AssertSamePipeline(revised, await Pipelines(stores).FindAsync(tenant, pipeline.Id, default));

        var second = NewPipeline(tenant);
        await Pipelines(stores).CommitAsync(second, 0, default);
        Assert.Equal(new[] { pipeline.Id, second.Id }.Order(), (await Pipelines(stores).ListAsync(tenant, default)).Select(p => p.Id));
    }

    /// <summary>Every field of a deal round-trips, through a history of moves, a loss and a reopen, with lines and roles.</summary>
    [Fact]
    public virtual async Task Opportunity_RoundTripsEveryField()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var pipeline = NewPipeline(tenant);
        var deal = NewDeal(pipeline, CustomerId.New());
        deal.AddLineItem("seat-licence", 40m, new Money(120.50m, Currency.EUR), 0.125m, Clock.GetCurrentInstant());
        deal.AddLineItem("onboarding", 1.5m, new Money(900m, Currency.EUR), 0m, Clock.GetCurrentInstant());
        deal.AddContactRole(new OpportunityContactRole(CustomerId.New(), "decision-maker"), Clock.GetCurrentInstant());
        deal.AddContactRole(new OpportunityContactRole(CustomerId.New(), "champion"), Clock.GetCurrentInstant());
        deal.MoveToStage(pipeline, "negotiate", Clock.GetCurrentInstant().PlusNanoseconds(123), "kit-rep", "pricing agreed");
        deal.CloseLost(Clock.GetCurrentInstant(), "kit-manager", "budget frozen");
        deal.Reopen(pipeline, "propose", Clock.GetCurrentInstant(), "kit-rep", "budget back");
        deal.Reschedule(new LocalDate(2026, 9, 30), Clock.GetCurrentInstant());
        deal.Reassign("owner-8", Clock.GetCurrentInstant());
        await CommitAsync(stores, deal);

        var stored = await Opportunities(stores).FindAsync(tenant, deal.Id, default);
        AssertSameDeal(deal, stored);
        Assert.Equal(1, stored!.Version);
        Assert.Equal(new Money(40m * 120.50m * 0.875m + 1350m, Currency.EUR), stored.Amount);
        Assert.Null(await Opportunities(stores).FindAsync(tenant, OpportunityId.New(), default));
    }

    /// <summary>
    /// Versions move on every write; a stale write, an insert of an existing id and an update of a missing one are
    /// conflicts (<c>CRM-STORE-002</c>) that change nothing: neither the state nor the outbox.
    /// </summary>
    [Fact]
    public virtual async Task Commit_StaleOrMisplaced_ConflictsAndChangesNothing()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var pipeline = NewPipeline(tenant);
        var deal = NewDeal(pipeline, CustomerId.New());
        await CommitAsync(stores, deal);
        var reader = (await Opportunities(stores).FindAsync(tenant, deal.Id, default))!;
        deal.MoveToStage(pipeline, "propose", Clock.GetCurrentInstant(), "kit-rep", "demo done");
        await CommitAsync(stores, deal);
        var pending = await stores.Outbox.ListPendingAsync(tenant, 100, default);

        reader.CloseLost(Clock.GetCurrentInstant(), "kit-rep", "stale view");
        var stale = await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await Opportunities(stores).CommitAsync(OpportunityCommit.Create(reader), default));
        Assert.Equal(CrmErrorCodes.ConcurrencyConflict, stale.ErrorCode);
        Assert.Equal(1, stale.ExpectedVersion);
        Assert.Equal(2, stale.ActualVersion);

        var again = NewDeal(pipeline, deal.CustomerId);
        var duplicate = OpportunityCommit.Create(Opportunity.Open(deal.Id, deal.CustomerId, pipeline, "Same id", "owner-1", Currency.EUR, new LocalDate(2026, 7, 1), Clock.GetCurrentInstant(), "kit-rep"));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await Opportunities(stores).CommitAsync(duplicate, default));
        var missing = (await Opportunities(stores).FindAsync(tenant, deal.Id, default))!;
        var ghost = Opportunity.Rehydrate(tenant, again.Id, missing.CustomerId, missing.PipelineId, missing.Name, missing.Owner, missing.Currency, missing.ExpectedCloseDate, missing.StageProbability, missing.StageForecastCategory, missing.LineItems, missing.ContactRoles, missing.History, 2);
        ghost.Reassign("owner-9", Clock.GetCurrentInstant());
        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await Opportunities(stores).CommitAsync(OpportunityCommit.Create(ghost), default));

        AssertSameDeal(deal, await Opportunities(stores).FindAsync(tenant, deal.Id, default));
        Assert.Null(await Opportunities(stores).FindAsync(tenant, again.Id, default));
        Assert.Equal(pending.Select(e => e.EventId), (await stores.Outbox.ListPendingAsync(tenant, 100, default)).Select(e => e.EventId));
    }

    /// <summary>The events of a commit are in the outbox with the state, at the committed version, and the relay reads them back as the same events.</summary>
    [Fact]
    public virtual async Task Commit_StoresEventsInTheOutbox_AndTheRelayPublishesThem()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var pipeline = NewPipeline(tenant);
        var deal = NewDeal(pipeline, CustomerId.New());
        var raised = new List<OpportunityEvent>(deal.PendingEvents);
        var first = await CommitAsync(stores, deal);
        deal.AddLineItem("seat-licence", 2m, new Money(10m, Currency.EUR), 0m, Clock.GetCurrentInstant());
        deal.AddContactRole(new OpportunityContactRole(CustomerId.New(), "champion"), Clock.GetCurrentInstant());
        deal.CloseWon(Clock.GetCurrentInstant(), "kit-rep", "signed");
        raised.AddRange(deal.PendingEvents);
        await CommitAsync(stores, deal);

        var pending = await stores.Outbox.ListPendingAsync(tenant, 100, default);
        Assert.Equal(raised.Select(e => e.EventId), pending.Select(e => e.EventId));
        Assert.All(pending, e => Assert.Equal("opportunity", e.AggregateType));
        Assert.All(pending, e => Assert.Equal(deal.Id.ToString(), e.AggregateId));
        Assert.Equal([1L, 2L, 2L, 2L], pending.Select(e => e.AggregateVersion));
        Assert.Equal(first.Events, pending.Take(1));

        var publisher = new RecordingPublisher();
        Assert.Equal(4, await new CrmEventRelay(stores.Outbox, publisher).PublishPendingAsync(tenant));
        Assert.Equal(raised.Select(e => (e.EventId, e.GetType(), e.OccurredAt)), publisher.Published.Select(e => (e.EventId, e.GetType(), e.OccurredAt)));
        var won = Assert.IsType<OpportunityWon>(publisher.Published[^1]);
        Assert.Equal(new Money(20m, Currency.EUR), won.Amount);
        Assert.Equal(OpportunityStatus.Won, won.Change.ToStatus);
        Assert.Empty(await stores.Outbox.ListPendingAsync(tenant, 100, default));
    }

    /// <summary>Nothing of tenant A is visible or changeable from tenant B: reads, pages, per-customer pages, pipelines, the outbox.</summary>
    [Fact]
    public virtual async Task Tenants_AreIsolated()
    {
        await using var stores = await CreateStoresAsync();
        var (a, b) = (NewTenant(), NewTenant());
        var pipeline = NewPipeline(a);
        await Pipelines(stores).CommitAsync(pipeline, 0, default);
        var deal = NewDeal(pipeline, CustomerId.New());
        await CommitAsync(stores, deal);

        Assert.Null(await Opportunities(stores).FindAsync(b, deal.Id, default));
        Assert.Empty(await Opportunities(stores).PageAsync(b, null, 10, default));
        Assert.Empty(await Opportunities(stores).PageByCustomerAsync(b, deal.CustomerId, null, 10, default));
        Assert.Null(await Pipelines(stores).FindAsync(b, pipeline.Id, default));
        Assert.Empty(await Pipelines(stores).ListAsync(b, default));
        Assert.Empty(await stores.Outbox.ListPendingAsync(b, 10, default));

        // The same ids in tenant B are B's own records and leave A's untouched.
        var mirror = SalesPipeline.Define(b, pipeline.Id, "Other tenant", [new SalesStage("only", "Only", 0.5m, ForecastCategory.Pipeline)]);
        await Pipelines(stores).CommitAsync(mirror, 0, default);
        var twin = Opportunity.Open(deal.Id, deal.CustomerId, mirror, "Twin", "owner-b", Currency.USD, new LocalDate(2027, 1, 1), Clock.GetCurrentInstant(), "rep-b");
        await CommitAsync(stores, twin);
        AssertSameDeal(deal, await Opportunities(stores).FindAsync(a, deal.Id, default));
        AssertSameDeal(twin, await Opportunities(stores).FindAsync(b, deal.Id, default));
        AssertSamePipeline(pipeline, await Pipelines(stores).FindAsync(a, pipeline.Id, default));
        Assert.Single(await stores.Outbox.ListPendingAsync(a, 10, default));
    }

    /// <summary>Keyset pages per tenant and per customer: ascending id order, exact limits, a short last page, no skips or repeats.</summary>
    [Fact]
    public virtual async Task Pages_WalkEveryDealOnce_PerTenantAndPerCustomer()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var pipeline = NewPipeline(tenant);
        var (x, y) = (CustomerId.New(), CustomerId.New());
        var ids = new List<OpportunityId>();
        var ofX = new List<OpportunityId>();
        for (var i = 0; i < 23; i++)
        {
            var deal = NewDeal(pipeline, i % 3 == 0 ? x : y);
            await CommitAsync(stores, deal);
            ids.Add(deal.Id);
            if (i % 3 == 0)
            {
                ofX.Add(deal.Id);
            }
        }

        Assert.Equal(ids.Order(), await WalkAsync((after, ct) => Opportunities(stores).PageAsync(tenant, after, 5, ct), 5));
        Assert.Equal(ofX.Order(), await WalkAsync((after, ct) => Opportunities(stores).PageByCustomerAsync(tenant, x, after, 3, ct), 3));
        Assert.Equal(ids.Order(), (await Opportunities(stores).PageAsync(tenant, null, 10_000, default)).Select(d => d.Id));
        Assert.Empty(await Opportunities(stores).PageAsync(tenant, ids.Max(), 10, default));
        Assert.Empty(await Opportunities(stores).PageByCustomerAsync(tenant, CustomerId.New(), null, 10, default));
    }

    /// <summary>
    /// Through the service: a prospect's deal is worked and won; the purchase is recorded once through the ingestion
    /// pipeline (source key from the deal) and the customer becomes a first-time customer; recording it again stores
    /// nothing; a won deal cannot be reopened and nothing changes.
    /// </summary>
    [Fact]
    public virtual async Task Service_CloseWon_RecordsThePurchaseOnce_AndMovesTheLifecycle()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var customers = Repository(stores);
        var prospect = NewCustomer(tenant);
        await customers.SaveAsync(prospect);
        var sales = Service(stores);
        var pipeline = await sales.DefinePipelineAsync(tenant, "New business", NewPipeline(tenant).Stages);
        var deal = await sales.OpenAsync(tenant, prospect.Id, pipeline.Id, "40 seats", "owner-7", Currency.EUR, new LocalDate(2026, 6, 30), "kit-rep");
        await sales.AddLineItemAsync(tenant, deal.Id, "seat-licence", 40m, new Money(100m, Currency.EUR), 0.1m);
        await sales.MoveStageAsync(tenant, deal.Id, "negotiate", "kit-rep", "pricing sent");

        var purchase = await sales.CloseWonAsync(tenant, deal.Id, "kit-rep", "signed");

        Assert.Equal(1, purchase.Recorded);
        var touchpoint = purchase.Touchpoint!;
        Assert.Equal(TouchpointKind.Purchase, touchpoint.Kind);
        Assert.Equal(CrmFunction.Sales, touchpoint.Function);
        Assert.Equal(new Money(3600m, Currency.EUR), touchpoint.Revenue);
        Assert.Equal(OpportunityService.PurchaseKey(deal.Id), touchpoint.Source);
        Assert.Equal(["seat-licence"], touchpoint.ProductIds);
        Assert.Equal(DefaultLifecycleModel.FirstTimeCustomer, Assert.Single(purchase.Transitions).Transition.To);
        Assert.Equal(DefaultLifecycleModel.FirstTimeCustomer, (await customers.GetAsync(tenant, prospect.Id)).Lifecycle.Stage);

        var again = await sales.RecordPurchaseAsync(tenant, deal.Id);
        Assert.True(again.AlreadyRecorded);
        Assert.Empty(again.Transitions);
        Assert.Equal(1, await stores.Touchpoints!.CountAsync(tenant, default));

        var won = await sales.GetAsync(tenant, deal.Id);
        var refused = await Assert.ThrowsAsync<SalesRuleException>(async () => await sales.ReopenAsync(tenant, deal.Id, "qualify", "kit-rep", "try again"));
        Assert.Equal(CrmErrorCodes.OpportunityCannotReopen, refused.ErrorCode);
        AssertSameDeal(won, await sales.GetAsync(tenant, deal.Id));
        Assert.Equal(OpportunityStatus.Won, won.Status);
        Assert.Equal(4, won.Version);
    }

    /// <summary>
    /// Through the service, two writers working the same deal from the same version: the loser's commit conflicts and is
    /// retried from a fresh read, so neither change is lost; a rule the retry then breaks is refused and stores nothing.
    /// </summary>
    [Fact]
    public virtual async Task Service_LostRace_IsRetried_AndLosesNoUpdate()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var customer = NewCustomer(tenant);
        await Repository(stores).SaveAsync(customer);
        var racing = new RacingOpportunityStore(Opportunities(stores));
        var sales = new OpportunityService(racing, Pipelines(stores), Repository(stores), new TouchpointIngestion(stores.Touchpoints!, Clock), new RelationshipGraph(stores.Relationships!), Clock);
        var pipeline = await sales.DefinePipelineAsync(tenant, "New business", NewPipeline(tenant).Stages);
        var deal = await sales.OpenAsync(tenant, customer.Id, pipeline.Id, "Race", "owner-1", Currency.EUR, new LocalDate(2026, 6, 30), "kit-rep");

        // Before the service's first commit lands, another writer adds a line item from the same version.
        racing.BeforeNextCommit = async () =>
        {
            var other = (await Opportunities(stores).FindAsync(tenant, deal.Id, default))!;
            other.AddLineItem("rival-line", 1m, new Money(5m, Currency.EUR), 0m, Clock.GetCurrentInstant());
            await CommitAsync(stores, other);
        };
        await sales.MoveStageAsync(tenant, deal.Id, "propose", "kit-rep", "demo done");

        var stored = await sales.GetAsync(tenant, deal.Id);
        Assert.Equal(3, racing.Commits); // the open, the move that lost the race, the move retried from a fresh read
        Assert.Equal("propose", stored.StageKey);
        Assert.Equal("rival-line", Assert.Single(stored.LineItems).ProductId);
        Assert.Equal(3, stored.Version);

        var refused = await Assert.ThrowsAsync<SalesRuleException>(async () => await sales.MoveStageAsync(tenant, deal.Id, "propose", "kit-rep", "again"));
        Assert.Equal(CrmErrorCodes.OpportunityAlreadyInStage, refused.ErrorCode);
        AssertSameDeal(stored, await sales.GetAsync(tenant, deal.Id));
    }

    /// <summary>A contact role needs a relationship between the contact and the customer; without one it is refused and nothing changes.</summary>
    [Fact]
    public virtual async Task Service_ContactRoles_ComeFromTheRelationshipGraph()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var customers = Repository(stores);
        var (company, buyer, stranger) = (NewCustomer(tenant), NewCustomer(tenant), NewCustomer(tenant));
        await customers.SaveAsync(company);
        await customers.SaveAsync(buyer);
        await customers.SaveAsync(stranger);
        await new RelationshipGraph(stores.Relationships!).EstablishAsync(tenant, RelationshipType.Employment, company.Id, buyer.Id, Start);
        var sales = Service(stores);
        var pipeline = await sales.DefinePipelineAsync(tenant, "New business", NewPipeline(tenant).Stages);
        var deal = await sales.OpenAsync(tenant, company.Id, pipeline.Id, "Fleet", "owner-1", Currency.EUR, new LocalDate(2026, 6, 30), "kit-rep");

        await sales.AddContactRoleAsync(tenant, deal.Id, buyer.Id, "economic-buyer");
        var refused = await Assert.ThrowsAsync<SalesRuleException>(async () => await sales.AddContactRoleAsync(tenant, deal.Id, stranger.Id, "champion"));

        Assert.Equal(CrmErrorCodes.ContactNotRelated, refused.ErrorCode);
        var stored = await sales.GetAsync(tenant, deal.Id);
        Assert.Equal(new OpportunityContactRole(buyer.Id, "economic-buyer"), Assert.Single(stored.ContactRoles));
        Assert.Equal(2, stored.Version);
    }

    /// <summary>Bad arguments fail fast naming the parameter; a cancelled token cancels every call and stores nothing.</summary>
    [Fact]
    public virtual async Task BadArguments_AndCancellation_AreRefused()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Opportunities(stores).PageAsync(tenant, null, 0, default));
        Assert.Equal("limit", (await Assert.ThrowsAsync<InputLimitExceededException>(async () => await Opportunities(stores).PageByCustomerAsync(tenant, CustomerId.New(), null, StoreLimits.MaxPageSize + 1, default))).ParamName);
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await Opportunities(stores).CommitAsync(null!, default));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await Pipelines(stores).CommitAsync(null!, 0, default));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Opportunities(stores).FindAsync(default, OpportunityId.New(), default));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Pipelines(stores).ListAsync(default, default));

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var pipeline = NewPipeline(tenant);
        var deal = NewDeal(pipeline, CustomerId.New());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Opportunities(stores).CommitAsync(OpportunityCommit.Create(deal), cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Pipelines(stores).CommitAsync(pipeline, 0, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Opportunities(stores).FindAsync(tenant, deal.Id, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Opportunities(stores).PageAsync(tenant, null, 10, cancelled.Token));
        Assert.Null(await Opportunities(stores).FindAsync(tenant, deal.Id, default));
        Assert.Null(await Pipelines(stores).FindAsync(tenant, pipeline.Id, default));
        Assert.Empty(await stores.Outbox.ListPendingAsync(tenant, 10, default));
    }

    /// <summary>Asserts two deals hold the same state, field by field.</summary>
    protected static void AssertSameDeal(Opportunity expected, Opportunity? actual)
    {
        Preconditions.NotNull(expected);
        Assert.NotNull(actual);
        Assert.Equal(expected.TenantId, actual.TenantId);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.CustomerId, actual.CustomerId);
        Assert.Equal(expected.PipelineId, actual.PipelineId);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Owner, actual.Owner);
        Assert.Equal(expected.Currency, actual.Currency);
        Assert.Equal(expected.ExpectedCloseDate, actual.ExpectedCloseDate);
        Assert.Equal(expected.StageKey, actual.StageKey);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.StageProbability, actual.StageProbability);
        Assert.Equal(expected.StageForecastCategory, actual.StageForecastCategory);
        Assert.Equal(expected.Amount, actual.Amount);
        Assert.Equal(expected.LineItems, actual.LineItems);
        Assert.Equal(expected.ContactRoles, actual.ContactRoles);
        Assert.Equal(expected.History, actual.History);
        Assert.Equal(expected.Version, actual.Version);
    }

    /// <summary>Asserts two pipelines hold the same state.</summary>
    protected static void AssertSamePipeline(SalesPipeline expected, SalesPipeline? actual)
    {
        Preconditions.NotNull(expected);
        Assert.NotNull(actual);
        Assert.Equal(expected.TenantId, actual.TenantId);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Stages, actual.Stages);
        Assert.Equal(expected.Version, actual.Version);
    }

    private static Task<List<OpportunityId>> WalkAsync(Func<OpportunityId?, CancellationToken, ValueTask<IReadOnlyList<Opportunity>>> page, int limit)
        => KitPaging.WalkAsync(page, static item => item.Id, limit);

    /// <summary>A store that runs an action (another writer) just before the next commit reaches the store under test.</summary>
    private sealed class RacingOpportunityStore(IOpportunityStore inner) : IOpportunityStore
    {
        public Func<Task>? BeforeNextCommit { get; set; }

        public int Commits { get; private set; }

        public ValueTask<Opportunity?> FindAsync(TenantId tenantId, OpportunityId opportunityId, CancellationToken cancellationToken) => inner.FindAsync(tenantId, opportunityId, cancellationToken);

        public ValueTask<IReadOnlyList<Opportunity>> PageAsync(TenantId tenantId, OpportunityId? after, int limit, CancellationToken cancellationToken) => inner.PageAsync(tenantId, after, limit, cancellationToken);

        public ValueTask<IReadOnlyList<Opportunity>> PageByCustomerAsync(TenantId tenantId, CustomerId customerId, OpportunityId? after, int limit, CancellationToken cancellationToken)
            => inner.PageByCustomerAsync(tenantId, customerId, after, limit, cancellationToken);

        public async ValueTask CommitAsync(OpportunityCommit commit, CancellationToken cancellationToken)
        {
            Commits++;
            if (BeforeNextCommit is { } race)
            {
                BeforeNextCommit = null;
                await race();
            }

            await inner.CommitAsync(commit, cancellationToken);
        }
    }
}

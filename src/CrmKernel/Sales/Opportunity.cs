using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Sales;

/// <summary>
/// A deal being worked with a customer (a person or an organisation): its products, amount, owner, expected close
/// date, the contacts involved and where it stands in its <see cref="SalesPipeline"/>, with the whole history of its
/// stage moves. Open one with <see cref="Open"/> (or through <c>OpportunityService</c>, which also stores it and
/// records the purchase when it is won); storage adapters rebuild stored ones with <see cref="Rehydrate"/>.
/// </summary>
/// <remarks>
/// <para>Rules: an open deal moves to any other stage of its pipeline, forward or back; moving to the stage it is in is
/// refused (<c>CRM-SALES-002</c>), as is a stage the pipeline lacks (<c>CRM-SALES-001</c>). Only an open deal is
/// changed, moved or closed (<c>CRM-SALES-003</c>). Winning needs at least one line item (<c>CRM-SALES-005</c>). A
/// lost deal can be reopened into an open stage; an open or won deal cannot (<c>CRM-SALES-004</c>): a win is final
/// because its purchase is recorded. Every refused call changes nothing and raises nothing.</para>
/// <para>Each behaviour method changes state and raises one <see cref="OpportunityEvent"/>, or throws. Behaviour
/// methods take the instant from the caller (the service reads it from its <c>IClock</c>), so the aggregate is pure.</para>
/// </remarks>
public sealed class Opportunity
{
    /// <summary>The longest deal name.</summary>
    public const int MaxNameLength = 200;

    /// <summary>The longest owner id.</summary>
    public const int MaxOwnerLength = 128;

    /// <summary>The most line items a deal holds (a won deal's products fit one purchase touchpoint).</summary>
    public const int MaxLineItems = 50;

    /// <summary>The most contact roles a deal holds.</summary>
    public const int MaxContactRoles = 50;

    /// <summary>The most history entries a deal holds; a deal moved more often than this is refused further moves.</summary>
    public const int MaxHistory = 500;

    private readonly List<OpportunityLineItem> _lineItems;
    private readonly List<OpportunityContactRole> _contactRoles;
    private readonly List<OpportunityStageChange> _history;
    private readonly List<OpportunityEvent> _pendingEvents = [];

    private Opportunity(
        TenantId tenantId,
        OpportunityId id,
        CustomerId customerId,
        SalesPipelineId pipelineId,
        string name,
        string owner,
        Currency currency,
        LocalDate expectedCloseDate,
        decimal probability,
        ForecastCategory stageForecastCategory,
        List<OpportunityLineItem> lineItems,
        List<OpportunityContactRole> contactRoles,
        List<OpportunityStageChange> history,
        long version)
    {
        TenantId = tenantId;
        Id = id;
        CustomerId = customerId;
        PipelineId = pipelineId;
        Name = name;
        Owner = owner;
        Currency = currency;
        ExpectedCloseDate = expectedCloseDate;
        StageProbability = probability;
        StageForecastCategory = stageForecastCategory;
        _lineItems = lineItems;
        _contactRoles = contactRoles;
        _history = history;
        Version = version;
        Amount = Money.Zero(currency);
        foreach (var item in lineItems)
        {
            Amount += item.Total;
        }
    }

    /// <summary>The owning tenant.</summary>
    public TenantId TenantId { get; }

    /// <summary>The deal's id.</summary>
    public OpportunityId Id { get; }

    /// <summary>The customer (person or organisation) the deal is with.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>The pipeline whose stages the deal moves through.</summary>
    public SalesPipelineId PipelineId { get; }

    /// <summary>The deal's name, e.g. "Acme — 40 seats".</summary>
    public string Name { get; }

    /// <summary>The owner: an opaque user id from the host.</summary>
    public string Owner { get; private set; }

    /// <summary>The deal's currency: every line item's price is in it.</summary>
    public Currency Currency { get; }

    /// <summary>When the owner expects the deal to close.</summary>
    public LocalDate ExpectedCloseDate { get; private set; }

    /// <summary>The stage the deal is in (a closed deal keeps its last open stage).</summary>
    public string StageKey => _history[^1].ToStage;

    /// <summary>Open, won or lost.</summary>
    public OpportunityStatus Status => _history[^1].ToStatus;

    /// <summary>True while the deal is being worked.</summary>
    public bool IsOpen => Status == OpportunityStatus.Open;

    /// <summary>The probability the stage had when the deal entered it.</summary>
    public decimal StageProbability { get; private set; }

    /// <summary>The forecast category the stage had when the deal entered it.</summary>
    public ForecastCategory StageForecastCategory { get; private set; }

    /// <summary>The probability the deal closes won: the stage's while open, 1 when won, 0 when lost.</summary>
    public decimal Probability => Status switch
    {
        OpportunityStatus.Won => 1m,
        OpportunityStatus.Lost => 0m,
        _ => StageProbability,
    };

    /// <summary>The forecast category: the stage's while open, <see cref="ForecastCategory.Closed"/> when won, <see cref="ForecastCategory.Omitted"/> when lost.</summary>
    public ForecastCategory ForecastCategory => Status switch
    {
        OpportunityStatus.Won => ForecastCategory.Closed,
        OpportunityStatus.Lost => ForecastCategory.Omitted,
        _ => StageForecastCategory,
    };

    /// <summary>The sum of the line items' totals, in <see cref="Currency"/>.</summary>
    public Money Amount { get; private set; }

    /// <summary><see cref="Amount"/> × <see cref="Probability"/>: what the deal adds to a weighted pipeline.</summary>
    public Money WeightedAmount => Amount * Probability;

    /// <summary>The products, in the order added.</summary>
    public IReadOnlyList<OpportunityLineItem> LineItems => _lineItems;

    /// <summary>The contacts involved and their roles.</summary>
    public IReadOnlyList<OpportunityContactRole> ContactRoles => _contactRoles;

    /// <summary>Every stage and status change, oldest first; the first entry opened the deal.</summary>
    public IReadOnlyList<OpportunityStageChange> History => _history;

    /// <summary>When the deal was opened.</summary>
    public Instant OpenedAt => _history[0].At;

    /// <summary>When it was won or lost; null while open.</summary>
    public Instant? ClosedAt => IsOpen ? null : _history[^1].At;

    /// <summary>Why it was won or lost; null while open.</summary>
    public string? CloseReason => IsOpen ? null : _history[^1].Reason;

    /// <summary>The stored version this deal was read at (0 for a new one).</summary>
    public long Version { get; private set; }

    /// <summary>The events raised since the deal was read, not yet stored.</summary>
    public IReadOnlyList<OpportunityEvent> PendingEvents => _pendingEvents;

    /// <summary>Opens a deal for a customer in a stage of <paramref name="pipeline"/> (its first unless <paramref name="stageKey"/> says otherwise), with no line items yet.</summary>
    /// <param name="id">The new deal's id.</param>
    /// <param name="customerId">The customer.</param>
    /// <param name="pipeline">The pipeline, of the same tenant.</param>
    /// <param name="name">The deal's name.</param>
    /// <param name="owner">The owner's opaque id.</param>
    /// <param name="currency">The deal's currency.</param>
    /// <param name="expectedCloseDate">When it is expected to close.</param>
    /// <param name="at">When it was opened.</param>
    /// <param name="actor">Who opened it.</param>
    /// <param name="stageKey">The first stage; null for the pipeline's first.</param>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">A default id or currency, or a blank or too long text.</exception>
    /// <exception cref="SalesRuleException"><c>CRM-SALES-001</c>: the pipeline has no such stage.</exception>
    public static Opportunity Open(OpportunityId id, CustomerId customerId, SalesPipeline pipeline, string name, string owner, Currency currency, LocalDate expectedCloseDate, Instant at, string actor, string? stageKey = null)
    {
        Preconditions.NotDefault(id);
        Preconditions.NotDefault(customerId);
        Preconditions.NotNull(pipeline);
        Preconditions.NotNull(name);
        Preconditions.NotNull(owner);
        Preconditions.NotNull(actor);
        Preconditions.Check(currency != default, "The currency must not be the default.", nameof(currency));
        var stage = stageKey is null ? pipeline.Stages[0] : pipeline.GetStage(stageKey);
        var opened = new OpportunityStageChange(null, stage.Key, null, OpportunityStatus.Open, at, actor, "opened");
        var opportunity = new Opportunity(
            pipeline.TenantId, id, customerId, pipeline.Id, CheckName(name), CheckOwner(owner), currency, expectedCloseDate,
            stage.DefaultProbability, stage.ForecastCategory, [], [], [opened], 0);
        opportunity._pendingEvents.Add(new OpportunityOpened(pipeline.TenantId, id, customerId, at, pipeline.Id, opportunity.Name, opportunity.Owner, currency, expectedCloseDate, opened));
        return opportunity;
    }

    /// <summary>
    /// Validates and rebuilds a stored deal (storage adapters and the kernel's JSON form): the history must be a valid
    /// sequence (opened first, then only changes the rules allow), line numbers distinct, prices in the deal's currency.
    /// </summary>
    /// <exception cref="ArgumentNullException">A reference argument is null or a list holds null.</exception>
    /// <exception cref="ArgumentException">Any field or the history breaks a rule.</exception>
    public static Opportunity Rehydrate(
        TenantId tenantId,
        OpportunityId id,
        CustomerId customerId,
        SalesPipelineId pipelineId,
        string name,
        string owner,
        Currency currency,
        LocalDate expectedCloseDate,
        decimal stageProbability,
        ForecastCategory stageForecastCategory,
        IEnumerable<OpportunityLineItem> lineItems,
        IEnumerable<OpportunityContactRole> contactRoles,
        IEnumerable<OpportunityStageChange> history,
        long version)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(id);
        Preconditions.NotDefault(customerId);
        Preconditions.NotDefault(pipelineId);
        CheckName(name);
        CheckOwner(owner);
        Preconditions.Check(currency != default, "The currency must not be the default.", nameof(currency));
        Preconditions.Check(stageProbability is >= 0m and <= 1m, "The stage probability must be from 0 to 1.", nameof(stageProbability));
        Preconditions.Check(stageForecastCategory is ForecastCategory.Pipeline or ForecastCategory.BestCase or ForecastCategory.Commit, "The stage's forecast category is one of an open stage.", nameof(stageForecastCategory));
        Preconditions.Check(version >= 1, "The version must be 1 or more.", nameof(version));
        var items = Preconditions.NotNull(lineItems).ToList();
        var roles = Preconditions.NotNull(contactRoles).ToList();
        var entries = Preconditions.NotNull(history).ToList();
        Preconditions.Check(items.Count <= MaxLineItems && items.TrueForAll(i => i is not null && i.UnitPrice.Currency == currency), "The line items are null, too many, or priced in another currency.", nameof(lineItems));
        Preconditions.Check(items.Select(i => i.LineNumber).Distinct().Count() == items.Count, "Two line items share a number.", nameof(lineItems));
        Preconditions.Check(roles.Count <= MaxContactRoles && roles.TrueForAll(r => r is not null) && roles.Distinct().Count() == roles.Count, "The contact roles are null, too many, or repeated.", nameof(contactRoles));
        Preconditions.Check(entries.Count is >= 1 and <= MaxHistory && entries.TrueForAll(e => e is not null), "The history is empty, too long, or holds null.", nameof(history));
        Preconditions.Check(entries[0].FromStatus is null && entries[0].ToStatus == OpportunityStatus.Open, "The history starts with the entry that opened the deal.", nameof(history));
        for (var i = 1; i < entries.Count; i++)
        {
            var (before, after) = (entries[i - 1], entries[i]);
            Preconditions.Check(after.FromStage == before.ToStage && after.FromStatus == before.ToStatus && after.At >= before.At && IsAllowed(before.ToStatus, after.ToStatus, before.ToStage, after.ToStage), "The history holds a change the rules do not allow.", nameof(history));
        }

        return new Opportunity(tenantId, id, customerId, pipelineId, CheckName(name), CheckOwner(owner), currency, expectedCloseDate, stageProbability, stageForecastCategory, items, roles, entries, version);
    }

    /// <summary>Moves the open deal to another stage of its pipeline, raising <see cref="OpportunityStageChanged"/>.</summary>
    /// <param name="pipeline">The deal's pipeline (its current version).</param>
    /// <param name="stageKey">The stage to move to.</param>
    /// <param name="at">When.</param>
    /// <param name="actor">Who.</param>
    /// <param name="reason">Why.</param>
    /// <returns>The history entry.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">The pipeline is not the deal's, or the actor or reason is blank or too long.</exception>
    /// <exception cref="SalesRuleException"><c>CRM-SALES-003</c> closed; <c>CRM-SALES-001</c> no such stage; <c>CRM-SALES-002</c> already there; <c>CRM-SALES-006</c> history full.</exception>
    public OpportunityStageChange MoveToStage(SalesPipeline pipeline, string stageKey, Instant at, string actor, string reason)
    {
        CheckPipeline(pipeline);
        CheckEntry(stageKey, actor, reason);
        RequireOpen("moved");
        var stage = pipeline.GetStage(stageKey);
        if (stage.Key == StageKey)
        {
            throw new SalesRuleException(CrmErrorCodes.OpportunityAlreadyInStage, $"Opportunity {Id} is already in stage {stage.Key}.");
        }

        var change = Record(stage.Key, OpportunityStatus.Open, at, actor, reason);
        (StageProbability, StageForecastCategory) = (stage.DefaultProbability, stage.ForecastCategory);
        _pendingEvents.Add(new OpportunityStageChanged(TenantId, Id, CustomerId, at, change));
        return change;
    }

    /// <summary>Closes the open deal as won, raising <see cref="OpportunityWon"/>. Final: a won deal is never reopened.</summary>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">The actor or reason is blank or too long.</exception>
    /// <exception cref="SalesRuleException"><c>CRM-SALES-003</c> closed; <c>CRM-SALES-005</c> no line items; <c>CRM-SALES-006</c> history full.</exception>
    public OpportunityStageChange CloseWon(Instant at, string actor, string reason)
    {
        CheckEntry(string.Empty, actor, reason);
        RequireOpen("won");
        if (_lineItems.Count == 0)
        {
            throw new SalesRuleException(CrmErrorCodes.OpportunityWithoutLineItems, $"Opportunity {Id} has no line items: nothing was sold.");
        }

        var change = Record(StageKey, OpportunityStatus.Won, at, actor, reason);
        _pendingEvents.Add(new OpportunityWon(TenantId, Id, CustomerId, at, change, Amount));
        return change;
    }

    /// <summary>Closes the open deal as lost, raising <see cref="OpportunityLost"/>.</summary>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">The actor or reason is blank or too long.</exception>
    /// <exception cref="SalesRuleException"><c>CRM-SALES-003</c> closed; <c>CRM-SALES-006</c> history full.</exception>
    public OpportunityStageChange CloseLost(Instant at, string actor, string reason)
    {
        CheckEntry(string.Empty, actor, reason);
        RequireOpen("lost");
        var change = Record(StageKey, OpportunityStatus.Lost, at, actor, reason);
        _pendingEvents.Add(new OpportunityLost(TenantId, Id, CustomerId, at, change));
        return change;
    }

    /// <summary>Reopens a lost deal into an open stage of its pipeline (any stage, the one it was lost in included), raising <see cref="OpportunityReopened"/>.</summary>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">The pipeline is not the deal's, or the actor or reason is blank or too long.</exception>
    /// <exception cref="SalesRuleException"><c>CRM-SALES-004</c> open or won; <c>CRM-SALES-001</c> no such stage; <c>CRM-SALES-006</c> history full.</exception>
    public OpportunityStageChange Reopen(SalesPipeline pipeline, string stageKey, Instant at, string actor, string reason)
    {
        CheckPipeline(pipeline);
        CheckEntry(stageKey, actor, reason);
        if (Status != OpportunityStatus.Lost)
        {
            throw new SalesRuleException(CrmErrorCodes.OpportunityCannotReopen, $"Opportunity {Id} is {Status.ToString().ToUpperInvariant()}: only a lost deal can be reopened.");
        }

        var stage = pipeline.GetStage(stageKey);
        var change = Record(stage.Key, OpportunityStatus.Open, at, actor, reason);
        (StageProbability, StageForecastCategory) = (stage.DefaultProbability, stage.ForecastCategory);
        _pendingEvents.Add(new OpportunityReopened(TenantId, Id, CustomerId, at, change));
        return change;
    }

    /// <summary>Adds a product to the open deal, raising <see cref="OpportunityLineItemAdded"/>.</summary>
    /// <returns>The new line, numbered one more than the highest number the deal has used.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="productId"/> is null.</exception>
    /// <exception cref="ArgumentException">See <see cref="OpportunityLineItem"/>.</exception>
    /// <exception cref="CurrencyMismatchException">The price is not in the deal's currency (<c>CRM-MONEY-001</c>).</exception>
    /// <exception cref="SalesRuleException"><c>CRM-SALES-003</c> closed; <c>CRM-SALES-006</c> <see cref="MaxLineItems"/> reached.</exception>
    public OpportunityLineItem AddLineItem(string productId, decimal quantity, Money unitPrice, decimal discount, Instant at)
    {
        Preconditions.NotNull(productId);
        RequireOpen("changed");
        if (unitPrice.Currency != Currency)
        {
            throw new CurrencyMismatchException(Currency, unitPrice.Currency);
        }

        if (_lineItems.Count >= MaxLineItems)
        {
            throw Limit($"{MaxLineItems} line items");
        }

        var number = 1;
        foreach (var existing in _lineItems)
        {
            number = Math.Max(number, existing.LineNumber + 1);
        }

        var item = new OpportunityLineItem(number, productId, quantity, unitPrice, discount);
        _lineItems.Add(item);
        Amount += item.Total;
        _pendingEvents.Add(new OpportunityLineItemAdded(TenantId, Id, CustomerId, at, item, Amount));
        return item;
    }

    /// <summary>Removes a line from the open deal, raising <see cref="OpportunityLineItemRemoved"/>.</summary>
    /// <exception cref="SalesRuleException"><c>CRM-SALES-003</c> closed; <c>CRM-SALES-011</c> no such line.</exception>
    public void RemoveLineItem(int lineNumber, Instant at)
    {
        RequireOpen("changed");
        var index = _lineItems.FindIndex(i => i.LineNumber == lineNumber);
        if (index < 0)
        {
            throw new SalesRuleException(CrmErrorCodes.OpportunityItemConflict, $"Opportunity {Id} has no line {lineNumber}.");
        }

        Amount -= _lineItems[index].Total;
        _lineItems.RemoveAt(index);
        _pendingEvents.Add(new OpportunityLineItemRemoved(TenantId, Id, CustomerId, at, lineNumber, Amount));
    }

    /// <summary>
    /// Gives a contact a role in the open deal, raising <see cref="OpportunityContactRoleAdded"/>. Use
    /// <c>OpportunityService.AddContactRoleAsync</c>, which checks the contact is related to the customer.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="contactRole"/> is null.</exception>
    /// <exception cref="ArgumentException">The contact is the deal's customer.</exception>
    /// <exception cref="SalesRuleException"><c>CRM-SALES-003</c> closed; <c>CRM-SALES-011</c> already there; <c>CRM-SALES-006</c> <see cref="MaxContactRoles"/> reached.</exception>
    public void AddContactRole(OpportunityContactRole contactRole, Instant at)
    {
        Preconditions.NotNull(contactRole);
        Preconditions.Check(contactRole.ContactId != CustomerId, "The customer is the deal's party, not a contact role of it.", nameof(contactRole));
        RequireOpen("changed");
        if (_contactRoles.Contains(contactRole))
        {
            throw new SalesRuleException(CrmErrorCodes.OpportunityItemConflict, $"Opportunity {Id} already has contact {contactRole.ContactId} as {contactRole.Role}.");
        }

        if (_contactRoles.Count >= MaxContactRoles)
        {
            throw Limit($"{MaxContactRoles} contact roles");
        }

        _contactRoles.Add(contactRole);
        _pendingEvents.Add(new OpportunityContactRoleAdded(TenantId, Id, CustomerId, at, contactRole));
    }

    /// <summary>Removes a contact's role from the open deal, raising <see cref="OpportunityContactRoleRemoved"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="contactRole"/> is null.</exception>
    /// <exception cref="SalesRuleException"><c>CRM-SALES-003</c> closed; <c>CRM-SALES-011</c> no such contact role.</exception>
    public void RemoveContactRole(OpportunityContactRole contactRole, Instant at)
    {
        Preconditions.NotNull(contactRole);
        RequireOpen("changed");
        if (!_contactRoles.Remove(contactRole))
        {
            throw new SalesRuleException(CrmErrorCodes.OpportunityItemConflict, $"Opportunity {Id} has no contact {contactRole.ContactId} as {contactRole.Role}.");
        }

        _pendingEvents.Add(new OpportunityContactRoleRemoved(TenantId, Id, CustomerId, at, contactRole));
    }

    /// <summary>Changes the open deal's expected close date, raising <see cref="OpportunityRescheduled"/>.</summary>
    /// <exception cref="ArgumentException">The date is the one the deal has.</exception>
    /// <exception cref="SalesRuleException"><c>CRM-SALES-003</c> closed.</exception>
    public void Reschedule(LocalDate expectedCloseDate, Instant at)
    {
        RequireOpen("changed");
        Preconditions.Check(expectedCloseDate != ExpectedCloseDate, "The deal already expects to close on that date.", nameof(expectedCloseDate));
        ExpectedCloseDate = expectedCloseDate;
        _pendingEvents.Add(new OpportunityRescheduled(TenantId, Id, CustomerId, at, expectedCloseDate));
    }

    /// <summary>Gives the open deal to another owner, raising <see cref="OpportunityReassigned"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="owner"/> is null.</exception>
    /// <exception cref="ArgumentException">The owner is blank, too long, or the one the deal has.</exception>
    /// <exception cref="SalesRuleException"><c>CRM-SALES-003</c> closed.</exception>
    public void Reassign(string owner, Instant at)
    {
        var next = CheckOwner(owner);
        RequireOpen("changed");
        Preconditions.Check(next != Owner, "The deal already has that owner.", nameof(owner));
        Owner = next;
        _pendingEvents.Add(new OpportunityReassigned(TenantId, Id, CustomerId, at, next));
    }

    /// <summary>Clears the pending events after they were stored at <paramref name="version"/> (the sales service does this).</summary>
    internal void MarkCommitted(long version)
    {
        _pendingEvents.Clear();
        Version = version;
    }

    /// <summary>Whether the rules allow a history entry from one status and stage to another (the one statement of the workflow's rules).</summary>
    internal static bool IsAllowed(OpportunityStatus from, OpportunityStatus to, string fromStage, string toStage) => (from, to) switch
    {
        (OpportunityStatus.Open, OpportunityStatus.Open) => fromStage != toStage,
        (OpportunityStatus.Open, OpportunityStatus.Won or OpportunityStatus.Lost) => fromStage == toStage,
        (OpportunityStatus.Lost, OpportunityStatus.Open) => true,
        _ => false,
    };

    private OpportunityStageChange Record(string stage, OpportunityStatus status, Instant at, string actor, string reason)
    {
        var change = new OpportunityStageChange(StageKey, stage, Status, status, at, actor, reason);
        if (_history.Count >= MaxHistory)
        {
            throw Limit($"{MaxHistory} history entries");
        }

        _history.Add(change);
        return change;
    }

    /// <summary>Argument checks of a history entry, before any rule: a bad argument is an argument error whatever the deal's state.</summary>
    private static void CheckEntry(string stageKey, string actor, string reason)
    {
        Preconditions.NotNull(stageKey);
        Preconditions.MaxLength(Preconditions.NotBlank(actor).Trim(), OpportunityStageChange.MaxActorLength, nameof(actor));
        Preconditions.MaxLength(Preconditions.NotBlank(reason).Trim(), OpportunityStageChange.MaxReasonLength, nameof(reason));
    }

    private void RequireOpen(string what)
    {
        if (!IsOpen)
        {
            throw new SalesRuleException(CrmErrorCodes.OpportunityClosed, $"Opportunity {Id} is {Status.ToString().ToUpperInvariant()} and cannot be {what}.");
        }
    }

    private void CheckPipeline(SalesPipeline pipeline)
    {
        Preconditions.NotNull(pipeline);
        Preconditions.Check(pipeline.Id == PipelineId && pipeline.TenantId == TenantId, "The pipeline is not the deal's.", nameof(pipeline));
    }

    private SalesRuleException Limit(string what) => new(CrmErrorCodes.OpportunityLimitExceeded, $"Opportunity {Id} holds the most allowed: {what}.");

    private static string CheckName(string name) => Preconditions.MaxLength(Preconditions.NotBlank(name).Trim(), MaxNameLength, nameof(name));

    private static string CheckOwner(string owner) => Preconditions.MaxLength(Preconditions.NotBlank(owner).Trim(), MaxOwnerLength, nameof(owner));
}

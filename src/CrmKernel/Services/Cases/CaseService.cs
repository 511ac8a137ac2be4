using System.Runtime.CompilerServices;
using CrmKernel.Cases;
using CrmKernel.Diagnostics;
using CrmKernel.Events;
using CrmKernel.Primitives;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Ingestion;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Services.Cases;

/// <summary>
/// Customer service as application code drives it: open cases (directly or from the complaint or enquiry that raised
/// them), assign, answer, wait on the customer and resume, attach contacts, escalate, resolve (with the customer's
/// satisfaction), close, reopen within the window, merge duplicates. Resolve it from DI after
/// <c>services.AddCrmKernel(b => b.UseInMemoryStores())</c> (or the SQLite or PostgreSQL store).
/// </summary>
/// <remarks>
/// <para>Each command reads the case, applies the change through the <see cref="ServiceCase"/> aggregate (which enforces
/// the rules), and commits the new state with its events in one store call, then publishes the events. A command that
/// loses an optimistic-concurrency race is retried from a fresh read, up to <see cref="MaxAttempts"/> times; a refused
/// command changes nothing.</para>
/// <para>Lifecycle effects go through <see cref="TouchpointIngestion"/>, the one ingestion pipeline, as touchpoints the
/// default lifecycle's existing rules act on, each with a source key derived from the case (source
/// <see cref="TouchpointSource"/>), so recording them again stores nothing twice: a direct complaint case records its
/// <c>complaint</c> touchpoint (rule <c>complaint</c>: the customer becomes dissatisfied, one more open complaint); the
/// resolution of a case records a <c>resolution</c> touchpoint for each complaint attached to it that is not resolved
/// yet (the complaint is resolved in the lifecycle facts; merged complaint duplicates included); a resolution with a satisfaction score records a <c>feedback</c> touchpoint carrying it (rule
/// <c>negative-feedback</c>: a negative score marks the customer dissatisfied; rule <c>recovered</c>: a positive score
/// with no complaint left open moves a dissatisfied customer to recovered). If the process stops between the
/// resolution and its touchpoints, <see cref="RecordResolutionAsync"/> records them later.</para>
/// </remarks>
public sealed class CaseService
{
    /// <summary>How many times a command is tried when the case keeps changing under it.</summary>
    public const int MaxAttempts = 5;

    /// <summary>The source system of the touchpoints cases record.</summary>
    public const string TouchpointSource = "crm-cases";

    /// <summary>The actor the close sweep (<see cref="CloseExpiredAsync"/>) and the SLA sweep (<see cref="SweepSlaAsync"/>) record.</summary>
    public const string SystemActor = "crm-cases";

    /// <summary>The reason of the escalation the SLA sweep raises when a case's first-response target is breached (once per case).</summary>
    public const string FirstResponseBreachedReason = "SLA first-response target breached";

    /// <summary>The reason of the escalation the SLA sweep raises when a case's resolution target is breached (once per case).</summary>
    public const string ResolutionBreachedReason = "SLA resolution target breached";

    /// <summary>How many cases the SLA sweep evaluates at once by default.</summary>
    public const int DefaultSlaBatchSize = 1000;

    private static readonly CaseStatus[] ActiveStatuses = [CaseStatus.New, CaseStatus.InProgress, CaseStatus.WaitingOnCustomer];

    private readonly ICaseStore _cases;
    private readonly ITouchpointStore _touchpoints;
    private readonly CustomerRepository _customers;
    private readonly TouchpointIngestion _ingestion;
    private readonly IClock _clock;
    private readonly Duration _reopenWindow;
    private readonly CasePriority? _slaBreachPriority;
    private readonly Dictionary<string, SlaPolicy> _slaPolicies;

    /// <summary>Creates the service (DI does this for you).</summary>
    /// <param name="cases">The case store.</param>
    /// <param name="touchpoints">The touchpoint store: origin and attached touchpoints are checked against it.</param>
    /// <param name="customers">The customer repository: cases are for existing customers, and events are published through it.</param>
    /// <param name="ingestion">The ingestion pipeline that records the lifecycle effects.</param>
    /// <param name="clock">Stamps every change.</param>
    /// <param name="options">The settings; null for the defaults.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The reopen window is negative.</exception>
    /// <exception cref="ArgumentException">Two SLA policies share a name, one is null, or the breach priority is not defined.</exception>
    /// <exception cref="InputLimitExceededException">More than <see cref="CaseServiceOptions.MaxSlaPolicies"/> SLA policies.</exception>
    public CaseService(ICaseStore cases, ITouchpointStore touchpoints, CustomerRepository customers, TouchpointIngestion ingestion, IClock clock, CaseServiceOptions? options = null)
    {
        _cases = Preconditions.NotNull(cases);
        _touchpoints = Preconditions.NotNull(touchpoints);
        _customers = Preconditions.NotNull(customers);
        _ingestion = Preconditions.NotNull(ingestion);
        _clock = Preconditions.NotNull(clock);
        options ??= new CaseServiceOptions();
        _reopenWindow = options.ReopenWindow;
        if (_reopenWindow < Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _reopenWindow, "The reopen window cannot be negative.");
        }

        var policies = Preconditions.NotNull(options.SlaPolicies, nameof(options));
        Preconditions.MaxCount(policies.Count, CaseServiceOptions.MaxSlaPolicies, "SLA policies", nameof(options));
        _slaPolicies = new Dictionary<string, SlaPolicy>(policies.Count, StringComparer.Ordinal);
        foreach (var policy in policies)
        {
            Preconditions.Check(policy is not null, "The SLA policies must not hold null.", nameof(options));
            Preconditions.Check(_slaPolicies.TryAdd(policy!.Name, policy), $"Two SLA policies are named {policy.Name}.", nameof(options));
        }

        Preconditions.Check(options.SlaBreachPriority is null || Enum.IsDefined(options.SlaBreachPriority.Value), "The SLA breach priority is not defined.", nameof(options));
        _slaBreachPriority = options.SlaBreachPriority;
    }

    /// <summary>The SLA policies this service registers, by name (<see cref="CaseServiceOptions.SlaPolicies"/>).</summary>
    public IReadOnlyDictionary<string, SlaPolicy> SlaPolicies => _slaPolicies;

    /// <summary>The channel of the touchpoints cases record (complaints opened directly, resolutions, satisfaction feedback).</summary>
    public static ChannelId ServiceChannel { get; } = new("service-desk");

    /// <summary>The reopen window this service applies.</summary>
    public Duration ReopenWindow => _reopenWindow;

    /// <summary>Finds a case; null when the tenant has none.</summary>
    /// <exception cref="ArgumentException">A default tenant or id.</exception>
    public ValueTask<ServiceCase?> FindAsync(TenantId tenantId, CaseId caseId, CancellationToken cancellationToken = default)
        => _cases.FindAsync(Preconditions.NotDefault(tenantId), Preconditions.NotDefault(caseId), cancellationToken);

    /// <summary>Gets a case.</summary>
    /// <exception cref="ArgumentException">A default tenant or id.</exception>
    /// <exception cref="CaseRuleException"><c>CRM-CASE-006</c>: the tenant has no such case.</exception>
    public async ValueTask<ServiceCase> GetAsync(TenantId tenantId, CaseId caseId, CancellationToken cancellationToken = default)
        => await FindAsync(tenantId, caseId, cancellationToken).ConfigureAwait(false)
           ?? throw new CaseRuleException(CrmErrorCodes.CaseNotFound, $"Tenant {tenantId} has no case {caseId}.");

    /// <summary>Streams every case of the tenant in id (creation) order, in keyset pages of <paramref name="pageSize"/>.</summary>
    /// <exception cref="ArgumentException">A default tenant.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pageSize"/> is less than 1.</exception>
    /// <exception cref="InputLimitExceededException"><paramref name="pageSize"/> is more than <see cref="StoreLimits.MaxPageSize"/>.</exception>
    public IAsyncEnumerable<ServiceCase> StreamAsync(TenantId tenantId, int pageSize = 500, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        StoreArguments.CheckLimit(pageSize, nameof(pageSize));
        return Stream((after, ct) => _cases.PageAsync(tenantId, after, pageSize, ct), pageSize, cancellationToken);
    }

    /// <summary>Streams a customer's cases in id (creation) order.</summary>
    /// <exception cref="ArgumentException">A default tenant or customer.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pageSize"/> is less than 1.</exception>
    /// <exception cref="InputLimitExceededException"><paramref name="pageSize"/> is more than <see cref="StoreLimits.MaxPageSize"/>.</exception>
    public IAsyncEnumerable<ServiceCase> StreamByCustomerAsync(TenantId tenantId, CustomerId customerId, int pageSize = 500, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(customerId);
        StoreArguments.CheckLimit(pageSize, nameof(pageSize));
        return Stream((after, ct) => _cases.PageByCustomerAsync(tenantId, customerId, after, pageSize, ct), pageSize, cancellationToken);
    }

    /// <summary>
    /// Streams the tenant's active cases (new, then in progress, then waiting on the customer; each in id order): the
    /// input of SLA monitoring.
    /// </summary>
    /// <exception cref="ArgumentException">A default tenant.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pageSize"/> is less than 1.</exception>
    /// <exception cref="InputLimitExceededException"><paramref name="pageSize"/> is more than <see cref="StoreLimits.MaxPageSize"/>.</exception>
    public IAsyncEnumerable<ServiceCase> StreamActiveAsync(TenantId tenantId, int pageSize = 500, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        StoreArguments.CheckLimit(pageSize, nameof(pageSize));
        return StreamStatuses(tenantId, ActiveStatuses, pageSize, cancellationToken);
    }

    /// <summary>
    /// Opens a case directly (not from a stored touchpoint), for an existing customer. A complaint opened this way first
    /// records its <c>complaint</c> touchpoint through the ingestion pipeline (key <c>case:{id}:complaint</c>), which
    /// becomes the case's origin, so the lifecycle counts the complaint as for any other.
    /// </summary>
    /// <exception cref="ArgumentNullException">A required reference argument is null.</exception>
    /// <exception cref="ArgumentException">See <see cref="ServiceCase.Open"/>.</exception>
    /// <exception cref="CustomerNotFoundException">The customer does not exist.</exception>
    /// <exception cref="CaseRuleException"><c>CRM-CASE-009</c>: <paramref name="slaPolicy"/> is not a registered policy.</exception>
    public async ValueTask<ServiceCase> OpenAsync(TenantId tenantId, CustomerId customerId, string subject, string category, CasePriority priority, string actor, bool isComplaint = false, string? slaPolicy = null, CancellationToken cancellationToken = default)
    {
        var id = CaseId.New();
        var at = _clock.GetCurrentInstant();
        CheckPolicyRegistered(ServiceCase.Open(tenantId, id, customerId, subject, category, priority, null, isComplaint, slaPolicy, at, actor));
        _ = await _customers.GetAsync(tenantId, customerId, cancellationToken).ConfigureAwait(false);
        TouchpointId? origin = null;
        if (isComplaint)
        {
            var complaint = await _ingestion.RecordAsync(tenantId, Contact(customerId, TouchpointKind.Complaint, InteractionDirection.Inbound, at, Key(id, "complaint")), cancellationToken).ConfigureAwait(false);
            origin = complaint.Touchpoint!.Id;
        }

        var serviceCase = ServiceCase.Open(tenantId, id, customerId, subject, category, priority, origin, isComplaint, slaPolicy, at, actor);
        await CommitAsync([serviceCase], cancellationToken).ConfigureAwait(false);
        return serviceCase;
    }

    /// <summary>
    /// Opens a case from an inbound touchpoint of the customer (the complaint or enquiry that raised it), attached as
    /// its first touchpoint; the case is a complaint when the touchpoint's kind is <c>complaint</c>.
    /// </summary>
    /// <exception cref="ArgumentNullException">A required reference argument is null.</exception>
    /// <exception cref="ArgumentException">See <see cref="ServiceCase.Open"/>.</exception>
    /// <exception cref="CustomerNotFoundException">The customer does not exist.</exception>
    /// <exception cref="CaseRuleException"><c>CRM-CASE-007</c>: no such touchpoint, or it belongs to another customer; <c>CRM-CASE-009</c>: <paramref name="slaPolicy"/> is not a registered policy.</exception>
    public async ValueTask<ServiceCase> OpenFromTouchpointAsync(TenantId tenantId, CustomerId customerId, TouchpointId touchpointId, string subject, string category, CasePriority priority, string actor, string? slaPolicy = null, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(touchpointId);
        var id = CaseId.New();
        CheckPolicyRegistered(ServiceCase.Open(tenantId, id, customerId, subject, category, priority, touchpointId, false, slaPolicy, _clock.GetCurrentInstant(), actor));
        _ = await _customers.GetAsync(tenantId, customerId, cancellationToken).ConfigureAwait(false);
        var origin = await TouchpointOfAsync(tenantId, customerId, touchpointId, cancellationToken).ConfigureAwait(false);
        var serviceCase = ServiceCase.Open(tenantId, id, customerId, subject, category, priority, touchpointId, origin.Kind == TouchpointKind.Complaint, slaPolicy, _clock.GetCurrentInstant(), actor);
        await CommitAsync([serviceCase], cancellationToken).ConfigureAwait(false);
        return serviceCase;
    }

    /// <summary>Starts work on a new case.</summary>
    /// <exception cref="CaseRuleException">See <see cref="ServiceCase.Start"/>; <c>CRM-CASE-006</c> no such case.</exception>
    public ValueTask<CaseStatusChange> StartAsync(TenantId tenantId, CaseId caseId, string actor, string reason, CancellationToken cancellationToken = default)
    {
        Preconditions.NotNull(actor);
        Preconditions.NotNull(reason);
        return ChangeAsync(tenantId, caseId, (c, at) => c.Start(at, actor, reason), cancellationToken);
    }

    /// <summary>Puts an in-progress case on hold until the customer answers.</summary>
    /// <exception cref="CaseRuleException">See <see cref="ServiceCase.WaitOnCustomer"/>; <c>CRM-CASE-006</c> no such case.</exception>
    public ValueTask<CaseStatusChange> WaitOnCustomerAsync(TenantId tenantId, CaseId caseId, string actor, string reason, CancellationToken cancellationToken = default)
    {
        Preconditions.NotNull(actor);
        Preconditions.NotNull(reason);
        return ChangeAsync(tenantId, caseId, (c, at) => c.WaitOnCustomer(at, actor, reason), cancellationToken);
    }

    /// <summary>Resumes a case that was waiting on the customer.</summary>
    /// <exception cref="CaseRuleException">See <see cref="ServiceCase.Resume"/>; <c>CRM-CASE-006</c> no such case.</exception>
    public ValueTask<CaseStatusChange> ResumeAsync(TenantId tenantId, CaseId caseId, string actor, string reason, CancellationToken cancellationToken = default)
    {
        Preconditions.NotNull(actor);
        Preconditions.NotNull(reason);
        return ChangeAsync(tenantId, caseId, (c, at) => c.Resume(at, actor, reason), cancellationToken);
    }

    /// <summary>Closes a resolved case for good.</summary>
    /// <exception cref="CaseRuleException">See <see cref="ServiceCase.Close"/>; <c>CRM-CASE-006</c> no such case.</exception>
    public ValueTask<CaseStatusChange> CloseAsync(TenantId tenantId, CaseId caseId, string actor, string reason, CancellationToken cancellationToken = default)
    {
        Preconditions.NotNull(actor);
        Preconditions.NotNull(reason);
        return ChangeAsync(tenantId, caseId, (c, at) => c.Close(at, actor, reason), cancellationToken);
    }

    /// <summary>Reopens a resolved case within <see cref="ReopenWindow"/> of its resolution.</summary>
    /// <exception cref="CaseRuleException">See <see cref="ServiceCase.Reopen"/>; <c>CRM-CASE-006</c> no such case.</exception>
    public ValueTask<CaseStatusChange> ReopenAsync(TenantId tenantId, CaseId caseId, string actor, string reason, CancellationToken cancellationToken = default)
    {
        Preconditions.NotNull(actor);
        Preconditions.NotNull(reason);
        return ChangeAsync(tenantId, caseId, (c, at) => c.Reopen(_reopenWindow, at, actor, reason), cancellationToken);
    }

    /// <summary>Gives an active case to an owner.</summary>
    /// <exception cref="CaseRuleException">See <see cref="ServiceCase.Assign"/>; <c>CRM-CASE-006</c> no such case.</exception>
    public async ValueTask AssignAsync(TenantId tenantId, CaseId caseId, string owner, CancellationToken cancellationToken = default)
    {
        Preconditions.NotNull(owner);
        await ChangeAsync(tenantId, caseId, (c, at) => { c.Assign(owner, at); return true; }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records an agent's response on an active case; the first one stops the first-response clock.</summary>
    /// <returns>True when this was the case's first response.</returns>
    /// <exception cref="CaseRuleException">See <see cref="ServiceCase.RecordResponse"/>; <c>CRM-CASE-006</c> no such case.</exception>
    public ValueTask<bool> RecordResponseAsync(TenantId tenantId, CaseId caseId, CancellationToken cancellationToken = default)
        => ChangeAsync(tenantId, caseId, (c, at) => c.RecordResponse(at), cancellationToken);

    /// <summary>Attaches a stored touchpoint of the case's customer to an active case.</summary>
    /// <exception cref="CaseRuleException">See <see cref="ServiceCase.AttachTouchpoint"/>; <c>CRM-CASE-007</c> no such touchpoint of the customer; <c>CRM-CASE-006</c> no such case.</exception>
    public async ValueTask AttachTouchpointAsync(TenantId tenantId, CaseId caseId, TouchpointId touchpointId, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(touchpointId);
        var current = await GetAsync(tenantId, caseId, cancellationToken).ConfigureAwait(false);
        _ = await TouchpointOfAsync(tenantId, current.CustomerId, touchpointId, cancellationToken).ConfigureAwait(false);
        await ChangeAsync(tenantId, caseId, (c, at) => { c.AttachTouchpoint(touchpointId, at); return true; }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Escalates an active case one level, optionally raising its priority.</summary>
    /// <exception cref="CaseRuleException">See <see cref="ServiceCase.Escalate"/>; <c>CRM-CASE-006</c> no such case.</exception>
    public ValueTask<CaseEscalation> EscalateAsync(TenantId tenantId, CaseId caseId, string actor, string reason, CasePriority? raisePriorityTo = null, CancellationToken cancellationToken = default)
    {
        Preconditions.NotNull(actor);
        Preconditions.NotNull(reason);
        return ChangeAsync(tenantId, caseId, (c, at) => c.Escalate(at, actor, reason, raisePriorityTo), cancellationToken);
    }

    /// <summary>
    /// Resolves a case (in progress or waiting on the customer), with the customer's satisfaction score when given, then
    /// records the lifecycle effects through the ingestion pipeline (see the remarks).
    /// </summary>
    /// <returns>The touchpoints recorded (none, the resolution, the feedback, or both) as ingested, with the lifecycle transitions they triggered.</returns>
    /// <exception cref="CaseRuleException">See <see cref="ServiceCase.Resolve"/>; <c>CRM-CASE-006</c> no such case.</exception>
    public async ValueTask<IReadOnlyList<IngestionResult>> ResolveAsync(TenantId tenantId, CaseId caseId, string actor, string? note = null, SatisfactionScore? satisfaction = null, CancellationToken cancellationToken = default)
    {
        Preconditions.NotNull(actor);
        await ChangeAsync(tenantId, caseId, (c, at) => c.Resolve(at, actor, note, satisfaction), cancellationToken).ConfigureAwait(false);
        return await RecordResolutionAsync(tenantId, caseId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records the lifecycle touchpoints of a case's latest resolution, idempotently: for every complaint touchpoint
    /// attached to the case (its origin, and the origins of complaint duplicates merged into it) that no case has resolved
    /// yet, a <c>resolution</c> touchpoint at the resolution's instant (key <see cref="ComplaintResolutionKey"/>: each
    /// complaint is resolved once in the lifecycle facts, whichever case resolves it); for a satisfaction score, a
    /// <c>feedback</c> touchpoint carrying it (key <c>case:{id}:feedback:{n}</c> for the case's n-th resolution).
    /// <see cref="ResolveAsync"/> calls it; call it yourself to finish a resolution whose touchpoints were not recorded.
    /// A second call stores nothing: complaints already resolved are skipped, the feedback is reported already recorded.
    /// </summary>
    /// <returns>The touchpoints recorded or found again, in that order, as ingested.</returns>
    /// <exception cref="CaseRuleException"><c>CRM-CASE-006</c> no such case; <c>CRM-CASE-001</c> the case was never resolved.</exception>
    public async ValueTask<IReadOnlyList<IngestionResult>> RecordResolutionAsync(TenantId tenantId, CaseId caseId, CancellationToken cancellationToken = default)
    {
        var serviceCase = await GetAsync(tenantId, caseId, cancellationToken).ConfigureAwait(false);
        var resolution = serviceCase.Resolution
                         ?? throw new CaseRuleException(CrmErrorCodes.CaseTransitionRefused, $"Case {caseId} was never resolved: it has no resolution to record.");
        var results = new List<IngestionResult>(2);
        foreach (var touchpointId in serviceCase.Touchpoints)
        {
            var touchpoint = await _touchpoints.FindAsync(tenantId, touchpointId, cancellationToken).ConfigureAwait(false);
            var key = ComplaintResolutionKey(touchpointId);
            if (touchpoint?.Kind != TouchpointKind.Complaint || await _touchpoints.FindBySourceAsync(tenantId, key, cancellationToken).ConfigureAwait(false) is not null)
            {
                continue;
            }

            results.Add(await _ingestion.RecordAsync(tenantId, Contact(serviceCase.CustomerId, TouchpointKind.Resolution, InteractionDirection.Outbound, resolution.At, key), cancellationToken).ConfigureAwait(false));
        }

        if (resolution.Satisfaction is { } score)
        {
            var feedback = Contact(serviceCase.CustomerId, TouchpointKind.Feedback, InteractionDirection.Inbound, resolution.At, Key(caseId, $"feedback:{serviceCase.ResolvedInstants.Count}"));
            results.Add(await _ingestion.RecordAsync(tenantId, new NewTouchpoint
            {
                CustomerId = feedback.CustomerId,
                Channel = feedback.Channel,
                Direction = feedback.Direction,
                Function = feedback.Function,
                Kind = feedback.Kind,
                OccurredAt = feedback.OccurredAt,
                Source = feedback.Source,
                Satisfaction = score,
            }, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    /// <summary>The source key of the <c>resolution</c> touchpoint that resolves a complaint touchpoint (<c>complaint:{id}:resolution</c>, source <see cref="TouchpointSource"/>).</summary>
    /// <exception cref="ArgumentException">A default id.</exception>
    public static ExternalIdentifier ComplaintResolutionKey(TouchpointId complaintId) => new(TouchpointSource, $"complaint:{Preconditions.NotDefault(complaintId)}:resolution");

    /// <summary>
    /// Merges a duplicate case into a survivor of the same customer: the duplicate is closed with
    /// <see cref="ServiceCase.MergedInto"/> set and its touchpoints are attached to the survivor, both in one commit.
    /// </summary>
    /// <exception cref="CaseRuleException">See <see cref="ServiceCase.Merge"/>; <c>CRM-CASE-006</c> no such case.</exception>
    /// <exception cref="ConcurrencyConflictException">The cases kept changing for <see cref="MaxAttempts"/> attempts.</exception>
    public async ValueTask MergeAsync(TenantId tenantId, CaseId duplicateId, CaseId survivorId, string actor, string reason, CancellationToken cancellationToken = default)
    {
        Preconditions.NotNull(actor);
        Preconditions.NotNull(reason);
        for (var attempt = 1; ; attempt++)
        {
            var duplicate = await GetAsync(tenantId, duplicateId, cancellationToken).ConfigureAwait(false);
            var survivor = duplicateId == survivorId ? duplicate : await GetAsync(tenantId, survivorId, cancellationToken).ConfigureAwait(false);
            ServiceCase.Merge(duplicate, survivor, _clock.GetCurrentInstant(), actor, reason);
            try
            {
                await CommitAsync([duplicate, survivor], cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    /// <summary>
    /// Closes every resolved case of the tenant whose reopen window has passed (actor <see cref="SystemActor"/>): run it
    /// periodically, e.g. nightly. Cases closed by someone else meanwhile are skipped.
    /// </summary>
    /// <returns>How many cases it closed.</returns>
    /// <exception cref="ArgumentException">A default tenant.</exception>
    public async ValueTask<int> CloseExpiredAsync(TenantId tenantId, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        var closed = 0;
        var now = _clock.GetCurrentInstant();
        var expired = new List<CaseId>();
        await foreach (var serviceCase in StreamStatuses(tenantId, [CaseStatus.Resolved], 500, cancellationToken).ConfigureAwait(false))
        {
            if (serviceCase.Resolution!.At + _reopenWindow < now)
            {
                expired.Add(serviceCase.Id);
            }
        }

        foreach (var id in expired)
        {
            try
            {
                await ChangeAsync(tenantId, id, (c, at) => c.Close(at, SystemActor, "reopen window passed"), cancellationToken).ConfigureAwait(false);
                closed++;
            }
            catch (CaseRuleException e) when (e.ErrorCode == CrmErrorCodes.CaseTransitionRefused)
            {
            }
        }

        return closed;
    }

    /// <summary>
    /// Evaluates a case's SLA at the service clock's current instant (see <see cref="SlaPolicy.CreateClock(ServiceCase)"/>
    /// for how the case's history drives the clocks, reopens included); null when the case runs under no policy.
    /// </summary>
    /// <exception cref="ArgumentException">A default tenant or id.</exception>
    /// <exception cref="CaseRuleException"><c>CRM-CASE-006</c> no such case; <c>CRM-CASE-009</c> the case's policy is no longer registered.</exception>
    public async ValueTask<SlaEvaluation?> EvaluateSlaAsync(TenantId tenantId, CaseId caseId, CancellationToken cancellationToken = default)
    {
        var serviceCase = await GetAsync(tenantId, caseId, cancellationToken).ConfigureAwait(false);
        if (RequirePolicy(serviceCase) is not { } policy)
        {
            return null;
        }

        return policy.Evaluate(policy.CreateClock(serviceCase), EvaluationInstant(serviceCase.LatestSlaInstant));
    }

    /// <summary>
    /// The SLA sweep: streams the tenant's active cases (new, in progress, waiting on the customer) that run under a
    /// registered policy, evaluates them in batches of <paramref name="batchSize"/> per policy through the bulk
    /// <see cref="SlaPolicy.Evaluate(ReadOnlySpan{SlaClock}, Span{SlaEvaluation}, Instant)"/>, and yields every case
    /// with a target breached or at risk. Each newly breached target is escalated once per case (actor
    /// <see cref="SystemActor"/>, reason <see cref="FirstResponseBreachedReason"/> or <see cref="ResolutionBreachedReason"/>,
    /// raising the priority to <see cref="CaseServiceOptions.SlaBreachPriority"/> when set), with its
    /// <see cref="CaseEscalated"/> event as for any escalation. Run it periodically, e.g. every few minutes.
    /// </summary>
    /// <remarks>
    /// <para>Idempotent: a target whose breach escalation the case already holds is not escalated again, so a second sweep
    /// (or two sweeps at once: the escalation is re-checked on a fresh read and a lost race is retried) escalates nothing
    /// new; a breached case is still reported by every sweep while it is active. A case already at
    /// <see cref="ServiceCase.MaxEscalationLevel"/>, or no longer active when its escalation is committed, is reported
    /// without a new escalation. Cases under no policy, or under one no longer registered, are skipped.</para>
    /// <para>Each batch is evaluated at the service clock's instant once the batch is full (or the stream ends), never
    /// before the latest change of a case in it. Alerts come batch by batch, each batch in the order the cases were
    /// streamed (status, then id).</para>
    /// </remarks>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="batchSize">How many cases of one policy are evaluated at once (and the page size of the stream): 1 to <see cref="StoreLimits.MaxPageSize"/>.</param>
    /// <param name="progress">Told the number of cases evaluated so far after each batch; null for none.</param>
    /// <param name="cancellationToken">Stops the sweep between cases; escalations already committed stay.</param>
    /// <exception cref="ArgumentException">A default tenant.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is less than 1.</exception>
    /// <exception cref="InputLimitExceededException"><paramref name="batchSize"/> is more than <see cref="StoreLimits.MaxPageSize"/>.</exception>
    public IAsyncEnumerable<SlaAlert> SweepSlaAsync(TenantId tenantId, int batchSize = DefaultSlaBatchSize, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        StoreArguments.CheckLimit(batchSize, nameof(batchSize));
        return SweepAsync(tenantId, batchSize, progress, cancellationToken);
    }

    /// <summary>The source key of a touchpoint a case records (<c>case:{id}:{what}</c>).</summary>
    /// <exception cref="ArgumentException">A default id, or a blank <paramref name="what"/>.</exception>
    public static ExternalIdentifier Key(CaseId caseId, string what) => new(TouchpointSource, $"case:{Preconditions.NotDefault(caseId)}:{Preconditions.NotBlank(what)}");

    private static NewTouchpoint Contact(CustomerId customerId, TouchpointKind kind, InteractionDirection direction, Instant at, ExternalIdentifier key) => new()
    {
        CustomerId = customerId,
        Channel = ServiceChannel,
        Direction = direction,
        Function = CrmFunction.Service,
        Kind = kind,
        OccurredAt = at,
        Source = key,
    };

    private async ValueTask<Touchpoint> TouchpointOfAsync(TenantId tenantId, CustomerId customerId, TouchpointId touchpointId, CancellationToken cancellationToken)
    {
        var touchpoint = await _touchpoints.FindAsync(tenantId, touchpointId, cancellationToken).ConfigureAwait(false);
        return touchpoint is not null && touchpoint.CustomerId == customerId
            ? touchpoint
            : throw new CaseRuleException(CrmErrorCodes.CaseTouchpointInvalid, $"Customer {customerId} of tenant {tenantId} has no touchpoint {touchpointId}.");
    }

    private async ValueTask<T> ChangeAsync<T>(TenantId tenantId, CaseId caseId, Func<ServiceCase, Instant, T> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var serviceCase = await GetAsync(tenantId, caseId, cancellationToken).ConfigureAwait(false);
            var result = change(serviceCase, _clock.GetCurrentInstant());
            try
            {
                await CommitAsync([serviceCase], cancellationToken).ConfigureAwait(false);
                return result;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    private async ValueTask CommitAsync(ServiceCase[] cases, CancellationToken cancellationToken)
    {
        var commit = CaseCommit.Create(cases);
        await _cases.CommitAsync(commit, cancellationToken).ConfigureAwait(false);
        var events = cases.SelectMany(static c => c.PendingEvents).ToArray<ICrmEvent>();
        for (var i = 0; i < cases.Length; i++)
        {
            cases[i].MarkCommitted(commit.Writes[i].NewVersion);
        }

        await _customers.PublishAsync(cases[0].TenantId, events, cancellationToken).ConfigureAwait(false);
    }

    private SlaPolicy? RequirePolicy(ServiceCase serviceCase)
        => serviceCase.SlaPolicy is not { } name ? null
            : _slaPolicies.TryGetValue(name, out var policy) ? policy
            : throw new CaseRuleException(CrmErrorCodes.CaseSlaPolicyUnknown, $"SLA policy {name} of case {serviceCase.Id} is not registered with the case service.");

    /// <summary>The clock's instant, or the case's latest change when a writer's clock ran ahead of ours.</summary>
    private Instant EvaluationInstant(Instant latest)
    {
        var now = _clock.GetCurrentInstant();
        return now > latest ? now : latest;
    }

    private async IAsyncEnumerable<SlaAlert> SweepAsync(TenantId tenantId, int batchSize, IProgress<int>? progress, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var batches = new Dictionary<string, SlaBatch>(StringComparer.Ordinal);
        var alerts = new List<SlaAlert>();
        var evaluated = 0;
        await foreach (var serviceCase in StreamStatuses(tenantId, ActiveStatuses, batchSize, cancellationToken).ConfigureAwait(false))
        {
            if (serviceCase.SlaPolicy is not { } name || !_slaPolicies.TryGetValue(name, out var policy))
            {
                continue;
            }

            if (!batches.TryGetValue(name, out var batch))
            {
                batches[name] = batch = new SlaBatch(policy, batchSize);
            }

            if (batch.Add(serviceCase))
            {
                evaluated += await FlushAsync(batch, alerts, cancellationToken).ConfigureAwait(false);
                progress?.Report(evaluated);
                foreach (var alert in alerts)
                {
                    yield return alert;
                }

                alerts.Clear();
            }
        }

        foreach (var batch in batches.Values)
        {
            if (batch.Count > 0)
            {
                evaluated += await FlushAsync(batch, alerts, cancellationToken).ConfigureAwait(false);
                progress?.Report(evaluated);
                foreach (var alert in alerts)
                {
                    yield return alert;
                }

                alerts.Clear();
            }
        }
    }

    /// <summary>Evaluates a full batch, escalates its new breaches, adds its alerts; returns how many cases it evaluated.</summary>
    private async ValueTask<int> FlushAsync(SlaBatch batch, List<SlaAlert> alerts, CancellationToken cancellationToken)
    {
        var count = batch.Count;
        var now = EvaluationInstant(batch.Latest);
        batch.Policy.Evaluate(batch.Clocks.AsSpan(0, count), batch.Results.AsSpan(0, count), now);
        for (var i = 0; i < count; i++)
        {
            var evaluation = batch.Results[i];
            if (!evaluation.IsBreached && evaluation.FirstResponse.State != SlaState.AtRisk && evaluation.Resolution.State != SlaState.AtRisk)
            {
                continue;
            }

            var serviceCase = batch.Cases[i];
            IReadOnlyList<CaseEscalation> raised = [];
            if (NeedsBreachEscalation(serviceCase, evaluation))
            {
                raised = await EscalateBreachesAsync(serviceCase.TenantId, serviceCase.Id, batch.Policy, cancellationToken).ConfigureAwait(false);
            }

            alerts.Add(new SlaAlert(serviceCase, batch.Policy.Name, now, evaluation, raised));
        }

        batch.Clear();
        return count;
    }

    private static bool NeedsBreachEscalation(ServiceCase serviceCase, in SlaEvaluation evaluation)
        => serviceCase.EscalationLevel < ServiceCase.MaxEscalationLevel
           && ((evaluation.FirstResponse.State == SlaState.Breached && !HasEscalation(serviceCase, FirstResponseBreachedReason))
               || (evaluation.Resolution.State == SlaState.Breached && !HasEscalation(serviceCase, ResolutionBreachedReason)));

    private static bool HasEscalation(ServiceCase serviceCase, string reason)
    {
        foreach (var escalation in serviceCase.Escalations)
        {
            if (escalation.Reason == reason)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Escalates each breached target of the case not escalated yet, on a fresh read, retrying lost races; returns the escalations raised.</summary>
    private async ValueTask<IReadOnlyList<CaseEscalation>> EscalateBreachesAsync(TenantId tenantId, CaseId caseId, SlaPolicy policy, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var serviceCase = await FindAsync(tenantId, caseId, cancellationToken).ConfigureAwait(false);
            if (serviceCase is null || !serviceCase.IsActive)
            {
                return [];
            }

            var at = _clock.GetCurrentInstant();
            var evaluation = policy.Evaluate(policy.CreateClock(serviceCase), at > serviceCase.LatestSlaInstant ? at : serviceCase.LatestSlaInstant);
            var raised = new List<CaseEscalation>(2);
            if (evaluation.FirstResponse.State == SlaState.Breached && !HasEscalation(serviceCase, FirstResponseBreachedReason) && serviceCase.EscalationLevel < ServiceCase.MaxEscalationLevel)
            {
                raised.Add(serviceCase.Escalate(at, SystemActor, FirstResponseBreachedReason, _slaBreachPriority));
            }

            if (evaluation.Resolution.State == SlaState.Breached && !HasEscalation(serviceCase, ResolutionBreachedReason) && serviceCase.EscalationLevel < ServiceCase.MaxEscalationLevel)
            {
                raised.Add(serviceCase.Escalate(at, SystemActor, ResolutionBreachedReason, _slaBreachPriority));
            }

            if (raised.Count == 0)
            {
                return [];
            }

            try
            {
                await CommitAsync([serviceCase], cancellationToken).ConfigureAwait(false);
                return raised;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    private void CheckPolicyRegistered(ServiceCase opening)
    {
        if (opening.SlaPolicy is { } name && !_slaPolicies.ContainsKey(name))
        {
            throw new CaseRuleException(CrmErrorCodes.CaseSlaPolicyUnknown, $"SLA policy {name} is not registered with the case service: case {opening.Id} cannot be opened under it.");
        }
    }

    /// <summary>One policy's cases of the sweep awaiting evaluation, with reused buffers.</summary>
    private sealed class SlaBatch(SlaPolicy policy, int size)
    {
        public SlaPolicy Policy { get; } = policy;

        public ServiceCase[] Cases { get; } = new ServiceCase[size];

        public SlaClock[] Clocks { get; } = new SlaClock[size];

        public SlaEvaluation[] Results { get; } = new SlaEvaluation[size];

        public int Count { get; private set; }

        public Instant Latest { get; private set; } = Instant.MinValue;

        /// <summary>Adds a case; true when the batch is full.</summary>
        public bool Add(ServiceCase serviceCase)
        {
            Cases[Count] = serviceCase;
            Clocks[Count] = Policy.CreateClock(serviceCase);
            Count++;
            var latest = serviceCase.LatestSlaInstant;
            Latest = latest > Latest ? latest : Latest;
            return Count == Cases.Length;
        }

        public void Clear()
        {
            Array.Clear(Cases, 0, Count);
            Count = 0;
            Latest = Instant.MinValue;
        }
    }

    private async IAsyncEnumerable<ServiceCase> StreamStatuses(TenantId tenantId, CaseStatus[] statuses, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var status in statuses)
        {
            await foreach (var serviceCase in Stream((after, ct) => _cases.PageByStatusAsync(tenantId, status, after, pageSize, ct), pageSize, cancellationToken).ConfigureAwait(false))
            {
                yield return serviceCase;
            }
        }
    }

    private static async IAsyncEnumerable<ServiceCase> Stream(Func<CaseId?, CancellationToken, ValueTask<IReadOnlyList<ServiceCase>>> read, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var page in StorePaging.CasePagesAsync(read, pageSize, cancellationToken).ConfigureAwait(false))
        {
            foreach (var serviceCase in page)
            {
                yield return serviceCase;
            }
        }
    }
}

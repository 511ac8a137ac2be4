using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Cases;

/// <summary>
/// A service case: a customer's problem or question followed from the contact that raised it to its resolution — its
/// subject, category, priority, owner, the touchpoints attached to it, escalations, and the whole status history. Open
/// one with <see cref="Open"/> (or through <c>CaseService</c>, which also stores it and records its lifecycle effects);
/// storage adapters rebuild stored ones with <see cref="Rehydrate"/>.
/// </summary>
/// <remarks>
/// <para>Workflow: <see cref="CaseStatus.New"/> → <see cref="CaseStatus.InProgress"/> (<see cref="Start"/>) ⇄
/// <see cref="CaseStatus.WaitingOnCustomer"/> (<see cref="WaitOnCustomer"/>, <see cref="Resume"/>); in progress or
/// waiting → <see cref="CaseStatus.Resolved"/> (<see cref="Resolve"/>); resolved → <see cref="CaseStatus.Closed"/>
/// (<see cref="Close"/>) or back to in progress (<see cref="Reopen"/>) while the reopen window since the resolution
/// lasts (the window is the caller's: <c>CaseServiceOptions.ReopenWindow</c>, 7 days by default; a reopen exactly at its
/// end is allowed). Closed is final. Any step the status does not allow is <c>CRM-CASE-001</c>; a reopen of a case that
/// is not resolved, or after the window, is <c>CRM-CASE-003</c>.</para>
/// <para>While the case is active (new, in progress or waiting) it can be assigned, answered (<see cref="RecordResponse"/>:
/// the first one sets <see cref="FirstResponseAt"/>), given touchpoints and escalated; on a resolved or closed case
/// these are <c>CRM-CASE-002</c>. <see cref="Merge"/> closes a duplicate into a survivor of the same tenant and customer
/// that is not closed, moving the duplicate's touchpoints to it (<c>CRM-CASE-004</c> otherwise).</para>
/// <para>Each behaviour method changes state and raises one <see cref="CaseEvent"/>, or throws and changes nothing.
/// Behaviour methods take the instant from the caller, so the aggregate is pure; an instant before the last history
/// entry is an argument error (history is in time order).</para>
/// </remarks>
public sealed class ServiceCase
{
    /// <summary>The longest subject.</summary>
    public const int MaxSubjectLength = 200;

    /// <summary>The longest category (a slug: <c>a–z 0–9 - _ . : /</c>).</summary>
    public const int MaxCategoryLength = 64;

    /// <summary>The longest owner id.</summary>
    public const int MaxOwnerLength = 128;

    /// <summary>The longest SLA policy name (a slug).</summary>
    public const int MaxSlaPolicyLength = 64;

    /// <summary>The most touchpoints a case holds (the origin included).</summary>
    public const int MaxTouchpoints = 100;

    /// <summary>The most status history entries a case holds.</summary>
    public const int MaxHistory = 200;

    /// <summary>The highest escalation level.</summary>
    public const int MaxEscalationLevel = 5;

    private readonly List<TouchpointId> _touchpoints;
    private readonly List<CaseStatusChange> _history;
    private readonly List<CaseEscalation> _escalations;
    private readonly List<CaseEvent> _pendingEvents = [];

    private ServiceCase(
        TenantId tenantId,
        CaseId id,
        CustomerId customerId,
        string subject,
        string category,
        CasePriority priority,
        string? owner,
        TouchpointId? originTouchpointId,
        bool isComplaint,
        string? slaPolicy,
        List<TouchpointId> touchpoints,
        List<CaseStatusChange> history,
        List<CaseEscalation> escalations,
        Instant? firstResponseAt,
        CaseResolution? resolution,
        CaseId? mergedInto,
        long version)
    {
        TenantId = tenantId;
        Id = id;
        CustomerId = customerId;
        Subject = subject;
        Category = category;
        Priority = priority;
        Owner = owner;
        OriginTouchpointId = originTouchpointId;
        IsComplaint = isComplaint;
        SlaPolicy = slaPolicy;
        _touchpoints = touchpoints;
        _history = history;
        _escalations = escalations;
        FirstResponseAt = firstResponseAt;
        Resolution = resolution;
        MergedInto = mergedInto;
        Version = version;
    }

    /// <summary>The owning tenant.</summary>
    public TenantId TenantId { get; }

    /// <summary>The case's id.</summary>
    public CaseId Id { get; }

    /// <summary>The customer the case is for.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>A short subject line (no personal data: it is shown in lists and logs of the host).</summary>
    public string Subject { get; }

    /// <summary>The category in the host's taxonomy, a slug such as <c>billing/refund</c>.</summary>
    public string Category { get; }

    /// <summary>How urgent the case is; escalation can raise it.</summary>
    public CasePriority Priority { get; private set; }

    /// <summary>The owner (an opaque agent or queue id from the host); null until assigned.</summary>
    public string? Owner { get; private set; }

    /// <summary>The inbound touchpoint (complaint or enquiry) the case was opened from; null when opened directly.</summary>
    public TouchpointId? OriginTouchpointId { get; }

    /// <summary>True when the case follows a complaint: its resolution resolves the complaint in the customer's lifecycle facts.</summary>
    public bool IsComplaint { get; }

    /// <summary>The name of the SLA policy the case runs under (a slug); null for none.</summary>
    public string? SlaPolicy { get; }

    /// <summary>The attached touchpoints (the contacts of the case), the origin first, in the order attached.</summary>
    public IReadOnlyList<TouchpointId> Touchpoints => _touchpoints;

    /// <summary>How many contacts the case took: the number of attached touchpoints.</summary>
    public int ContactCount => _touchpoints.Count;

    /// <summary>Every status change, oldest first; the first entry opened the case.</summary>
    public IReadOnlyList<CaseStatusChange> History => _history;

    /// <summary>Every escalation, oldest first.</summary>
    public IReadOnlyList<CaseEscalation> Escalations => _escalations;

    /// <summary>The current escalation level: 0 when never escalated.</summary>
    public int EscalationLevel => _escalations.Count;

    /// <summary>The current status.</summary>
    public CaseStatus Status => _history[^1].ToStatus;

    /// <summary>True while the case is new, in progress or waiting on the customer (its SLA clocks matter).</summary>
    public bool IsActive => Status is CaseStatus.New or CaseStatus.InProgress or CaseStatus.WaitingOnCustomer;

    /// <summary>When the case was opened.</summary>
    public Instant OpenedAt => _history[0].At;

    /// <summary>When an agent first responded; null until then.</summary>
    public Instant? FirstResponseAt { get; private set; }

    /// <summary>The latest resolution (kept when the case is reopened, replaced when it is resolved again); null if never resolved.</summary>
    public CaseResolution? Resolution { get; private set; }

    /// <summary>When the case is resolved or closed after a resolution: when it was last resolved; null otherwise.</summary>
    public Instant? ResolvedAt => Status is CaseStatus.Resolved || (Status is CaseStatus.Closed && MergedInto is null && Resolution is not null) ? Resolution?.At : null;

    /// <summary>When the case was closed; null unless closed.</summary>
    public Instant? ClosedAt => Status == CaseStatus.Closed ? _history[^1].At : null;

    /// <summary>The case this duplicate was merged into; null unless merged.</summary>
    public CaseId? MergedInto { get; private set; }

    /// <summary>Every instant the case was resolved, oldest first (more than one when it was reopened).</summary>
    public IReadOnlyList<Instant> ResolvedInstants => [.. _history.Where(static c => c.ToStatus == CaseStatus.Resolved).Select(static c => c.At)];

    /// <summary>Every instant the case was reopened, oldest first.</summary>
    public IReadOnlyList<Instant> ReopenedInstants => [.. _history.Where(IsReopen).Select(static c => c.At)];

    /// <summary>How often the case was reopened.</summary>
    public int ReopenCount => _history.Count(IsReopen);

    /// <summary>The pauses of the resolution clock: every stretch spent waiting on the customer, oldest first.</summary>
    public IReadOnlyList<CaseInterval> ResolutionClockPauses => IntervalsIn(CaseStatus.WaitingOnCustomer);

    /// <summary>The stretches spent in progress, oldest first: their sum is the case's handle time.</summary>
    public IReadOnlyList<CaseInterval> HandlingIntervals => IntervalsIn(CaseStatus.InProgress);

    /// <summary>The stored version this case was read at (0 for a new one).</summary>
    public long Version { get; private set; }

    /// <summary>The events raised since the case was read, not yet stored.</summary>
    public IReadOnlyList<CaseEvent> PendingEvents => _pendingEvents;

    /// <summary>Opens a new case (status <see cref="CaseStatus.New"/>), directly or from an inbound touchpoint.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="id">The new case's id.</param>
    /// <param name="customerId">The customer.</param>
    /// <param name="subject">A short subject line.</param>
    /// <param name="category">The category, a slug of at most <see cref="MaxCategoryLength"/> characters.</param>
    /// <param name="priority">The priority.</param>
    /// <param name="originTouchpointId">The complaint or enquiry it is opened from (attached as its first touchpoint); null when opened directly.</param>
    /// <param name="isComplaint">True when the case follows a complaint.</param>
    /// <param name="slaPolicy">The SLA policy's name (a slug); null for none.</param>
    /// <param name="at">When it was opened.</param>
    /// <param name="actor">Who opened it.</param>
    /// <exception cref="ArgumentNullException">A required reference argument is null.</exception>
    /// <exception cref="ArgumentException">A default id, an undefined priority, a blank or too long text, or a category or policy that is not a slug.</exception>
    public static ServiceCase Open(TenantId tenantId, CaseId id, CustomerId customerId, string subject, string category, CasePriority priority, TouchpointId? originTouchpointId, bool isComplaint, string? slaPolicy, Instant at, string actor)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(id);
        Preconditions.NotDefault(customerId);
        Preconditions.Check(originTouchpointId is null || originTouchpointId.Value != default, "The origin touchpoint must not be the default id.", nameof(originTouchpointId));
        var opened = new CaseStatusChange(null, CaseStatus.New, at, actor, "opened");
        var serviceCase = new ServiceCase(
            tenantId, id, customerId, CheckSubject(subject), CheckCategory(category), Preconditions.Defined(priority), null, originTouchpointId, isComplaint, CheckPolicy(slaPolicy),
            originTouchpointId is { } origin ? [origin] : [], [opened], [], null, null, null, 0);
        serviceCase._pendingEvents.Add(new CaseOpened(tenantId, id, customerId, at, serviceCase.Subject, serviceCase.Category, priority, originTouchpointId, isComplaint, serviceCase.SlaPolicy, opened));
        return serviceCase;
    }

    /// <summary>
    /// Validates and rebuilds a stored case (storage adapters and the kernel's JSON form): the history must be a valid
    /// sequence in time order (opened first, then only steps the workflow allows), the resolution present when the case
    /// was ever resolved, the merge target present exactly when a merge closed it.
    /// </summary>
    /// <exception cref="ArgumentNullException">A required reference argument is null or a list holds null.</exception>
    /// <exception cref="ArgumentException">Any field or the history breaks a rule.</exception>
    public static ServiceCase Rehydrate(
        TenantId tenantId,
        CaseId id,
        CustomerId customerId,
        string subject,
        string category,
        CasePriority priority,
        string? owner,
        TouchpointId? originTouchpointId,
        bool isComplaint,
        string? slaPolicy,
        IEnumerable<TouchpointId> touchpoints,
        IEnumerable<CaseStatusChange> history,
        IEnumerable<CaseEscalation> escalations,
        Instant? firstResponseAt,
        CaseResolution? resolution,
        CaseId? mergedInto,
        long version)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(id);
        Preconditions.NotDefault(customerId);
        Preconditions.Defined(priority);
        Preconditions.Check(version >= 1, "The version must be 1 or more.", nameof(version));
        Preconditions.NotNull(subject);
        Preconditions.NotNull(category);
        var attached = Preconditions.NotNull(touchpoints).ToList();
        var entries = Preconditions.NotNull(history).ToList();
        var raised = Preconditions.NotNull(escalations).ToList();
        Preconditions.Check(attached.Count <= MaxTouchpoints && !attached.Contains(default) && attached.Distinct().Count() == attached.Count, "The touchpoints are too many, default or repeated.", nameof(touchpoints));
        Preconditions.Check(originTouchpointId is null || (attached.Count > 0 && attached[0] == originTouchpointId), "The origin touchpoint is the first attached one.", nameof(originTouchpointId));
        Preconditions.Check(entries.Count is >= 1 and <= MaxHistory && entries.TrueForAll(static e => e is not null), "The history is empty, too long, or holds null.", nameof(history));
        Preconditions.Check(entries[0].FromStatus is null && entries[0].ToStatus == CaseStatus.New, "The history starts with the entry that opened the case.", nameof(history));
        for (var i = 1; i < entries.Count; i++)
        {
            var (before, after) = (entries[i - 1], entries[i]);
            Preconditions.Check(after.FromStatus == before.ToStatus && after.At >= before.At && IsAllowed(before.ToStatus, after.ToStatus), "The history holds a change the rules do not allow.", nameof(history));
        }

        Preconditions.Check(raised.Count <= MaxEscalationLevel && raised.Select(static (e, i) => e is not null && e.Level == i + 1).All(static ok => ok), "The escalations are null, too many, or not numbered 1, 2, ….", nameof(escalations));
        var everResolved = entries.Exists(static e => e.ToStatus == CaseStatus.Resolved);
        Preconditions.Check(everResolved == resolution is not null && (resolution is null || resolution.At == entries.Last(static e => e.ToStatus == CaseStatus.Resolved).At), "The resolution is the latest one of the history.", nameof(resolution));
        var mergeClosed = entries[^1].ToStatus == CaseStatus.Closed && entries[^1].FromStatus != CaseStatus.Resolved;
        Preconditions.Check(mergedInto is null ? !mergeClosed : entries[^1].ToStatus == CaseStatus.Closed && mergedInto.Value != default && mergedInto.Value != id, "A merge target is set exactly when a merge closed the case.", nameof(mergedInto));
        Preconditions.Check(firstResponseAt is null || firstResponseAt >= entries[0].At, "The first response is not before the case was opened.", nameof(firstResponseAt));
        return new ServiceCase(
            tenantId, id, customerId, CheckSubject(subject), CheckCategory(category), priority, owner is null ? null : CheckOwner(owner), originTouchpointId, isComplaint, CheckPolicy(slaPolicy),
            attached, entries, raised, firstResponseAt, resolution, mergedInto, version);
    }

    /// <summary>Starts work on a new case (new → in progress), raising <see cref="CaseStatusChanged"/>.</summary>
    /// <exception cref="ArgumentException">A blank or too long actor or reason, or an instant before the last change.</exception>
    /// <exception cref="CaseRuleException"><c>CRM-CASE-001</c> the case is not new; <c>CRM-CASE-005</c> history full.</exception>
    public CaseStatusChange Start(Instant at, string actor, string reason) => Step(CaseStatus.New, CaseStatus.InProgress, at, actor, reason);

    /// <summary>Puts an in-progress case on hold until the customer answers (pauses the resolution clock), raising <see cref="CaseStatusChanged"/>.</summary>
    /// <exception cref="CaseRuleException"><c>CRM-CASE-001</c> the case is not in progress; <c>CRM-CASE-005</c> history full.</exception>
    public CaseStatusChange WaitOnCustomer(Instant at, string actor, string reason) => Step(CaseStatus.InProgress, CaseStatus.WaitingOnCustomer, at, actor, reason);

    /// <summary>Resumes a case that was waiting on the customer, raising <see cref="CaseStatusChanged"/>.</summary>
    /// <exception cref="CaseRuleException"><c>CRM-CASE-001</c> the case is not waiting; <c>CRM-CASE-005</c> history full.</exception>
    public CaseStatusChange Resume(Instant at, string actor, string reason) => Step(CaseStatus.WaitingOnCustomer, CaseStatus.InProgress, at, actor, reason);

    /// <summary>Closes a resolved case for good, raising <see cref="CaseStatusChanged"/>.</summary>
    /// <exception cref="CaseRuleException"><c>CRM-CASE-001</c> the case is not resolved; <c>CRM-CASE-005</c> history full.</exception>
    public CaseStatusChange Close(Instant at, string actor, string reason) => Step(CaseStatus.Resolved, CaseStatus.Closed, at, actor, reason);

    /// <summary>Resolves a case that is in progress or waiting on the customer, raising <see cref="CaseResolved"/>.</summary>
    /// <param name="at">When.</param>
    /// <param name="actor">Who.</param>
    /// <param name="note">What was done; null for none.</param>
    /// <param name="satisfaction">The customer's satisfaction score, when given.</param>
    /// <exception cref="ArgumentException">A blank or too long actor or note, or an instant before the last change.</exception>
    /// <exception cref="CaseRuleException"><c>CRM-CASE-001</c> the case is new, resolved or closed; <c>CRM-CASE-005</c> history full.</exception>
    public CaseResolution Resolve(Instant at, string actor, string? note, Touchpoints.SatisfactionScore? satisfaction)
    {
        CheckEntry(at, actor, "resolved");
        var resolution = new CaseResolution(at, note, satisfaction);
        if (Status is not (CaseStatus.InProgress or CaseStatus.WaitingOnCustomer))
        {
            throw Refused("resolved");
        }

        var change = Record(CaseStatus.Resolved, at, actor, "resolved");
        Resolution = resolution;
        _pendingEvents.Add(new CaseResolved(TenantId, Id, CustomerId, at, change, resolution));
        return resolution;
    }

    /// <summary>
    /// Reopens a resolved case (resolved → in progress) if <paramref name="at"/> is within <paramref name="window"/> of
    /// its resolution, raising <see cref="CaseReopened"/>. The resolution is kept until the case is resolved again.
    /// </summary>
    /// <param name="window">The reopen window (the service passes <c>CaseServiceOptions.ReopenWindow</c>).</param>
    /// <param name="at">When.</param>
    /// <param name="actor">Who.</param>
    /// <param name="reason">Why.</param>
    /// <exception cref="ArgumentOutOfRangeException">The window is negative.</exception>
    /// <exception cref="CaseRuleException"><c>CRM-CASE-003</c> not resolved, or the window has passed; <c>CRM-CASE-005</c> history full.</exception>
    public CaseStatusChange Reopen(Duration window, Instant at, string actor, string reason)
    {
        if (window < Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "The reopen window cannot be negative.");
        }

        CheckEntry(at, actor, reason);
        if (Status != CaseStatus.Resolved)
        {
            throw new CaseRuleException(CrmErrorCodes.CaseCannotReopen, $"Case {Id} is {Status}: only a resolved case can be reopened.");
        }

        if (at > Resolution!.At + window)
        {
            throw new CaseRuleException(CrmErrorCodes.CaseCannotReopen, $"Case {Id} was resolved more than {window.TotalDays:0.##} days ago: the reopen window has passed.");
        }

        var change = Record(CaseStatus.InProgress, at, actor, reason);
        _pendingEvents.Add(new CaseReopened(TenantId, Id, CustomerId, at, change));
        return change;
    }

    /// <summary>Gives the active case to an owner (an agent or queue), raising <see cref="CaseAssigned"/>.</summary>
    /// <exception cref="ArgumentException">A blank or too long owner, or the case's current owner.</exception>
    /// <exception cref="CaseRuleException"><c>CRM-CASE-002</c> the case is resolved or closed.</exception>
    public void Assign(string owner, Instant at)
    {
        var next = CheckOwner(owner);
        CheckInstant(at);
        RequireActive("assigned");
        Preconditions.Check(next != Owner, "The case already has that owner.", nameof(owner));
        Owner = next;
        _pendingEvents.Add(new CaseAssigned(TenantId, Id, CustomerId, at, next));
    }

    /// <summary>Records an agent's response to the customer on the active case; the first one sets <see cref="FirstResponseAt"/>. Raises <see cref="CaseResponded"/>.</summary>
    /// <returns>True when this was the first response.</returns>
    /// <exception cref="ArgumentException">An instant before the last change.</exception>
    /// <exception cref="CaseRuleException"><c>CRM-CASE-002</c> the case is resolved or closed.</exception>
    public bool RecordResponse(Instant at)
    {
        CheckInstant(at);
        RequireActive("answered");
        var first = FirstResponseAt is null;
        FirstResponseAt ??= at;
        _pendingEvents.Add(new CaseResponded(TenantId, Id, CustomerId, at, first));
        return first;
    }

    /// <summary>Attaches a contact (touchpoint) to the active case, raising <see cref="CaseTouchpointAttached"/>.</summary>
    /// <exception cref="ArgumentException">A default id, or an instant before the last change.</exception>
    /// <exception cref="CaseRuleException"><c>CRM-CASE-002</c> resolved or closed; <c>CRM-CASE-008</c> already attached; <c>CRM-CASE-005</c> <see cref="MaxTouchpoints"/> reached.</exception>
    public void AttachTouchpoint(TouchpointId touchpointId, Instant at)
    {
        Preconditions.NotDefault(touchpointId);
        CheckInstant(at);
        RequireActive("given touchpoints");
        if (_touchpoints.Contains(touchpointId))
        {
            throw new CaseRuleException(CrmErrorCodes.CaseTouchpointAlreadyAttached, $"Touchpoint {touchpointId} is already attached to case {Id}.");
        }

        if (_touchpoints.Count >= MaxTouchpoints)
        {
            throw Limit($"{MaxTouchpoints} touchpoints");
        }

        _touchpoints.Add(touchpointId);
        _pendingEvents.Add(new CaseTouchpointAttached(TenantId, Id, CustomerId, at, touchpointId));
    }

    /// <summary>Escalates the active case one level, raising its priority to <paramref name="raisePriorityTo"/> when that is higher. Raises <see cref="CaseEscalated"/>.</summary>
    /// <param name="at">When.</param>
    /// <param name="actor">Who.</param>
    /// <param name="reason">Why.</param>
    /// <param name="raisePriorityTo">The priority to raise to; null (or a priority not above the current one) keeps it.</param>
    /// <returns>The escalation record.</returns>
    /// <exception cref="ArgumentException">A blank or too long actor or reason, an undefined priority, or an instant before the last change.</exception>
    /// <exception cref="CaseRuleException"><c>CRM-CASE-002</c> resolved or closed; <c>CRM-CASE-005</c> already at <see cref="MaxEscalationLevel"/>.</exception>
    public CaseEscalation Escalate(Instant at, string actor, string reason, CasePriority? raisePriorityTo = null)
    {
        CheckEntry(at, actor, reason);
        Preconditions.Check(raisePriorityTo is null || Enum.IsDefined(raisePriorityTo.Value), "The priority is not defined.", nameof(raisePriorityTo));
        RequireActive("escalated");
        if (_escalations.Count >= MaxEscalationLevel)
        {
            throw Limit($"escalation level {MaxEscalationLevel}");
        }

        var priority = raisePriorityTo is { } raised && raised > Priority ? raised : Priority;
        var escalation = new CaseEscalation(_escalations.Count + 1, priority, at, actor, reason);
        _escalations.Add(escalation);
        Priority = priority;
        _pendingEvents.Add(new CaseEscalated(TenantId, Id, CustomerId, at, escalation));
        return escalation;
    }

    /// <summary>
    /// Merges <paramref name="duplicate"/> into <paramref name="survivor"/>: the duplicate is closed with
    /// <see cref="MergedInto"/> set (raising <see cref="CaseMerged"/>), and its touchpoints the survivor lacks are
    /// attached to the survivor (raising <see cref="CaseDuplicateAbsorbed"/>). Store both in one commit.
    /// </summary>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">A blank or too long actor or reason, or an instant before either case's last change.</exception>
    /// <exception cref="CaseRuleException"><c>CRM-CASE-004</c> the same case, another tenant or customer, or either case closed; <c>CRM-CASE-005</c> the survivor would hold more than <see cref="MaxTouchpoints"/> touchpoints or its history is full.</exception>
    public static void Merge(ServiceCase duplicate, ServiceCase survivor, Instant at, string actor, string reason)
    {
        Preconditions.NotNull(duplicate);
        Preconditions.NotNull(survivor);
        duplicate.CheckEntry(at, actor, reason);
        survivor.CheckInstant(at);
        if (duplicate.Id == survivor.Id || duplicate.TenantId != survivor.TenantId || duplicate.CustomerId != survivor.CustomerId || duplicate.Status == CaseStatus.Closed || survivor.Status == CaseStatus.Closed)
        {
            throw new CaseRuleException(CrmErrorCodes.CaseMergeRefused, $"Case {duplicate.Id} cannot be merged into case {survivor.Id}: a case merges only into another open case of the same tenant and customer.");
        }

        var moved = duplicate._touchpoints.Where(t => !survivor._touchpoints.Contains(t)).ToArray();
        if (survivor._touchpoints.Count + moved.Length > MaxTouchpoints)
        {
            throw survivor.Limit($"{MaxTouchpoints} touchpoints");
        }

        var change = duplicate.Record(CaseStatus.Closed, at, actor, reason);
        duplicate.MergedInto = survivor.Id;
        duplicate._pendingEvents.Add(new CaseMerged(duplicate.TenantId, duplicate.Id, duplicate.CustomerId, at, survivor.Id, change));
        survivor._touchpoints.AddRange(moved);
        survivor._pendingEvents.Add(new CaseDuplicateAbsorbed(survivor.TenantId, survivor.Id, survivor.CustomerId, at, duplicate.Id, moved));
    }

    /// <summary>
    /// The case's SLA clock with its pauses counted on <paramref name="calendar"/> (see <see cref="SlaPolicy.CreateClock(ServiceCase)"/>
    /// for the rules). Walks the history once and allocates nothing.
    /// </summary>
    internal SlaClock SlaClockOn(Calendars.BusinessCalendar calendar)
    {
        var opened = _history[0].At;
        Instant? firstResolved = null;
        var paused = Duration.Zero;
        for (var i = 1; i < _history.Count; i++)
        {
            var (before, after) = (_history[i - 1], _history[i]);
            firstResolved ??= after.ToStatus == CaseStatus.Resolved ? after.At : null;

            // Waiting on the customer pauses the resolution clock; so does the stretch between a resolution and its reopening.
            if (before.ToStatus == CaseStatus.WaitingOnCustomer || (before.ToStatus == CaseStatus.Resolved && after.ToStatus == CaseStatus.InProgress))
            {
                paused += calendar.BusinessTimeBetween(before.At, after.At);
            }
        }

        var last = _history[^1];
        Instant? stop = last.ToStatus switch
        {
            CaseStatus.Resolved => last.At,
            CaseStatus.Closed when last.FromStatus == CaseStatus.Resolved => _history[^2].At,
            CaseStatus.Closed => last.At,
            _ => null,
        };
        Instant? pausedSince = last.ToStatus == CaseStatus.WaitingOnCustomer ? last.At : null;

        // A case resolved before any response counts its first resolution as its first response.
        var responded = FirstResponseAt is { } r && (firstResolved is null || r <= firstResolved.Value) ? r : firstResolved;
        return new SlaClock(Priority, opened, responded, stop, paused, pausedSince);
    }

    /// <summary>The latest instant the case's SLA clock can hold: its last status change or its first response.</summary>
    internal Instant LatestSlaInstant => FirstResponseAt is { } r && r > _history[^1].At ? r : _history[^1].At;

    /// <summary>Clears the pending events after they were stored at <paramref name="version"/> (the case service does this).</summary>
    internal void MarkCommitted(long version)
    {
        _pendingEvents.Clear();
        Version = version;
    }

    /// <summary>Whether the workflow allows a history entry from one status to another (the one statement of its rules; the closes of merges included).</summary>
    internal static bool IsAllowed(CaseStatus from, CaseStatus to) => (from, to) switch
    {
        (CaseStatus.New, CaseStatus.InProgress) => true,
        (CaseStatus.InProgress, CaseStatus.WaitingOnCustomer) => true,
        (CaseStatus.WaitingOnCustomer, CaseStatus.InProgress) => true,
        (CaseStatus.InProgress or CaseStatus.WaitingOnCustomer, CaseStatus.Resolved) => true,
        (CaseStatus.Resolved, CaseStatus.InProgress) => true,
        (not CaseStatus.Closed, CaseStatus.Closed) => true,
        _ => false,
    };

    private static bool IsReopen(CaseStatusChange change) => change.FromStatus == CaseStatus.Resolved && change.ToStatus == CaseStatus.InProgress;

    private List<CaseInterval> IntervalsIn(CaseStatus status)
    {
        var intervals = new List<CaseInterval>();
        Instant? start = null;
        foreach (var change in _history)
        {
            if (start is { } s && change.ToStatus != status)
            {
                intervals.Add(new CaseInterval(s, change.At));
                start = null;
            }
            else if (start is null && change.ToStatus == status)
            {
                start = change.At;
            }
        }

        if (start is { } open)
        {
            intervals.Add(new CaseInterval(open, null));
        }

        return intervals;
    }

    private CaseStatusChange Step(CaseStatus from, CaseStatus to, Instant at, string actor, string reason)
    {
        CheckEntry(at, actor, reason);
        if (Status != from)
        {
            throw Refused(to switch
            {
                CaseStatus.InProgress when from == CaseStatus.New => "started",
                CaseStatus.InProgress => "resumed",
                CaseStatus.WaitingOnCustomer => "put on hold",
                _ => "closed",
            });
        }

        var change = Record(to, at, actor, reason);
        _pendingEvents.Add(new CaseStatusChanged(TenantId, Id, CustomerId, at, change));
        return change;
    }

    private CaseStatusChange Record(CaseStatus status, Instant at, string actor, string reason)
    {
        if (_history.Count >= MaxHistory)
        {
            throw Limit($"{MaxHistory} history entries");
        }

        var change = new CaseStatusChange(Status, status, at, actor, reason);
        _history.Add(change);
        return change;
    }

    /// <summary>Argument checks of a history entry, before any rule: a bad argument is an argument error whatever the case's state.</summary>
    private void CheckEntry(Instant at, string actor, string reason)
    {
        Preconditions.MaxLength(Preconditions.NotBlank(actor).Trim(), CaseStatusChange.MaxActorLength, nameof(actor));
        Preconditions.MaxLength(Preconditions.NotBlank(reason).Trim(), CaseStatusChange.MaxReasonLength, nameof(reason));
        CheckInstant(at);
    }

    private void CheckInstant(Instant at) => Preconditions.Check(at >= _history[^1].At, "The instant is before the case's last change.", nameof(at));

    private void RequireActive(string what)
    {
        if (!IsActive)
        {
            throw new CaseRuleException(CrmErrorCodes.CaseNotActive, $"Case {Id} is {Status} and cannot be {what}.");
        }
    }

    private CaseRuleException Refused(string what) => new(CrmErrorCodes.CaseTransitionRefused, $"Case {Id} is {Status} and cannot be {what}.");

    private CaseRuleException Limit(string what) => new(CrmErrorCodes.CaseLimitExceeded, $"Case {Id} holds the most allowed: {what}.");

    private static string CheckSubject(string subject) => Preconditions.MaxLength(Preconditions.NotBlank(subject).Trim(), MaxSubjectLength, nameof(subject));

    private static string CheckOwner(string owner) => Preconditions.MaxLength(Preconditions.NotBlank(owner).Trim(), MaxOwnerLength, nameof(owner));

    private static string CheckCategory(string category) => Slug.Require(category, MaxCategoryLength, "case category", nameof(category));

    private static string? CheckPolicy(string? policy) => policy is null ? null : Slug.Require(policy, MaxSlaPolicyLength, "SLA policy name", "slaPolicy");
}

using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Events;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Lifecycle;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace CrmKernel.Services.Ingestion;

/// <summary>
/// The one ingestion pipeline: records contacts from every channel and source system as touchpoints, one at a time
/// (<see cref="RecordAsync(TenantId, NewTouchpoint, CancellationToken)"/>) or in bulk (<see cref="RecordManyAsync"/>),
/// applies the lifecycle transitions they trigger in the same commit, and reports what it did in one
/// <see cref="IngestionResult"/>. Resolve it from DI after choosing a store.
/// </summary>
/// <remarks>
/// <para><b>Idempotency.</b> Ingestion is keyed on the touchpoint's source key: the same contact delivered again (same key,
/// same content in every field) is stored once and reported as already present, applying nothing a second time; a
/// different contact under the same key is refused (<c>CRM-TOUCHPOINT-001</c>): a single record throws
/// <see cref="TouchpointConflictException"/>, a bulk ingestion reports it in <see cref="IngestionResult.Conflicts"/>.</para>
/// <para><b>Lifecycle.</b> When the pipeline has a lifecycle model and a store with the <see cref="ICustomerTouchpointStore"/>
/// capability (as registered by <c>AddCrmKernel</c> with the in-memory or SQLite stores) and the touchpoint's customer
/// exists, the touchpoint and the lifecycle transitions it triggers are stored in one commit; a lost concurrency race is
/// retried from a fresh read up to <see cref="LifecycleService.MaxAttempts"/> times; events are published after the
/// commit. When the customer does not exist (source systems often deliver contacts before customer master data) the
/// touchpoint is appended alone and moves nobody, unless the call passes <see cref="UnknownCustomerPolicy.Refuse"/>.</para>
/// </remarks>
public sealed class TouchpointIngestion
{
    /// <summary>How many touchpoints one bulk append holds.</summary>
    public const int BatchSize = 10_000;


    private static readonly Comparison<SourceKeyConflict> ByIndex = static (a, b) => a.Index.CompareTo(b.Index);

    private static readonly Comparison<RedirectedTouchpoint> RedirectByIndex = static (a, b) => a.Index.CompareTo(b.Index);

    private readonly ITouchpointStore _store;
    private readonly IClock _clock;
    private readonly ICustomerStore? _customers;
    private readonly ICustomerTouchpointStore? _atomic;
    private readonly CustomerRepository? _repository;
    private readonly ICustomerMergeStore? _merges;
    private readonly ILogger _logger = NullLogger.Instance;

    /// <summary>
    /// Creates a pipeline that only appends touchpoints and moves no customer through the lifecycle: use it for stores
    /// without the <see cref="ICustomerTouchpointStore"/> capability, or to load history without lifecycle effects.
    /// </summary>
    /// <param name="store">The touchpoint store.</param>
    /// <param name="clock">Stamps recorded touchpoints.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public TouchpointIngestion(ITouchpointStore store, IClock clock)
    {
        _store = Preconditions.NotNull(store);
        _clock = Preconditions.NotNull(clock);
    }

    /// <summary>
    /// Creates a pipeline that also applies the lifecycle transitions a touchpoint triggers to its existing customer, in
    /// the same commit (<c>AddCrmKernel</c> does this when the store has <see cref="ICustomerTouchpointStore"/>).
    /// </summary>
    /// <param name="store">The touchpoint store.</param>
    /// <param name="clock">Stamps recorded touchpoints.</param>
    /// <param name="model">The lifecycle model.</param>
    /// <param name="customers">The customer store.</param>
    /// <param name="customerTouchpoints">The atomic touchpoint-and-customer capability over the same data.</param>
    /// <param name="publisher">Receives events after commit; none when null.</param>
    /// <param name="outbox">Marks published events; none when null.</param>
    /// <param name="logger">Where concurrency retries (event 1101) and publish failures (1201) are logged; <c>AddCrmKernel</c> passes the host's, none when null.</param>
    /// <param name="merges">
    /// The merge capability over the same data (<c>AddCrmKernel</c> passes the registered <see cref="ICustomerMergeStore"/>):
    /// a touchpoint addressed to a merged-away customer is then stored with its survivor, moving the survivor's lifecycle,
    /// and listed in the merge record. When null, such a touchpoint is treated as one of an unknown customer.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="store"/>, <paramref name="clock"/>, <paramref name="model"/>, <paramref name="customers"/> or <paramref name="customerTouchpoints"/> is null.</exception>
    public TouchpointIngestion(
        ITouchpointStore store,
        IClock clock,
        LifecycleModel model,
        ICustomerStore customers,
        ICustomerTouchpointStore customerTouchpoints,
        ICrmEventPublisher? publisher = null,
        ICrmOutbox? outbox = null,
        ILogger<TouchpointIngestion>? logger = null,
        ICustomerMergeStore? merges = null)
        : this(store, clock)
    {
        _merges = merges;
        LifecycleModel = Preconditions.NotNull(model);
        _customers = Preconditions.NotNull(customers);
        _atomic = Preconditions.NotNull(customerTouchpoints);
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _repository = new CustomerRepository(customers, clock, publisher, outbox, _logger);
    }

    /// <summary>The lifecycle model the pipeline applies; null when it only appends touchpoints.</summary>
    public LifecycleModel? LifecycleModel { get; }

    /// <summary>
    /// Records one contact, e.g. from a webhook or a channel adapter. When its customer exists and the pipeline applies
    /// the lifecycle, the customer's lifecycle change is stored in the same commit; an unknown customer's touchpoint is
    /// stored alone.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="touchpoint">The contact.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored touchpoint (the earlier one for a re-delivery), whether it was stored now, and the transitions applied.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="touchpoint"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default, or the touchpoint breaks a rule (see <see cref="Touchpoint.Create"/>), or the customer's stored stage is not declared by the lifecycle model.</exception>
    /// <exception cref="TouchpointConflictException">Another contact is stored under the same source key; nothing was stored.</exception>
    /// <exception cref="ConcurrencyConflictException">The customer kept changing for <see cref="LifecycleService.MaxAttempts"/> attempts; nothing was stored.</exception>
#pragma warning disable RS0026 // Both overloads end in an optional CancellationToken, as the framework's own async APIs do; neither call is ambiguous.
    public ValueTask<IngestionResult> RecordAsync(TenantId tenantId, NewTouchpoint touchpoint, CancellationToken cancellationToken = default)
        => RecordAsync(tenantId, touchpoint, UnknownCustomerPolicy.RecordTouchpoint, cancellationToken);

    /// <summary>
    /// Records one contact as <see cref="RecordAsync(TenantId, NewTouchpoint, CancellationToken)"/> does, choosing what
    /// happens when its customer does not exist: pass <see cref="UnknownCustomerPolicy.Refuse"/> when the caller needs the
    /// customer's lifecycle applied (e.g. to show the resulting stage).
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="touchpoint">The contact.</param>
    /// <param name="unknownCustomer">What to do when the touchpoint's customer does not exist.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored touchpoint (the earlier one for a re-delivery), whether it was stored now, and the transitions applied.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="touchpoint"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default, the policy is undefined, or the touchpoint breaks a rule (see <see cref="Touchpoint.Create"/>), or the customer's stored stage is not declared by the lifecycle model.</exception>
    /// <exception cref="NotSupportedException"><see cref="UnknownCustomerPolicy.Refuse"/> was passed to a pipeline that applies no lifecycle.</exception>
    /// <exception cref="CustomerNotFoundException"><see cref="UnknownCustomerPolicy.Refuse"/> was passed and the customer does not exist; nothing was stored.</exception>
    /// <exception cref="TouchpointConflictException">Another contact is stored under the same source key; nothing was stored.</exception>
    /// <exception cref="ConcurrencyConflictException">The customer kept changing for <see cref="LifecycleService.MaxAttempts"/> attempts; nothing was stored.</exception>
    public async ValueTask<IngestionResult> RecordAsync(TenantId tenantId, NewTouchpoint touchpoint, UnknownCustomerPolicy unknownCustomer, CancellationToken cancellationToken = default)
#pragma warning restore RS0026
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(touchpoint);
        Preconditions.Check(Enum.IsDefined(unknownCustomer), "The unknown-customer policy is not defined.", nameof(unknownCustomer));
        if (unknownCustomer == UnknownCustomerPolicy.Refuse && _repository is null)
        {
            throw new NotSupportedException("Refusing touchpoints of unknown customers needs a pipeline that applies the lifecycle (a store that implements ICustomerTouchpointStore).");
        }

        return await RecordCheckedAsync(tenantId, touchpoint, unknownCustomer, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records one contact of <paramref name="customer"/>, which the caller (the channel dispatcher) has just read from the
    /// same store and not changed: the first attempt applies the lifecycle to it instead of reading the customer again. A
    /// stale read only costs a retry (the commit checks the version; the retry reads afresh).
    /// </summary>
    internal ValueTask<IngestionResult> RecordForAsync(TenantId tenantId, Customer customer, NewTouchpoint touchpoint, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(customer);
        Preconditions.NotNull(touchpoint);
        Preconditions.Check(customer.Id == touchpoint.CustomerId && customer.TenantId == tenantId, "The touchpoint must be the customer's.", nameof(touchpoint));
        return RecordCheckedAsync(tenantId, touchpoint, UnknownCustomerPolicy.RecordTouchpoint, customer, cancellationToken);
    }

    private async ValueTask<IngestionResult> RecordCheckedAsync(TenantId tenantId, NewTouchpoint touchpoint, UnknownCustomerPolicy unknownCustomer, Customer? read, CancellationToken cancellationToken)
    {
        var recorded = Touchpoint.Create(tenantId, TouchpointId.New(), _clock.GetCurrentInstant(), touchpoint);
        using var activity = IngestionDiagnostics.Start(tenantId, 1);
        try
        {
            var result = await RecordOneAsync(tenantId, recorded, unknownCustomer, read, cancellationToken).ConfigureAwait(false);
            IngestionDiagnostics.Completed(activity, result.Recorded, result.AlreadyPresent.Count, 0);
            return result;
        }
        catch (Exception e) when (CrmTracing.Fail(activity, e))
        {
            throw;
        }
    }

    private async ValueTask<IngestionResult> RecordOneAsync(TenantId tenantId, Touchpoint recorded, UnknownCustomerPolicy unknownCustomer, Customer? read, CancellationToken cancellationToken)
    {
        if (_repository is not null)
        {
            for (var attempt = 1; ; attempt++)
            {
                // The caller's fresh read serves the first attempt; a retry after a lost race reads the customer again.
                var customer = attempt == 1 && read is not null ? read : await _repository.FindAsync(tenantId, recorded.CustomerId, cancellationToken).ConfigureAwait(false);
                var routed = recorded;
                if (customer is null && _merges is not null && await SurvivorAsync(tenantId, recorded.CustomerId, cancellationToken).ConfigureAwait(false) is { } survivor)
                {
                    customer = Customer.Rehydrate(survivor, _clock);
                    routed = recorded.WithCustomer(survivor.Id);
                }

                if (customer is null)
                {
                    if (unknownCustomer == UnknownCustomerPolicy.Refuse)
                    {
                        throw new CustomerNotFoundException(tenantId, recorded.CustomerId);
                    }

                    break;
                }

                var transitions = customer.ApplyTouchpoint(LifecycleModel!, routed);
                var commit = Changed(customer) ? CustomerCommit.Create(customer) : null;
                TouchpointAppendResult appended;
                try
                {
                    appended = ReferenceEquals(routed, recorded)
                        ? await _atomic!.AppendWithCustomerAsync(tenantId, recorded, commit, cancellationToken).ConfigureAwait(false)
                        : await _merges!.AppendRedirectedWithCustomerAsync(tenantId, [routed], [recorded.CustomerId], commit, cancellationToken).ConfigureAwait(false);
                }
                catch (ConcurrencyConflictException) when (attempt < LifecycleService.MaxAttempts)
                {
                    IngestionLog.ConcurrencyRetry(_logger, recorded.CustomerId, attempt + 1, LifecycleService.MaxAttempts, tenantId);
                    continue;
                }

                if (appended.Appended == 1)
                {
                    await CommittedAsync(tenantId, customer, commit, cancellationToken).ConfigureAwait(false);
                    return Stored(routed, transitions, recorded.CustomerId);
                }

                return await EarlierAsync(tenantId, recorded, appended, cancellationToken).ConfigureAwait(false);
            }
        }

        // With the merge capability, an append that races with a merge still lands on the survivor (the store redirects).
        var result = _merges is null
            ? await _store.AppendAsync(tenantId, [recorded], cancellationToken).ConfigureAwait(false)
            : await _merges.AppendTouchpointsAsync(tenantId, [recorded], cancellationToken).ConfigureAwait(false);
        return result.Appended == 1
            ? Stored(recorded, [], recorded.CustomerId)
            : await EarlierAsync(tenantId, recorded, result, cancellationToken).ConfigureAwait(false);
    }

    private static IngestionResult Stored(Touchpoint stored, IReadOnlyList<LifecycleTransitionRecord> transitions, CustomerId addressedTo)
    {
        var triggered = new TriggeredTransition[transitions.Count];
        for (var i = 0; i < triggered.Length; i++)
        {
            triggered[i] = new TriggeredTransition(0, stored.CustomerId, transitions[i]);
        }

        RedirectedTouchpoint[] redirected = addressedTo == stored.CustomerId ? [] : [new RedirectedTouchpoint(0, stored.Id, addressedTo, stored.CustomerId)];
        return new IngestionResult(1, stored, [], [], [], triggered, redirected);
    }

    /// <summary>
    /// The survivor a merged-away customer resolves to, following chains of active merges; null when the customer is not
    /// merged away (or the chain ends at a customer that no longer exists). Only asked about ids whose customer was not found.
    /// </summary>
    private async ValueTask<CustomerSnapshot?> SurvivorAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken)
    {
        var survivors = await _merges!.FindSurvivorsAsync(tenantId, [customerId], cancellationToken).ConfigureAwait(false);
        return survivors.TryGetValue(customerId, out var survivor)
            ? await _customers!.FindAsync(tenantId, survivor, cancellationToken).ConfigureAwait(false)
            : null;
    }

    /// <summary>The store refused the touchpoint: a re-delivery returns the earlier one, a conflict throws.</summary>
    private async ValueTask<IngestionResult> EarlierAsync(TenantId tenantId, Touchpoint recorded, TouchpointAppendResult result, CancellationToken cancellationToken)
    {
        var stored = await _store.FindBySourceAsync(tenantId, recorded.Source, cancellationToken).ConfigureAwait(false);
        return result.AlreadyPresent.Count == 1 && stored is not null
            ? new IngestionResult(0, stored, [0], [], [], [])
            : throw new TouchpointConflictException(tenantId, recorded.Source, stored?.Id);
    }

    /// <summary>
    /// Records many contacts (an import, a replay, a nightly feed) in batches of <see cref="BatchSize"/>. Invalid ones
    /// are not recorded and are reported with their position; re-deliveries are reported as already present and
    /// conflicting ones with their source key; every other contact is stored. When the pipeline applies the lifecycle,
    /// each batch is grouped by customer: an existing customer is read once, its touchpoints are applied in occurred-at
    /// order and stored with its lifecycle change in one commit per customer; the touchpoints of unknown customers are
    /// appended together. Either way, when several contacts share a source key the first in input order wins.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="touchpoints">The contacts, read once.</param>
    /// <param name="cancellationToken">Cancels the operation; batches already stored stay stored.</param>
    /// <returns>How many were stored, and by position what was skipped, refused and transitioned.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="touchpoints"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default, or a customer's stored stage is not declared by the lifecycle model (the batches before were stored).</exception>
    /// <exception cref="ConcurrencyConflictException">A customer kept changing for <see cref="LifecycleService.MaxAttempts"/> attempts; its touchpoints in that batch and the batches after were not stored (the ones before were).</exception>
    public async ValueTask<IngestionResult> RecordManyAsync(TenantId tenantId, IEnumerable<NewTouchpoint> touchpoints, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(touchpoints);
        var run = new BulkRun(tenantId);
        var index = 0;
        foreach (var item in touchpoints)
        {
            try
            {
                run.Batch.Add(Touchpoint.Create(tenantId, TouchpointId.New(), _clock.GetCurrentInstant(), Preconditions.NotNull(item, nameof(touchpoints))));
                run.Positions.Add(index);
            }
            catch (ArgumentException e)
            {
                run.Invalid.Add(new TouchpointRejection(index, e.Message));
            }

            index++;
            if (run.Batch.Count == BatchSize)
            {
                await FlushAsync(run, cancellationToken).ConfigureAwait(false);
            }
        }

        await FlushAsync(run, cancellationToken).ConfigureAwait(false);
        if (run.Groups is not null)
        {
            // Customer by customer the positions come out of order; the result lists them in input order.
            run.Present.Sort();
            run.Conflicts.Sort(ByIndex);
            run.Redirected?.Sort(RedirectByIndex);
        }

        return new IngestionResult(run.Recorded, null, run.Present, run.Conflicts, run.Invalid, run.Transitions, run.Redirected);
    }

    private async ValueTask FlushAsync(BulkRun run, CancellationToken cancellationToken)
    {
        if (run.Batch.Count == 0)
        {
            return;
        }

        using var activity = IngestionDiagnostics.Start(run.TenantId, run.Batch.Count);
        var (recordedBefore, presentBefore, conflictsBefore) = (run.Recorded, run.Present.Count, run.Conflicts.Count);
        try
        {
            if (_repository is null)
            {
                await AppendAsync(run, run.Batch, run.Positions, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await FlushWithLifecycleAsync(run, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (CrmTracing.Fail(activity, e))
        {
            throw;
        }

        IngestionDiagnostics.Completed(activity, run.Recorded - recordedBefore, run.Present.Count - presentBefore, run.Conflicts.Count - conflictsBefore);
        run.Batch.Clear();
        run.Positions.Clear();
    }

    /// <summary>Appends touchpoints without lifecycle; <paramref name="positions"/> holds each one's input position.</summary>
    private async ValueTask AppendAsync(BulkRun run, List<Touchpoint> touchpoints, List<int> positions, CancellationToken cancellationToken)
    {
        var result = _merges is null
            ? await _store.AppendAsync(run.TenantId, touchpoints, cancellationToken).ConfigureAwait(false)
            : await _merges.AppendTouchpointsAsync(run.TenantId, touchpoints, cancellationToken).ConfigureAwait(false);
        run.Recorded += result.Appended;
        var present = result.AlreadyPresent;
        for (var i = 0; i < present.Count; i++)
        {
            run.Present.Add(positions[present[i]]);
        }

        var conflicts = result.Conflicts;
        for (var i = 0; i < conflicts.Count; i++)
        {
            run.Conflicts.Add(new SourceKeyConflict(positions[conflicts[i]], touchpoints[conflicts[i]].Source));
        }
    }

    /// <summary>
    /// Stores one batch applying the lifecycle: groups it by customer, loads each customer once, stores an existing
    /// customer's touchpoints (in occurred-at order) with its lifecycle change in one commit, and appends the touchpoints
    /// of unknown customers together in one plain append.
    /// </summary>
    private async ValueTask FlushWithLifecycleAsync(BulkRun run, CancellationToken cancellationToken)
    {
        var batch = run.Batch;
        var positions = run.Positions;
        var groups = run.Groups ??= new CustomerGroups();
        groups.Group(batch, positions);
        for (var g = 0; g < groups.Count; g++)
        {
            var head = groups.Head(g);
            var snapshot = await _customers!.FindAsync(run.TenantId, batch[head].CustomerId, cancellationToken).ConfigureAwait(false);
            if (snapshot is null)
            {
                groups.UnknownIds.Add(batch[head].CustomerId);
                for (var i = head; i >= 0; i = groups.Next(i))
                {
                    groups.Plain.Add(batch[i]);
                    groups.PlainPositions.Add(positions[i]);
                }

                continue;
            }

            groups.Share(batch, positions, head);
            await RecordCustomerShareAsync(run, snapshot, groups.ShareTouchpoints, groups.SharePositions, cancellationToken).ConfigureAwait(false);
        }

        if (groups.Plain.Count > 0)
        {
            if (_merges is null)
            {
                await AppendAsync(run, groups.Plain, groups.PlainPositions, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // Only the ids whose customer was not found are asked about merges, in one call: none when every customer exists.
                await RecordUnknownAsync(run, groups.Plain, groups.PlainPositions, groups.UnknownIds, checkCustomers: false, cancellationToken).ConfigureAwait(false);
            }
        }

        if (groups.Repeats.Count > 0)
        {
            // Later contacts under a key the batch already used: the first one in input order has been stored or
            // reported, so the store compares these with what it holds, exactly as a plain append does (redirected
            // the same way, so a repeat of a redirected contact is already present, not a conflict).
            await AppendAsync(run, groups.Repeats, groups.RepeatPositions, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stores one existing customer's share of a batch (in occurred-at order) with the customer's lifecycle change in one
    /// commit. Touchpoints the store reports as already present or conflicting are taken out and reported, and the rest
    /// is applied again from a fresh read, so nothing is counted twice.
    /// </summary>
    private async ValueTask RecordCustomerShareAsync(BulkRun run, CustomerSnapshot snapshot, List<Touchpoint> share, List<int> sharePositions, CancellationToken cancellationToken, List<CustomerId>? addressedTo = null, bool mayReroute = false)
    {
        var model = LifecycleModel!;
        var tenantId = run.TenantId;
        var pending = share;
        var pendingPositions = sharePositions;
        var triggered = run.Triggered;
        Customer? customer = Customer.Rehydrate(snapshot, _clock);
        for (var attempt = 1; ;)
        {
            triggered.Clear();
            for (var k = 0; k < pending.Count; k++)
            {
                var transitions = customer.ApplyTouchpoint(model, pending[k]);
                for (var t = 0; t < transitions.Count; t++)
                {
                    triggered.Add(new TriggeredTransition(pendingPositions[k], snapshot.Id, transitions[t]));
                }
            }

            var commit = Changed(customer) ? CustomerCommit.Create(customer) : null;
            TouchpointAppendResult result;
            try
            {
                result = addressedTo is null
                    ? await _atomic!.AppendManyWithCustomerAsync(tenantId, pending, commit, cancellationToken).ConfigureAwait(false)
                    : await _merges!.AppendRedirectedWithCustomerAsync(tenantId, pending, addressedTo, commit, cancellationToken).ConfigureAwait(false);
            }
            catch (ConcurrencyConflictException) when (addressedTo is not null && mayReroute)
            {
                // A merge or unmerge raced with this share (or the survivor changed): route every contact again, once,
                // from the customer it was addressed to.
                IngestionLog.ConcurrencyRetry(_logger, snapshot.Id, attempt + 1, LifecycleService.MaxAttempts, tenantId);
                var again = new List<Touchpoint>(pending.Count);
                for (var k = 0; k < pending.Count; k++)
                {
                    again.Add(pending[k].WithCustomer(addressedTo[k]));
                }

                await RecordUnknownAsync(run, again, pendingPositions, new HashSet<CustomerId>(addressedTo), checkCustomers: true, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (ConcurrencyConflictException) when (attempt < LifecycleService.MaxAttempts)
            {
                attempt++;
                IngestionLog.ConcurrencyRetry(_logger, snapshot.Id, attempt, LifecycleService.MaxAttempts, tenantId);
                customer = await _repository!.FindAsync(tenantId, snapshot.Id, cancellationToken).ConfigureAwait(false);
                if (customer is null)
                {
                    // The customer was erased in between: its touchpoints are kept as plain ones, as for an unknown customer.
                    await AppendAsync(run, Addressed(pending, addressedTo), pendingPositions, cancellationToken).ConfigureAwait(false);
                    return;
                }

                continue;
            }

            if (result.Appended == pending.Count)
            {
                await CommittedAsync(tenantId, customer, commit, cancellationToken).ConfigureAwait(false);
                run.Recorded += pending.Count;
                run.Transitions.AddRange(triggered);
                for (var k = 0; addressedTo is not null && k < pending.Count; k++)
                {
                    if (addressedTo[k] != snapshot.Id)
                    {
                        (run.Redirected ??= []).Add(new RedirectedTouchpoint(pendingPositions[k], pending[k].Id, addressedTo[k], snapshot.Id));
                    }
                }

                return;
            }

            // Nothing was stored: take out what cannot be appended and apply the rest to a fresh copy of the customer.
            var taken = new bool[pending.Count];
            for (var i = 0; i < result.AlreadyPresent.Count; i++)
            {
                var k = result.AlreadyPresent[i];
                taken[k] = true;
                run.Present.Add(pendingPositions[k]);
            }

            for (var i = 0; i < result.Conflicts.Count; i++)
            {
                var k = result.Conflicts[i];
                taken[k] = true;
                run.Conflicts.Add(new SourceKeyConflict(pendingPositions[k], pending[k].Source));
            }

            var remaining = new List<Touchpoint>(pending.Count);
            var remainingPositions = new List<int>(pending.Count);
            var remainingAddressedTo = addressedTo is null ? null : new List<CustomerId>(pending.Count);
            for (var k = 0; k < pending.Count; k++)
            {
                if (!taken[k])
                {
                    remaining.Add(pending[k]);
                    remainingPositions.Add(pendingPositions[k]);
                    remainingAddressedTo?.Add(addressedTo![k]);
                }
            }

            (pending, pendingPositions, addressedTo) = (remaining, remainingPositions, remainingAddressedTo);
            if (pending.Count == 0)
            {
                return;
            }

            customer = await _repository!.FindAsync(tenantId, snapshot.Id, cancellationToken).ConfigureAwait(false);
            if (customer is null)
            {
                await AppendAsync(run, Addressed(pending, addressedTo), pendingPositions, cancellationToken).ConfigureAwait(false);
                return;
            }
        }
    }

    /// <summary>The touchpoints as they were addressed (undoing a redirect), for a plain append that redirects in the store.</summary>
    private static List<Touchpoint> Addressed(List<Touchpoint> touchpoints, List<CustomerId>? addressedTo)
    {
        if (addressedTo is null)
        {
            return touchpoints;
        }

        var addressed = new List<Touchpoint>(touchpoints.Count);
        for (var k = 0; k < touchpoints.Count; k++)
        {
            addressed.Add(touchpoints[k].CustomerId == addressedTo[k] ? touchpoints[k] : touchpoints[k].WithCustomer(addressedTo[k]));
        }

        return addressed;
    }

    /// <summary>
    /// Stores the touchpoints of customers that were not found (only called with the merge capability): each id is asked
    /// once whether it is merged away; the touchpoints of a merged-away customer are stored with the survivor (in
    /// occurred-at order, after the survivor's own share of the batch) with the survivor's lifecycle change and listed as
    /// redirected; the rest are appended as plain ones (the store still redirects one whose customer was merged away in
    /// between). <paramref name="checkCustomers"/> reads each customer first (a rerouting after a lost race, e.g. an unmerge).
    /// </summary>
    private async ValueTask RecordUnknownAsync(BulkRun run, List<Touchpoint> touchpoints, List<int> positions, IReadOnlyCollection<CustomerId> ids, bool checkCustomers, CancellationToken cancellationToken)
    {
        var tenantId = run.TenantId;
        var survivors = await _merges!.FindSurvivorsAsync(tenantId, ids, cancellationToken).ConfigureAwait(false);
        if (survivors.Count == 0 && !checkCustomers)
        {
            // No merged-away id in the batch: the plain append, as without the merge capability.
            await AppendAsync(run, touchpoints, positions, cancellationToken).ConfigureAwait(false);
            return;
        }

        Dictionary<CustomerId, CustomerSnapshot?> routes = [];
        Dictionary<CustomerId, (CustomerSnapshot Target, List<int> Items)>? shares = null;
        List<Touchpoint>? plain = null;
        List<int>? plainPositions = null;
        for (var i = 0; i < touchpoints.Count; i++)
        {
            var from = touchpoints[i].CustomerId;
            if (!routes.TryGetValue(from, out var target))
            {
                target = checkCustomers ? await _customers!.FindAsync(tenantId, from, cancellationToken).ConfigureAwait(false) : null;
                if (target is null && survivors.TryGetValue(from, out var survivor))
                {
                    target = await _customers!.FindAsync(tenantId, survivor, cancellationToken).ConfigureAwait(false);
                }

                routes[from] = target;
            }

            if (target is null)
            {
                (plain ??= []).Add(touchpoints[i]);
                (plainPositions ??= []).Add(positions[i]);
                continue;
            }

            shares ??= [];
            if (!shares.TryGetValue(target.Id, out var share))
            {
                shares[target.Id] = share = (target, []);
            }

            share.Items.Add(i);
        }

        foreach (var (target, items) in shares?.Values ?? Enumerable.Empty<(CustomerSnapshot, List<int>)>())
        {
            // Occurred-at order; the same instant keeps input order.
            items.Sort((x, y) => touchpoints[x].OccurredAt != touchpoints[y].OccurredAt ? touchpoints[x].OccurredAt.CompareTo(touchpoints[y].OccurredAt) : positions[x].CompareTo(positions[y]));
            var share = new List<Touchpoint>(items.Count);
            var sharePositions = new List<int>(items.Count);
            var addressedTo = new List<CustomerId>(items.Count);
            var redirected = false;
            foreach (var i in items)
            {
                var from = touchpoints[i].CustomerId;
                redirected |= from != target.Id;
                share.Add(from == target.Id ? touchpoints[i] : touchpoints[i].WithCustomer(target.Id));
                sharePositions.Add(positions[i]);
                addressedTo.Add(from);
            }

            await RecordCustomerShareAsync(run, target, share, sharePositions, cancellationToken, redirected ? addressedTo : null, mayReroute: !checkCustomers).ConfigureAwait(false);
        }

        if (plain is not null)
        {
            await AppendAsync(run, plain, plainPositions!, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool Changed(Customer customer) => customer.PendingEvents.Count > 0 || customer.HasUnsavedLifecycleFacts;

    private async ValueTask CommittedAsync(TenantId tenantId, Customer customer, CustomerCommit? commit, CancellationToken cancellationToken)
    {
        var events = customer.PendingEvents.ToArray<ICrmEvent>();
        if (commit is not null)
        {
            customer.MarkCommitted(commit.NewVersion);
        }

        await _repository!.PublishAsync(tenantId, events, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The state of one bulk ingestion: the current batch and what has been reported so far.</summary>
    private sealed class BulkRun(TenantId tenantId)
    {
        public TenantId TenantId { get; } = tenantId;

        public List<Touchpoint> Batch { get; } = [];

        public List<int> Positions { get; } = [];

        public int Recorded { get; set; }

        public List<int> Present { get; } = [];

        public List<SourceKeyConflict> Conflicts { get; } = [];

        public List<TouchpointRejection> Invalid { get; } = [];

        public List<TriggeredTransition> Transitions { get; } = [];

        /// <summary>The touchpoints stored with a survivor; null until the first.</summary>
        public List<RedirectedTouchpoint>? Redirected { get; set; }

        /// <summary>The transitions of the customer share being stored; moved to <see cref="Transitions"/> on commit.</summary>
        public List<TriggeredTransition> Triggered { get; } = [];

        public CustomerGroups? Groups { get; set; }
    }

    /// <summary>
    /// A batch's touchpoints chained per customer, in input order, each source key once: a later contact under a key
    /// already in the batch is set aside as a repeat, so that the first in input order wins whatever the customer and
    /// occurred-at order. Its buffers are reused from batch to batch.
    /// </summary>
    private sealed class CustomerGroups : IComparer<int>
    {
        private readonly HashSet<ExternalIdentifier> _keys = [];
        private readonly Dictionary<CustomerId, int> _groupOf = [];
        private readonly List<int> _heads = [];
        private readonly List<int> _tails = [];
        private readonly List<int> _order = [];
        private List<Touchpoint> _batch = [];
        private int[] _next = [];

        public int Count => _heads.Count;

        public List<Touchpoint> Plain { get; } = [];

        public List<int> PlainPositions { get; } = [];

        /// <summary>The batch's customer ids that were not found, each once.</summary>
        public List<CustomerId> UnknownIds { get; } = [];

        public List<Touchpoint> Repeats { get; } = [];

        public List<int> RepeatPositions { get; } = [];

        public List<Touchpoint> ShareTouchpoints { get; } = [];

        public List<int> SharePositions { get; } = [];

        public int Head(int group) => _heads[group];

        public int Next(int index) => _next[index];

        public void Group(List<Touchpoint> batch, List<int> positions)
        {
            _batch = batch;
            _keys.Clear();
            Repeats.Clear();
            RepeatPositions.Clear();
            _groupOf.Clear();
            _heads.Clear();
            _tails.Clear();
            Plain.Clear();
            PlainPositions.Clear();
            UnknownIds.Clear();
            if (_next.Length < batch.Count)
            {
                _next = new int[batch.Count];
            }

            for (var i = 0; i < batch.Count; i++)
            {
                _next[i] = -1;
                if (!_keys.Add(batch[i].Source))
                {
                    Repeats.Add(batch[i]);
                    RepeatPositions.Add(positions[i]);
                    continue;
                }

                if (_groupOf.TryGetValue(batch[i].CustomerId, out var group))
                {
                    _next[_tails[group]] = i;
                    _tails[group] = i;
                }
                else
                {
                    _groupOf.Add(batch[i].CustomerId, _heads.Count);
                    _heads.Add(i);
                    _tails.Add(i);
                }
            }
        }

        /// <summary>Fills <see cref="ShareTouchpoints"/> and <see cref="SharePositions"/> with one group, in occurred-at order.</summary>
        public void Share(List<Touchpoint> batch, List<int> positions, int head)
        {
            _order.Clear();
            for (var i = head; i >= 0; i = _next[i])
            {
                _order.Add(i);
            }

            _order.Sort(this);
            ShareTouchpoints.Clear();
            SharePositions.Clear();
            for (var k = 0; k < _order.Count; k++)
            {
                ShareTouchpoints.Add(batch[_order[k]]);
                SharePositions.Add(positions[_order[k]]);
            }
        }

        /// <summary>Occurred-at order; contacts of the same instant keep their input order (ids need not be monotonic).</summary>
        public int Compare(int x, int y)
        {
            var (a, b) = (_batch[x].OccurredAt, _batch[y].OccurredAt);
            return a != b ? a.CompareTo(b) : x.CompareTo(y);
        }
    }
}

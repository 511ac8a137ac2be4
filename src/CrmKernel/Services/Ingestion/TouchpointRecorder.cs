using CrmKernel.Diagnostics;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace CrmKernel.Services.Ingestion;

/// <summary>
/// Records contacts as touchpoints: the one ingestion path for every channel and source system, inbound or
/// outbound. Resolve it from DI after choosing a store.
/// </summary>
/// <remarks>
/// <para>Ingestion is idempotent on the source key: recording the same contact twice stores it once and returns the
/// stored touchpoint; a different contact under the same key is refused with <see cref="TouchpointConflictException"/>
/// (<c>CRM-TOUCHPOINT-001</c>).</para>
/// <para><b>Lifecycle.</b> When the recorder has a lifecycle model and a store with the <see cref="ICustomerTouchpointStore"/>
/// capability (as registered by <c>AddCrmKernel</c> with the in-memory or SQLite stores) and the touchpoint's customer
/// exists, the touchpoint and the lifecycle transitions it triggers are stored in one commit, exactly as
/// <see cref="LifecycleRecorder.RecordAsync"/> does: a re-delivery applies nothing twice, a lost concurrency race is
/// retried from a fresh read up to <see cref="LifecycleRecorder.MaxAttempts"/> times, events are published after the
/// commit. When the customer does not exist (source systems often deliver contacts before customer master data), or the
/// recorder was created without a model and that capability, the touchpoint is appended alone and moves nobody.</para>
/// </remarks>
public sealed class TouchpointRecorder
{
    /// <summary>How many touchpoints one bulk append holds.</summary>
    public const int BatchSize = 10_000;

    private readonly ITouchpointStore _store;
    private readonly ICustomerStore? _customers;
    private readonly IClock _clock;
    private readonly LifecycleIngestion? _lifecycle;

    /// <summary>Creates a recorder that only appends touchpoints: it moves no customer through the lifecycle.</summary>
    /// <param name="store">The touchpoint store.</param>
    /// <param name="clock">Stamps recorded touchpoints.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public TouchpointRecorder(ITouchpointStore store, IClock clock)
    {
        _store = Preconditions.NotNull(store);
        _clock = Preconditions.NotNull(clock);
    }

    /// <summary>
    /// Creates a recorder that also applies the lifecycle transitions a touchpoint triggers to its existing customer, in
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
    /// <exception cref="ArgumentNullException"><paramref name="store"/>, <paramref name="clock"/>, <paramref name="model"/>, <paramref name="customers"/> or <paramref name="customerTouchpoints"/> is null.</exception>
    public TouchpointRecorder(
        ITouchpointStore store,
        IClock clock,
        LifecycleModel model,
        ICustomerStore customers,
        ICustomerTouchpointStore customerTouchpoints,
        ICrmEventPublisher? publisher = null,
        ICrmOutbox? outbox = null,
        ILogger<TouchpointRecorder>? logger = null)
        : this(store, clock)
    {
        Preconditions.NotNull(model);
        _customers = Preconditions.NotNull(customers);
        Preconditions.NotNull(customerTouchpoints);
        _lifecycle = new LifecycleIngestion(customers, store, customerTouchpoints, model, clock, publisher, outbox, logger);
    }

    /// <summary>The lifecycle model the recorder applies; null when it only appends touchpoints.</summary>
    public LifecycleModel? LifecycleModel => _lifecycle?.Model;

    /// <summary>
    /// Records one contact and returns the stored touchpoint (the earlier one when it was already recorded). When its
    /// customer exists and the recorder applies the lifecycle, the customer's lifecycle change is stored in the same commit.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="touchpoint"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default, or the touchpoint breaks a rule (see <see cref="Touchpoint.Create"/>), or the customer's stored stage is not declared by the lifecycle model.</exception>
    /// <exception cref="TouchpointConflictException">Another contact is stored under the same source key; nothing was stored.</exception>
    /// <exception cref="ConcurrencyConflictException">The customer kept changing for <see cref="LifecycleRecorder.MaxAttempts"/> attempts; nothing was stored.</exception>
    public async ValueTask<Touchpoint> RecordAsync(TenantId tenantId, NewTouchpoint touchpoint, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(touchpoint);
        var recorded = Touchpoint.Create(tenantId, TouchpointId.New(), _clock.GetCurrentInstant(), touchpoint);
        using var activity = IngestionDiagnostics.Start(tenantId, 1);
        try
        {
            var stored = await RecordCoreAsync(tenantId, recorded, cancellationToken).ConfigureAwait(false);
            IngestionDiagnostics.Completed(activity, ReferenceEquals(stored, recorded) ? 1 : 0, ReferenceEquals(stored, recorded) ? 0 : 1, 0);
            return stored;
        }
        catch (Exception e) when (CrmTracing.Fail(activity, e))
        {
            throw;
        }
    }

    private async ValueTask<Touchpoint> RecordCoreAsync(TenantId tenantId, Touchpoint recorded, CancellationToken cancellationToken)
    {
        if (_lifecycle is not null
            && await _lifecycle.RecordAsync(tenantId, recorded, requireCustomer: false, cancellationToken).ConfigureAwait(false) is { } withLifecycle)
        {
            return withLifecycle.Touchpoint;
        }

        var result = await _store.AppendAsync(tenantId, [recorded], cancellationToken).ConfigureAwait(false);
        if (result.Appended == 1)
        {
            return recorded;
        }

        var stored = await _store.FindBySourceAsync(tenantId, recorded.Source, cancellationToken).ConfigureAwait(false);
        return result.AlreadyPresent.Count == 1 && stored is not null
            ? stored
            : throw new TouchpointConflictException(tenantId, recorded.Source, stored?.Id);
    }

    /// <summary>
    /// Records many contacts in batches of <see cref="BatchSize"/>. Invalid ones are not recorded and are reported
    /// with their position; re-deliveries are reported as already present; every other contact is stored. When the
    /// recorder applies the lifecycle, each batch is grouped by customer: an existing customer is read once, its
    /// touchpoints are applied in occurred-at order, and they are stored with its lifecycle change in one commit per
    /// customer; the touchpoints of unknown customers are appended together, as without a lifecycle.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="touchpoints"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default, or a customer's stored stage is not declared by the lifecycle model (the batches before were stored).</exception>
    /// <exception cref="ConcurrencyConflictException">A customer kept changing for <see cref="LifecycleRecorder.MaxAttempts"/> attempts; its touchpoints in that batch and the batches after were not stored (the ones before were).</exception>
    public async ValueTask<TouchpointIngestionReport> RecordManyAsync(TenantId tenantId, IEnumerable<NewTouchpoint> touchpoints, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(touchpoints);
        var appended = 0;
        var present = new List<int>();
        var conflicts = new List<int>();
        var invalid = new List<TouchpointRejection>();
        var batch = new List<Touchpoint>(BatchSize);
        var positions = new List<int>(BatchSize);
        var index = 0;
        CustomerGroups? groups = null;
        foreach (var item in touchpoints)
        {
            try
            {
                batch.Add(Touchpoint.Create(tenantId, TouchpointId.New(), _clock.GetCurrentInstant(), Preconditions.NotNull(item, nameof(touchpoints))));
                positions.Add(index);
            }
            catch (ArgumentException e)
            {
                invalid.Add(new TouchpointRejection(index, e.Message));
            }

            index++;
            if (batch.Count == BatchSize)
            {
                await FlushAsync().ConfigureAwait(false);
            }
        }

        await FlushAsync().ConfigureAwait(false);
        if (groups is not null)
        {
            // Customer by customer the positions come out of order; the report lists them in input order.
            present.Sort();
            conflicts.Sort();
        }

        return new TouchpointIngestionReport(appended, present, conflicts, invalid);

        async ValueTask FlushAsync()
        {
            if (batch.Count == 0)
            {
                return;
            }

            using var activity = IngestionDiagnostics.Start(tenantId, batch.Count);
            var (appendedBefore, presentBefore, conflictsBefore) = (appended, present.Count, conflicts.Count);
            try
            {
                await FlushBatchAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (CrmTracing.Fail(activity, e))
            {
                throw;
            }

            IngestionDiagnostics.Completed(activity, appended - appendedBefore, present.Count - presentBefore, conflicts.Count - conflictsBefore);
            batch.Clear();
            positions.Clear();
        }

        async ValueTask FlushBatchAsync()
        {
            if (_lifecycle is null)
            {
                var result = await _store.AppendAsync(tenantId, batch, cancellationToken).ConfigureAwait(false);
                appended += result.Appended;
                present.AddRange(result.AlreadyPresent.Select(i => positions[i]));
                conflicts.AddRange(result.Conflicts.Select(i => positions[i]));
            }
            else
            {
                appended += await FlushWithLifecycleAsync(tenantId, batch, positions, groups ??= new CustomerGroups(), present, conflicts, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Stores one batch applying the lifecycle: groups it by customer, loads each customer once, stores an existing
    /// customer's touchpoints (in occurred-at order) with its lifecycle change in one commit, and appends the touchpoints
    /// of unknown customers together in one plain append.
    /// </summary>
    private async ValueTask<int> FlushWithLifecycleAsync(TenantId tenantId, List<Touchpoint> batch, List<int> positions, CustomerGroups groups, List<int> present, List<int> conflicts, CancellationToken cancellationToken)
    {
        var lifecycle = _lifecycle!;
        var customers = _customers!;
        groups.Group(batch);
        var appended = 0;
        for (var g = 0; g < groups.Count; g++)
        {
            var head = groups.Head(g);
            var snapshot = await customers.FindAsync(tenantId, batch[head].CustomerId, cancellationToken).ConfigureAwait(false);
            if (snapshot is null)
            {
                for (var i = head; i >= 0; i = groups.Next(i))
                {
                    groups.Plain.Add(batch[i]);
                    groups.PlainIndexes.Add(i);
                }

                continue;
            }

            var indexes = new List<int>();
            for (var i = head; i >= 0; i = groups.Next(i))
            {
                indexes.Add(i);
            }

            // Occurred-at order; contacts of the same instant keep their input order (ids need not be monotonic).
            indexes.Sort((a, b) => batch[a].OccurredAt != batch[b].OccurredAt ? batch[a].OccurredAt.CompareTo(batch[b].OccurredAt) : a.CompareTo(b));
            var share = indexes.ConvertAll(i => batch[i]);
            var sharePresent = new List<int>();
            var shareConflicts = new List<int>();
            appended += await lifecycle.RecordCustomerBatchAsync(tenantId, snapshot, share, sharePresent, shareConflicts, cancellationToken).ConfigureAwait(false);
            present.AddRange(sharePresent.Select(k => positions[indexes[k]]));
            conflicts.AddRange(shareConflicts.Select(k => positions[indexes[k]]));
        }

        if (groups.Plain.Count > 0)
        {
            var result = await _store.AppendAsync(tenantId, groups.Plain, cancellationToken).ConfigureAwait(false);
            appended += result.Appended;
            present.AddRange(result.AlreadyPresent.Select(k => positions[groups.PlainIndexes[k]]));
            conflicts.AddRange(result.Conflicts.Select(k => positions[groups.PlainIndexes[k]]));
        }

        return appended;
    }

    /// <summary>A batch's touchpoints chained per customer, in input order; reused from batch to batch.</summary>
    private sealed class CustomerGroups
    {
        private readonly Dictionary<CustomerId, int> _groupOf = [];
        private readonly List<int> _heads = [];
        private readonly List<int> _tails = [];
        private int[] _next = [];

        public int Count => _heads.Count;

        public List<Touchpoint> Plain { get; } = [];

        public List<int> PlainIndexes { get; } = [];

        public int Head(int group) => _heads[group];

        public int Next(int index) => _next[index];

        public void Group(List<Touchpoint> batch)
        {
            _groupOf.Clear();
            _heads.Clear();
            _tails.Clear();
            Plain.Clear();
            PlainIndexes.Clear();
            if (_next.Length < batch.Count)
            {
                _next = new int[batch.Count];
            }

            for (var i = 0; i < batch.Count; i++)
            {
                _next[i] = -1;
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
    }
}

/// <summary>What <see cref="TouchpointRecorder.RecordManyAsync"/> did, by position in the input.</summary>
public sealed class TouchpointIngestionReport
{
    internal TouchpointIngestionReport(int recorded, IReadOnlyList<int> alreadyPresent, IReadOnlyList<int> conflicts, IReadOnlyList<TouchpointRejection> invalid)
    {
        Recorded = recorded;
        AlreadyPresent = alreadyPresent;
        Conflicts = conflicts;
        Invalid = invalid;
    }

    /// <summary>How many touchpoints were stored.</summary>
    public int Recorded { get; }

    /// <summary>Positions of contacts already recorded with the same content.</summary>
    public IReadOnlyList<int> AlreadyPresent { get; }

    /// <summary>Positions of contacts whose source key holds a different contact (<c>CRM-TOUCHPOINT-001</c>); not stored.</summary>
    public IReadOnlyList<int> Conflicts { get; }

    /// <summary>Contacts that broke a rule, with their position and the rule.</summary>
    public IReadOnlyList<TouchpointRejection> Invalid { get; }
}

/// <summary>One contact an ingestion refused as invalid.</summary>
public sealed class TouchpointRejection
{
    internal TouchpointRejection(int index, string reason)
    {
        Index = index;
        Reason = reason;
    }

    /// <summary>Zero-based position in the input.</summary>
    public int Index { get; }

    /// <summary>The rule broken (names fields, never their personal content).</summary>
    public string Reason { get; }
}

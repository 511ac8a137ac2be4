using CrmKernel.Primitives;
using CrmKernel.Storage;
using NodaTime;

namespace CrmKernel.Touchpoints;

/// <summary>
/// Records contacts as touchpoints: the one ingestion path for every channel and source system, inbound or
/// outbound. Resolve it from DI after choosing a store.
/// </summary>
/// <remarks>
/// Ingestion is idempotent on the source key: recording the same contact twice stores it once and returns the
/// stored touchpoint; a different contact under the same key is refused with <see cref="TouchpointConflictException"/>
/// (<c>CRM-TOUCHPOINT-001</c>). The customer id is not checked against the customer store: source systems often
/// deliver contacts before customer master data arrives.
/// </remarks>
public sealed class TouchpointRecorder
{
    /// <summary>How many touchpoints one bulk append holds.</summary>
    public const int BatchSize = 10_000;

    private readonly ITouchpointStore _store;
    private readonly IClock _clock;

    /// <summary>Creates the recorder (DI does this for you).</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public TouchpointRecorder(ITouchpointStore store, IClock clock)
    {
        _store = Preconditions.NotNull(store);
        _clock = Preconditions.NotNull(clock);
    }

    /// <summary>Records one contact and returns the stored touchpoint (the earlier one when it was already recorded).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="touchpoint"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default, or the touchpoint breaks a rule (see <see cref="Touchpoint.Create"/>).</exception>
    /// <exception cref="TouchpointConflictException">Another contact is stored under the same source key.</exception>
    public async ValueTask<Touchpoint> RecordAsync(TenantId tenantId, NewTouchpoint touchpoint, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(touchpoint);
        var recorded = Touchpoint.Create(tenantId, TouchpointId.New(), _clock.GetCurrentInstant(), touchpoint);
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
    /// with their position; re-deliveries are reported as already present; every other contact is stored.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="touchpoints"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
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
        return new TouchpointIngestionReport(appended, present, conflicts, invalid);

        async ValueTask FlushAsync()
        {
            if (batch.Count == 0)
            {
                return;
            }

            var result = await _store.AppendAsync(tenantId, batch, cancellationToken).ConfigureAwait(false);
            appended += result.Appended;
            present.AddRange(result.AlreadyPresent.Select(i => positions[i]));
            conflicts.AddRange(result.Conflicts.Select(i => positions[i]));
            batch.Clear();
            positions.Clear();
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

using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;

namespace CrmKernel.Storage;

/// <summary>
/// Where touchpoints are kept: the interface a storage adapter implements for the append-only, high-volume
/// log of every contact. Application code uses <c>TouchpointRecorder</c> and <c>CustomerTimeline</c>.
/// </summary>
/// <remarks>
/// <para>The contract, proven by <c>CrmKernel.Testing</c>'s <c>TouchpointStoreConformanceTests</c>:</para>
/// <list type="bullet">
/// <item>Every call is tenant-scoped; a default tenant is an <see cref="ArgumentException"/>.</item>
/// <item><see cref="AppendAsync"/> is idempotent on the touchpoint's <see cref="Touchpoint.Source"/> (source + key):
/// a touchpoint whose source is stored with the same content is reported as already present; with different content
/// (or a stored id reused) it is reported as a conflict and not stored. Every other touchpoint is stored. Appending
/// the same batch twice therefore equals appending it once.</item>
/// <item>Timeline pages are ordered by <see cref="TimelinePosition"/> (occurred-at, then id): total and stable.</item>
/// <item>A cancelled token throws <see cref="OperationCanceledException"/>.</item>
/// </list>
/// </remarks>
public interface ITouchpointStore
{
    /// <summary>Appends touchpoints of one tenant, reporting duplicates and conflicts by position.</summary>
    /// <exception cref="ArgumentException">A touchpoint belongs to another tenant.</exception>
    ValueTask<TouchpointAppendResult> AppendAsync(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, CancellationToken cancellationToken);

    /// <summary>Reads a touchpoint by id; null when the tenant has none.</summary>
    ValueTask<Touchpoint?> FindAsync(TenantId tenantId, TouchpointId touchpointId, CancellationToken cancellationToken);

    /// <summary>Reads the touchpoint recorded under a source system's key; null when none is.</summary>
    ValueTask<Touchpoint?> FindBySourceAsync(TenantId tenantId, ExternalIdentifier source, CancellationToken cancellationToken);

    /// <summary>Counts the tenant's touchpoints.</summary>
    ValueTask<long> CountAsync(TenantId tenantId, CancellationToken cancellationToken);

    /// <summary>
    /// Reads one keyset page of the touchpoints of <see cref="TimelineFilter.CustomerIds"/> that match the filter,
    /// in <see cref="TimelinePosition"/> order, strictly after <paramref name="after"/> when given.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not 1 to 10,000.</exception>
    ValueTask<IReadOnlyList<Touchpoint>> ReadTimelinePageAsync(TenantId tenantId, TimelineFilter filter, TimelinePosition? after, int limit, CancellationToken cancellationToken);
}

/// <summary>What an append did, by position in the batch.</summary>
public sealed class TouchpointAppendResult
{
    /// <summary>Creates a result.</summary>
    /// <exception cref="ArgumentNullException">A list is null.</exception>
    /// <exception cref="ArgumentException">The count is negative.</exception>
    public TouchpointAppendResult(int appended, IReadOnlyList<int> alreadyPresent, IReadOnlyList<int> conflicts)
    {
        Preconditions.Check(appended >= 0, "The count cannot be negative.", nameof(appended));
        Appended = appended;
        AlreadyPresent = Preconditions.NotNull(alreadyPresent);
        Conflicts = Preconditions.NotNull(conflicts);
    }

    /// <summary>How many touchpoints were stored.</summary>
    public int Appended { get; }

    /// <summary>Positions of touchpoints already stored with the same content (harmless re-deliveries).</summary>
    public IReadOnlyList<int> AlreadyPresent { get; }

    /// <summary>Positions of touchpoints whose source key (or id) is stored with different content; not stored.</summary>
    public IReadOnlyList<int> Conflicts { get; }
}

/// <summary>Which touchpoints a timeline shows: whose, when, and which channels, functions and kinds.</summary>
public sealed class TimelineFilter
{
    /// <summary>The most customers one timeline query spans.</summary>
    public const int MaxCustomers = 1_000;

    /// <summary>Creates a filter.</summary>
    /// <param name="customerIds">The customers whose touchpoints to show (1 to 1,000).</param>
    /// <param name="from">Only touchpoints that occurred at or after this instant; null for no lower bound.</param>
    /// <param name="to">Only touchpoints that occurred before this instant; null for no upper bound.</param>
    /// <param name="channels">Only these channels; null for all.</param>
    /// <param name="functions">Only these functions; null for all.</param>
    /// <param name="kinds">Only these kinds; null for all.</param>
    /// <exception cref="ArgumentNullException"><paramref name="customerIds"/> is null.</exception>
    /// <exception cref="ArgumentException">No customers or too many, a default id, an empty set, or <paramref name="to"/> before <paramref name="from"/>.</exception>
    public TimelineFilter(
        IEnumerable<CustomerId> customerIds,
        NodaTime.Instant? from = null,
        NodaTime.Instant? to = null,
        IEnumerable<ChannelId>? channels = null,
        IEnumerable<CrmFunction>? functions = null,
        IEnumerable<TouchpointKind>? kinds = null)
    {
        Preconditions.NotNull(customerIds);
        var customers = customerIds.ToHashSet();
        Preconditions.Check(customers.Count is > 0 and <= MaxCustomers && !customers.Contains(default), $"A timeline spans 1 to {MaxCustomers} customers, none the default.", nameof(customerIds));
        Preconditions.Check(from is null || to is null || to >= from, "The end of the period cannot be before its start.", nameof(to));
        CustomerIds = customers;
        From = from;
        To = to;
        Channels = NonEmpty(channels, nameof(channels));
        Functions = NonEmpty(functions, nameof(functions));
        Kinds = NonEmpty(kinds, nameof(kinds));
    }

    /// <summary>The customers whose touchpoints to show.</summary>
    public IReadOnlySet<CustomerId> CustomerIds { get; }

    /// <summary>Inclusive lower bound of occurred-at, or null.</summary>
    public NodaTime.Instant? From { get; }

    /// <summary>Exclusive upper bound of occurred-at, or null.</summary>
    public NodaTime.Instant? To { get; }

    /// <summary>Channels to keep, or null for all.</summary>
    public IReadOnlySet<ChannelId>? Channels { get; }

    /// <summary>Functions to keep, or null for all.</summary>
    public IReadOnlySet<CrmFunction>? Functions { get; }

    /// <summary>Kinds to keep, or null for all.</summary>
    public IReadOnlySet<TouchpointKind>? Kinds { get; }

    /// <summary>True when <paramref name="touchpoint"/> passes every part of the filter; stores may use it or translate the filter to their query language.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="touchpoint"/> is null.</exception>
    public bool Matches(Touchpoint touchpoint)
    {
        Preconditions.NotNull(touchpoint);
        return CustomerIds.Contains(touchpoint.CustomerId)
               && (From is null || touchpoint.OccurredAt >= From)
               && (To is null || touchpoint.OccurredAt < To)
               && (Channels is null || Channels.Contains(touchpoint.Channel))
               && (Functions is null || Functions.Contains(touchpoint.Function))
               && (Kinds is null || Kinds.Contains(touchpoint.Kind));
    }

    /// <summary>A copy of this filter for other customers.</summary>
    internal TimelineFilter WithCustomers(IEnumerable<CustomerId> customerIds) => new(customerIds, From, To, Channels, Functions, Kinds);

    private static HashSet<T>? NonEmpty<T>(IEnumerable<T>? values, string parameterName)
    {
        if (values is null)
        {
            return null;
        }

        var set = values.ToHashSet();
        Preconditions.Check(set.Count > 0 && !set.Contains(default!), "A filter set, when given, must hold at least one non-default value.", parameterName);
        return set;
    }
}

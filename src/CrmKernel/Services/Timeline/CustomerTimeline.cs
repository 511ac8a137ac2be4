using System.Runtime.CompilerServices;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Relationships;
using CrmKernel.Services.Relationships;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Services.Timeline;

/// <summary>
/// The whole-customer view: every touchpoint of a customer across marketing, sales, service and innovation, in
/// time order, filtered by period, channel, function and kind. Resolve it from DI.
/// </summary>
public sealed class CustomerTimeline
{
    /// <summary>The page size used when streaming.</summary>
    public const int StreamPageSize = 500;

    /// <summary>The most relationship types <see cref="StreamWithRelatedAsync"/> filters by (the same bound as <see cref="Storage.TimelineFilter.MaxFilterValues"/>).</summary>
    public const int MaxRelationshipTypes = 256;

    private readonly ITouchpointStore _store;
    private readonly RelationshipGraph? _relationships;

    /// <summary>Creates the timeline service (DI does this for you).</summary>
    /// <param name="store">The touchpoint store.</param>
    /// <param name="relationships">The relationship graph, needed only to include related parties.</param>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is null.</exception>
    public CustomerTimeline(ITouchpointStore store, RelationshipGraph? relationships = null)
    {
        _store = Preconditions.NotNull(store);
        _relationships = relationships;
    }

    /// <summary>
    /// Streams the timeline of the filter's customers together with that of the parties related to them at
    /// <paramref name="relationshipsAsOf"/> (e.g. an organisation's people, a person's household), each entry
    /// carrying the relationship that brought it in (null for the customers' own touchpoints).
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="filter">The customers and the period, channels, functions and kinds to show.</param>
    /// <param name="relationshipsAsOf">The instant at which relationships are taken.</param>
    /// <param name="types">Only relationships of these types; null for all.</param>
    /// <param name="cancellationToken">Cancels the stream.</param>
    /// <exception cref="ArgumentNullException"><paramref name="filter"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default, or customers and related parties exceed 1,000.</exception>
    /// <exception cref="Diagnostics.InputLimitExceededException">More than <see cref="MaxRelationshipTypes"/> types (<c>CRM-INPUT-001</c>).</exception>
    /// <exception cref="NotSupportedException">No relationship store is configured.</exception>
    public IAsyncEnumerable<TimelineEntry> StreamWithRelatedAsync(
        TenantId tenantId,
        TimelineFilter filter,
        Instant relationshipsAsOf,
        IReadOnlyCollection<RelationshipType>? types = null,
        CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(filter);
        if (types is not null)
        {
            Preconditions.MaxCount(types.Count, MaxRelationshipTypes, "relationship types", nameof(types));
        }

        var graph = _relationships ?? throw new NotSupportedException("Including related parties needs a relationship store; configure one (e.g. UseInMemoryStores).");
        return StreamWithRelated(tenantId, filter, relationshipsAsOf, types, graph, cancellationToken);
    }

    private async IAsyncEnumerable<TimelineEntry> StreamWithRelated(
        TenantId tenantId,
        TimelineFilter filter,
        Instant relationshipsAsOf,
        IReadOnlyCollection<RelationshipType>? types,
        RelationshipGraph graph,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var via = new Dictionary<CustomerId, Relationship>();
        foreach (var customer in filter.CustomerIds)
        {
            foreach (var relationship in await graph.AsOfAsync(tenantId, customer, relationshipsAsOf, cancellationToken).ConfigureAwait(false))
            {
                var other = relationship.Other(customer);
                if ((types is null || types.Contains(relationship.Type)) && !filter.CustomerIds.Contains(other))
                {
                    via.TryAdd(other, relationship);
                }
            }
        }

        var combined = filter.WithCustomers(filter.CustomerIds.Concat(via.Keys));
        await foreach (var touchpoint in Stream(tenantId, combined, cancellationToken).ConfigureAwait(false))
        {
            yield return new TimelineEntry(touchpoint, via.GetValueOrDefault(touchpoint.CustomerId));
        }
    }

    /// <summary>
    /// Streams the touchpoints matching <paramref name="filter"/> in <see cref="TimelinePosition"/> order
    /// (occurred-at, ties by id), reading keyset pages so memory stays flat.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="filter"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    public IAsyncEnumerable<Touchpoint> StreamAsync(TenantId tenantId, TimelineFilter filter, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(filter);
        return Stream(tenantId, filter, cancellationToken);
    }

    /// <summary>Streams one customer's whole timeline; see <see cref="StreamAsync(TenantId, TimelineFilter, CancellationToken)"/>.</summary>
    /// <exception cref="ArgumentException">The tenant or customer is the default.</exception>
    public IAsyncEnumerable<Touchpoint> StreamCustomerAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken = default)
        => StreamAsync(tenantId, new TimelineFilter([Preconditions.NotDefault(customerId)]), cancellationToken);

    /// <summary>Reads one page for an API: up to <paramref name="limit"/> touchpoints after <paramref name="after"/>; pass the last one's <see cref="Touchpoint.Position"/> to get the next page.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="filter"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is less than 1.</exception>
    /// <exception cref="Diagnostics.InputLimitExceededException"><paramref name="limit"/> is more than <see cref="StoreLimits.MaxPageSize"/> (<c>CRM-INPUT-001</c>).</exception>
    public ValueTask<IReadOnlyList<Touchpoint>> ReadPageAsync(TenantId tenantId, TimelineFilter filter, TimelinePosition? after, int limit, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(filter);
        StoreArguments.CheckLimit(limit, nameof(limit));
        return _store.PageTimelineAsync(tenantId, filter, after, limit, cancellationToken);
    }

    /// <summary>
    /// Breaks a filtered timeline down by channel and by function: contacts, cost and revenue. The channel mix
    /// shows where a customer's relationship happens and what it costs.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="filter"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    /// <exception cref="Primitives.CurrencyMismatchException">Costs or revenues of one group are in different currencies; convert them first.</exception>
    public async ValueTask<ChannelMix> ChannelMixAsync(TenantId tenantId, TimelineFilter filter, CancellationToken cancellationToken = default)
    {
        var byChannel = new SortedDictionary<ChannelId, ChannelMixRow.Builder>();
        var byFunction = new SortedDictionary<CrmFunction, ChannelMixRow.Builder>();
        await foreach (var touchpoint in StreamAsync(tenantId, filter, cancellationToken).ConfigureAwait(false))
        {
            Row(byChannel, touchpoint.Channel).Add(touchpoint);
            Row(byFunction, touchpoint.Function).Add(touchpoint);
        }

        return new ChannelMix(
            [.. byChannel.Select(r => r.Value.Build(r.Key.Value))],
            [.. byFunction.Select(r => r.Value.Build(r.Key.ToString()))]);

        static ChannelMixRow.Builder Row<TKey>(SortedDictionary<TKey, ChannelMixRow.Builder> rows, TKey key)
            where TKey : notnull
        {
            if (!rows.TryGetValue(key, out var row))
            {
                rows[key] = row = new ChannelMixRow.Builder();
            }

            return row;
        }
    }

    private async IAsyncEnumerable<Touchpoint> Stream(TenantId tenantId, TimelineFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var page in _store.TimelinePagesAsync(tenantId, filter, StreamPageSize, cancellationToken).ConfigureAwait(false))
        {
            foreach (var touchpoint in page)
            {
                yield return touchpoint;
            }
        }
    }
}

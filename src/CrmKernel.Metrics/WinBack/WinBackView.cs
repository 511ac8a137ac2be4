using System.Runtime.CompilerServices;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Storage;
using NodaTime;

namespace CrmKernel.Metrics.WinBack;

/// <summary>
/// The win-back view: the customers dissatisfied or lapsed as of an instant, by segment, with what brought similar
/// customers back — from every customer's lifecycle history, the episodes that went dissatisfied → recovered (and
/// lapsed → won back) or ended otherwise, and the touchpoints in between by channel, kind and campaign, with the recovery
/// rate and median time to recover per action. A caller picks the action for the current candidates
/// (<see cref="StreamCandidatesAsync"/>) and sends it; the lifecycle's own rules then record the recovery or win-back.
/// </summary>
/// <remarks>
/// <para>Episodes: entering the dissatisfied stage opens a recovery episode; the customer's next transition ends it,
/// recovered when it goes to the recovered stage. Entering the lapsed stage opens a win-back episode; it stays open through
/// the former stage and ends at the next transition to any other stage, won back when that is the won-back stage. Only
/// episodes ended by the as-of instant count in the rates; those still open are the current candidates (right-censored,
/// not failures). The actions of an episode are the touchpoints strictly after it began and strictly before it ended (the
/// touchpoint that triggered the recovery is the outcome, not an action); each distinct channel, kind and campaign counts
/// once per episode.</para>
/// <para>One pass over the customer store in keyset pages of 1,000; per page one timeline query for the customers with
/// ended episodes. Memory: a page, plus per action the durations of its recovered episodes (for the median).</para>
/// </remarks>
public sealed class WinBackView
{
    private const int PageSize = TimelineFilter.MaxCustomers;
    private const int TouchpointPageSize = 10_000;

    private readonly ICustomerStore _customers;
    private readonly ITouchpointStore _touchpoints;

    /// <summary>Creates the view over the stores.</summary>
    /// <param name="customers">The customer store (with each customer's lifecycle history).</param>
    /// <param name="touchpoints">The touchpoint store.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public WinBackView(ICustomerStore customers, ITouchpointStore touchpoints)
    {
        _customers = Preconditions.NotNull(customers);
        _touchpoints = Preconditions.NotNull(touchpoints);
    }

    /// <summary>The all-customers row and one row per requested segment.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default, or a segment belongs to another tenant.</exception>
    public async ValueTask<WinBackResult> AnalyseAsync(TenantId tenantId, WinBackRequest request, CancellationToken cancellationToken = default)
    {
        Check(tenantId, request);
        var all = new WinBackSegment(null);
        var segments = request.Segments.Select(s => new WinBackSegment(s)).ToArray();
        await foreach (var (candidates, episodes) in Pages(tenantId, request, cancellationToken).ConfigureAwait(false))
        {
            foreach (var candidate in candidates)
            {
                all.Add(candidate);
                foreach (var row in segments.Where(s => s.Snapshot!.Contains(candidate.Customer)))
                {
                    row.Add(candidate);
                }
            }

            foreach (var episode in episodes)
            {
                all.Add(episode);
                foreach (var row in segments.Where(s => s.Snapshot!.Contains(episode.Customer)))
                {
                    row.Add(episode);
                }
            }
        }

        return new WinBackResult(request, all, segments);
    }

    /// <summary>The customers dissatisfied or lapsed as of the request's instant, of one segment or all, in customer-store order.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default, a segment belongs to another tenant, or the segment is not one of the request's.</exception>
    public IAsyncEnumerable<WinBackCandidate> StreamCandidatesAsync(TenantId tenantId, WinBackRequest request, SegmentId? segment = null, CancellationToken cancellationToken = default)
    {
        Check(tenantId, request);
        return Candidates(tenantId, request, SegmentOf(request, segment), cancellationToken);
    }

    /// <summary>The ended episodes the rates are computed from (the drill-down behind an action), of one segment or all, in customer-store order.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default, a segment belongs to another tenant, or the segment is not one of the request's.</exception>
    public IAsyncEnumerable<WinBackEpisode> StreamEpisodesAsync(TenantId tenantId, WinBackRequest request, SegmentId? segment = null, CancellationToken cancellationToken = default)
    {
        Check(tenantId, request);
        return Episodes(tenantId, request, SegmentOf(request, segment), cancellationToken);
    }

    private static void Check(TenantId tenantId, WinBackRequest request)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(request);
        var foreign = request.Segments.FirstOrDefault(s => s.TenantId != tenantId);
        Preconditions.Check(foreign is null, $"The segment '{foreign?.Segment}' belongs to another tenant.", nameof(request));
    }

    private static SegmentSnapshot? SegmentOf(WinBackRequest request, SegmentId? segment)
        => segment is { } id
            ? request.Segments.FirstOrDefault(s => s.Segment == id) ?? throw new ArgumentException($"The request has no segment '{id}'.", nameof(segment))
            : null;

    private async IAsyncEnumerable<WinBackCandidate> Candidates(TenantId tenantId, WinBackRequest request, SegmentSnapshot? segment, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var page in _customers.CustomerPagesAsync(tenantId, PageSize, cancellationToken).ConfigureAwait(false))
        {
            foreach (var customer in page)
            {
                if ((segment is null || segment.Contains(customer.Id)) && Read(customer, request, null) is { } candidate)
                {
                    yield return candidate;
                }
            }
        }
    }

    private async IAsyncEnumerable<WinBackEpisode> Episodes(TenantId tenantId, WinBackRequest request, SegmentSnapshot? segment, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (_, episodes) in Pages(tenantId, request, cancellationToken).ConfigureAwait(false))
        {
            foreach (var episode in episodes)
            {
                if (segment is null || segment.Contains(episode.Customer))
                {
                    yield return episode;
                }
            }
        }
    }

    private async IAsyncEnumerable<(List<WinBackCandidate> Candidates, List<WinBackEpisode> Episodes)> Pages(TenantId tenantId, WinBackRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var open = new List<OpenEpisode>();
        var byCustomer = new Dictionary<CustomerId, List<OpenEpisode>>();
        await foreach (var page in _customers.CustomerPagesAsync(tenantId, PageSize, cancellationToken).ConfigureAwait(false))
        {
            var candidates = new List<WinBackCandidate>();
            byCustomer.Clear();
            var from = Instant.MaxValue;
            var to = Instant.MinValue;
            foreach (var customer in page)
            {
                open.Clear();
                if (Read(customer, request, open) is { } candidate)
                {
                    candidates.Add(candidate);
                }

                if (open.Count > 0)
                {
                    byCustomer[customer.Id] = [.. open];
                    from = Instant.Min(from, open.Min(e => e.Start));
                    to = Instant.Max(to, open.Max(e => e.End));
                }
            }

            if (byCustomer.Count > 0 && to > from)
            {
                var filter = new TimelineFilter(byCustomer.Keys, from, to);
                await foreach (var touchpoints in _touchpoints.TimelinePagesAsync(tenantId, filter, TouchpointPageSize, cancellationToken).ConfigureAwait(false))
                {
                    foreach (var touchpoint in touchpoints)
                    {
                        foreach (var episode in byCustomer[touchpoint.CustomerId])
                        {
                            if (touchpoint.OccurredAt > episode.Start && touchpoint.OccurredAt < episode.End)
                            {
                                episode.Channels.Add(touchpoint.Channel.Value);
                                episode.Kinds.Add(touchpoint.Kind.Value);
                                if (touchpoint.CampaignId is { } campaign)
                                {
                                    episode.Campaigns.Add(campaign);
                                }
                            }
                        }
                    }
                }
            }

            var episodes = new List<WinBackEpisode>();
            foreach (var customer in page)
            {
                if (byCustomer.TryGetValue(customer.Id, out var ended))
                {
                    episodes.AddRange(ended.Select(e => new WinBackEpisode(customer.Id, e.Path, e.Start, e.End, e.Recovered, [.. e.Channels], [.. e.Kinds], [.. e.Campaigns])));
                }
            }

            yield return (candidates, episodes);
        }
    }

    /// <summary>Walks a customer's history up to the as-of instant: adds the ended episodes to <paramref name="ended"/> (when given) and returns the customer as a candidate when an episode is still open.</summary>
    private static WinBackCandidate? Read(CustomerSnapshot customer, WinBackRequest request, List<OpenEpisode>? ended)
    {
        Instant? recovery = null;
        Instant? winBack = null;
        LifecycleStage? stage = null;
        foreach (var transition in customer.LifecycleHistory)
        {
            if (transition.At > request.AsOf)
            {
                break;
            }

            if (recovery is { } started)
            {
                End(WinBackPath.Recovery, started, transition.To == request.Recovered);
                recovery = null;
            }

            if (winBack is { } left && transition.To != request.Former)
            {
                End(WinBackPath.WinBack, left, transition.To == request.WonBack);
                winBack = null;
            }

            if (transition.To == request.Dissatisfied)
            {
                recovery = transition.At;
            }
            else if (transition.To == request.Lapsed && winBack is null)
            {
                winBack = transition.At;
            }

            stage = transition.To;

            void End(WinBackPath path, Instant start, bool recovered)
            {
                if (ended is not null && (request.HistoryFrom is null || start >= request.HistoryFrom))
                {
                    ended.Add(new OpenEpisode(path, start, transition.At, recovered));
                }
            }
        }

        return recovery is { } since
            ? new WinBackCandidate(customer.Id, WinBackPath.Recovery, stage!.Value, since)
            : winBack is { } lapsed ? new WinBackCandidate(customer.Id, WinBackPath.WinBack, stage!.Value, lapsed) : null;
    }

    private sealed record OpenEpisode(WinBackPath Path, Instant Start, Instant End, bool Recovered)
    {
        public SortedSet<string> Channels { get; } = new(StringComparer.Ordinal);

        public SortedSet<string> Kinds { get; } = new(StringComparer.Ordinal);

        public SortedSet<string> Campaigns { get; } = new(StringComparer.Ordinal);
    }
}

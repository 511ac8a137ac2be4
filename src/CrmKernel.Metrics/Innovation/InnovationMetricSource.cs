using CrmKernel.Diagnostics;
using CrmKernel.ExchangeRates;
using CrmKernel.Innovation;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Services.Innovation;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Metrics.Innovation;

/// <summary>
/// The innovation loop as a record source of <see cref="MetricEvaluator"/>: it reads the tenant's ideas (with their votes
/// and comments) and voice records once, and the timelines of the audience for purchases and closed-loop messages, and
/// produces <see cref="InnovationMetrics.Figures"/> for each evaluated period, so the entries of <see cref="InnovationMetrics"/>
/// evaluate in a hierarchy like any other. <c>AddMetrics()</c> registers it when an <see cref="IIdeaStore"/> is registered.
/// </summary>
/// <remarks>One pass over ideas, votes and voice records; the audience's timelines are read in batches of 1,000 customers per period.</remarks>
public sealed class InnovationMetricSource : IMetricRecordSource
{
    /// <summary>The source's name, as the innovation metrics' record scope gives it.</summary>
    public const string SourceName = "ideas";

    /// <summary>The decision target's default: 30 days.</summary>
    public const int DefaultDecisionTargetDays = 30;

    private const int PageSize = 1_000;

    private readonly IIdeaStore _ideas;
    private readonly ICustomerStore _customers;
    private readonly ITouchpointStore _touchpoints;

    /// <summary>Creates the source.</summary>
    /// <param name="ideas">The idea store.</param>
    /// <param name="customers">The customer store (the audience without a segment).</param>
    /// <param name="touchpoints">The touchpoint store (purchases and closed-loop messages).</param>
    /// <param name="decisionTargetDays">N of "decided within N days": 1 or more.</param>
    /// <exception cref="ArgumentNullException">A store is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decisionTargetDays"/> is less than 1.</exception>
    public InnovationMetricSource(IIdeaStore ideas, ICustomerStore customers, ITouchpointStore touchpoints, int decisionTargetDays = DefaultDecisionTargetDays)
    {
        _ideas = Preconditions.NotNull(ideas);
        _customers = Preconditions.NotNull(customers);
        _touchpoints = Preconditions.NotNull(touchpoints);
        DecisionTargetDays = Preconditions.Positive(decisionTargetDays, "The decision target is 1 day or more.");
    }

    /// <inheritdoc />
    public string Name => SourceName;

    /// <inheritdoc />
    public IReadOnlyCollection<FigureKey> Figures => InnovationMetrics.Figures;

    /// <summary>N of "decided within N days".</summary>
    public int DecisionTargetDays { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    public async ValueTask<IReadOnlyList<MetricFigures>> ScanAsync(TenantId tenantId, IReadOnlyList<DateInterval> periods, DateTimeZone zone, CurrencyConverter converter, SegmentSnapshot? segment, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(periods);
        Preconditions.NotNull(zone);
        Preconditions.NotNull(converter);
        var ideas = new List<Idea>();
        var acts = new List<(CustomerId Customer, Instant At)>();
        await foreach (var page in _ideas.IdeaPagesAsync(tenantId, PageSize, cancellationToken).ConfigureAwait(false))
        {
            foreach (var idea in page)
            {
                ideas.Add(idea);
                acts.AddRange(idea.Comments.Where(c => c.Author is not null).Select(c => (c.Author!.Value, c.At)));
                await AddVotesAsync(tenantId, idea.Id, acts, cancellationToken).ConfigureAwait(false);
            }
        }

        await foreach (var page in _ideas.VoicePagesAsync(tenantId, PageSize, cancellationToken).ConfigureAwait(false))
        {
            acts.AddRange(page.Select(v => (v.CustomerId, v.OccurredAt)));
        }

        var audience = segment is null ? await AllCustomersAsync(tenantId, cancellationToken).ConfigureAwait(false) : [.. segment.Members];
        bool InAudience(CustomerId c) => segment is null || segment.Contains(c);
        var target = Duration.FromDays(DecisionTargetDays);
        var figures = new List<MetricFigures>(periods.Count);
        foreach (var period in periods)
        {
            var start = zone.AtStartOfDay(period.Start).ToInstant();
            var end = zone.AtStartOfDay(period.End.PlusDays(1)).ToInstant();
            bool In(Instant at) => at >= start && at < end;
            var counted = ideas.Where(i => segment is null || (i.SubmittedBy is { } by && segment.Contains(by))).ToList();
            var received = counted.Where(i => In(i.SubmittedAt)).ToList();
            var decided = counted.Where(i => i.DecidedAt is { } d && In(d)).ToList();
            var closed = counted.Where(i => i.IsClosed && In(i.History[^1].At)).ToList();
            var shipped = counted.Where(i => i.ShippedAt is { } s && In(s)).ToList();
            var participants = acts.Where(a => In(a.At) && InAudience(a.Customer)).Select(a => a.Customer).ToHashSet();
            var ever = acts.Where(a => a.At < end && InAudience(a.Customer)).Select(a => a.Customer).ToHashSet();
            var purchasing = await CustomersWithAsync(tenantId, audience, TouchpointKind.Purchase, start, end, delivered: false, cancellationToken).ConfigureAwait(false);
            var told = await CustomersWithAsync(tenantId, [.. acts.Select(a => a.Customer).Distinct().Where(InAudience)], InnovationService.OutcomeNoticeKind, start, end, delivered: true, cancellationToken).ConfigureAwait(false);
            var rows = received.GroupBy(i => i.Subject.Value, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new KeyValuePair<string, decimal>(g.Key, g.Count())).ToList();
            figures.Add(new MetricFigures(
                converter.Target,
                new Dictionary<FigureKey, decimal>
                {
                    [InnovationMetrics.IdeasReceived] = received.Count,
                    [InnovationMetrics.IdeasDecidedWithinTarget] = received.Count(i => i.DecidedAt is { } d && d - i.SubmittedAt <= target),
                    [InnovationMetrics.IdeasDecided] = decided.Count,
                    [InnovationMetrics.DaysToDecision] = decided.Sum(i => Days(i.DecidedAt!.Value - i.SubmittedAt)),
                    [InnovationMetrics.IdeasClosed] = closed.Count,
                    [InnovationMetrics.IdeasShipped] = shipped.Count,
                    [InnovationMetrics.DaysToShipment] = shipped.Sum(i => Days(i.ShippedAt!.Value - i.SubmittedAt)),
                    [InnovationMetrics.ParticipantsTold] = told.Count,
                    [InnovationMetrics.Participants] = participants.Count,
                    [InnovationMetrics.Audience] = audience.Count,
                    [InnovationMetrics.EverParticipants] = ever.Count,
                    [InnovationMetrics.EverParticipantsPurchasing] = purchasing.Count(ever.Contains),
                    [InnovationMetrics.NonParticipantsPurchasing] = purchasing.Count(c => !ever.Contains(c)),
                },
                rows: new Dictionary<FigureKey, IReadOnlyList<KeyValuePair<string, decimal>>> { [InnovationMetrics.IdeasReceived] = rows }));
        }

        return figures;
    }

    private static decimal Days(Duration duration) => (decimal)duration.TotalTicks / NodaConstants.TicksPerDay;

    private async ValueTask AddVotesAsync(TenantId tenantId, IdeaId idea, List<(CustomerId, Instant)> acts, CancellationToken cancellationToken)
    {
        CustomerId? after = null;
        while (true)
        {
            var page = await _ideas.PageVotesAsync(tenantId, idea, after, PageSize, cancellationToken).ConfigureAwait(false);
            acts.AddRange(page.Select(v => (v.Customer, v.CastAt)));
            if (page.Count < PageSize)
            {
                return;
            }

            after = page[^1].Customer;
        }
    }

    private async ValueTask<List<CustomerId>> AllCustomersAsync(TenantId tenantId, CancellationToken cancellationToken)
    {
        var all = new List<CustomerId>();
        CustomerId? after = null;
        while (true)
        {
            var page = await _customers.PageAsync(tenantId, after, PageSize, cancellationToken).ConfigureAwait(false);
            all.AddRange(page.Select(c => c.Id));
            if (page.Count < PageSize)
            {
                return all;
            }

            after = page[^1].Id;
        }
    }

    private async ValueTask<HashSet<CustomerId>> CustomersWithAsync(TenantId tenantId, List<CustomerId> customers, TouchpointKind kind, Instant start, Instant end, bool delivered, CancellationToken cancellationToken)
    {
        var found = new HashSet<CustomerId>();
        for (var i = 0; i < customers.Count; i += TimelineFilter.MaxCustomers)
        {
            var filter = new TimelineFilter(customers.Skip(i).Take(TimelineFilter.MaxCustomers), start, end, kinds: [kind]);
            TimelinePosition? after = null;
            while (true)
            {
                var page = await _touchpoints.PageTimelineAsync(tenantId, filter, after, PageSize, cancellationToken).ConfigureAwait(false);
                foreach (var touchpoint in page)
                {
                    if (!delivered || touchpoint.Outcome == TouchpointOutcome.Delivered)
                    {
                        found.Add(touchpoint.CustomerId);
                    }
                }

                if (page.Count < PageSize)
                {
                    break;
                }

                after = page[^1].Position;
            }
        }

        return found;
    }
}

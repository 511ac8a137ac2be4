using CrmKernel.Diagnostics;
using CrmKernel.Lifecycle;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Metrics.Evaluation;

/// <summary>
/// The one-pass accumulator behind the standard catalogue: feed it every customer, each followed by that customer's
/// touchpoints in time order, and it produces every scanned figure of <see cref="StandardFigures"/> for one period.
/// Add each customer's lifecycle history (<see cref="AddLifecycle(Instant, IReadOnlyList{LifecycleTransitionRecord})"/>) for the funnel figures.
/// <see cref="MetricEvaluator"/> drives it from the stores; bulk callers drive it directly. It allocates nothing per
/// touchpoint.
/// </summary>
/// <remarks>
/// <para>The windows, as instants in the reporting zone: the period [start, end); the look-back window, the previous period
/// (the same number of whole months before a period of whole months, else the same number of days; who was active at
/// the period start); the look-ahead of 7 days after the end (a repeat contact that
/// undoes a first-contact resolution). Touchpoints before the look-back window only tell whether a customer had
/// purchased before (acquisitions); those after the look-ahead are ignored. Feed a customer's whole history up to the
/// look-ahead end (<see cref="ScanEnd"/>).</para>
/// </remarks>
public sealed class MetricScan
{
    /// <summary>How long after an issue a repeat inbound service contact means it was not resolved on first contact.</summary>
    public static readonly Duration RepeatContactWindow = Duration.FromDays(7);

    private readonly List<ChannelId> _channels = [];
    private long[] _channelContacts = new long[8];
    private long[] _channelCosted = new long[8];
    private decimal[] _channelCost = new decimal[8];
    private decimal[] _channelRevenue = new decimal[8];

    private readonly LifecycleFunnel[] _funnels;
    private readonly long[][] _funnelCounts;
    private readonly LifecycleStage _initialStage;

    private bool _inCustomer;
    private bool _lifecycleAdded;
    private bool _purchasedBefore;
    private bool _purchasedInLookback;
    private int _purchasesInPeriod;
    private int _occasionsInPeriod;
    private Instant _occasionDayEnd;
    private Instant? _pendingIssue;

    private long _customers, _expected, _populated, _orders, _purchasing, _repeat, _atRisk, _retained, _acquisitions, _occasions, _repeatOccasion;
    private long _campaignContacts, _responses, _npsResponses, _promoters, _detractors, _csatResponses, _csatTop, _cesResponses, _cesTotal;
    private long _ces2Responses, _ces2Total, _contacts, _costedContacts, _issues, _fcr, _complaints, _closed, _recovered, _handled;
    private decimal _revenue, _marketingCost, _contactCost, _serviceCost;

    /// <summary>Creates a scan of one period counting the <see cref="LifecycleFunnel.Standard"/> funnels of the default lifecycle model.</summary>
    /// <param name="period">The reporting period (whole days).</param>
    /// <param name="zone">The zone the days are interpreted in.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public MetricScan(DateInterval period, DateTimeZone zone)
        : this(period, zone, LifecycleFunnel.Standard, DefaultLifecycleModel.Prospect)
    {
    }

    /// <summary>Creates a scan of one period counting the given lifecycle funnels.</summary>
    /// <param name="period">The reporting period (whole days).</param>
    /// <param name="zone">The zone the days are interpreted in.</param>
    /// <param name="funnels">The funnels to count (see <see cref="AddLifecycle(Instant, IReadOnlyList{LifecycleTransitionRecord})"/>); may be empty.</param>
    /// <param name="initialStage">The lifecycle model's initial stage: where a customer with no transition is.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A funnel is null, two share a name, or the initial stage is the default.</exception>
    public MetricScan(DateInterval period, DateTimeZone zone, IReadOnlyList<LifecycleFunnel> funnels, LifecycleStage initialStage)
    {
        Preconditions.NotNull(period);
        Preconditions.NotNull(zone);
        _funnels = [.. LifecycleFunnel.CheckAll(funnels, nameof(funnels))];
        _initialStage = Preconditions.NotDefault(initialStage);
        _funnelCounts = [.. _funnels.Select(f => new long[f.Stages.Count])];
        Period = period;
        Zone = zone;
        Start = zone.AtStartOfDay(period.Start).ToInstant();
        End = zone.AtStartOfDay(period.End.PlusDays(1)).ToInstant();
        LookbackStart = zone.AtStartOfDay(ReportingPeriods.Previous(period).Start).ToInstant();
        ScanEnd = End + RepeatContactWindow;
    }

    /// <summary>The period.</summary>
    public DateInterval Period { get; }

    /// <summary>The reporting zone.</summary>
    public DateTimeZone Zone { get; }

    /// <summary>The period's first instant.</summary>
    public Instant Start { get; }

    /// <summary>The instant after the period's last day.</summary>
    public Instant End { get; }

    /// <summary>The first instant of the look-back window: the previous period (see <see cref="MetricEvaluationRequest.PreviousPeriod"/>).</summary>
    public Instant LookbackStart { get; }

    /// <summary>The instant after which touchpoints no longer matter (<see cref="End"/> plus the repeat-contact window).</summary>
    public Instant ScanEnd { get; }

    /// <summary>The channels registered, by index.</summary>
    public IReadOnlyList<ChannelId> Channels => _channels;

    /// <summary>Registers a channel and returns its index for <see cref="MetricTouchpoint.Channel"/>; a channel registered before keeps its index.</summary>
    /// <exception cref="ArgumentException"><paramref name="channel"/> is the default.</exception>
    public int RegisterChannel(ChannelId channel)
    {
        Preconditions.Check(channel != default, "The channel is the default.", nameof(channel));
        var index = _channels.IndexOf(channel);
        if (index >= 0)
        {
            return index;
        }

        _channels.Add(channel);
        if (_channels.Count > _channelContacts.Length)
        {
            var size = _channelContacts.Length * 2;
            Array.Resize(ref _channelContacts, size);
            Array.Resize(ref _channelCosted, size);
            Array.Resize(ref _channelCost, size);
            Array.Resize(ref _channelRevenue, size);
        }

        return _channels.Count - 1;
    }

    /// <summary>Starts a customer: every touchpoint until <see cref="EndCustomer"/> is theirs, in time order.</summary>
    /// <exception cref="InvalidOperationException">The previous customer was not ended.</exception>
    public void BeginCustomer(CustomerFacts facts)
    {
        if (_inCustomer)
        {
            throw new InvalidOperationException("End the previous customer first.");
        }

        _inCustomer = true;
        _lifecycleAdded = false;
        _customers++;
        _expected += facts.ExpectedValues;
        _populated += facts.PopulatedValues;
        _purchasedBefore = false;
        _purchasedInLookback = false;
        _purchasesInPeriod = 0;
        _occasionsInPeriod = 0;
        _occasionDayEnd = Instant.MinValue;
        _pendingIssue = null;
    }

    /// <summary>
    /// Adds the current customer's lifecycle history to the funnels (<see cref="LifecycleFunnel"/> gives the cohort and
    /// right-censoring rules); at most once per customer. Allocates nothing.
    /// </summary>
    /// <param name="createdAt">When the customer was created: when they entered the stage they were created in.</param>
    /// <param name="history">Their lifecycle transitions, oldest first (<see cref="Customers.CustomerSnapshot.LifecycleHistory"/>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="history"/> is null.</exception>
    /// <exception cref="InvalidOperationException">No customer was begun, or their lifecycle was added already.</exception>
    public void AddLifecycle(Instant createdAt, IReadOnlyList<LifecycleTransitionRecord> history)
    {
        Preconditions.NotNull(history);
        if (!_inCustomer || _lifecycleAdded)
        {
            throw new InvalidOperationException(_inCustomer ? "The customer's lifecycle was added already." : "Begin a customer first.");
        }

        _lifecycleAdded = true;
        var createdIn = history.Count > 0 ? history[0].From : _initialStage;
        for (var f = 0; f < _funnels.Length; f++)
        {
            var reached = _funnels[f].Reached(createdAt, createdIn, history, Start, End, out _);
            var counts = _funnelCounts[f];
            for (var i = 0; i <= reached; i++)
            {
                counts[i]++;
            }
        }
    }

    /// <summary>
    /// Adds the current customer's lifecycle from a compact scan row (<see cref="CustomerScanRow"/>): the same counts as
    /// <see cref="AddLifecycle(Instant, IReadOnlyList{LifecycleTransitionRecord})"/> with the snapshot's history; at most
    /// once per customer. Allocates nothing.
    /// </summary>
    /// <param name="customer">The customer's row: its creation instant, the stage it was created in and the stages entered.</param>
    /// <exception cref="InvalidOperationException">No customer was begun, or their lifecycle was added already.</exception>
    public void AddLifecycle(in CustomerScanRow customer)
    {
        if (!_inCustomer || _lifecycleAdded)
        {
            throw new InvalidOperationException(_inCustomer ? "The customer's lifecycle was added already." : "Begin a customer first.");
        }

        _lifecycleAdded = true;
        var createdIn = customer.CreatedIn ?? _initialStage;
        var entries = customer.StageEntries;
        for (var f = 0; f < _funnels.Length; f++)
        {
            var reached = _funnels[f].Reached(customer.CreatedAt, createdIn, entries, Start, End, out _);
            var counts = _funnelCounts[f];
            for (var i = 0; i <= reached; i++)
            {
                counts[i]++;
            }
        }
    }

    /// <summary>Adds one of the current customer's touchpoints; they must come in time order.</summary>
    /// <exception cref="InvalidOperationException">No customer was begun.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The touchpoint's channel was not registered.</exception>
    public void Add(in MetricTouchpoint touchpoint)
    {
        if (!_inCustomer)
        {
            throw new InvalidOperationException("Begin a customer first.");
        }

        var at = touchpoint.OccurredAt;
        if (at >= ScanEnd)
        {
            return;
        }

        var inboundService = touchpoint.Direction == InteractionDirection.Inbound && touchpoint.Function == CrmFunction.Service;
        if (inboundService && _pendingIssue is { } pending)
        {
            // A repeat inbound service contact within the window undoes the earlier first-contact resolution.
            if (at - pending > RepeatContactWindow)
            {
                _fcr++;
            }

            _pendingIssue = null;
        }

        if (at < Start)
        {
            if (touchpoint.Kind == MetricTouchpointKind.Purchase)
            {
                _purchasedBefore = true;
                _purchasedInLookback |= at >= LookbackStart;
            }

            return;
        }

        if (at >= End)
        {
            return;
        }

        if ((uint)touchpoint.Channel >= (uint)_channels.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(touchpoint), touchpoint.Channel, "The touchpoint's channel was not registered with this scan.");
        }

        var channel = touchpoint.Channel;
        _contacts++;
        _channelContacts[channel]++;
        _channelRevenue[channel] += touchpoint.Revenue;
        if (touchpoint.HasCost)
        {
            var cost = touchpoint.Cost;
            _costedContacts++;
            _contactCost += cost;
            _channelCosted[channel]++;
            _channelCost[channel] += cost;
            if (touchpoint.Function == CrmFunction.Marketing)
            {
                _marketingCost += cost;
            }
            else if (touchpoint.Function == CrmFunction.Service)
            {
                _serviceCost += cost;
            }
        }

        switch (touchpoint.Kind)
        {
            case MetricTouchpointKind.Purchase:
                _orders++;
                _revenue += touchpoint.Revenue;
                _purchasesInPeriod++;
                if (at >= _occasionDayEnd)
                {
                    // A new purchase occasion: the first purchase of the customer on this day in the reporting zone. The
                    // touchpoints come in time order, so the next occasion starts at the next day's start.
                    _occasions++;
                    _occasionsInPeriod++;
                    _occasionDayEnd = Zone.AtStartOfDay(at.InZone(Zone).Date.PlusDays(1)).ToInstant();
                }

                break;
            case MetricTouchpointKind.CampaignContact:
                _campaignContacts++;
                break;
            case MetricTouchpointKind.Response:
                _responses++;
                break;
            case MetricTouchpointKind.Complaint:
                _complaints++;
                break;
            case MetricTouchpointKind.Resolution:
                _closed++;
                if (touchpoint.Scale is { } scale && Positive(scale, touchpoint.Score))
                {
                    _recovered++;
                }

                break;
        }

        if (inboundService)
        {
            _handled++;
            if (touchpoint.Kind is MetricTouchpointKind.Enquiry or MetricTouchpointKind.Complaint)
            {
                _issues++;
                if (touchpoint.Resolved)
                {
                    _pendingIssue = at;
                }
            }
        }

        switch (touchpoint.Scale)
        {
            case SatisfactionScale.Nps:
                _npsResponses++;
                _promoters += touchpoint.Score >= 9 ? 1 : 0;
                _detractors += touchpoint.Score <= 6 ? 1 : 0;
                break;
            case SatisfactionScale.Csat:
                _csatResponses++;
                _csatTop += touchpoint.Score >= 4 ? 1 : 0;
                break;
            case SatisfactionScale.Ces:
                _cesResponses++;
                _cesTotal += touchpoint.Score;
                break;
            case SatisfactionScale.Ces2:
                _ces2Responses++;
                _ces2Total += touchpoint.Score;
                break;
        }
    }

    /// <summary>Ends the current customer, settling their per-customer figures.</summary>
    /// <exception cref="InvalidOperationException">No customer was begun.</exception>
    public void EndCustomer()
    {
        if (!_inCustomer)
        {
            throw new InvalidOperationException("Begin a customer first.");
        }

        _inCustomer = false;
        if (_pendingIssue is not null)
        {
            _fcr++;
            _pendingIssue = null;
        }

        if (_purchasesInPeriod > 0)
        {
            _purchasing++;
            _repeat += _purchasesInPeriod >= 2 ? 1 : 0;
            _repeatOccasion += _occasionsInPeriod >= 2 ? 1 : 0;
            _acquisitions += _purchasedBefore ? 0 : 1;
        }

        if (_purchasedInLookback)
        {
            _atRisk++;
            _retained += _purchasesInPeriod > 0 ? 1 : 0;
        }
    }

    /// <summary>
    /// Adds the figures of <paramref name="other"/> — a scan of the same period, zone, funnels and initial stage over
    /// another set of customers — to this one, so that this scan then holds exactly what one pass over both sets would
    /// have. It is what makes a scan a mergeable partial: evaluate disjoint sets of customers (customer pages, shards of a
    /// store) each into its own scan, in parallel or on different machines, then merge them in any order. Every figure is
    /// a count or an exact decimal sum, funnels add stage by stage, and channels are matched by id, so the result does not
    /// depend on how the customers were split or in which order either scan registered its channels.
    /// <paramref name="other"/> is not changed.
    /// </summary>
    /// <remarks>
    /// The per-customer figures (purchasing, repeat and retained customers, purchase occasions — a customer's same-day
    /// purchases merged —, acquisitions, first-contact resolution, funnel cohorts) need each customer's whole history in one scan: split by customer, never inside one customer's touchpoints.
    /// </remarks>
    /// <param name="other">The scan to add.</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="other"/> is this scan, or is of another period, zone, funnel list or initial stage.</exception>
    /// <exception cref="InvalidOperationException">A customer was begun and not ended in either scan.</exception>
    public void Merge(MetricScan other)
    {
        Preconditions.NotNull(other);
        Preconditions.Check(!ReferenceEquals(other, this), "A scan cannot be merged into itself.", nameof(other));
        Preconditions.Check(
            other.Period == Period && other.Zone.Equals(Zone) && other._initialStage == _initialStage && SameFunnels(other._funnels),
            "The scans are of different periods, zones, funnels or initial stages.",
            nameof(other));
        if (_inCustomer || other._inCustomer)
        {
            throw new InvalidOperationException("End the current customer of both scans before merging them.");
        }

        _customers += other._customers;
        _expected += other._expected;
        _populated += other._populated;
        _orders += other._orders;
        _purchasing += other._purchasing;
        _repeat += other._repeat;
        _occasions += other._occasions;
        _repeatOccasion += other._repeatOccasion;
        _atRisk += other._atRisk;
        _retained += other._retained;
        _acquisitions += other._acquisitions;
        _campaignContacts += other._campaignContacts;
        _responses += other._responses;
        _npsResponses += other._npsResponses;
        _promoters += other._promoters;
        _detractors += other._detractors;
        _csatResponses += other._csatResponses;
        _csatTop += other._csatTop;
        _cesResponses += other._cesResponses;
        _cesTotal += other._cesTotal;
        _ces2Responses += other._ces2Responses;
        _ces2Total += other._ces2Total;
        _contacts += other._contacts;
        _costedContacts += other._costedContacts;
        _issues += other._issues;
        _fcr += other._fcr;
        _complaints += other._complaints;
        _closed += other._closed;
        _recovered += other._recovered;
        _handled += other._handled;
        _revenue += other._revenue;
        _marketingCost += other._marketingCost;
        _contactCost += other._contactCost;
        _serviceCost += other._serviceCost;
        for (var f = 0; f < _funnelCounts.Length; f++)
        {
            for (var i = 0; i < _funnelCounts[f].Length; i++)
            {
                _funnelCounts[f][i] += other._funnelCounts[f][i];
            }
        }

        for (var c = 0; c < other._channels.Count; c++)
        {
            var channel = RegisterChannel(other._channels[c]);
            _channelContacts[channel] += other._channelContacts[c];
            _channelCosted[channel] += other._channelCosted[c];
            _channelCost[channel] += other._channelCost[c];
            _channelRevenue[channel] += other._channelRevenue[c];
        }
    }

    private bool SameFunnels(LifecycleFunnel[] funnels)
    {
        if (funnels.Length != _funnels.Length)
        {
            return false;
        }

        for (var f = 0; f < funnels.Length; f++)
        {
            if (!ReferenceEquals(funnels[f], _funnels[f]) && (funnels[f].Name != _funnels[f].Name || !funnels[f].Stages.SequenceEqual(_funnels[f].Stages)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The scanned figures, with money in <paramref name="currency"/> (the currency the touchpoints' amounts were converted into).</summary>
    /// <exception cref="InvalidOperationException">A customer was begun and not ended.</exception>
    public MetricFigures ToFigures(Currency currency)
    {
        if (_inCustomer)
        {
            throw new InvalidOperationException("End the current customer first.");
        }

        var values = new Dictionary<FigureKey, decimal>
        {
            [StandardFigures.Customers] = _customers,
            [StandardFigures.ExpectedValues] = _expected,
            [StandardFigures.PopulatedValues] = _populated,
            [StandardFigures.Orders] = _orders,
            [StandardFigures.PurchaseRevenue] = _revenue,
            [StandardFigures.PurchasingCustomers] = _purchasing,
            [StandardFigures.RepeatCustomers] = _repeat,
            [StandardFigures.PurchaseOccasions] = _occasions,
            [StandardFigures.RepeatOccasionCustomers] = _repeatOccasion,
            [StandardFigures.CustomersAtRisk] = _atRisk,
            [StandardFigures.CustomersRetained] = _retained,
            [StandardFigures.Acquisitions] = _acquisitions,
            [StandardFigures.MarketingCost] = _marketingCost,
            [StandardFigures.CampaignContacts] = _campaignContacts,
            [StandardFigures.CampaignResponses] = _responses,
            [StandardFigures.NpsResponses] = _npsResponses,
            [StandardFigures.NpsPromoters] = _promoters,
            [StandardFigures.NpsDetractors] = _detractors,
            [StandardFigures.CsatResponses] = _csatResponses,
            [StandardFigures.CsatTopTwoBox] = _csatTop,
            [StandardFigures.CesResponses] = _cesResponses,
            [StandardFigures.CesTotal] = _cesTotal,
            [StandardFigures.Ces2Responses] = _ces2Responses,
            [StandardFigures.Ces2Total] = _ces2Total,
            [StandardFigures.Contacts] = _contacts,
            [StandardFigures.CostedContacts] = _costedContacts,
            [StandardFigures.ContactCost] = _contactCost,
            [StandardFigures.ServiceCost] = _serviceCost,
            [StandardFigures.Issues] = _issues,
            [StandardFigures.IssuesResolvedFirstContact] = _fcr,
            [StandardFigures.Complaints] = _complaints,
            [StandardFigures.ComplaintsClosed] = _closed,
            [StandardFigures.ComplaintsRecovered] = _recovered,
            [StandardFigures.HandledInteractions] = _handled,
        };
        for (var f = 0; f < _funnels.Length; f++)
        {
            for (var i = 0; i < _funnelCounts[f].Length; i++)
            {
                values[_funnels[f].Figures[i]] = _funnelCounts[f][i];
            }
        }

        var channels = Enumerable.Range(0, _channels.Count)
            .Where(i => _channelContacts[i] > 0)
            .Select(i => new ChannelFigures(_channels[i], _channelContacts[i], _channelCosted[i], _channelCost[i], _channelRevenue[i]))
            .OrderBy(c => c.Channel)
            .ToList();
        return new MetricFigures(currency, values, channels);
    }

    private static bool Positive(SatisfactionScale scale, int score) => scale switch
    {
        SatisfactionScale.Csat => score >= 4,
        SatisfactionScale.Nps => score >= 9,
        SatisfactionScale.Ces => score <= 2,
        _ => score >= 5,
    };
}

using CrmKernel.Customers;
using CrmKernel.ExchangeRates;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Metrics.Acquisition;

/// <summary>
/// The one-pass accumulator behind <see cref="AcquisitionAnalysis"/>: fed one customer at a time with their touchpoints
/// up to the window end in timeline order, it decides the customer's journey (<see cref="EvaluateAsync"/>) and adds it to
/// the groups and cells (<see cref="Accumulate"/>). The drill-down uses the same decision, so it streams exactly the
/// customers a figure counted. Per touchpoint it allocates nothing; per customer only when a new product, channel,
/// group or cell appears.
/// </summary>
internal sealed class AcquisitionScan
{
    private const int AllIndex = 0;
    private const int UnspecifiedProductIndex = 1;
    private const int NoChannelIndex = 0;

    private readonly AcquisitionRequest _request;
    private readonly CurrencyConverter _converter;
    private readonly SegmentSnapshot[] _segments;
    private readonly Duration[] _bounds;
    private readonly Dictionary<string, int> _productIndex = new(StringComparer.Ordinal) { [AcquisitionGroupKey.UnspecifiedProduct] = UnspecifiedProductIndex };
    private readonly List<string?> _products = [null, AcquisitionGroupKey.UnspecifiedProduct];
    private readonly Dictionary<ChannelId, int> _channelIndex = [];
    private readonly List<ChannelId?> _channels = [null];
    private readonly Dictionary<(int Product, int Segment), GroupAccumulator> _groups = [];
    private readonly Dictionary<(int Product, int Segment, int Channel), CellAccumulator> _cells = [];

    private readonly List<int> _journey = [];
    private readonly List<int> _customerProducts = [];
    private readonly List<int> _customerSegments = [];
    private readonly List<int> _creditChannels = [];
    private decimal[] _weights = new decimal[16];
    private decimal[] _credit = new decimal[16];
    private CustomerId _customer;
    private int _firstPurchase;
    private decimal _cost;
    private long _ticks;
    private Instant _dayStart;
    private Instant _dayEnd;
    private LocalDate _day;

    public AcquisitionScan(AcquisitionRequest request, CurrencyConverter converter)
    {
        _request = request;
        _converter = converter;
        _segments = [.. request.Segments];
        _bounds = [.. request.TimeBuckets];
    }

    public AcquisitionRequest Request => _request;

    /// <summary>
    /// Decides the journey of one customer from their touchpoints up to the window end, in timeline order. Returns true
    /// when the customer counts: a prospect at the window start reached in it, or converting in it.
    /// </summary>
    public async ValueTask<bool> EvaluateAsync(CustomerSnapshot customer, ReadOnlyMemory<Touchpoint> touchpoints, CancellationToken cancellationToken)
    {
        _customer = customer.Id;
        _journey.Clear();
        _firstPurchase = -1;
        _cost = 0m;
        _ticks = 0;
        if (!ProspectAtStart(customer) || !Walk(touchpoints.Span))
        {
            return false;
        }

        if (_journey.Count == 0 && _firstPurchase < 0)
        {
            return false;
        }

        for (var i = 0; i < _journey.Count; i++)
        {
            var touchpoint = touchpoints.Span[_journey[i]];
            if (touchpoint.Cost is { } cost)
            {
                var date = UtcDate(touchpoint.OccurredAt);
                if (!_converter.TryConvertCached(cost, date, out var converted))
                {
                    converted = (await _converter.ConvertAsync(cost, date, cancellationToken).ConfigureAwait(false)).Amount;
                }

                _cost += converted;
            }
        }

        var span = touchpoints.Span;
        if (_firstPurchase >= 0 && _journey.Count > 0)
        {
            _ticks = (span[_firstPurchase].OccurredAt - span[_journey[0]].OccurredAt).BclCompatibleTicks;
        }

        Credit(span);
        Products(span);
        Segments();
        return true;
    }

    /// <summary>True when the customer last evaluated belongs to the group (and, for a cell, gives the channel credit).</summary>
    public bool Selects(AcquisitionGroupKey group, ChannelId? channel, bool wholeGroup)
    {
        if (group.Product is { } product && !(_productIndex.TryGetValue(product, out var p) && _customerProducts.Contains(p)))
        {
            return false;
        }

        if (group.Segment is { } segment && !_customerSegments.Exists(s => s != AllIndex && _segments[s - 1].Segment == segment))
        {
            return false;
        }

        if (wholeGroup)
        {
            return true;
        }

        return channel is { } c
            ? _channelIndex.TryGetValue(c, out var index) && _creditChannels.Contains(index)
            : _journey.Count == 0 && _firstPurchase >= 0;
    }

    /// <summary>The customer last evaluated as a journey, with the touchpoints it was computed from.</summary>
    public AcquisitionJourney ToJourney(ReadOnlySpan<Touchpoint> touchpoints)
    {
        var communications = new Touchpoint[_journey.Count];
        for (var i = 0; i < communications.Length; i++)
        {
            communications[i] = touchpoints[_journey[i]];
        }

        var credit = new Dictionary<ChannelId, decimal>();
        foreach (var channel in _creditChannels)
        {
            credit[_channels[channel]!.Value] = _credit[channel];
        }

        var products = _customerProducts.Where(p => p > UnspecifiedProductIndex).Select(p => _products[p]!).Order(StringComparer.Ordinal).ToArray();
        return new AcquisitionJourney(_customer, communications, _firstPurchase >= 0 ? touchpoints[_firstPurchase] : null, _cost, credit, products);
    }

    /// <summary>Adds the customer last evaluated to every group and cell they belong to.</summary>
    public void Accumulate(ReadOnlySpan<Touchpoint> touchpoints)
    {
        var reached = _journey.Count > 0;
        var converted = _firstPurchase >= 0;
        foreach (var product in _customerProducts)
        {
            foreach (var segment in _customerSegments)
            {
                var group = Group(product, segment);
                if (!reached)
                {
                    group.Direct++;
                    var direct = Cell(product, segment, NoChannelIndex);
                    direct.Journeys++;
                    direct.Converters++;
                    direct.Conversions++;
                    continue;
                }

                group.Reached++;
                group.Spend += _cost;
                if (converted)
                {
                    group.Converted++;
                    group.Communications += _journey.Count;
                    group.Cost += _cost;
                    group.Times.Add(_ticks);
                    foreach (var index in _journey)
                    {
                        var touchpoint = touchpoints[index];
                        group.ByChannel[touchpoint.Channel] = group.ByChannel.GetValueOrDefault(touchpoint.Channel) + 1;
                        group.ByKind[touchpoint.Kind] = group.ByKind.GetValueOrDefault(touchpoint.Kind) + 1;
                        var campaign = touchpoint.CampaignId ?? string.Empty;
                        group.ByCampaign[campaign] = group.ByCampaign.GetValueOrDefault(campaign) + 1;
                    }
                }

                foreach (var channel in _creditChannels)
                {
                    var credit = _credit[channel];
                    var cell = Cell(product, segment, channel);
                    cell.Journeys++;
                    cell.Reach += credit;
                    cell.Spend += credit * _cost;
                    if (converted)
                    {
                        cell.Converters++;
                        cell.Conversions += credit;
                        cell.Communications += credit * _journey.Count;
                        cell.Cost += credit * _cost;
                        cell.Times.Add((_ticks, credit));
                    }
                }
            }
        }
    }

    /// <summary>The report of everything accumulated.</summary>
    public AcquisitionReport ToReport()
    {
        var groupOrder = _groups.Keys.OrderBy(k => k.Product == AllIndex ? 0 : 1).ThenBy(k => _products[k.Product], StringComparer.Ordinal).ThenBy(k => k.Segment).ToList();
        var groups = groupOrder.Select(k => _groups[k].ToGroup(GroupKey(k.Product, k.Segment), _bounds)).ToList();
        var cells = _cells.Keys
            .OrderBy(k => k.Product == AllIndex ? 0 : 1).ThenBy(k => _products[k.Product], StringComparer.Ordinal).ThenBy(k => k.Segment)
            .ThenBy(k => k.Channel == NoChannelIndex ? 0 : 1).ThenBy(k => _channels[k.Channel]?.Value, StringComparer.Ordinal)
            .Select(k => _cells[k].ToCell(new AcquisitionCellKey(GroupKey(k.Product, k.Segment), _channels[k.Channel]), _bounds))
            .ToList();
        var total = groups.FirstOrDefault(g => g.Key == AcquisitionGroupKey.Total) ?? new GroupAccumulator().ToGroup(AcquisitionGroupKey.Total, _bounds);
        return new AcquisitionReport(_request, groups, cells, total);
    }

    private AcquisitionGroupKey GroupKey(int product, int segment)
        => new(_products[product], segment == AllIndex ? null : _segments[segment - 1].Segment);

    private bool ProspectAtStart(CustomerSnapshot customer)
    {
        var history = customer.LifecycleHistory;
        var stage = history.Count > 0 ? history[0].From : _request.ProspectStage;
        for (var i = 0; i < history.Count && history[i].At < _request.Start; i++)
        {
            stage = history[i].To;
        }

        return stage == _request.ProspectStage;
    }

    /// <summary>Finds the journey and the first purchase; false when the customer purchased before the window.</summary>
    private bool Walk(ReadOnlySpan<Touchpoint> touchpoints)
    {
        var start = _request.Start;
        var end = _request.End;
        for (var i = 0; i < touchpoints.Length; i++)
        {
            var touchpoint = touchpoints[i];
            var at = touchpoint.OccurredAt;
            if (at >= end)
            {
                break;
            }

            if (touchpoint.Kind == TouchpointKind.Purchase)
            {
                if (at < start)
                {
                    return false;
                }

                _firstPurchase = i;
                break;
            }

            if (at >= start && IsCommunication(touchpoint))
            {
                _journey.Add(i);
            }
        }

        if (_firstPurchase >= 0)
        {
            // Communications at the purchase's own instant are not before it, whatever their order in the timeline.
            var purchasedAt = touchpoints[_firstPurchase].OccurredAt;
            while (_journey.Count > 0 && touchpoints[_journey[^1]].OccurredAt == purchasedAt)
            {
                _journey.RemoveAt(_journey.Count - 1);
            }
        }

        return true;
    }

    /// <summary>A marketing or sales touchpoint that is not a purchase, in either direction.</summary>
    internal static bool IsCommunication(Touchpoint touchpoint)
        => touchpoint.Function is CrmFunction.Marketing or CrmFunction.Sales && touchpoint.Kind != TouchpointKind.Purchase;

    private void Credit(ReadOnlySpan<Touchpoint> touchpoints)
    {
        foreach (var channel in _creditChannels)
        {
            _credit[channel] = 0m;
        }

        _creditChannels.Clear();
        var n = _journey.Count;
        if (n == 0)
        {
            return;
        }

        if (_weights.Length < n)
        {
            _weights = new decimal[Math.Max(n, _weights.Length * 2)];
        }

        Attribution.Weights(_request.Attribution, n, _weights);
        for (var i = 0; i < n; i++)
        {
            var weight = _weights[i];
            if (weight == 0m)
            {
                continue;
            }

            var channel = ChannelIndex(touchpoints[_journey[i]].Channel);
            if (_credit[channel] == 0m)
            {
                _creditChannels.Add(channel);
            }

            _credit[channel] += weight;
        }
    }

    private int ChannelIndex(ChannelId channel)
    {
        if (_channelIndex.TryGetValue(channel, out var index))
        {
            return index;
        }

        index = _channels.Count;
        _channels.Add(channel);
        _channelIndex.Add(channel, index);
        if (_credit.Length <= index)
        {
            Array.Resize(ref _credit, _credit.Length * 2);
        }

        return index;
    }

    private void Products(ReadOnlySpan<Touchpoint> touchpoints)
    {
        _customerProducts.Clear();
        _customerProducts.Add(AllIndex);
        if (_firstPurchase >= 0)
        {
            AddProducts(touchpoints[_firstPurchase].ProductIds);
        }
        else
        {
            foreach (var index in _journey)
            {
                AddProducts(touchpoints[index].ProductIds);
            }
        }

        if (_customerProducts.Count == 1)
        {
            _customerProducts.Add(UnspecifiedProductIndex);
        }
    }

    private void AddProducts(IReadOnlyList<string> products)
    {
        for (var i = 0; i < products.Count; i++)
        {
            if (!_productIndex.TryGetValue(products[i], out var index))
            {
                index = _products.Count;
                _products.Add(products[i]);
                _productIndex.Add(products[i], index);
            }

            if (!_customerProducts.Contains(index))
            {
                _customerProducts.Add(index);
            }
        }
    }

    private void Segments()
    {
        _customerSegments.Clear();
        _customerSegments.Add(AllIndex);
        for (var s = 0; s < _segments.Length; s++)
        {
            if (_segments[s].Contains(_customer))
            {
                _customerSegments.Add(s + 1);
            }
        }
    }

    private LocalDate UtcDate(Instant at)
    {
        if (at < _dayStart || at >= _dayEnd)
        {
            _day = at.InUtc().Date;
            _dayStart = _day.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant();
            _dayEnd = _dayStart + Duration.FromDays(1);
        }

        return _day;
    }

    private GroupAccumulator Group(int product, int segment)
    {
        if (!_groups.TryGetValue((product, segment), out var group))
        {
            group = new GroupAccumulator();
            _groups.Add((product, segment), group);
        }

        return group;
    }

    private CellAccumulator Cell(int product, int segment, int channel)
    {
        if (!_cells.TryGetValue((product, segment, channel), out var cell))
        {
            cell = new CellAccumulator();
            _cells.Add((product, segment, channel), cell);
        }

        return cell;
    }

    private static int Bucket(Duration[] bounds, long ticks)
    {
        var i = 0;
        while (i < bounds.Length && ticks >= bounds[i].BclCompatibleTicks)
        {
            i++;
        }

        return i;
    }

    private static AcquisitionTimeBucket[] Buckets(Duration[] bounds, decimal[] counts)
    {
        var buckets = new AcquisitionTimeBucket[bounds.Length + 1];
        for (var i = 0; i < buckets.Length; i++)
        {
            buckets[i] = new AcquisitionTimeBucket(i == 0 ? Duration.Zero : bounds[i - 1], i < bounds.Length ? bounds[i] : null, counts[i]);
        }

        return buckets;
    }

    private sealed class GroupAccumulator
    {
        public long Reached;
        public long Converted;
        public long Direct;
        public long Communications;
        public decimal Cost;
        public decimal Spend;
        public readonly Dictionary<ChannelId, long> ByChannel = [];
        public readonly Dictionary<TouchpointKind, long> ByKind = [];
        public readonly Dictionary<string, long> ByCampaign = new(StringComparer.Ordinal);
        public readonly List<long> Times = [];

        public AcquisitionGroup ToGroup(AcquisitionGroupKey key, Duration[] bounds)
        {
            Times.Sort();
            Duration? median = Times.Count == 0 ? null
                : Times.Count % 2 == 1 ? Duration.FromTicks(Times[Times.Count / 2])
                : Duration.FromTicks((Times[(Times.Count / 2) - 1] + Times[Times.Count / 2]) / 2);
            var counts = new decimal[bounds.Length + 1];
            foreach (var ticks in Times)
            {
                counts[Bucket(bounds, ticks)]++;
            }

            return new AcquisitionGroup(
                key, Reached, Converted, Direct, Communications, Cost, Spend,
                new SortedDictionary<ChannelId, long>(ByChannel),
                new Dictionary<TouchpointKind, long>(ByKind),
                new SortedDictionary<string, long>(ByCampaign, StringComparer.Ordinal),
                median,
                Buckets(bounds, counts));
        }
    }

    private sealed class CellAccumulator
    {
        public long Journeys;
        public long Converters;
        public decimal Reach;
        public decimal Conversions;
        public decimal Communications;
        public decimal Cost;
        public decimal Spend;
        public readonly List<(long Ticks, decimal Credit)> Times = [];

        public AcquisitionCell ToCell(AcquisitionCellKey key, Duration[] bounds)
        {
            Times.Sort((a, b) => a.Ticks.CompareTo(b.Ticks));
            var total = 0m;
            var counts = new decimal[bounds.Length + 1];
            foreach (var (ticks, credit) in Times)
            {
                total += credit;
                counts[Bucket(bounds, ticks)] += credit;
            }

            Duration? median = null;
            var cumulative = 0m;
            foreach (var (ticks, credit) in Times)
            {
                cumulative += credit;
                if (cumulative * 2 >= total)
                {
                    median = Duration.FromTicks(ticks);
                    break;
                }
            }

            return new AcquisitionCell(key, Journeys, Converters, Reach, Conversions, Communications, Cost, Spend, median, Buckets(bounds, counts));
        }
    }
}

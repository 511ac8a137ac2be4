using CrmKernel.ExchangeRates;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Metrics.Profitability;

/// <summary>
/// The per-customer accumulator of <see cref="ChannelProfitabilityReport"/>: add one customer's rows, then
/// <see cref="End"/> gives their figures and starts the next customer. Contacts are counted per channel, function and
/// direction, so the scenario re-prices counts (cost is linear in them) instead of rows.
/// </summary>
internal sealed class CustomerCosting
{
    private const int Cells = 8;

    private readonly ChannelProfitabilityRequest _request;
    private readonly CurrencyConverter _converter;
    private readonly ChannelCostModel _model;
    private readonly ChannelCostModel _scenarioRates;
    private readonly ChannelMove[] _moves;
    private readonly Dictionary<ChannelId, Cell> _cells = [];
    private readonly List<Cell> _pool = [];
    private int _used;
    private LocalDate _day;
    private Instant _dayStart = Instant.MaxValue;
    private Instant _dayEnd = Instant.MinValue;

    public CustomerCosting(ChannelProfitabilityRequest request, CurrencyConverter converter)
    {
        _request = request;
        _converter = converter;
        _model = request.CostModel;
        _scenarioRates = request.Scenario?.Rates ?? request.CostModel;
        _moves = [.. request.Scenario?.Moves ?? []];
    }

    /// <summary>Adds a row of the current customer; false (nothing added) when an amount needs a rate not cached yet.</summary>
    public bool TryAdd(in TouchpointScanRow row)
    {
        var cost = 0m;
        var revenue = 0m;
        if ((row.Cost is { } c && !TryConvert(c, row.OccurredAt, out cost)) || (row.Revenue is { } r && !TryConvert(r, row.OccurredAt, out revenue)))
        {
            return false;
        }

        if (!_cells.TryGetValue(row.Channel, out var cell))
        {
            cell = _used < _pool.Count ? _pool[_used] : Add();
            _used++;
            cell.Reset();
            _cells.Add(row.Channel, cell);
        }

        cell.Counts[Index(row.Function, row.Direction)]++;
        cell.Contacts++;
        cell.Recorded += cost;
        cell.Revenue += revenue;
        cell.Modelled += _model.RateOf(row.Channel, row.Function, row.Direction);
        return true;
    }

    /// <summary>Fetches the rates a row needs (then cached), so that <see cref="TryAdd"/> succeeds.</summary>
    public async ValueTask LoadRateAsync(TouchpointScanRow row, CancellationToken cancellationToken)
    {
        var day = row.OccurredAt.InZone(_request.Zone).Date;
        if (row.Cost is { } cost)
        {
            await _converter.ConvertAsync(cost, day, cancellationToken).ConfigureAwait(false);
        }

        if (row.Revenue is { } revenue)
        {
            await _converter.ConvertAsync(revenue, day, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The current customer's figures; starts the next customer.</summary>
    public CustomerChannelProfit End(CustomerId customer)
    {
        decimal revenue = 0m, recorded = 0m, modelled = 0m, scenario = 0m;
        long contacts = 0;
        foreach (var cell in _cells.Values)
        {
            contacts += cell.Contacts;
        }

        var channels = new ChannelContacts[_cells.Count];
        var i = 0;
        foreach (var (channel, cell) in _cells)
        {
            revenue += cell.Revenue;
            recorded += cell.Recorded;
            modelled += cell.Modelled;
            scenario += _request.Scenario is null ? cell.Modelled : ScenarioCost(channel, cell);
            channels[i++] = new ChannelContacts(channel, cell.Contacts, (decimal)cell.Contacts / contacts, cell.Recorded, cell.Modelled, cell.Revenue);
        }

        Array.Sort(channels, (a, b) => a.Channel.CompareTo(b.Channel));
        _cells.Clear();
        _used = 0;
        var gross = revenue * _request.GrossMarginRatio;
        return new CustomerChannelProfit(customer, revenue, recorded, modelled, gross - recorded - modelled, scenario, gross - recorded - scenario, contacts, channels);
    }

    private static int Index(CrmFunction function, InteractionDirection direction) => (((int)function - 1) * 2) + ((int)direction - 1);

    private decimal ScenarioCost(ChannelId channel, Cell cell)
    {
        var cost = 0m;
        for (var index = 0; index < Cells; index++)
        {
            var count = cell.Counts[index];
            if (count == 0)
            {
                continue;
            }

            var function = (CrmFunction)((index / 2) + 1);
            var direction = (InteractionDirection)((index % 2) + 1);
            decimal remaining = count;
            foreach (var move in _moves)
            {
                if (move.AppliesTo(channel, function))
                {
                    var moved = count * move.Share;
                    remaining -= moved;
                    cost += moved * _scenarioRates.RateOf(move.To, function, direction);
                }
            }

            cost += remaining * _scenarioRates.RateOf(channel, function, direction);
        }

        return cost;
    }

    private bool TryConvert(Money amount, Instant at, out decimal converted)
    {
        if (amount.Currency == _converter.Target)
        {
            converted = amount.Amount;
            return true;
        }

        if (at < _dayStart || at >= _dayEnd)
        {
            _day = at.InZone(_request.Zone).Date;
            _dayStart = _request.Zone.AtStartOfDay(_day).ToInstant();
            _dayEnd = _request.Zone.AtStartOfDay(_day.PlusDays(1)).ToInstant();
        }

        return _converter.TryConvertCached(amount, _day, out converted);
    }

    private Cell Add()
    {
        var cell = new Cell();
        _pool.Add(cell);
        return cell;
    }

    private sealed class Cell
    {
        public readonly long[] Counts = new long[Cells];
        public long Contacts;
        public decimal Recorded;
        public decimal Modelled;
        public decimal Revenue;

        public void Reset()
        {
            Array.Clear(Counts);
            Contacts = 0;
            Recorded = 0m;
            Modelled = 0m;
            Revenue = 0m;
        }
    }
}

using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using NodaTime;

namespace CrmKernel.Metrics.Profitability;

/// <summary>
/// What <see cref="ChannelProfitabilityReport"/> computes: the period, the reporting zone and currency, the channel cost
/// model, an optional what-if scenario, the segments to break the figures down by, and the gross-margin ratio.
/// </summary>
public sealed class ChannelProfitabilityRequest
{
    /// <summary>The most segments one request breaks the figures down by.</summary>
    public const int MaxSegments = 64;

    /// <summary>Creates a request.</summary>
    /// <param name="period">The period (whole days in <paramref name="zone"/>): touchpoints from its first instant up to the instant after its last day.</param>
    /// <param name="zone">The reporting zone; an amount is converted at the rate of its touchpoint's day in it.</param>
    /// <param name="currency">The reporting currency; the cost model's (and the scenario's rates') currency.</param>
    /// <param name="costModel">What one contact costs per channel, beyond the recorded costs.</param>
    /// <param name="scenario">The what-if; null for none (the scenario figures then equal the current ones).</param>
    /// <param name="segments">The segments, up to <see cref="MaxSegments"/>, distinct; null for none (the all-customers row is always there).</param>
    /// <param name="grossMarginRatio">
    /// The share of revenue that is margin before the cost to serve (0 to 1): 1 (the default) when revenue is already
    /// net of product cost or product cost is out of scope; e.g. 0.4 for a 40 % gross margin.
    /// </param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">
    /// The currency is XXX; the model or the scenario's rates are in another currency; a scenario moves contacts to a channel its
    /// rates do not price; a segment is null or given twice.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="grossMarginRatio"/> is outside 0 to 1.</exception>
    /// <exception cref="InputLimitExceededException">More than <see cref="MaxSegments"/> segments (<c>CRM-INPUT-001</c>).</exception>
    public ChannelProfitabilityRequest(DateInterval period, DateTimeZone zone, Currency currency, ChannelCostModel costModel, ChannelMixScenario? scenario = null, IEnumerable<SegmentSnapshot>? segments = null, decimal grossMarginRatio = 1m)
    {
        Period = Preconditions.NotNull(period);
        Zone = Preconditions.NotNull(zone);
        Preconditions.Check(currency != default && currency != Currency.XXX, "Report in a real currency.", nameof(currency));
        CostModel = Preconditions.NotNull(costModel);
        Preconditions.Check(costModel.Currency == currency, $"The cost model is in {costModel.Currency.Code}, not the reporting currency {currency.Code}.", nameof(costModel));
        if (scenario is not null)
        {
            var rates = scenario.Rates ?? costModel;
            Preconditions.Check(rates.Currency == currency, $"The scenario's rates are in {rates.Currency.Code}, not the reporting currency {currency.Code}.", nameof(scenario));
            var unpriced = scenario.Moves.FirstOrDefault(m => !rates.Prices(m.To));
            Preconditions.Check(unpriced is null, $"The scenario moves contacts to channel '{unpriced?.To}', which its rates do not price.", nameof(scenario));
        }

        var list = segments?.ToList() ?? [];
        Preconditions.MaxCount(list.Count, MaxSegments, "segments", nameof(segments));
        Preconditions.Check(list.TrueForAll(s => s is not null), "The segments hold null.", nameof(segments));
        Preconditions.Check(list.Select(s => s.Segment).Distinct().Count() == list.Count, "A segment is given twice.", nameof(segments));
        if (grossMarginRatio is < 0m or > 1m)
        {
            throw new ArgumentOutOfRangeException(nameof(grossMarginRatio), grossMarginRatio, "The gross-margin ratio is 0 to 1.");
        }

        Currency = currency;
        Scenario = scenario;
        Segments = list;
        GrossMarginRatio = grossMarginRatio;
        Start = zone.AtStartOfDay(period.Start).ToInstant();
        End = zone.AtStartOfDay(period.End.PlusDays(1)).ToInstant();
    }

    /// <summary>The period.</summary>
    public DateInterval Period { get; }

    /// <summary>The reporting zone.</summary>
    public DateTimeZone Zone { get; }

    /// <summary>The reporting currency.</summary>
    public Currency Currency { get; }

    /// <summary>The channel cost model.</summary>
    public ChannelCostModel CostModel { get; }

    /// <summary>The what-if, or null.</summary>
    public ChannelMixScenario? Scenario { get; }

    /// <summary>The segments, in the order given.</summary>
    public IReadOnlyList<SegmentSnapshot> Segments { get; }

    /// <summary>The share of revenue that is margin before the cost to serve.</summary>
    public decimal GrossMarginRatio { get; }

    /// <summary>The period's first instant.</summary>
    public Instant Start { get; }

    /// <summary>The instant after the period's last day.</summary>
    public Instant End { get; }
}

using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Touchpoints;

namespace CrmKernel.Metrics.Profitability;

/// <summary>
/// The channel-mix profitability of a group of customers — one segment, or all customers — in a period: totals over its
/// customers, the shares and averages the catalogue reads, and the group's channel mix. Every customer of the group
/// counts, including those with no touchpoint in the period (margin zero, not unprofitable).
/// </summary>
public sealed class SegmentProfitability
{
    private readonly Dictionary<ChannelId, long[]> _contacts = [];
    private readonly Dictionary<ChannelId, decimal[]> _amounts = [];

    internal SegmentProfitability(SegmentSnapshot? segment) => Snapshot = segment;

    /// <summary>The segment's snapshot, or null for the all-customers row.</summary>
    public SegmentSnapshot? Snapshot { get; }

    /// <summary>The segment, or null for the all-customers row.</summary>
    public SegmentId? Segment => Snapshot?.Segment;

    /// <summary>How many customers.</summary>
    public long Customers { get; private set; }

    /// <summary>How many touchpoints in the period.</summary>
    public long Contacts { get; private set; }

    /// <summary>Their revenue.</summary>
    public decimal Revenue { get; private set; }

    /// <summary>Their recorded costs.</summary>
    public decimal RecordedCost { get; private set; }

    /// <summary>Their modelled per-contact costs.</summary>
    public decimal ModelledCost { get; private set; }

    /// <summary>Recorded plus modelled cost.</summary>
    public decimal CostToServe => RecordedCost + ModelledCost;

    /// <summary>The sum of the customers' margins.</summary>
    public decimal Margin { get; private set; }

    /// <summary>How many customers have a margin below zero.</summary>
    public long Unprofitable { get; private set; }

    /// <summary>The modelled cost under the scenario.</summary>
    public decimal ScenarioModelledCost { get; private set; }

    /// <summary>The cost to serve under the scenario.</summary>
    public decimal ScenarioCostToServe => RecordedCost + ScenarioModelledCost;

    /// <summary>The sum of the margins under the scenario.</summary>
    public decimal ScenarioMargin { get; private set; }

    /// <summary>How many customers have a margin below zero under the scenario.</summary>
    public long UnprofitableUnderScenario { get; private set; }

    /// <summary>How many customers are unprofitable now and not under the scenario.</summary>
    public long Recoverable { get; private set; }

    /// <summary>Cost to serve ÷ customers; null with no customers.</summary>
    public decimal? CostToServePerCustomer => Customers == 0 ? null : CostToServe / Customers;

    /// <summary>Margin ÷ customers; null with no customers.</summary>
    public decimal? MarginPerCustomer => Customers == 0 ? null : Margin / Customers;

    /// <summary>Unprofitable ÷ customers; null with no customers.</summary>
    public decimal? UnprofitableShare => Customers == 0 ? null : (decimal)Unprofitable / Customers;

    /// <summary>Unprofitable under the scenario ÷ customers; null with no customers.</summary>
    public decimal? UnprofitableShareUnderScenario => Customers == 0 ? null : (decimal)UnprofitableUnderScenario / Customers;

    /// <summary>Cost to serve ÷ revenue; null when there is no revenue.</summary>
    public decimal? CostToServeRatio => Revenue == 0m ? null : CostToServe / Revenue;

    /// <summary>The group's channel mix: one row per channel used, in channel-id order.</summary>
    public IReadOnlyList<ChannelContacts> Channels
        => [.. _contacts.Keys.Order().Select(c => new ChannelContacts(c, _contacts[c][0], Contacts == 0 ? 0m : (decimal)_contacts[c][0] / Contacts, _amounts[c][0], _amounts[c][1], _amounts[c][2]))];

    /// <summary>The segment (or "all") and its customer and unprofitable counts.</summary>
    public override string ToString() => $"{(Segment is { } s ? s.ToString() : "all")}: {Customers} customers, {Unprofitable} unprofitable";

    internal void Add(CustomerChannelProfit customer)
    {
        Customers++;
        Contacts += customer.Contacts;
        Revenue += customer.Revenue;
        RecordedCost += customer.RecordedCost;
        ModelledCost += customer.ModelledCost;
        Margin += customer.Margin;
        ScenarioModelledCost += customer.ScenarioModelledCost;
        ScenarioMargin += customer.ScenarioMargin;
        Unprofitable += customer.IsUnprofitable ? 1 : 0;
        UnprofitableUnderScenario += customer.ScenarioMargin < 0m ? 1 : 0;
        Recoverable += customer.IsRecoverable ? 1 : 0;
        foreach (var channel in customer.Channels)
        {
            if (!_contacts.TryGetValue(channel.Channel, out var contacts))
            {
                _contacts[channel.Channel] = contacts = new long[1];
                _amounts[channel.Channel] = new decimal[3];
            }

            var amounts = _amounts[channel.Channel];
            contacts[0] += channel.Contacts;
            amounts[0] += channel.RecordedCost;
            amounts[1] += channel.ModelledCost;
            amounts[2] += channel.Revenue;
        }
    }
}

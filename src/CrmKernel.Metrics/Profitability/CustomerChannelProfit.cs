using CrmKernel.Primitives;

namespace CrmKernel.Metrics.Profitability;

/// <summary>
/// One customer's channel-mix profitability in a period, in the reporting currency: revenue, cost to serve (recorded plus
/// modelled), margin, the channel mix, and the same under the request's scenario. The drill-down of
/// <see cref="ChannelProfitabilityReport"/>.
/// </summary>
public sealed class CustomerChannelProfit
{
    internal CustomerChannelProfit(CustomerId customer, decimal revenue, decimal recordedCost, decimal modelledCost, decimal margin, decimal scenarioModelledCost, decimal scenarioMargin, long contacts, IReadOnlyList<ChannelContacts> channels)
    {
        Customer = customer;
        Revenue = revenue;
        RecordedCost = recordedCost;
        ModelledCost = modelledCost;
        Margin = margin;
        ScenarioModelledCost = scenarioModelledCost;
        ScenarioMargin = scenarioMargin;
        Contacts = contacts;
        Channels = channels;
    }

    /// <summary>The customer.</summary>
    public CustomerId Customer { get; }

    /// <summary>The revenue of their touchpoints in the period.</summary>
    public decimal Revenue { get; }

    /// <summary>The recorded costs of their touchpoints.</summary>
    public decimal RecordedCost { get; }

    /// <summary>The cost model's per-contact cost of their touchpoints.</summary>
    public decimal ModelledCost { get; }

    /// <summary>Recorded plus modelled cost.</summary>
    public decimal CostToServe => RecordedCost + ModelledCost;

    /// <summary>Revenue × the gross-margin ratio − cost to serve.</summary>
    public decimal Margin { get; }

    /// <summary>True when the margin is below zero.</summary>
    public bool IsUnprofitable => Margin < 0m;

    /// <summary>How many touchpoints in the period.</summary>
    public long Contacts { get; }

    /// <summary>Their channel mix, one row per channel used, in channel-id order.</summary>
    public IReadOnlyList<ChannelContacts> Channels { get; }

    /// <summary>The modelled cost of the same contacts under the scenario (moved and re-priced).</summary>
    public decimal ScenarioModelledCost { get; }

    /// <summary>The cost to serve under the scenario: recorded plus the scenario's modelled cost.</summary>
    public decimal ScenarioCostToServe => RecordedCost + ScenarioModelledCost;

    /// <summary>The margin under the scenario (same revenue).</summary>
    public decimal ScenarioMargin { get; }

    /// <summary>What the scenario adds to the margin (negative when it costs more).</summary>
    public decimal Gain => ScenarioMargin - Margin;

    /// <summary>True when the customer is unprofitable now and not under the scenario (margin zero or more).</summary>
    public bool IsRecoverable => Margin < 0m && ScenarioMargin >= 0m;

    /// <summary>The customer id, margin and scenario margin.</summary>
    public override string ToString() => $"{Customer}: margin {Margin}, under the scenario {ScenarioMargin}";
}

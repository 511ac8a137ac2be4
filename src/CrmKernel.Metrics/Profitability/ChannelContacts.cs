using CrmKernel.Touchpoints;

namespace CrmKernel.Metrics.Profitability;

/// <summary>One channel of a channel mix (a customer's or a segment's): contacts, their share, and what they cost and brought in, in the reporting currency.</summary>
public sealed class ChannelContacts
{
    internal ChannelContacts(ChannelId channel, long contacts, decimal share, decimal recordedCost, decimal modelledCost, decimal revenue)
    {
        Channel = channel;
        Contacts = contacts;
        Share = share;
        RecordedCost = recordedCost;
        ModelledCost = modelledCost;
        Revenue = revenue;
    }

    /// <summary>The channel.</summary>
    public ChannelId Channel { get; }

    /// <summary>How many touchpoints on it in the period.</summary>
    public long Contacts { get; }

    /// <summary>Its share of all contacts (0 to 1).</summary>
    public decimal Share { get; }

    /// <summary>The touchpoints' recorded costs, converted.</summary>
    public decimal RecordedCost { get; }

    /// <summary>The cost model's per-contact cost of the touchpoints.</summary>
    public decimal ModelledCost { get; }

    /// <summary>The cost to serve on this channel: recorded plus modelled.</summary>
    public decimal CostToServe => RecordedCost + ModelledCost;

    /// <summary>The touchpoints' revenue, converted.</summary>
    public decimal Revenue { get; }

    /// <summary>The channel, contacts and share.</summary>
    public override string ToString() => $"{Channel}: {Contacts} ({Share:P1})";
}

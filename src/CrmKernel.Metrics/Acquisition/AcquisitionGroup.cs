using CrmKernel.Metrics.Definitions;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Metrics.Acquisition;

/// <summary>
/// The distinct-customer figures of one product × segment group of an <see cref="AcquisitionReport"/>: prospects reached
/// and converted, the communications and their cost before the first purchase, and the time it took. Every count is of
/// whole customers (a customer counts once per group); the per-channel split under the attribution rule is in the
/// group's cells (<see cref="AcquisitionCell"/>), which add up to these figures.
/// </summary>
public sealed class AcquisitionGroup
{
    internal AcquisitionGroup(
        AcquisitionGroupKey key,
        long reached,
        long converted,
        long directConversions,
        long communications,
        decimal acquisitionCost,
        decimal prospectSpend,
        IReadOnlyDictionary<ChannelId, long> byChannel,
        IReadOnlyDictionary<TouchpointKind, long> byKind,
        IReadOnlyDictionary<string, long> byCampaign,
        Duration? median,
        IReadOnlyList<AcquisitionTimeBucket> distribution)
    {
        Key = key;
        Reached = reached;
        Converted = converted;
        DirectConversions = directConversions;
        Communications = communications;
        AcquisitionCost = acquisitionCost;
        ProspectSpend = prospectSpend;
        CommunicationsByChannel = byChannel;
        CommunicationsByKind = byKind;
        CommunicationsByCampaign = byCampaign;
        MedianTimeToFirstPurchase = median;
        TimeToFirstPurchase = distribution;
    }

    /// <summary>The product and segment.</summary>
    public AcquisitionGroupKey Key { get; }

    /// <summary>Prospects reached: prospects at the window start with at least one communication in the window before their first purchase (distinct journeys).</summary>
    public long Reached { get; }

    /// <summary>Of the prospects reached, those whose first purchase falls in the window.</summary>
    public long Converted { get; }

    /// <summary>Prospects whose first purchase falls in the window with no communication in the window before it: counted, in no channel, and not in <see cref="Converted"/>.</summary>
    public long DirectConversions { get; }

    /// <summary>Converted ÷ reached; no value when none was reached.</summary>
    public MetricValue ConversionRate => MetricValue.Ratio(Converted, Reached, "prospects reached");

    /// <summary>The communications before the first purchase, over the converted prospects' journeys.</summary>
    public long Communications { get; }

    /// <summary>Communications before the first purchase per conversion; no value without conversions.</summary>
    public MetricValue CommunicationsPerConversion => MetricValue.Ratio(Communications, Converted, "conversions");

    /// <summary>Of <see cref="Communications"/>, how many on each channel.</summary>
    public IReadOnlyDictionary<ChannelId, long> CommunicationsByChannel { get; }

    /// <summary>Of <see cref="Communications"/>, how many of each kind (campaign contact, response, enquiry, …).</summary>
    public IReadOnlyDictionary<TouchpointKind, long> CommunicationsByKind { get; }

    /// <summary>Of <see cref="Communications"/>, how many of each campaign (the message); the empty key counts those of no campaign.</summary>
    public IReadOnlyDictionary<string, long> CommunicationsByCampaign { get; }

    /// <summary>Σ cost of the converted prospects' communications before the first purchase, in the reporting currency.</summary>
    public decimal AcquisitionCost { get; }

    /// <summary>Acquisition cost per converted prospect (converters only); no value without conversions.</summary>
    public MetricValue CostPerAcquisition => MetricValue.Ratio(AcquisitionCost, Converted, "conversions");

    /// <summary>Σ cost of every reached prospect's journey, converted or not: the fully loaded spend.</summary>
    public decimal ProspectSpend { get; }

    /// <summary>Prospect spend per converted prospect (fully loaded: with the spend on prospects who never bought); no value without conversions.</summary>
    public MetricValue FullyLoadedCostPerAcquisition => MetricValue.Ratio(ProspectSpend, Converted, "conversions");

    /// <summary>The median time from the journey's first communication to the first purchase (the mean of the two middle ones for an even count); null without conversions.</summary>
    public Duration? MedianTimeToFirstPurchase { get; }

    /// <summary>The converted prospects by time to first purchase, in the request's buckets.</summary>
    public IReadOnlyList<AcquisitionTimeBucket> TimeToFirstPurchase { get; }

    /// <summary>The key and headline figures, for test output.</summary>
    public override string ToString() => $"{Key}: {Converted}/{Reached} converted, {DirectConversions} direct";
}

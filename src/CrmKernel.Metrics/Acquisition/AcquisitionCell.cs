using CrmKernel.Metrics.Definitions;
using NodaTime;

namespace CrmKernel.Metrics.Acquisition;

/// <summary>
/// One product × segment × channel cell of an <see cref="AcquisitionReport"/>: the group's journeys credited to one
/// channel under the report's attribution rule. A journey gives each channel its credit (the weights of its
/// communications on that channel, <see cref="Attribution.Weights"/>), so the credit-weighted figures of a group's cells
/// add up to the group's: Σ <see cref="Reach"/> = reached, Σ <see cref="Conversions"/> = converted + direct conversions,
/// Σ <see cref="AcquisitionCost"/> = acquisition cost, Σ <see cref="Communications"/> = communications.
/// </summary>
public sealed class AcquisitionCell
{
    internal AcquisitionCell(
        AcquisitionCellKey key,
        long journeys,
        long converters,
        decimal reach,
        decimal conversions,
        decimal communications,
        decimal acquisitionCost,
        decimal prospectSpend,
        Duration? median,
        IReadOnlyList<AcquisitionTimeBucket> distribution)
    {
        Key = key;
        Journeys = journeys;
        Converters = converters;
        Reach = reach;
        Conversions = conversions;
        Communications = communications;
        AcquisitionCost = acquisitionCost;
        ProspectSpend = prospectSpend;
        MedianTimeToFirstPurchase = median;
        TimeToFirstPurchase = distribution;
    }

    /// <summary>The product, segment and channel.</summary>
    public AcquisitionCellKey Key { get; }

    /// <summary>Distinct journeys giving this channel credit (the customers behind the cell: what the drill-down streams).</summary>
    public long Journeys { get; }

    /// <summary>Of <see cref="Journeys"/>, those that converted.</summary>
    public long Converters { get; }

    /// <summary>Attributed reach: Σ the channel's credit over the group's journeys.</summary>
    public decimal Reach { get; }

    /// <summary>Attributed conversions: Σ the channel's credit over the converting journeys (1 per direct conversion in the no-communication cell).</summary>
    public decimal Conversions { get; }

    /// <summary>Attributed conversions ÷ attributed reach; no value without reach (always so in the no-communication cell).</summary>
    public MetricValue ConversionRate => MetricValue.Ratio(Conversions, Reach, "attributed reach");

    /// <summary>Σ credit × communications before the first purchase, over the converting journeys.</summary>
    public decimal Communications { get; }

    /// <summary>Attributed communications per attributed conversion; no value without conversions.</summary>
    public MetricValue CommunicationsPerConversion => MetricValue.Ratio(Communications, Conversions, "attributed conversions");

    /// <summary>Σ credit × journey cost before the first purchase, over the converting journeys, in the reporting currency.</summary>
    public decimal AcquisitionCost { get; }

    /// <summary>Attributed acquisition cost per attributed conversion (converters only); no value without conversions.</summary>
    public MetricValue CostPerAcquisition => MetricValue.Ratio(AcquisitionCost, Conversions, "attributed conversions");

    /// <summary>Σ credit × journey cost over every journey, converted or not (fully loaded).</summary>
    public decimal ProspectSpend { get; }

    /// <summary>Prospect spend per attributed conversion (fully loaded); no value without conversions.</summary>
    public MetricValue FullyLoadedCostPerAcquisition => MetricValue.Ratio(ProspectSpend, Conversions, "attributed conversions");

    /// <summary>The credit-weighted median time to first purchase of the converting journeys: the smallest time at which half the credit is reached; null without conversions.</summary>
    public Duration? MedianTimeToFirstPurchase { get; }

    /// <summary>The attributed conversions by time to first purchase, in the request's buckets.</summary>
    public IReadOnlyList<AcquisitionTimeBucket> TimeToFirstPurchase { get; }

    /// <summary>The key and headline figures, for test output.</summary>
    public override string ToString() => $"{Key}: {Conversions}/{Reach} attributed";
}

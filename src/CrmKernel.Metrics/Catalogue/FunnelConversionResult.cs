using CrmKernel.Metrics.Definitions;

namespace CrmKernel.Metrics.Catalogue;

/// <summary>The conversions of one cohort through a funnel.</summary>
public sealed class FunnelConversionResult
{
    internal FunnelConversionResult(IReadOnlyList<long> stageEntries, IReadOnlyList<MetricValue> stageConversions, MetricValue overall)
    {
        StageEntries = stageEntries;
        StageConversions = stageConversions;
        Overall = overall;
    }

    /// <summary>The cohort's entries per stage.</summary>
    public IReadOnlyList<long> StageEntries { get; }

    /// <summary>Conversion from stage i to stage i+1.</summary>
    public IReadOnlyList<MetricValue> StageConversions { get; }

    /// <summary>Conversion from the first stage to the last.</summary>
    public MetricValue Overall { get; }
}

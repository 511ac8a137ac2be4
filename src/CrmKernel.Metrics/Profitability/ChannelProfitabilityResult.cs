using CrmKernel.Segments;

namespace CrmKernel.Metrics.Profitability;

/// <summary>The result of <see cref="ChannelProfitabilityReport.RunAsync"/>: the all-customers row and one row per requested segment.</summary>
public sealed class ChannelProfitabilityResult
{
    internal ChannelProfitabilityResult(ChannelProfitabilityRequest request, SegmentProfitability all, IReadOnlyList<SegmentProfitability> segments)
    {
        Request = request;
        All = all;
        Segments = segments;
    }

    /// <summary>The request.</summary>
    public ChannelProfitabilityRequest Request { get; }

    /// <summary>Every customer of the tenant.</summary>
    public SegmentProfitability All { get; }

    /// <summary>One row per requested segment, in the request's order.</summary>
    public IReadOnlyList<SegmentProfitability> Segments { get; }

    /// <summary>The row of <paramref name="segment"/>.</summary>
    /// <exception cref="KeyNotFoundException">The request had no such segment.</exception>
    public SegmentProfitability this[SegmentId segment]
        => Segments.FirstOrDefault(s => s.Segment == segment) ?? throw new KeyNotFoundException($"The request had no segment '{segment}'.");
}

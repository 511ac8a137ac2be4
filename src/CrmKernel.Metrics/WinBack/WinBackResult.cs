using CrmKernel.Segments;

namespace CrmKernel.Metrics.WinBack;

/// <summary>The result of <see cref="WinBackView.AnalyseAsync"/>: the all-customers row and one row per requested segment.</summary>
public sealed class WinBackResult
{
    internal WinBackResult(WinBackRequest request, WinBackSegment all, IReadOnlyList<WinBackSegment> segments)
    {
        Request = request;
        All = all;
        Segments = segments;
    }

    /// <summary>The request.</summary>
    public WinBackRequest Request { get; }

    /// <summary>Every customer of the tenant.</summary>
    public WinBackSegment All { get; }

    /// <summary>One row per requested segment, in the request's order.</summary>
    public IReadOnlyList<WinBackSegment> Segments { get; }

    /// <summary>The row of <paramref name="segment"/>.</summary>
    /// <exception cref="KeyNotFoundException">The request had no such segment.</exception>
    public WinBackSegment this[SegmentId segment]
        => Segments.FirstOrDefault(s => s.Segment == segment) ?? throw new KeyNotFoundException($"The request had no segment '{segment}'.");
}

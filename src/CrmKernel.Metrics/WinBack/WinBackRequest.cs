using CrmKernel.Diagnostics;
using CrmKernel.Lifecycle;
using CrmKernel.Segments;
using NodaTime;

namespace CrmKernel.Metrics.WinBack;

/// <summary>
/// What <see cref="WinBackView"/> computes: the instant it holds for, the history it learns from, the segments, and the
/// lifecycle stages of the two paths (the <see cref="DefaultLifecycleModel"/>'s by default).
/// </summary>
public sealed class WinBackRequest
{
    /// <summary>The most segments one request breaks the view down by.</summary>
    public const int MaxSegments = 64;

    /// <summary>Creates a request.</summary>
    /// <param name="asOf">The instant: candidates are the customers dissatisfied or lapsed then; episodes are learnt from transitions up to it.</param>
    /// <param name="segments">The segments, up to <see cref="MaxSegments"/>, distinct; null for none (the all-customers row is always there).</param>
    /// <param name="historyFrom">The earliest episode start learnt from; null for the whole history.</param>
    /// <exception cref="ArgumentException">A segment is null or given twice, or <paramref name="historyFrom"/> is after <paramref name="asOf"/>.</exception>
    /// <exception cref="InputLimitExceededException">More than <see cref="MaxSegments"/> segments (<c>CRM-INPUT-001</c>).</exception>
    public WinBackRequest(Instant asOf, IEnumerable<SegmentSnapshot>? segments = null, Instant? historyFrom = null)
    {
        var list = segments?.ToList() ?? [];
        Preconditions.MaxCount(list.Count, MaxSegments, "segments", nameof(segments));
        Preconditions.Check(list.TrueForAll(s => s is not null), "The segments hold null.", nameof(segments));
        Preconditions.Check(list.Select(s => s.Segment).Distinct().Count() == list.Count, "A segment is given twice.", nameof(segments));
        Preconditions.Check(historyFrom is null || historyFrom <= asOf, "The history starts after the as-of instant.", nameof(historyFrom));
        AsOf = asOf;
        Segments = list;
        HistoryFrom = historyFrom;
    }

    /// <summary>The instant the view holds for.</summary>
    public Instant AsOf { get; }

    /// <summary>The segments, in the order given.</summary>
    public IReadOnlyList<SegmentSnapshot> Segments { get; }

    /// <summary>The earliest episode start learnt from, or null for the whole history.</summary>
    public Instant? HistoryFrom { get; }

    /// <summary>The stage a dissatisfied customer is in (default <see cref="DefaultLifecycleModel.Dissatisfied"/>).</summary>
    public LifecycleStage Dissatisfied { get; init; } = DefaultLifecycleModel.Dissatisfied;

    /// <summary>The stage a recovered customer moves to (default <see cref="DefaultLifecycleModel.Recovered"/>).</summary>
    public LifecycleStage Recovered { get; init; } = DefaultLifecycleModel.Recovered;

    /// <summary>The stage a lapsed customer is in (default <see cref="DefaultLifecycleModel.Lapsed"/>).</summary>
    public LifecycleStage Lapsed { get; init; } = DefaultLifecycleModel.Lapsed;

    /// <summary>The stage a lapsed customer may pass through while still lost (default <see cref="DefaultLifecycleModel.Former"/>).</summary>
    public LifecycleStage Former { get; init; } = DefaultLifecycleModel.Former;

    /// <summary>The stage a won-back customer moves to (default <see cref="DefaultLifecycleModel.WonBack"/>).</summary>
    public LifecycleStage WonBack { get; init; } = DefaultLifecycleModel.WonBack;
}

using CrmKernel.Diagnostics;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using NodaTime;

namespace CrmKernel.Metrics.Acquisition;

/// <summary>
/// What an acquisition analysis covers and how it counts: the window (whole days in a reporting zone), the reporting
/// currency, the attribution rule, the segments to break the figures down by, the lifecycle stage that means
/// "prospect" and the buckets of the time-to-first-purchase distribution. Give it to
/// <see cref="AcquisitionAnalysis.AnalyseAsync"/>, and the same request to its drill-down.
/// </summary>
public sealed class AcquisitionRequest
{
    /// <summary>The most segments one analysis breaks down by.</summary>
    public const int MaxSegments = 64;

    /// <summary>The most bucket bounds of the time-to-first-purchase distribution.</summary>
    public const int MaxTimeBuckets = 32;

    private readonly IReadOnlyList<SegmentSnapshot> _segments = [];
    private readonly IReadOnlyList<Duration> _timeBuckets = DefaultTimeBuckets;
    private readonly LifecycleStage _prospectStage = DefaultLifecycleModel.Prospect;

    /// <summary>Creates a request.</summary>
    /// <param name="period">The analysis window, whole days: prospects reached and first purchases inside it count.</param>
    /// <param name="zone">The zone the days are interpreted in.</param>
    /// <param name="currency">The reporting currency every cost is converted into; not XXX.</param>
    /// <param name="attribution">The attribution rule for the per-channel figures.</param>
    /// <exception cref="ArgumentNullException"><paramref name="period"/> or <paramref name="zone"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="currency"/> is XXX.</exception>
    /// <exception cref="System.ComponentModel.InvalidEnumArgumentException"><paramref name="attribution"/> is not defined.</exception>
    public AcquisitionRequest(DateInterval period, DateTimeZone zone, Currency currency, AttributionRule attribution = AttributionRule.PositionBased)
    {
        Period = Preconditions.NotNull(period);
        Zone = Preconditions.NotNull(zone);
        Preconditions.Check(currency != Currency.XXX, "Report in a real currency.", nameof(currency));
        Currency = currency;
        Attribution = Preconditions.Defined(attribution);
        Start = zone.AtStartOfDay(period.Start).ToInstant();
        End = zone.AtStartOfDay(period.End.PlusDays(1)).ToInstant();
    }

    /// <summary>The default bucket bounds: 1, 7, 30 and 90 days.</summary>
    public static IReadOnlyList<Duration> DefaultTimeBuckets { get; } = [Duration.FromDays(1), Duration.FromDays(7), Duration.FromDays(30), Duration.FromDays(90)];

    /// <summary>The analysis window.</summary>
    public DateInterval Period { get; }

    /// <summary>The reporting zone.</summary>
    public DateTimeZone Zone { get; }

    /// <summary>The window's first instant.</summary>
    public Instant Start { get; }

    /// <summary>The instant after the window's last day.</summary>
    public Instant End { get; }

    /// <summary>The reporting currency.</summary>
    public Currency Currency { get; }

    /// <summary>The attribution rule of the per-channel figures.</summary>
    public AttributionRule Attribution { get; }

    /// <summary>
    /// The segments to break the figures down by (a customer may be in several; each segment is its own dimension value,
    /// besides "all customers"); empty by default. Membership is the snapshot's, whatever its <see cref="SegmentSnapshot.AsOf"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    /// <exception cref="ArgumentException">A snapshot is null, or two are of one segment.</exception>
    /// <exception cref="InputLimitExceededException">More than <see cref="MaxSegments"/> segments (<c>CRM-INPUT-001</c>).</exception>
    public IReadOnlyList<SegmentSnapshot> Segments
    {
        get => _segments;
        init
        {
            Preconditions.NotNull(value);
            SegmentSnapshot[] list = [.. value];
            Preconditions.MaxCount(list.Length, MaxSegments, "segments", nameof(Segments));
            Preconditions.Check(Array.TrueForAll(list, s => s is not null), "The segments hold null.", nameof(Segments));
            Preconditions.Check(list.Select(s => s.Segment).Distinct().Count() == list.Length, "Two snapshots are of one segment.", nameof(Segments));
            _segments = list;
        }
    }

    /// <summary>The lifecycle stage that means "prospect" (the default model's initial stage by default).</summary>
    /// <exception cref="ArgumentException">The value is the default.</exception>
    public LifecycleStage ProspectStage
    {
        get => _prospectStage;
        init => _prospectStage = Preconditions.NotDefault(value, nameof(ProspectStage));
    }

    /// <summary>
    /// The upper bounds of the time-to-first-purchase buckets, increasing and positive: the buckets are [0, b1), [b1, b2),
    /// …, [bn, ∞). <see cref="DefaultTimeBuckets"/> by default.
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    /// <exception cref="ArgumentException">The bounds are empty, not positive or not strictly increasing.</exception>
    /// <exception cref="InputLimitExceededException">More than <see cref="MaxTimeBuckets"/> bounds (<c>CRM-INPUT-001</c>).</exception>
    public IReadOnlyList<Duration> TimeBuckets
    {
        get => _timeBuckets;
        init
        {
            Preconditions.NotNull(value);
            Duration[] bounds = [.. value];
            Preconditions.MaxCount(bounds.Length, MaxTimeBuckets, "bucket bounds", nameof(TimeBuckets));
            var increasing = bounds.Length > 0 && bounds[0] > Duration.Zero;
            for (var i = 1; i < bounds.Length && increasing; i++)
            {
                increasing = bounds[i] > bounds[i - 1];
            }

            Preconditions.Check(increasing, "Give at least one bucket bound, positive and strictly increasing.", nameof(TimeBuckets));
            _timeBuckets = bounds;
        }
    }
}

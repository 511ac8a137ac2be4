using CrmKernel.Diagnostics;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Metrics.Evaluation;

/// <summary>
/// The facts of one touchpoint that the catalogue reads, in a compact, allocation-free form with its money already in
/// the reporting currency: what <see cref="MetricScan"/> consumes. The evaluator makes one per stored touchpoint with
/// <see cref="From"/>; bulk callers (a columnar export, a benchmark) build them directly.
/// </summary>
public readonly struct MetricTouchpoint
{
    private readonly byte _function;
    private readonly byte _direction;
    private readonly byte _flags;
    private readonly byte _scale;
    private readonly byte _score;

    /// <summary>Creates the facts of a touchpoint.</summary>
    /// <param name="occurredAt">When it happened.</param>
    /// <param name="kind">Its kind as the catalogue sees it.</param>
    /// <param name="function">The CRM function.</param>
    /// <param name="direction">Inbound or outbound.</param>
    /// <param name="resolved">True when its outcome is <see cref="TouchpointOutcome.Resolved"/>.</param>
    /// <param name="satisfaction">The survey answer, or null.</param>
    /// <param name="channel">The channel's index in the scan (<see cref="MetricScan.RegisterChannel"/>).</param>
    /// <param name="cost">Its cost in the reporting currency, or null when it records none.</param>
    /// <param name="revenue">Its revenue in the reporting currency (zero when none).</param>
    /// <exception cref="ArgumentException">An enum value is undefined.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channel"/> is negative or the cost is negative.</exception>
    public MetricTouchpoint(Instant occurredAt, MetricTouchpointKind kind, CrmFunction function, InteractionDirection direction, bool resolved, SatisfactionScore? satisfaction, int channel, decimal? cost, decimal revenue)
    {
        Preconditions.Defined(kind);
        Preconditions.Defined(function);
        Preconditions.Defined(direction);
        Preconditions.NonNegative(channel);
        if (cost < 0m)
        {
            throw new ArgumentOutOfRangeException(nameof(cost), cost, "A cost is zero or more.");
        }

        OccurredAt = occurredAt;
        Kind = kind;
        _function = (byte)function;
        _direction = (byte)direction;
        _flags = (byte)((resolved ? 1 : 0) | (cost.HasValue ? 2 : 0));
        _scale = satisfaction is null ? (byte)0 : (byte)satisfaction.Scale;
        _score = satisfaction is null ? (byte)0 : (byte)satisfaction.Value;
        Channel = channel;
        Cost = cost ?? 0m;
        Revenue = revenue;
    }

    /// <summary>The facts of a scan row (already checked by its constructor), with its amounts converted; allocates nothing.</summary>
    internal MetricTouchpoint(in TouchpointScanRow row, int channel, decimal? cost, decimal revenue)
    {
        OccurredAt = row.OccurredAt;
        Kind = KindOf(row.Kind);
        _function = (byte)row.Function;
        _direction = (byte)row.Direction;
        _flags = (byte)((row.Outcome == TouchpointOutcome.Resolved ? 1 : 0) | (cost.HasValue ? 2 : 0));
        _scale = row.SatisfactionScale is { } scale ? (byte)scale : (byte)0;
        _score = (byte)row.SatisfactionValue;
        Channel = channel;
        Cost = cost ?? 0m;
        Revenue = revenue;
    }

    /// <summary>When it happened.</summary>
    public Instant OccurredAt { get; }

    /// <summary>Its kind as the catalogue sees it.</summary>
    public MetricTouchpointKind Kind { get; }

    /// <summary>The CRM function.</summary>
    public CrmFunction Function => (CrmFunction)_function;

    /// <summary>Inbound or outbound.</summary>
    public InteractionDirection Direction => (InteractionDirection)_direction;

    /// <summary>True when its outcome is resolved.</summary>
    public bool Resolved => (_flags & 1) != 0;

    /// <summary>True when it records a cost.</summary>
    public bool HasCost => (_flags & 2) != 0;

    /// <summary>The survey scale answered, or null.</summary>
    public SatisfactionScale? Scale => _scale == 0 ? null : (SatisfactionScale)_scale;

    /// <summary>The survey answer on <see cref="Scale"/> (0 when none).</summary>
    public int Score => _score;

    /// <summary>The channel's index in the scan.</summary>
    public int Channel { get; }

    /// <summary>Its cost in the reporting currency (0 when it records none; see <see cref="HasCost"/>).</summary>
    public decimal Cost { get; }

    /// <summary>Its revenue in the reporting currency.</summary>
    public decimal Revenue { get; }

    /// <summary>The catalogue's kind of a touchpoint kind.</summary>
    public static MetricTouchpointKind KindOf(TouchpointKind kind)
        => kind.Value switch
        {
            "purchase" => MetricTouchpointKind.Purchase,
            "enquiry" => MetricTouchpointKind.Enquiry,
            "complaint" => MetricTouchpointKind.Complaint,
            "resolution" => MetricTouchpointKind.Resolution,
            "campaign-contact" => MetricTouchpointKind.CampaignContact,
            "response" => MetricTouchpointKind.Response,
            _ => MetricTouchpointKind.Other,
        };

    /// <summary>The facts of a stored touchpoint, with its cost and revenue already converted.</summary>
    /// <param name="touchpoint">The touchpoint.</param>
    /// <param name="channel">Its channel's index in the scan.</param>
    /// <param name="cost">Its cost in the reporting currency, or null when it records none.</param>
    /// <param name="revenue">Its revenue in the reporting currency.</param>
    /// <exception cref="ArgumentNullException"><paramref name="touchpoint"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channel"/> or the cost is negative.</exception>
    public static MetricTouchpoint From(Touchpoint touchpoint, int channel, decimal? cost, decimal revenue)
    {
        Preconditions.NotNull(touchpoint);
        return new MetricTouchpoint(
            touchpoint.OccurredAt,
            KindOf(touchpoint.Kind),
            touchpoint.Function,
            touchpoint.Direction,
            touchpoint.Outcome == TouchpointOutcome.Resolved,
            touchpoint.Satisfaction,
            channel,
            cost,
            revenue);
    }
}

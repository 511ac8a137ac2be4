using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Storage;

/// <summary>
/// The facts of one touchpoint that a whole-tenant scan reads (metric evaluation), as a compact value with no heap
/// allocation of its own: customer, time, channel, kind, function, direction, outcome, the survey answer as scale and
/// value, and cost and revenue. What <see cref="ITouchpointScanStore.StreamRowsByCustomerAsync"/> yields in batches; a store
/// builds one per stored touchpoint from its own columns, or with <see cref="From"/> from a <see cref="Touchpoint"/>.
/// </summary>
/// <remarks>
/// It leaves out what scans do not read (ids, participants, products, campaign, sentiment, source), so a store can
/// serve it from a few columns. Two rows are equal when every field is equal.
/// </remarks>
public readonly struct TouchpointScanRow : IEquatable<TouchpointScanRow>
{
    private const byte HasCostFlag = 1;
    private const byte HasRevenueFlag = 2;

    private readonly TouchpointOutcome _outcome;
    private readonly decimal _cost;
    private readonly decimal _revenue;
    private readonly Currency _costCurrency;
    private readonly Currency _revenueCurrency;
    private readonly byte _function;
    private readonly byte _direction;
    private readonly byte _scale;
    private readonly byte _score;
    private readonly byte _flags;

    /// <summary>A row from values a store validated when they were recorded (the in-memory store's columns); never for input.</summary>
    internal TouchpointScanRow(
        CustomerId customerId,
        Instant occurredAt,
        ChannelId channel,
        TouchpointKind kind,
        byte function,
        byte direction,
        TouchpointOutcome outcome,
        byte satisfactionScale,
        byte satisfactionValue,
        decimal? cost,
        decimal? revenue,
        Currency currency)
    {
        CustomerId = customerId;
        OccurredAt = occurredAt;
        Channel = channel;
        Kind = kind;
        _outcome = outcome;
        _function = function;
        _direction = direction;
        _scale = satisfactionScale;
        _score = satisfactionValue;
        _flags = (byte)((cost.HasValue ? HasCostFlag : 0) | (revenue.HasValue ? HasRevenueFlag : 0));
        _cost = cost ?? 0m;
        _costCurrency = cost.HasValue ? currency : default;
        _revenue = revenue ?? 0m;
        _revenueCurrency = revenue.HasValue ? currency : default;
    }

    /// <summary>Creates a row; a store reading its own columns calls this once per touchpoint.</summary>
    /// <param name="customerId">The customer the touchpoint belongs to.</param>
    /// <param name="occurredAt">When it happened.</param>
    /// <param name="channel">Its channel.</param>
    /// <param name="kind">Its kind.</param>
    /// <param name="function">Its CRM function.</param>
    /// <param name="direction">Inbound or outbound.</param>
    /// <param name="outcome">Its outcome, or null.</param>
    /// <param name="satisfactionScale">The scale of its survey answer, or null when it carries none.</param>
    /// <param name="satisfactionValue">The answer on <paramref name="satisfactionScale"/> (0 when there is none).</param>
    /// <param name="cost">Its cost, or null.</param>
    /// <param name="revenue">Its revenue, or null.</param>
    /// <exception cref="ArgumentException">
    /// The customer, channel, kind or outcome is the default; an enum value is undefined; or a satisfaction value is given
    /// without a scale.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">The satisfaction value is outside its scale, or a cost is negative.</exception>
    public TouchpointScanRow(
        CustomerId customerId,
        Instant occurredAt,
        ChannelId channel,
        TouchpointKind kind,
        CrmFunction function,
        InteractionDirection direction,
        TouchpointOutcome? outcome,
        SatisfactionScale? satisfactionScale,
        int satisfactionValue,
        Money? cost,
        Money? revenue)
    {
        Preconditions.NotDefault(customerId);
        Preconditions.NotDefault(channel);
        Preconditions.NotDefault(kind);
        Preconditions.Defined(function);
        Preconditions.Defined(direction);
        Preconditions.Check(outcome is null || outcome.Value != default, "The outcome is the default; give null for none.", nameof(outcome));
        if (satisfactionScale is { } scale)
        {
            Preconditions.Defined(scale, nameof(satisfactionScale));
            var (min, max) = Range(scale);
            if (satisfactionValue < min || satisfactionValue > max)
            {
                throw new ArgumentOutOfRangeException(nameof(satisfactionValue), satisfactionValue, "The satisfaction value is outside its scale.");
            }
        }
        else
        {
            Preconditions.Check(satisfactionValue == 0, "A satisfaction value needs a scale.", nameof(satisfactionValue));
        }

        if (cost is { IsNegative: true })
        {
            throw new ArgumentOutOfRangeException(nameof(cost), "A cost is zero or more.");
        }

        CustomerId = customerId;
        OccurredAt = occurredAt;
        Channel = channel;
        Kind = kind;
        _outcome = outcome ?? default;
        _function = (byte)function;
        _direction = (byte)direction;
        _scale = satisfactionScale is { } s ? (byte)s : (byte)0;
        _score = (byte)satisfactionValue;
        _flags = (byte)((cost.HasValue ? HasCostFlag : 0) | (revenue.HasValue ? HasRevenueFlag : 0));
        _cost = cost?.Amount ?? 0m;
        _costCurrency = cost?.Currency ?? default;
        _revenue = revenue?.Amount ?? 0m;
        _revenueCurrency = revenue?.Currency ?? default;
    }

    /// <summary>The customer the touchpoint belongs to.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>When it happened.</summary>
    public Instant OccurredAt { get; }

    /// <summary>Its channel.</summary>
    public ChannelId Channel { get; }

    /// <summary>Its kind.</summary>
    public TouchpointKind Kind { get; }

    /// <summary>Its CRM function.</summary>
    public CrmFunction Function => (CrmFunction)_function;

    /// <summary>Inbound or outbound.</summary>
    public InteractionDirection Direction => (InteractionDirection)_direction;

    /// <summary>Its outcome, or null.</summary>
    public TouchpointOutcome? Outcome => _outcome == default ? null : _outcome;

    /// <summary>The scale of its survey answer, or null when it carries none.</summary>
    public SatisfactionScale? SatisfactionScale => _scale == 0 ? null : (SatisfactionScale)_scale;

    /// <summary>The answer on <see cref="SatisfactionScale"/> (0 when there is none).</summary>
    public int SatisfactionValue => _score;

    /// <summary>Its cost, or null.</summary>
    public Money? Cost => (_flags & HasCostFlag) != 0 ? new Money(_cost, _costCurrency) : null;

    /// <summary>Its revenue, or null.</summary>
    public Money? Revenue => (_flags & HasRevenueFlag) != 0 ? new Money(_revenue, _revenueCurrency) : null;

    /// <summary>Two rows are equal.</summary>
    public static bool operator ==(TouchpointScanRow left, TouchpointScanRow right) => left.Equals(right);

    /// <summary>Two rows differ.</summary>
    public static bool operator !=(TouchpointScanRow left, TouchpointScanRow right) => !left.Equals(right);

    /// <summary>The row of a stored touchpoint: for stores that keep <see cref="Touchpoint"/> objects, and for tests.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="touchpoint"/> is null.</exception>
    public static TouchpointScanRow From(Touchpoint touchpoint)
    {
        Preconditions.NotNull(touchpoint);
        var satisfaction = touchpoint.Satisfaction;
        return new TouchpointScanRow(
            touchpoint.CustomerId,
            touchpoint.OccurredAt,
            touchpoint.Channel,
            touchpoint.Kind,
            touchpoint.Function,
            touchpoint.Direction,
            touchpoint.Outcome,
            satisfaction?.Scale,
            satisfaction?.Value ?? 0,
            touchpoint.Cost,
            touchpoint.Revenue);
    }

    /// <inheritdoc />
    public bool Equals(TouchpointScanRow other)
        => CustomerId == other.CustomerId && OccurredAt == other.OccurredAt && Channel == other.Channel && Kind == other.Kind
           && _outcome == other._outcome && _function == other._function && _direction == other._direction && _scale == other._scale
           && _score == other._score && _flags == other._flags && _cost == other._cost && _costCurrency == other._costCurrency
           && _revenue == other._revenue && _revenueCurrency == other._revenueCurrency;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is TouchpointScanRow other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(CustomerId, OccurredAt, Channel, Kind, _outcome, _scale, _score, _cost + _revenue);

    /// <summary>The customer, time, channel and kind, for test output.</summary>
    public override string ToString() => $"{CustomerId} {OccurredAt} {Channel} {Kind}";

    private static (int Min, int Max) Range(SatisfactionScale scale) => scale switch
    {
        Touchpoints.SatisfactionScale.Csat => (1, 5),
        Touchpoints.SatisfactionScale.Nps => (0, 10),
        Touchpoints.SatisfactionScale.Ces => (1, 5),
        _ => (1, 7),
    };
}

using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;

namespace CrmKernel.Metrics.Definitions;

/// <summary>
/// The aggregate figures of one period that formulas compute metrics from: counts and sums from the evaluator's scan
/// over customers and touchpoints (see <see cref="Catalogue.StandardFigures"/>), figures supplied by the
/// <see cref="Evaluation.IMetricInputProvider"/>, and the per-channel contacts, cost and revenue. Money figures are
/// amounts in <see cref="Currency"/>. Build one by hand to test a formula on a worked example.
/// </summary>
public sealed class MetricFigures
{
    private readonly Dictionary<FigureKey, decimal> _values;

    /// <summary>Creates figures.</summary>
    /// <param name="currency">The reporting currency of every money figure.</param>
    /// <param name="values">The figures by key.</param>
    /// <param name="channels">Contacts, cost and revenue per channel; null for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    /// <exception cref="ArgumentException">A key is the default, or <paramref name="channels"/> holds null.</exception>
    public MetricFigures(Currency currency, IReadOnlyDictionary<FigureKey, decimal> values, IReadOnlyList<ChannelFigures>? channels = null)
    {
        Preconditions.NotNull(values);
        Preconditions.Check(!values.ContainsKey(default), "A figure key is the default.", nameof(values));
        Preconditions.Check(channels is null || channels.All(c => c is not null), "The channel list holds null.", nameof(channels));
        Currency = currency;
        _values = new Dictionary<FigureKey, decimal>(values);
        Channels = channels is null ? [] : [.. channels];
    }

    /// <summary>The reporting currency.</summary>
    public Currency Currency { get; }

    /// <summary>Every figure, by key.</summary>
    public IReadOnlyDictionary<FigureKey, decimal> Values => _values;

    /// <summary>Contacts, cost and revenue per channel, ordered by channel id.</summary>
    public IReadOnlyList<ChannelFigures> Channels { get; }

    /// <summary>Reads a figure; false when it is neither scanned nor supplied.</summary>
    public bool TryGet(FigureKey key, out decimal value) => _values.TryGetValue(key, out value);

    /// <summary>A copy with more figures (e.g. the inputs); a key already present is replaced.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    public MetricFigures With(IReadOnlyDictionary<FigureKey, decimal> values)
    {
        Preconditions.NotNull(values);
        var merged = new Dictionary<FigureKey, decimal>(_values);
        foreach (var (key, value) in values)
        {
            merged[key] = value;
        }

        return new MetricFigures(Currency, merged, Channels);
    }
}

/// <summary>Contacts, cost and revenue of one channel in one period, in the reporting currency.</summary>
public sealed class ChannelFigures
{
    /// <summary>Creates the figures of one channel.</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="contacts">Touchpoints on the channel in the period.</param>
    /// <param name="costedContacts">Those of them that carry a cost.</param>
    /// <param name="cost">Their total cost.</param>
    /// <param name="revenue">Their total attributed revenue.</param>
    /// <exception cref="ArgumentException"><paramref name="channel"/> is the default, or a count is negative or inconsistent.</exception>
    public ChannelFigures(ChannelId channel, long contacts, long costedContacts, decimal cost, decimal revenue)
    {
        Preconditions.Check(channel != default, "The channel is the default.", nameof(channel));
        Preconditions.Check(contacts >= 0 && costedContacts >= 0 && costedContacts <= contacts, "Contacts are zero or more and at least the costed contacts.", nameof(contacts));
        Channel = channel;
        Contacts = contacts;
        CostedContacts = costedContacts;
        Cost = cost;
        Revenue = revenue;
    }

    /// <summary>The channel.</summary>
    public ChannelId Channel { get; }

    /// <summary>Touchpoints on the channel in the period.</summary>
    public long Contacts { get; }

    /// <summary>Touchpoints on the channel that carry a cost.</summary>
    public long CostedContacts { get; }

    /// <summary>Total recorded cost.</summary>
    public decimal Cost { get; }

    /// <summary>Total attributed revenue (the revenue recorded on the channel's touchpoints).</summary>
    public decimal Revenue { get; }
}

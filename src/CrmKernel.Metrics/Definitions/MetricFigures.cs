using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

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

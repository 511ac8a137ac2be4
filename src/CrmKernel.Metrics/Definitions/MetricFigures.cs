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
    private readonly Dictionary<FigureKey, IReadOnlyList<KeyValuePair<string, decimal>>> _rows;

    /// <summary>Creates figures, some of them optionally broken down into keyed rows (e.g. stage entries per pipeline stage).</summary>
    /// <param name="currency">The reporting currency of every money figure.</param>
    /// <param name="values">The figures by key.</param>
    /// <param name="channels">Contacts, cost and revenue per channel; null for none.</param>
    /// <param name="rows">The rows of the figures broken down, by figure key, each in display order; null for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    /// <exception cref="ArgumentException">A key is the default, <paramref name="channels"/> holds null, or a row list is null or has a null key.</exception>
    public MetricFigures(Currency currency, IReadOnlyDictionary<FigureKey, decimal> values, IReadOnlyList<ChannelFigures>? channels = null, IReadOnlyDictionary<FigureKey, IReadOnlyList<KeyValuePair<string, decimal>>>? rows = null)
    {
        Preconditions.NotNull(values);
        Preconditions.Check(!values.ContainsKey(default), "A figure key is the default.", nameof(values));
        Preconditions.Check(channels is null || channels.All(c => c is not null), "The channel list holds null.", nameof(channels));
        Currency = currency;
        _values = new Dictionary<FigureKey, decimal>(values);
        Preconditions.Check(rows is null || rows.All(r => r.Key != default && r.Value is not null && r.Value.All(row => row.Key is not null)), "A row list is null, keyed by the default figure, or has a null key.", nameof(rows));
        Channels = channels is null ? [] : [.. channels];
        _rows = rows is null ? [] : rows.ToDictionary(r => r.Key, r => (IReadOnlyList<KeyValuePair<string, decimal>>)[.. r.Value]);
    }

    /// <summary>The reporting currency.</summary>
    public Currency Currency { get; }

    /// <summary>Every figure, by key.</summary>
    public IReadOnlyDictionary<FigureKey, decimal> Values => _values;

    /// <summary>Contacts, cost and revenue per channel, ordered by channel id.</summary>
    public IReadOnlyList<ChannelFigures> Channels { get; }

    /// <summary>The figures broken down into keyed rows (e.g. stage entries per pipeline stage), by figure key; the row values sum to the figure.</summary>
    public IReadOnlyDictionary<FigureKey, IReadOnlyList<KeyValuePair<string, decimal>>> Rows => _rows;

    /// <summary>Reads a figure's rows; false when the figure is not broken down (read <see cref="Rows"/> in a formula's breakdown).</summary>
    public bool TryGetRows(FigureKey key, out IReadOnlyList<KeyValuePair<string, decimal>> rows)
    {
        if (_rows.TryGetValue(key, out var found))
        {
            rows = found;
            return true;
        }

        rows = [];
        return false;
    }

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

        return new MetricFigures(Currency, merged, Channels, _rows);
    }

    /// <summary>A copy with more figures and rows (e.g. a record source's scan); a key already present is replaced.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="other"/> is in another currency.</exception>
    public MetricFigures With(MetricFigures other)
    {
        Preconditions.NotNull(other);
        Preconditions.Check(other.Currency == Currency, $"The figures are in {other.Currency.Code}, not {Currency.Code}.", nameof(other));
        var merged = new Dictionary<FigureKey, decimal>(_values);
        foreach (var (key, value) in other._values)
        {
            merged[key] = value;
        }

        var rows = new Dictionary<FigureKey, IReadOnlyList<KeyValuePair<string, decimal>>>(_rows);
        foreach (var (key, value) in other._rows)
        {
            rows[key] = value;
        }

        return new MetricFigures(Currency, merged, Channels, rows);
    }
}

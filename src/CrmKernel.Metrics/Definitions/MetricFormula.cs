using CrmKernel.Diagnostics;

namespace CrmKernel.Metrics.Definitions;

/// <summary>
/// How a metric is computed from a period's <see cref="MetricFigures"/>: the formula as text (for reports and docs),
/// the figures it reads, the computation, and which records lie behind it (for drill-down). Build one with
/// <see cref="Ratio"/>, <see cref="Figure"/> or <see cref="Create"/>.
/// </summary>
public sealed class MetricFormula
{
    /// <summary>The most characters of a formula's text (after trimming).</summary>
    public const int MaxTextLength = 1000;

    /// <summary>The most distinct figures one formula reads.</summary>
    public const int MaxFigures = 64;

    private readonly Func<MetricFigures, MetricValue> _compute;

    private MetricFormula(string text, IReadOnlyList<FigureKey> figures, Func<MetricFigures, MetricValue> compute, MetricRecordScope? records)
    {
        Text = text;
        Figures = figures;
        _compute = compute;
        Records = records;
    }

    /// <summary>The formula as text, e.g. <c>retained ÷ customers at risk</c>.</summary>
    public string Text { get; }

    /// <summary>The figures the formula reads.</summary>
    public IReadOnlyList<FigureKey> Figures { get; }

    /// <summary>The records behind the figure (for drill-down), or null when it comes from outside the kernel.</summary>
    public MetricRecordScope? Records { get; }

    /// <summary>A ratio of two figures; no value when the denominator is zero or a figure is missing.</summary>
    /// <param name="numerator">The numerator figure.</param>
    /// <param name="denominator">The denominator figure.</param>
    /// <param name="text">The formula as text.</param>
    /// <param name="denominatorName">What the denominator counts, for the no-value reason.</param>
    /// <param name="records">The records behind it, or null.</param>
    /// <param name="scale">A factor on the quotient; 1 by default.</param>
    /// <exception cref="ArgumentNullException">A text is null.</exception>
    /// <exception cref="ArgumentException">A key is the default, or a text is blank.</exception>
    /// <exception cref="InputLimitExceededException">The text is longer than <see cref="MaxTextLength"/> or the denominator's name longer than <see cref="MetricValue.MaxReasonLength"/> (<c>CRM-INPUT-001</c>).</exception>
    public static MetricFormula Ratio(FigureKey numerator, FigureKey denominator, string text, string denominatorName, MetricRecordScope? records = null, decimal scale = 1m)
    {
        Preconditions.NotNull(denominatorName);
        Preconditions.MaxLength(denominatorName, MetricValue.MaxReasonLength);
        return Create(text, [numerator, denominator], f =>
            !f.TryGet(numerator, out var n) ? Missing(numerator)
            : !f.TryGet(denominator, out var d) ? Missing(denominator)
            : MetricValue.Ratio(n, d, denominatorName, scale), records);
    }

    /// <summary>A figure taken as it is (a count, a sum); no value when it is missing.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="ArgumentException">The key is the default, or the text is blank.</exception>
    /// <exception cref="InputLimitExceededException">The text is longer than <see cref="MaxTextLength"/> (<c>CRM-INPUT-001</c>).</exception>
    public static MetricFormula Figure(FigureKey figure, string text, MetricRecordScope? records = null)
        => Create(text, [figure], f => f.TryGet(figure, out var v) ? MetricValue.Of(v) : Missing(figure), records);

    /// <summary>Any computation over figures; it must return no value (not throw) when its inputs do not allow one.</summary>
    /// <param name="text">The formula as text.</param>
    /// <param name="figures">The figures it reads.</param>
    /// <param name="compute">The computation.</param>
    /// <param name="records">The records behind it, or null.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The text is blank or a key is the default.</exception>
    /// <exception cref="InputLimitExceededException">The text is longer than <see cref="MaxTextLength"/> or there are more than <see cref="MaxFigures"/> distinct figures (<c>CRM-INPUT-001</c>).</exception>
    public static MetricFormula Create(string text, IEnumerable<FigureKey> figures, Func<MetricFigures, MetricValue> compute, MetricRecordScope? records = null)
    {
        Preconditions.NotNull(text);
        Preconditions.NotNull(figures);
        Preconditions.NotNull(compute);
        Preconditions.Check(!string.IsNullOrWhiteSpace(text), "A formula needs its text.", nameof(text));
        var trimmed = Preconditions.MaxLength(text.Trim(), MaxTextLength, nameof(text));
        var keys = figures.Distinct().ToArray();
        Preconditions.MaxCount(keys.Length, MaxFigures, "distinct figures", nameof(figures));
        Preconditions.Check(!keys.Contains(default), "A figure key is the default.", nameof(figures));
        return new MetricFormula(trimmed, keys, compute, records);
    }

    /// <summary>The no-value answer for a figure that was neither scanned nor supplied.</summary>
    public static MetricValue Missing(FigureKey figure) => MetricValue.None($"figure '{figure}' was not supplied");

    /// <summary>Computes the metric from <paramref name="figures"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="figures"/> is null.</exception>
    public MetricValue Compute(MetricFigures figures)
    {
        Preconditions.NotNull(figures);
        return _compute(figures);
    }

    /// <summary>The formula's text.</summary>
    public override string ToString() => Text;
}

namespace CrmKernel.Metrics.Rendering;

/// <summary>How a <see cref="FigureSeries"/> is drawn: choose <see cref="Bars"/> for counts per category, <see cref="Line"/> for values over time.</summary>
public enum FigureSeriesKind
{
    /// <summary>Points joined by a line, each marked.</summary>
    Line = 0,

    /// <summary>One bar per point; several bar series side by side within a category.</summary>
    Bars = 1,
}

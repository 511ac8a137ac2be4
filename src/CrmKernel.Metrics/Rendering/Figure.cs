using CrmKernel.Diagnostics;

namespace CrmKernel.Metrics.Rendering;

/// <summary>
/// A chart as data: a title, axis titles, the x axis's categories (for bar charts) and named series of points. The
/// customer-base model checks (<c>CustomerBase.ModelCheckFigures</c>) return figures; read their series to
/// tabulate or test the numbers, or hand them to a renderer — <see cref="SvgFigure"/>, or your own charting library —
/// to look at them. A figure holds aggregates only, never customer ids or other personal data.
/// </summary>
public sealed class Figure
{
    /// <summary>The most characters of a figure's title and axis titles, a series' name, a marker's label and a category label (after trimming).</summary>
    public const int MaxTitleLength = 200;

    /// <summary>The most series one figure holds.</summary>
    public const int MaxSeries = 100;

    /// <summary>The most category labels of a categorical x axis.</summary>
    public const int MaxCategories = 1000;

    /// <summary>The most marker lines one figure holds.</summary>
    public const int MaxMarkers = 100;

    /// <summary>Creates a figure.</summary>
    /// <param name="title">The title; not blank.</param>
    /// <param name="xAxisTitle">The x axis title; not blank.</param>
    /// <param name="yAxisTitle">The y axis title; not blank.</param>
    /// <param name="series">The series, at least one, with distinct names.</param>
    /// <param name="categories">
    /// The x axis's category labels, for a categorical axis (points' x values are then category indexes,
    /// 0 to count − 1); empty or null for a numeric axis.
    /// </param>
    /// <param name="markers">Vertical marker lines; none when null.</param>
    /// <exception cref="ArgumentNullException">A title or <paramref name="series"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// A title or a category label is blank; there is no series, a series is null or two share a name; on a categorical
    /// axis a point's x is not a category index.
    /// </exception>
    /// <exception cref="InputLimitExceededException">
    /// A title or a category label is longer than <see cref="MaxTitleLength"/>, or there are more than <see cref="MaxSeries"/>
    /// series, <see cref="MaxCategories"/> categories or <see cref="MaxMarkers"/> markers (<c>CRM-INPUT-001</c>).
    /// </exception>
    public Figure(
        string title,
        string xAxisTitle,
        string yAxisTitle,
        IEnumerable<FigureSeries> series,
        IEnumerable<string>? categories = null,
        IEnumerable<FigureMarker>? markers = null)
    {
        Title = Preconditions.MaxLength(Preconditions.NotBlank(title).Trim(), MaxTitleLength, nameof(title));
        XAxisTitle = Preconditions.MaxLength(Preconditions.NotBlank(xAxisTitle).Trim(), MaxTitleLength, nameof(xAxisTitle));
        YAxisTitle = Preconditions.MaxLength(Preconditions.NotBlank(yAxisTitle).Trim(), MaxTitleLength, nameof(yAxisTitle));
        Series = [.. Preconditions.NotNull(series)];
        Categories = categories is null ? [] : [.. categories];
        Markers = markers is null ? [] : [.. markers];
        Preconditions.MaxCount(Series.Count, MaxSeries, "series", nameof(series));
        Preconditions.MaxCount(Categories.Count, MaxCategories, "categories", nameof(categories));
        Preconditions.MaxCount(Markers.Count, MaxMarkers, "markers", nameof(markers));
        Preconditions.Check(Series.Count > 0, "A figure needs at least one series.", nameof(series));
        Preconditions.Check(Series.All(s => s is not null), "A series is null.", nameof(series));
        Preconditions.Check(Series.Select(s => s.Name).Distinct(StringComparer.Ordinal).Count() == Series.Count, "Two series share a name.", nameof(series));
        Preconditions.Check(Categories.All(c => !string.IsNullOrWhiteSpace(c)), "A category label is blank.", nameof(categories));
        foreach (var category in Categories)
        {
            Preconditions.MaxLength(category.Trim(), MaxTitleLength, nameof(categories));
        }

        Preconditions.Check(Markers.All(m => m is not null), "A marker is null.", nameof(markers));
        if (Categories.Count > 0)
        {
            Preconditions.Check(
                Series.All(s => s.Points.All(p => p.X >= 0 && p.X < Categories.Count && p.X == Math.Floor(p.X))),
                "On a categorical axis every point's x is a category index.",
                nameof(series));
        }
    }

    /// <summary>The title.</summary>
    public string Title { get; }

    /// <summary>The x axis title.</summary>
    public string XAxisTitle { get; }

    /// <summary>The y axis title.</summary>
    public string YAxisTitle { get; }

    /// <summary>The series, in legend order.</summary>
    public IReadOnlyList<FigureSeries> Series { get; }

    /// <summary>The x axis's category labels; empty for a numeric x axis.</summary>
    public IReadOnlyList<string> Categories { get; }

    /// <summary>Vertical marker lines.</summary>
    public IReadOnlyList<FigureMarker> Markers { get; }

    /// <summary>The series named <paramref name="name"/>.</summary>
    /// <param name="name">The series name (legend label).</param>
    /// <returns>The series.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">No series has that name.</exception>
    public FigureSeries this[string name]
    {
        get
        {
            Preconditions.NotNull(name);
            return Series.FirstOrDefault(s => s.Name == name) ?? throw new KeyNotFoundException($"The figure has no series named '{name}'.");
        }
    }

    /// <summary>The title.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Title;
}

using CrmKernel.Diagnostics;

namespace CrmKernel.Metrics.Rendering;

/// <summary>
/// One named series of a <see cref="Figure"/> — e.g. "Actual" or "BG/NBD" — with its points and how it is drawn. The
/// name is what the legend shows.
/// </summary>
public sealed class FigureSeries
{
    /// <summary>Creates a series.</summary>
    /// <param name="name">The legend label; not blank.</param>
    /// <param name="kind">Line or bars.</param>
    /// <param name="points">The points, in the order they are drawn (ascending x for a line).</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="points"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is blank, or <paramref name="kind"/> is not defined.</exception>
    /// <exception cref="InputLimitExceededException"><paramref name="name"/> is longer than <see cref="Figure.MaxTitleLength"/> (<c>CRM-INPUT-001</c>).</exception>
    public FigureSeries(string name, FigureSeriesKind kind, IEnumerable<FigurePoint> points)
    {
        Name = Preconditions.MaxLength(Preconditions.NotBlank(name).Trim(), Figure.MaxTitleLength, nameof(name));
        Kind = Preconditions.Defined(kind);
        Points = [.. Preconditions.NotNull(points)];
    }

    /// <summary>The legend label.</summary>
    public string Name { get; }

    /// <summary>How the series is drawn.</summary>
    public FigureSeriesKind Kind { get; }

    /// <summary>The points.</summary>
    public IReadOnlyList<FigurePoint> Points { get; }

    /// <summary>The y value at <paramref name="x"/>, or null when the series has no point there.</summary>
    /// <param name="x">The x value or category index.</param>
    /// <returns>The first point's y at that x, or null.</returns>
    public double? ValueAt(double x)
    {
        foreach (var point in Points)
        {
            if (point.X == x)
            {
                return point.Y;
            }
        }

        return null;
    }

    /// <summary>The name and the number of points.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Name} ({Points.Count} points)";
}

using CrmKernel.Diagnostics;

namespace CrmKernel.Metrics.Rendering;

/// <summary>A labelled vertical line across a <see cref="Figure"/> at an x value, e.g. the end of the calibration period on a tracking plot.</summary>
public sealed class FigureMarker
{
    /// <summary>Creates a marker.</summary>
    /// <param name="x">Where the line is drawn, on the figure's x axis.</param>
    /// <param name="label">What it marks; not blank.</param>
    /// <exception cref="ArgumentNullException"><paramref name="label"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="label"/> is blank.</exception>
    /// <exception cref="InputLimitExceededException"><paramref name="label"/> is longer than <see cref="Figure.MaxTitleLength"/> (<c>CRM-INPUT-001</c>).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="x"/> is infinite or NaN.</exception>
    public FigureMarker(double x, string label)
    {
        X = new FigurePoint(x, 0d).X;
        Label = Preconditions.MaxLength(Preconditions.NotBlank(label).Trim(), Figure.MaxTitleLength, nameof(label));
    }

    /// <summary>The x value.</summary>
    public double X { get; }

    /// <summary>What the marker marks.</summary>
    public string Label { get; }
}

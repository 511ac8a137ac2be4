using System.Runtime.CompilerServices;

namespace CrmKernel.Metrics.Rendering;

/// <summary>
/// One point of a <see cref="FigureSeries"/>: an x value (a number on a numeric axis, or a category's index on a
/// categorical one) and its y value. Read points to tabulate or test a figure's data; build them to draw your own.
/// </summary>
public readonly record struct FigurePoint
{
    /// <summary>Creates a point.</summary>
    /// <param name="x">The x value, or the index of the category in <see cref="Figure.Categories"/>.</param>
    /// <param name="y">The y value.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="x"/> or <paramref name="y"/> is infinite or NaN.</exception>
    public FigurePoint(double x, double y)
    {
        X = Finite(x);
        Y = Finite(y);
    }

    /// <summary>The x value (a category index on a categorical axis).</summary>
    public double X { get; }

    /// <summary>The y value.</summary>
    public double Y { get; }

    private static double Finite(double value, [CallerArgumentExpression(nameof(value))] string? parameterName = null)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(parameterName, value, "A figure's coordinates are finite numbers.");
        }

        return value;
    }
}

using System.Globalization;
using System.Text;
using System.Xml;
using CrmKernel.Diagnostics;

namespace CrmKernel.Metrics.Rendering;

/// <summary>
/// Draws a <see cref="Figure"/> as a standalone SVG document — title, axes with ticks and titles, bars and lines, a
/// legend and marker lines — with no dependency beyond the BCL. Use it to write model-check figures to files or to
/// serve them from a dashboard; use the figure's data with another charting library when you need more.
/// </summary>
/// <remarks>The output is well-formed XML, culture-invariant and deterministic (the same figure gives the same bytes).</remarks>
public static class SvgFigure
{
    private const double Width = 800, Height = 480, Left = 80, Right = 190, Top = 50, Bottom = 70;

    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];

    /// <summary>The figure as an SVG document.</summary>
    /// <param name="figure">The figure.</param>
    /// <returns>The SVG text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="figure"/> is null.</exception>
    public static string Render(Figure figure)
    {
        Preconditions.NotNull(figure);
        var text = new StringBuilder();
        using (var writer = new StringWriter(text, CultureInfo.InvariantCulture))
        {
            Write(figure, writer);
        }

        return text.ToString();
    }

    /// <summary>Writes the figure as an SVG document (UTF-8 when the writer is a file), e.g. <c>File.CreateText("tracking.svg")</c>.</summary>
    /// <param name="figure">The figure.</param>
    /// <param name="output">Where to write.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void Write(Figure figure, TextWriter output)
    {
        Preconditions.NotNull(figure);
        Preconditions.NotNull(output);
        var settings = new XmlWriterSettings { Indent = true, OmitXmlDeclaration = true, CloseOutput = false };
        using var xml = XmlWriter.Create(output, settings);
        new Drawing(figure, xml).Draw();
    }

    private sealed class Drawing(Figure figure, XmlWriter xml)
    {
        private const string Ns = "http://www.w3.org/2000/svg";
        private readonly double _plotWidth = Width - Left - Right;
        private readonly double _plotHeight = Height - Top - Bottom;
        private double _xMin, _xMax, _yMax, _yStep;

        private bool Categorical => figure.Categories.Count > 0;

        public void Draw()
        {
            Scale();
            xml.WriteStartElement("svg", Ns);
            xml.WriteAttributeString("width", Num(Width));
            xml.WriteAttributeString("height", Num(Height));
            xml.WriteAttributeString("viewBox", $"0 0 {Num(Width)} {Num(Height)}");
            xml.WriteAttributeString("font-family", "sans-serif");
            xml.WriteAttributeString("font-size", "12");
            xml.WriteElementString("title", Ns, figure.Title);
            xml.WriteElementString("desc", Ns, $"{figure.YAxisTitle} by {figure.XAxisTitle}: {string.Join(", ", figure.Series.Select(s => s.Name))}.");
            Rect(0, 0, Width, Height, "#ffffff", null);
            Text(Width / 2, 28, figure.Title, "middle", "16", "bold", "title");
            Axes();
            Bars();
            Lines();
            MarkerLines();
            Legend();
            xml.WriteEndElement();
        }

        private void Scale()
        {
            var points = figure.Series.SelectMany(s => s.Points).ToList();
            if (Categorical)
            {
                (_xMin, _xMax) = (-0.5, figure.Categories.Count - 0.5);
            }
            else
            {
                var xs = points.Select(p => p.X).Concat(figure.Markers.Select(m => m.X)).DefaultIfEmpty(0d).ToList();
                (_xMin, _xMax) = (xs.Min(), xs.Max());
                if (_xMax == _xMin)
                {
                    (_xMin, _xMax) = (_xMin - 1, _xMax + 1);
                }
            }

            var top = points.Select(p => p.Y).DefaultIfEmpty(0d).Max();
            _yStep = NiceStep(top <= 0 ? 1d : top / 5d);
            _yMax = Math.Max(_yStep, Math.Ceiling(top / _yStep) * _yStep);
        }

        private double Px(double x) => Left + ((x - _xMin) / (_xMax - _xMin) * _plotWidth);

        private double Py(double y) => Top + _plotHeight - (Math.Clamp(y, 0d, _yMax) / _yMax * _plotHeight);

        private void Axes()
        {
            xml.WriteStartElement("g", Ns);
            xml.WriteAttributeString("class", "axes");
            for (var y = 0d; y <= _yMax + (_yStep / 2); y += _yStep)
            {
                Line(Left, Py(y), Left + _plotWidth, Py(y), "#e0e0e0", "1", null);
                Text(Left - 8, Py(y) + 4, Label(y), "end", null, null, null);
            }

            Line(Left, Top + _plotHeight, Left + _plotWidth, Top + _plotHeight, "#000000", "1", null);
            Line(Left, Top, Left, Top + _plotHeight, "#000000", "1", null);
            if (Categorical)
            {
                for (var i = 0; i < figure.Categories.Count; i++)
                {
                    Text(Px(i), Top + _plotHeight + 18, figure.Categories[i], "middle", null, null, null);
                }
            }
            else
            {
                var step = NiceStep((_xMax - _xMin) / 8d);
                for (var x = Math.Ceiling(_xMin / step) * step; x <= _xMax + (step / 1000); x += step)
                {
                    Line(Px(x), Top + _plotHeight, Px(x), Top + _plotHeight + 5, "#000000", "1", null);
                    Text(Px(x), Top + _plotHeight + 18, Label(x), "middle", null, null, null);
                }
            }

            Text(Left + (_plotWidth / 2), Height - 24, figure.XAxisTitle, "middle", "13", null, "x-axis-title");
            xml.WriteStartElement("text", Ns);
            xml.WriteAttributeString("class", "y-axis-title");
            xml.WriteAttributeString("x", "0");
            xml.WriteAttributeString("y", "0");
            xml.WriteAttributeString("text-anchor", "middle");
            xml.WriteAttributeString("font-size", "13");
            xml.WriteAttributeString("transform", $"translate(22 {Num(Top + (_plotHeight / 2))}) rotate(-90)");
            xml.WriteString(figure.YAxisTitle);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        private void Bars()
        {
            var bars = figure.Series.Where(s => s.Kind == FigureSeriesKind.Bars).ToList();
            if (bars.Count == 0)
            {
                return;
            }

            // A band of 80 % of the category (or of the smallest gap between x values) shared by the bar series.
            var band = Categorical ? _plotWidth / figure.Categories.Count : _plotWidth / Math.Max(1, bars.Max(s => s.Points.Count));
            var width = band * 0.8 / bars.Count;
            for (var b = 0; b < bars.Count; b++)
            {
                var series = bars[b];
                xml.WriteStartElement("g", Ns);
                xml.WriteAttributeString("class", "series bars");
                xml.WriteAttributeString("data-series", series.Name);
                foreach (var point in series.Points)
                {
                    var x = Px(point.X) - (band * 0.4) + (b * width);
                    var y = Py(point.Y);
                    Rect(x, y, width, Top + _plotHeight - y, Colour(series), $"{XLabel(point.X)}: {Label(point.Y)}");
                }

                xml.WriteEndElement();
            }
        }

        private void Lines()
        {
            foreach (var series in figure.Series.Where(s => s.Kind == FigureSeriesKind.Line))
            {
                xml.WriteStartElement("g", Ns);
                xml.WriteAttributeString("class", "series line");
                xml.WriteAttributeString("data-series", series.Name);
                var dashed = Index(series) % 2 == 1;
                xml.WriteStartElement("polyline", Ns);
                xml.WriteAttributeString("fill", "none");
                xml.WriteAttributeString("stroke", Colour(series));
                xml.WriteAttributeString("stroke-width", "2");
                if (dashed)
                {
                    xml.WriteAttributeString("stroke-dasharray", "6 3");
                }

                xml.WriteAttributeString("points", string.Join(" ", series.Points.Select(p => $"{Num(Px(p.X))},{Num(Py(p.Y))}")));
                xml.WriteEndElement();
                if (series.Points.Count <= 40)
                {
                    foreach (var point in series.Points)
                    {
                        xml.WriteStartElement("circle", Ns);
                        xml.WriteAttributeString("cx", Num(Px(point.X)));
                        xml.WriteAttributeString("cy", Num(Py(point.Y)));
                        xml.WriteAttributeString("r", "3");
                        xml.WriteAttributeString("fill", Colour(series));
                        xml.WriteElementString("title", Ns, $"{XLabel(point.X)}: {Label(point.Y)}");
                        xml.WriteEndElement();
                    }
                }

                xml.WriteEndElement();
            }
        }

        private void MarkerLines()
        {
            foreach (var marker in figure.Markers)
            {
                if (marker.X < _xMin || marker.X > _xMax)
                {
                    continue;
                }

                xml.WriteStartElement("g", Ns);
                xml.WriteAttributeString("class", "marker");
                Line(Px(marker.X), Top, Px(marker.X), Top + _plotHeight, "#555555", "1", "4 4");
                Text(Px(marker.X) + 4, Top + 12, marker.Label, "start", "11", null, null);
                xml.WriteEndElement();
            }
        }

        private void Legend()
        {
            xml.WriteStartElement("g", Ns);
            xml.WriteAttributeString("class", "legend");
            var x = Width - Right + 20;
            for (var i = 0; i < figure.Series.Count; i++)
            {
                var series = figure.Series[i];
                var y = Top + 10 + (i * 22);
                if (series.Kind == FigureSeriesKind.Bars)
                {
                    Rect(x, y - 9, 18, 12, Colour(series), null);
                }
                else
                {
                    Line(x, y - 3, x + 18, y - 3, Colour(series), "2", Index(series) % 2 == 1 ? "6 3" : null);
                }

                Text(x + 26, y + 1, series.Name, "start", null, null, null);
            }

            xml.WriteEndElement();
        }

        /// <summary>A point's x as the axis shows it: its category's label on a categorical axis.</summary>
        private string XLabel(double x) => Categorical ? figure.Categories[(int)x] : Label(x);

        private int Index(FigureSeries series)
        {
            for (var i = 0; i < figure.Series.Count; i++)
            {
                if (ReferenceEquals(figure.Series[i], series))
                {
                    return i;
                }
            }

            return 0;
        }

        private string Colour(FigureSeries series) => Palette[Index(series) % Palette.Length];

        private void Rect(double x, double y, double width, double height, string fill, string? tooltip)
        {
            xml.WriteStartElement("rect", Ns);
            xml.WriteAttributeString("x", Num(x));
            xml.WriteAttributeString("y", Num(y));
            xml.WriteAttributeString("width", Num(Math.Max(0d, width)));
            xml.WriteAttributeString("height", Num(Math.Max(0d, height)));
            xml.WriteAttributeString("fill", fill);
            if (tooltip is not null)
            {
                xml.WriteElementString("title", Ns, tooltip);
            }

            xml.WriteEndElement();
        }

        private void Line(double x1, double y1, double x2, double y2, string stroke, string width, string? dash)
        {
            xml.WriteStartElement("line", Ns);
            xml.WriteAttributeString("x1", Num(x1));
            xml.WriteAttributeString("y1", Num(y1));
            xml.WriteAttributeString("x2", Num(x2));
            xml.WriteAttributeString("y2", Num(y2));
            xml.WriteAttributeString("stroke", stroke);
            xml.WriteAttributeString("stroke-width", width);
            if (dash is not null)
            {
                xml.WriteAttributeString("stroke-dasharray", dash);
            }

            xml.WriteEndElement();
        }

        private void Text(double x, double y, string text, string anchor, string? size, string? weight, string? cssClass)
        {
            xml.WriteStartElement("text", Ns);
            if (cssClass is not null)
            {
                xml.WriteAttributeString("class", cssClass);
            }

            xml.WriteAttributeString("x", Num(x));
            xml.WriteAttributeString("y", Num(y));
            xml.WriteAttributeString("text-anchor", anchor);
            if (size is not null)
            {
                xml.WriteAttributeString("font-size", size);
            }

            if (weight is not null)
            {
                xml.WriteAttributeString("font-weight", weight);
            }

            xml.WriteString(text);
            xml.WriteEndElement();
        }
    }

    /// <summary>1, 2 or 5 × 10ᵏ, the smallest at least <paramref name="rough"/>.</summary>
    private static double NiceStep(double rough)
    {
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var fraction = rough / power;
        return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
    }

    private static string Num(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    private static string Label(double value) => Math.Abs(value) >= 100 || value == Math.Floor(value)
        ? value.ToString("#,0.##", CultureInfo.InvariantCulture)
        : value.ToString("0.###", CultureInfo.InvariantCulture);
}

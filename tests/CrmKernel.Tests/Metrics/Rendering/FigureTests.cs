using System.Xml.Linq;
using CrmKernel.Metrics.Rendering;
using Xunit;

namespace CrmKernel.Tests.Metrics.Rendering;

public sealed class FigureTests
{
    private static FigureSeries Series(string name, params double[] ys)
        => new(name, FigureSeriesKind.Bars, ys.Select((y, i) => new FigurePoint(i, y)));

    [Fact]
    public void Constructor_RejectsBadInput_NamingTheParameter()
    {
        Assert.Equal("title", Assert.Throws<ArgumentException>(() => new Figure(" ", "x", "y", [Series("a", 1)])).ParamName);
        Assert.Equal("xAxisTitle", Assert.Throws<ArgumentNullException>(() => new Figure("t", null!, "y", [Series("a", 1)])).ParamName);
        Assert.Equal("series", Assert.Throws<ArgumentException>(() => new Figure("t", "x", "y", [])).ParamName);
        Assert.Equal("series", Assert.Throws<ArgumentException>(() => new Figure("t", "x", "y", [Series("a", 1), Series("a", 2)])).ParamName);
        Assert.Equal("series", Assert.Throws<ArgumentException>(() => new Figure("t", "x", "y", [Series("a", 1, 2, 3)], ["one", "two"])).ParamName);
        Assert.Equal("categories", Assert.Throws<ArgumentException>(() => new Figure("t", "x", "y", [Series("a", 1)], [""])).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => new FigureSeries("", FigureSeriesKind.Line, [])).ParamName);
        Assert.Equal("kind", Assert.Throws<System.ComponentModel.InvalidEnumArgumentException>(() => new FigureSeries("a", (FigureSeriesKind)7, [])).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentOutOfRangeException>(() => new FigurePoint(double.NaN, 1)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentOutOfRangeException>(() => new FigurePoint(1, double.PositiveInfinity)).ParamName);
        Assert.Equal("label", Assert.Throws<ArgumentException>(() => new FigureMarker(1, " ")).ParamName);
        Assert.Equal("figure", Assert.Throws<ArgumentNullException>(() => SvgFigure.Render(null!)).ParamName);
        Assert.Equal("output", Assert.Throws<ArgumentNullException>(() => SvgFigure.Write(new Figure("t", "x", "y", [Series("a", 1)]), null!)).ParamName);
    }

    [Fact]
    public void Indexer_FindsASeriesByName_AndSaysWhenThereIsNone()
    {
        var figure = new Figure("t", "x", "y", [Series("a", 1, 2), Series("b", 3)], ["0", "1"]);

        Assert.Equal(2d, figure["a"].ValueAt(1));
        Assert.Null(figure["b"].ValueAt(1));
        Assert.Throws<KeyNotFoundException>(() => figure["c"]);
    }

    [Fact]
    public void Svg_EscapesText_AndIsDeterministic()
    {
        var figure = new Figure(
            "Sales <&> \"returns\"",
            "Week",
            "Orders",
            [new FigureSeries("A & B", FigureSeriesKind.Line, [new FigurePoint(1, 2), new FigurePoint(2, 5)]), Series("Bars", 1, 4)],
            markers: [new FigureMarker(1.5, "cut-off")]);

        var svg = SvgFigure.Render(figure);
        var document = XDocument.Parse(svg);

        Assert.Equal(svg, SvgFigure.Render(figure));
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal("Sales <&> \"returns\"", document.Root!.Element(ns + "title")!.Value);
        Assert.Contains(document.Descendants(ns + "text"), t => t.Value == "A & B");
        Assert.Contains(document.Descendants(ns + "text"), t => t.Value == "cut-off");
        Assert.Single(document.Descendants(ns + "polyline"));
        Assert.Equal(2, document.Descendants(ns + "g").Single(g => (string?)g.Attribute("class") == "series bars").Elements(ns + "rect").Count());
    }

    [Fact]
    public void Svg_DrawsAFigureOfZeros()
    {
        var figure = new Figure("Nothing yet", "x", "y", [Series("a", 0, 0)]);

        Assert.NotNull(XDocument.Parse(SvgFigure.Render(figure)).Root);
    }
}

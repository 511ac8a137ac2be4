using System.Globalization;

namespace CrmKernel.Samples.CustomerBase;

/// <summary>Collects fitted figures beside the published ones and says whether each matches at its published precision.</summary>
internal sealed class PublishedComparison
{
    private readonly List<string> _lines = [];

    public bool AllMatch { get; private set; } = true;

    public PublishedComparison Model(string name, string source, bool converged, int iterations)
    {
        if (_lines.Count > 0)
        {
            _lines.Add(string.Empty);
        }

        _lines.Add($"{name} — {source}; {(converged ? "converged" : "NOT CONVERGED")} in {iterations} iterations");
        _lines.Add("  parameter           published       fitted   match");
        AllMatch &= converged;
        return this;
    }

    /// <summary>A figure matches when the fitted value rounded to the published number of decimals equals the published value.</summary>
    public PublishedComparison Row(string parameter, double published, double fitted, int decimals)
    {
        var matches = Math.Round(fitted, decimals, MidpointRounding.AwayFromZero) == Math.Round(published, decimals, MidpointRounding.AwayFromZero);
        AllMatch &= matches;
        var format = "F" + decimals.ToString(CultureInfo.InvariantCulture);
        _lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"  {parameter,-16} {published.ToString(format, CultureInfo.InvariantCulture),12} {fitted.ToString(format, CultureInfo.InvariantCulture),12}   {(matches ? "yes" : "NO")}"));
        return this;
    }

    public void WriteTo(TextWriter writer)
    {
        foreach (var line in _lines)
        {
            writer.WriteLine(line);
        }
    }
}

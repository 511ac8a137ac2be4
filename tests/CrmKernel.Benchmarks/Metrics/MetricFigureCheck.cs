using System.Globalization;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Evaluation;

namespace CrmKernel.Benchmarks.Metrics;

/// <summary>Stops a benchmark's setup unless two sides computed exactly the same figures: every value and every channel's figures.</summary>
internal static class MetricFigureCheck
{
    public static void Same(string expectedSide, MetricFigures expected, string actualSide, MetricFigures actual)
    {
        var different = expected.Values.Keys.Union(actual.Values.Keys)
            .Where(k => !expected.Values.TryGetValue(k, out var e) || !actual.Values.TryGetValue(k, out var a) || e != a)
            .Select(k => $"{k}: {expectedSide} {Show(expected, k)}, {actualSide} {Show(actual, k)}")
            .ToList();
        if (!expected.Channels.Select(c => (c.Channel, c.Contacts, c.CostedContacts, c.Cost, c.Revenue)).SequenceEqual(actual.Channels.Select(c => (c.Channel, c.Contacts, c.CostedContacts, c.Cost, c.Revenue))))
        {
            different.Add($"channels: {expectedSide} [{string.Join("; ", expected.Channels.Select(Row))}], {actualSide} [{string.Join("; ", actual.Channels.Select(Row))}]");
        }

        if (different.Count > 0)
        {
            throw new InvalidOperationException($"{expectedSide} and {actualSide} disagree: " + string.Join("; ", different));
        }
    }

    /// <summary>A one-line summary of what was computed, for the benchmark log.</summary>
    public static string Summary(MetricFigures figures)
        => string.Create(
            CultureInfo.InvariantCulture,
            $"{figures.Values[StandardFigures.Customers]:N0} customers, {figures.Values[StandardFigures.Contacts]:N0} contacts and {figures.Values[StandardFigures.Orders]:N0} orders in the period, funnel {string.Join(" > ", LifecycleFunnel.Customer.Figures.Select(f => figures.Values[f].ToString("N0", CultureInfo.InvariantCulture)))}, recovery {string.Join(" > ", LifecycleFunnel.Recovery.Figures.Select(f => figures.Values[f].ToString("N0", CultureInfo.InvariantCulture)))}, {figures.Values.Count} figures and {figures.Channels.Count} channels identical");

    private static string Show(MetricFigures figures, FigureKey key) => figures.Values.TryGetValue(key, out var value) ? value.ToString(CultureInfo.InvariantCulture) : "(none)";

    private static string Row(ChannelFigures c) => string.Create(CultureInfo.InvariantCulture, $"{c.Channel} {c.Contacts} {c.CostedContacts} {c.Cost} {c.Revenue}");
}

using System.Text.Json;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Metrics.Rendering;
using CrmKernel.Primitives;
using CrmKernel.Tests.Metrics.Evaluation;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Metrics.Rendering;

public sealed class MetricReportTests
{
    [Fact]
    public async Task ToText_ShowsTheFourLevelsTopDown_WithValueTargetStatusAndChange()
    {
        var evaluation = await EvaluateAsync();

        var text = MetricReport.ToText(evaluation);

        var levels = new[] { "CORPORATE", "CUSTOMER STRATEGIC", "OPERATIONAL & PROCESS", "INFRASTRUCTURE INPUT" }.Select(l => text.IndexOf(l, StringComparison.Ordinal)).ToArray();
        Assert.All(levels, i => Assert.True(i >= 0));
        Assert.Equal(levels.Order(), levels);
        var retention = Line(text, "Customer retention rate");
        Assert.Contains("50.0 %", retention, StringComparison.Ordinal);
        Assert.Matches(@"target +80\.0 %", retention);
        Assert.Contains("off track", retention, StringComparison.Ordinal);
        Assert.Contains("-81.33", Line(text, "Average order value"), StringComparison.Ordinal);
        Assert.Matches(@"no value .*\(figure 'category-spend' was not supplied\)$", Line(text, "Share of wallet").TrimEnd());
        Assert.Matches(@"holds +revenue = active customers × purchase frequency × AOV", text);
        Assert.StartsWith("CRM metrics 2026-01-01 to 2026-01-31 (UTC, GBP); change against 2025-12-01 to 2025-12-31", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToJson_CarriesEveryMetricWithItsExplanation()
    {
        var evaluation = await EvaluateAsync();

        using var document = JsonDocument.Parse(MetricReport.ToJson(evaluation));

        var root = document.RootElement;
        Assert.Equal("GBP", root.GetProperty("currency").GetString());
        var metrics = root.GetProperty("metrics").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!);
        Assert.Equal(StandardMetrics.All.Count, metrics.Count);
        var retention = metrics["customer-retention-rate"];
        Assert.Equal(0.5m, retention.GetProperty("value").GetProperty("value").GetDecimal());
        Assert.Equal(1m, retention.GetProperty("value").GetProperty("numerator").GetDecimal());
        Assert.Equal(2m, retention.GetProperty("value").GetProperty("denominator").GetDecimal());
        Assert.Equal("OffTrack", retention.GetProperty("status").GetString());
        Assert.Equal("no customers at risk in the period", retention.GetProperty("previous").GetProperty("noValueReason").GetString());
        Assert.Contains(retention.GetProperty("drivers").EnumerateArray(), d => d.GetProperty("id").GetString() == "customer-satisfaction" && d.GetProperty("link").GetString() == "HypothesisedCause");
        Assert.Equal(JsonValueKind.Null, metrics["share-of-wallet"].GetProperty("value").GetProperty("value").ValueKind);
        var breakdown = metrics["cost-per-contact"].GetProperty("value").GetProperty("breakdown").EnumerateArray().ToDictionary(r => r.GetProperty("key").GetString()!);
        Assert.Equal(["chat", "email", "phone", "web"], breakdown.Keys);
        Assert.Equal(1.5m, breakdown["email"].GetProperty("value").GetDecimal());
        Assert.Equal("no contacts with a cost in the period", breakdown["web"].GetProperty("noValueReason").GetString());
        Assert.Equal(StandardMetrics.Identities.Count, root.GetProperty("identities").GetArrayLength());
    }

    private static async Task<MetricEvaluation> EvaluateAsync()
    {
        var world = await MetricWorld.CreateAsync();
        var targets = new Dictionary<MetricId, MetricTarget> { [StandardMetrics.RetentionRate.Id] = new(0.8m, 0.6m) };
        return await world.Evaluator().EvaluateAsync(MetricWorld.Tenant, StandardMetrics.CreateHierarchy(), new MetricEvaluationRequest(MetricWorld.January, DateTimeZone.Utc, Currency.GBP, targets));
    }

    private static string Line(string text, string start) => text.Split('\n').Single(l => l.TrimStart().StartsWith(start, StringComparison.Ordinal));
}

using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CrmKernel.Samples.WebApi.Tests;

/// <summary>
/// The dashboard in headless Chromium against the sample on 127.0.0.1 with the demo tenant: each page shows the API's
/// values, the metric tree drills down to records, the pages work by keyboard and fit a phone's width; a screenshot per page.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardTests(DashboardServer server, ITestOutputHelper output)
{
    private async Task<JsonNode> ApiAsync(string path)
    {
        var response = await server.Api.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private async Task ShotAsync(IPage page, string name) => output.WriteLine("screenshot: " + await DashboardServer.ScreenshotAsync(page, name));

    private void AssertClean()
    {
        Assert.Empty(server.ForeignRequests);
        Assert.Empty(server.ScriptErrors);
    }

    private static double? Number(JsonNode? node) => node?.GetValue<double>();

    [ChromiumFact]
    public async Task MetricsPage_ShowsTheReportsValuesAndTargets_AndDrillsDownToTheRecords()
    {
        server.RequireChromium();
        var report = await ApiAsync("api/metrics/report");
        var page = await server.OpenAsync("index.html");
        await page.WaitForSelectorAsync("#tree");
        var shown = 0;
        foreach (var metric in report["metrics"]!.AsArray())
        {
            var id = (string)metric!["id"]!;
            var unit = (string?)metric["unit"];
            var node = page.Locator($"[data-metric=\"{id}\"]");
            Assert.Equal(1, await node.CountAsync());
            Assert.Equal(DashboardServer.Format(Number(metric["value"]), unit), await node.Locator(".value").InnerTextAsync());
            if (metric["target"] is { } target)
            {
                Assert.Equal("target " + DashboardServer.Format(Number(target["value"]), unit), await node.Locator(".target").InnerTextAsync());
            }

            shown++;
        }

        Assert.True(shown >= 40, $"only {shown} metrics shown");
        await ShotAsync(page, "metrics-1280x800");

        // Drill down: purchase revenue's records are the period's purchases, as the API lists them.
        var records = await ApiAsync($"api/metrics/purchase-revenue/records?from={report["from"]}&to={report["to"]}&limit=500");
        await page.Locator("[data-metric=\"purchase-revenue\"] a.records").ClickAsync();
        await page.WaitForSelectorAsync("#records");
        Assert.Contains("records.html", page.Url, StringComparison.Ordinal);
        var rows = page.Locator("#records tbody tr");
        var items = records["items"]!.AsArray();
        Assert.True(items.Count > 0, "the demo tenant has purchases in the default period");
        Assert.Equal(items.Count, await rows.CountAsync());
        Assert.Equal((string?)items[0]!["id"], await rows.First.GetAttributeAsync("data-touchpoint"));
        Assert.Equal(DashboardServer.Format(Number(items[0]!["revenue"])), await rows.First.Locator("td").Nth(4).InnerTextAsync());
        await ShotAsync(page, "records-purchase-revenue-1280x800");

        // And from a record to its customer.
        await rows.First.Locator("a").ClickAsync();
        await page.WaitForSelectorAsync("#timeline");
        Assert.Equal((string?)items[0]!["customerId"], new Uri(page.Url).Query.Split('=')[1]);
        AssertClean();
    }

    [ChromiumFact]
    public async Task LifecyclePage_ShowsTheFunnelAndFlows()
    {
        server.RequireChromium();
        var flows = await ApiAsync("api/lifecycle/flows");
        var page = await server.OpenAsync("lifecycle.html");
        await page.WaitForSelectorAsync("#stages");
        foreach (var stage in flows["stages"]!.AsArray())
        {
            var row = page.Locator($"#stages tr[data-stage=\"{stage!["stage"]}\"]");
            Assert.Equal(((int)stage["customers"]!).ToString(System.Globalization.CultureInfo.InvariantCulture), await row.Locator(".now").InnerTextAsync());
            Assert.Equal(((int)stage["entered"]!).ToString(System.Globalization.CultureInfo.InvariantCulture), await row.Locator(".entered").InnerTextAsync());
        }

        Assert.Equal(flows["flows"]!.AsArray().Count, await page.Locator("#flows tbody tr").CountAsync());
        Assert.True(await page.Locator("svg.chart rect.bar").CountAsync() > 0);
        await ShotAsync(page, "lifecycle-1280x800");
        AssertClean();
    }

    [ChromiumFact]
    public async Task ChannelsPage_ShowsContactsCostAndRevenuePerChannel()
    {
        server.RequireChromium();
        var mix = await ApiAsync("api/channels/mix");
        var page = await server.OpenAsync("channels.html");
        await page.WaitForSelectorAsync("#channels");
        foreach (var row in mix["channels"]!.AsArray())
        {
            var tr = page.Locator($"#channels tr[data-key=\"{row!["channel"]}\"]");
            Assert.Equal(((int)row["contacts"]!).ToString(System.Globalization.CultureInfo.InvariantCulture), await tr.Locator(".contacts").InnerTextAsync());
            Assert.Equal(row["cost"] is null ? "" : DashboardServer.Format(Number(row["cost"])), await tr.Locator(".cost").InnerTextAsync());
            Assert.Equal(row["revenue"] is null ? "" : DashboardServer.Format(Number(row["revenue"])), await tr.Locator(".revenue").InnerTextAsync());
        }

        await ShotAsync(page, "channels-1280x800");
        AssertClean();
    }

    [ChromiumFact]
    public async Task CustomerBasePage_ShowsTheTrackingPlotThePAliveDistributionAndTheTopClvs()
    {
        server.RequireChromium();
        var fit = await ApiAsync("api/customer-base?limit=500");
        var page = await server.OpenAsync("customer-base.html");
        await page.WaitForSelectorAsync("#valuations");
        Assert.Equal(((int)fit["customers"]!).ToString(System.Globalization.CultureInfo.InvariantCulture), await page.Locator("#customers").InnerTextAsync());
        Assert.Equal(((int)fit["purchases"]!).ToString(System.Globalization.CultureInfo.InvariantCulture), await page.Locator("#purchases").InnerTextAsync());
        var top = fit["items"]!.AsArray().OrderByDescending(v => (double)v!["lifetimeValue"]!).Take(20).ToList();
        var rows = page.Locator("#valuations tbody tr");
        Assert.Equal(top.Count, await rows.CountAsync());
        for (var i = 0; i < top.Count; i++)
        {
            Assert.Equal(DashboardServer.Format(Number(top[i]!["lifetimeValue"])), await rows.Nth(i).Locator(".clv").InnerTextAsync());
            Assert.Equal(DashboardServer.Format(Number(top[i]!["probabilityAlive"]), "Percentage"), await rows.Nth(i).Locator(".alive").InnerTextAsync());
        }

        Assert.Equal(2, await page.Locator("svg.chart path").CountAsync());
        await ShotAsync(page, "customer-base-1280x800");
        AssertClean();
    }

    [ChromiumFact]
    public async Task CustomerPage_ShowsTheTimelineWithRelatedParties_AndLinksToThem()
    {
        server.RequireChromium();
        var customers = await ApiAsync("api/customers?limit=50");
        var organisation = customers["items"]!.AsArray().First(c => (string?)c!["kind"] == "Organization")!;
        var id = (string)organisation["id"]!;
        var timeline = await ApiAsync($"api/customers/{id}/timeline?related=true&limit=200");
        var lifecycle = await ApiAsync($"api/customers/{id}/lifecycle");
        var page = await server.OpenAsync($"customer.html?id={id}");
        await page.WaitForSelectorAsync("#timeline");
        Assert.Equal((string?)organisation["displayName"], await page.Locator("main h2").InnerTextAsync());
        Assert.Equal((string?)lifecycle["stage"], await page.Locator("#stage").InnerTextAsync());
        var items = timeline["items"]!.AsArray();
        Assert.Equal(items.Count, await page.Locator("#timeline tbody tr").CountAsync());
        var related = items.Count(t => t!["via"] is not null);
        Assert.True(related > 0, "the organisation's employees' touchpoints are on its timeline");
        Assert.Equal(related, await page.Locator("#timeline tbody tr.related").CountAsync());
        await ShotAsync(page, "customer-1280x800");

        // A related party's row leads to that party's page.
        var first = items.First(t => t!["via"] is not null)!;
        var party = await ApiAsync($"api/customers/{first["customerId"]}");
        var link = page.Locator($"#timeline tr[data-touchpoint=\"{first["id"]}\"] a");
        Assert.Equal($"{party["displayName"]} ({first["viaRole"]})", await link.InnerTextAsync());
        await link.ClickAsync();
        await page.WaitForFunctionAsync($"() => location.search.includes('{first["customerId"]}') && document.querySelector('#timeline') !== null");
        AssertClean();
    }

    [ChromiumFact]
    public async Task EveryPage_FitsAPhonesWidth_AndWorksByKeyboard()
    {
        server.RequireChromium();
        var id = (string)(await ApiAsync("api/customers?limit=1"))["items"]![0]!["id"]!;
        foreach (var (path, name, ready) in new[]
        {
            ("index.html", "metrics", "#tree"), ("lifecycle.html", "lifecycle", "#stages"), ("channels.html", "channels", "#channels"),
            ("customer-base.html", "customer-base", "#valuations"), ($"customer.html?id={id}", "customer", "#timeline"),
        })
        {
            var page = await server.OpenAsync(path, 390, 844);
            await page.WaitForSelectorAsync(ready);
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"{path} is {overflow} px wider than a 390 px screen");
            await ShotAsync(page, name + "-390x844");

            // Keyboard: the first Tab reaches the skip link, the next ones the navigation; focus is drawn.
            await page.Keyboard.PressAsync("Tab");
            Assert.Equal("Skip to content", await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
            await page.Keyboard.PressAsync("Tab");
            await page.Keyboard.PressAsync("Tab");
            Assert.Equal("A", await page.EvaluateAsync<string>("() => document.activeElement.tagName"));
            Assert.NotEqual("none", await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle"));
        }

        // Enter on a focused navigation link follows it.
        var nav = await server.OpenAsync("index.html");
        await nav.WaitForSelectorAsync("#tree");
        await nav.Locator("header nav a", new PageLocatorOptions { HasText = "Channels" }).FocusAsync();
        await nav.Keyboard.PressAsync("Enter");
        await nav.WaitForSelectorAsync("#channels");
        AssertClean();
    }
}

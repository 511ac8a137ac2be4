using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CrmKernel.Samples.WebApi.Tests;

/// <summary>
/// The sample on a real socket (Kestrel on 127.0.0.1, a free port) with the demo tenant seeded into a fresh SQLite file,
/// and the system's Chromium driven by Playwright (never a downloaded browser).
/// </summary>
public sealed class DashboardServer : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string DemoKey = "dashboard-test-key";

    private static readonly string[] ChromiumArgs =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private readonly string _directory = Directory.CreateTempSubdirectory("crm-dashboard-tests-").FullName;
    private IPlaywright? _playwright;

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    public IBrowser Browser { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    /// <summary>Requests a page made to anywhere but the sample (must stay empty).</summary>
    public System.Collections.Concurrent.ConcurrentBag<string> ForeignRequests { get; } = [];

    /// <summary>Uncaught script errors on any page (must stay empty).</summary>
    public System.Collections.Concurrent.ConcurrentBag<string> ScriptErrors { get; } = [];

    /// <summary>Fails the test (CI) when Chromium is missing; the attribute has already skipped it elsewhere.</summary>
    public void RequireChromium()
    {
        if (!File.Exists(ChromiumPath))
        {
            Assert.Fail(ChromiumFactAttribute.Missing);
        }
    }

    public DashboardServer() => UseKestrel(0);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:Sqlite", Path.Combine(_directory, "dashboard.db"));
        builder.UseSetting("Demo:Seed", "true");
        builder.UseSetting("Demo:Tenant", "demo");
        builder.UseSetting("Telemetry:Console", "false");
        builder.UseSetting("Telemetry:JsonLogs", "false");
        builder.UseSetting("Auth:ApiKeys:0:Key", DemoKey);
        builder.UseSetting("Auth:ApiKeys:0:Tenant", "demo");
        builder.UseSetting("Urls", "http://127.0.0.1:0");
    }

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            return;
        }

        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal) + "/");
        Api = new HttpClient { BaseAddress = BaseAddress };
        Api.DefaultRequestHeaders.Add("X-Api-Key", DemoKey);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Args = ChromiumArgs, Headless = true });
    }

    /// <summary>A page of the dashboard, signed in with the demo key (sessionStorage, as the key form does).</summary>
    public async Task<IPage> OpenAsync(string path, int width = 1280, int height = 800)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, BaseURL = BaseAddress.ToString() });
        await context.AddInitScriptAsync($"sessionStorage.setItem('crm-api-key', '{DemoKey}');");
        var page = await context.NewPageAsync();
        // Nothing may be fetched from anywhere but the sample itself: such a request is recorded (tests assert none) and refused.
        var own = BaseAddress.GetLeftPart(UriPartial.Authority);
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(own, StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                ForeignRequests.Add(request.Url);
            }
        };
        page.PageError += (_, error) => ScriptErrors.Add(error);
        await page.GotoAsync(path);
        return page;
    }

    /// <summary>Where screenshots go: $CRM_SCREENSHOT_DIR, else TestResults/screenshots beside this test project.</summary>
    public static string ScreenshotDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("CRM_SCREENSHOT_DIR");
        var directory = !string.IsNullOrEmpty(configured) ? configured : Path.Combine(ProjectDirectory(), "TestResults", "screenshots");
        Directory.CreateDirectory(directory);
        return directory;
    }

    private static string ProjectDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CrmKernel.Samples.WebApi.Tests.csproj")))
            {
                return dir.FullName;
            }
        }

        return AppContext.BaseDirectory;
    }

    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(ScreenshotDirectory(), name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Console.WriteLine("screenshot: " + path);
        await File.AppendAllTextAsync(Path.Combine(ScreenshotDirectory(), "screenshots.txt"), path + Environment.NewLine);
        return path;
    }

    /// <summary>The dashboard's number format (app.js, Crm.fmt), for comparing what a page shows with the API's values.</summary>
    public static string Format(double? value, string? unit = null) => value switch
    {
        null => "no value",
        { } v when unit == "Percentage" => (v * 100).ToString("F1", CultureInfo.InvariantCulture) + " %",
        { } v when unit == "Count" && v == Math.Floor(v) && Math.Abs(v) < 1e15 => v.ToString("F0", CultureInfo.InvariantCulture),
        { } v => v.ToString("F2", CultureInfo.InvariantCulture),
    };

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (_playwright is not null)
        {
            await Browser.DisposeAsync();
            _playwright.Dispose();
        }

        Api?.Dispose();
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}

/// <summary>
/// A browser test: skipped with a message when /usr/bin/chromium is missing on a developer's machine, and run (to fail
/// with that message) when CI is "true".
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string Missing = "Chromium is not installed at /usr/bin/chromium: install it with 'apt-get install -y chromium' (Debian's package; .ci/run does this) to run the browser tests.";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(DashboardServer.ChromiumPath) && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = Missing;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardServer>
{
    public const string Name = "dashboard";
}

using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CrmKernel.Samples.WebApi.Tests;

/// <summary>
/// No endpoint reads, counts, updates or deletes across tenants. The endpoint list comes from the app's
/// EndpointDataSource, and every /api endpoint must have a request below: a new endpoint fails the test until it has one.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class TenantIsolationTests(ApiFactory factory)
{
    /// <summary>A request for each endpoint (method and route pattern), made with tenant A's key against tenant B's ids.</summary>
    private static readonly Dictionary<string, Func<TenantB, (string Path, object? Body)>> Requests = new()
    {
        ["GET /api/customers"] = _ => ("/api/customers?limit=500", null),
        ["GET /api/customers/count"] = _ => ("/api/customers/count", null),
        ["POST /api/customers"] = _ => ("/api/customers", new { kind = "person", givenName = "Alex", familyName = "Acme", email = "alex@a.example" }),
        ["GET /api/customers/{id}"] = b => ($"/api/customers/{b.First}", null),
        ["PUT /api/customers/{id}/profile"] = b => ($"/api/customers/{b.First}/profile", new { givenName = "Mallory" }),
        ["POST /api/customers/{id}/contact-points"] = b => ($"/api/customers/{b.First}/contact-points", new { kind = "Email", value = "mallory@evil.example", makePrimary = true }),
        ["POST /api/customers/{id}/contact-points/removal"] = b => ($"/api/customers/{b.First}/contact-points/removal", new { kind = "Email", value = TenantB.FirstEmail }),
        ["GET /api/customers/{id}/relationships"] = b => ($"/api/customers/{b.First}/relationships", null),
        ["POST /api/relationships"] = b => ("/api/relationships", new { type = "household", from = b.First, to = b.Second }),
        ["POST /api/relationships/{relationshipId}/end"] = b => ($"/api/relationships/{b.Relationship}/end", new { }),
        ["GET /api/customers/{id}/timeline"] = b => ($"/api/customers/{b.First}/timeline?related=true", null),
        ["POST /api/touchpoints"] = b => ("/api/touchpoints", Api.Touchpoint(b.First, "mallory-1")),
        ["POST /api/touchpoints/bulk"] = b => ("/api/touchpoints/bulk", new { items = new[] { Api.Touchpoint(b.First, "mallory-2"), Api.Touchpoint(b.Second, "mallory-3") } }),
        ["GET /api/touchpoints/count"] = _ => ("/api/touchpoints/count", null),
        ["GET /api/customers/{id}/consents"] = b => ($"/api/customers/{b.First}/consents", null),
        ["POST /api/customers/{id}/consents"] = b => ($"/api/customers/{b.First}/consents", new { action = "withdraw", purpose = "marketing", source = "mallory" }),
        ["GET /api/customers/{id}/may-contact"] = b => ($"/api/customers/{b.First}/may-contact?purpose=marketing&channel=email", null),
        ["GET /api/customers/{id}/lifecycle"] = b => ($"/api/customers/{b.First}/lifecycle", null),
        ["POST /api/customers/{id}/lifecycle/commands"] = b => ($"/api/customers/{b.First}/lifecycle/commands", new { command = "mark-former", reason = "mallory" }),
        ["GET /api/lifecycle/flows"] = _ => ("/api/lifecycle/flows?from=2025-01-01&to=2025-12-31", null),
        ["PUT /api/segments/{segmentId}"] = _ => ($"/api/segments/{TenantB.Segment}", new { displayName = "A's own", rule = new { tag = "a-tag" }, expectedVersion = 0 }),
        ["GET /api/segments/{segmentId}"] = _ => ($"/api/segments/{TenantB.Segment}", null),
        ["GET /api/segments/{segmentId}/members"] = _ => ($"/api/segments/{TenantB.Segment}/members", null),
        ["POST /api/segments/{segmentId}/campaigns"] = _ => ($"/api/segments/{TenantB.Segment}/campaigns", new { campaignId = "a-spring", channel = "email", purpose = "marketing", subject = "Hi", body = "Hello" }),
        ["GET /api/metrics/report"] = _ => ("/api/metrics/report?from=2025-06-01&to=2025-06-30", null),
        ["GET /api/metrics/{metricId}/records"] = _ => ("/api/metrics/purchase-revenue/records?from=2025-06-01&to=2025-06-30", null),
        ["GET /api/channels/mix"] = _ => ("/api/channels/mix?from=2025-01-01&to=2025-12-31", null),
        ["GET /api/customer-base"] = _ => ("/api/customer-base?calibrationEnd=2025-12-31", null),
        ["GET /api/customers/{id}/duplicates"] = b => ($"/api/customers/{b.First}/duplicates", null),
        ["POST /api/merges"] = b => ("/api/merges", new { survivor = b.First, merged = b.Second }),
        ["GET /api/merges/{mergeId}"] = b => ($"/api/merges/{b.Merge}", null),
        ["POST /api/merges/{mergeId}/undo"] = b => ($"/api/merges/{b.Merge}/undo", null),
        ["POST /api/customers/{id}/erasure"] = b => ($"/api/customers/{b.First}/erasure", new { reference = "mallory" }),
        ["GET /api/customers/{id}/erasure"] = b => ($"/api/customers/{b.First}/erasure", null),
        ["GET /api/customers/{id}/personal-data"] = b => ($"/api/customers/{b.First}/personal-data", null),
    };

    public sealed record TenantB(string First, string Second, string Relationship, string Merge)
    {
        public const string FirstEmail = "bob.bobbington@b.example";
        public const string SecondEmail = "carolyn.carter@b.example";
        public const string Segment = "b-only";
    }

    internal static IReadOnlyList<(string Method, string Pattern)> ApiEndpoints(IServiceProvider services) =>
        [.. services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["ANY"]).Select(m => (m, e.RoutePattern.RawText!)))];

    internal static IReadOnlyDictionary<string, Func<TenantB, (string Path, object? Body)>> RequestsByEndpoint => Requests;

    internal static async Task<TenantB> SeedTenantBAsync(HttpClient b)
    {
        var first = (string)(await Api.CreateCustomerAsync(b, "Bob", "Bobbington", TenantB.FirstEmail))["id"]!;
        var second = (string)(await Api.CreateCustomerAsync(b, "Carolyn", "Carter", TenantB.SecondEmail))["id"]!;
        var relationship = await Api.ReadAsync(await b.PostAsync("/api/relationships", Api.Json(new { type = "household", from = first, to = second, validFrom = "2025-01-01T00:00:00Z" })));
        var customer = await b.GetAsync($"/api/customers/{first}");
        var consent = new HttpRequestMessage(HttpMethod.Post, $"/api/customers/{first}/consents") { Content = Api.Json(new { action = "grant", purpose = "marketing", channel = "email", source = "signup" }) };
        consent.Headers.IfMatch.Add(customer.Headers.ETag!);
        Assert.Equal(HttpStatusCode.OK, (await b.SendAsync(consent)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await b.PostAsync("/api/touchpoints", Api.Json(Api.Touchpoint(first, "b-order-1-" + first, 40m)))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await b.PostAsync("/api/touchpoints", Api.Json(Api.Touchpoint(second, "b-order-2-" + second, 60m)))).StatusCode);
        if ((await b.GetAsync($"/api/segments/{TenantB.Segment}")).StatusCode == HttpStatusCode.NotFound)
        {
            Assert.Equal(HttpStatusCode.OK, (await b.PutAsync($"/api/segments/{TenantB.Segment}", Api.Json(new { displayName = "B buyers", rule = new { kind = "Person" }, expectedVersion = 0 }))).StatusCode);
        }

        // Two records of one person, merged: tenant B's merge record, for the merge endpoints.
        var dora = (string)(await Api.CreateCustomerAsync(b, "Dora", "Double", "dora.double@b.example"))["id"]!;
        var doraAgain = (string)(await Api.CreateCustomerAsync(b, "Dora", "Double", "dora.double@b.example"))["id"]!;
        var merge = await Api.ReadAsync(await b.PostAsync("/api/merges", Api.Json(new { survivor = dora, merged = doraAgain })));
        return new TenantB(first, second, (string)relationship["id"]!, (string)merge["id"]!);
    }

    /// <summary>Everything tenant B can see of itself, as text, to compare before and after tenant A's requests.</summary>
    private static async Task<string> SnapshotAsync(HttpClient b, TenantB ids)
    {
        var parts = new List<string>();
        foreach (var path in new[]
        {
            "/api/customers?limit=500", "/api/customers/count", "/api/touchpoints/count",
            $"/api/customers/{ids.First}", $"/api/customers/{ids.Second}",
            $"/api/customers/{ids.First}/timeline?related=true", $"/api/customers/{ids.First}/relationships?asOf=2026-01-01T00:00:00Z",
            $"/api/customers/{ids.First}/consents", $"/api/customers/{ids.First}/lifecycle", $"/api/customers/{ids.Second}/lifecycle",
            $"/api/segments/{TenantB.Segment}", $"/api/segments/{TenantB.Segment}/members",
            "/api/metrics/report?from=2025-06-01&to=2025-06-30", "/api/channels/mix?from=2025-01-01&to=2025-12-31",
        })
        {
            var response = await b.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            parts.Add(path + " " + response.Headers.ETag + " " + await response.Content.ReadAsStringAsync());
        }

        return string.Join('\n', parts);
    }

    [Fact]
    public void EveryApiEndpoint_HasAnIsolationRequest()
    {
        var endpoints = ApiEndpoints(factory.Services);
        Assert.True(endpoints.Count >= 25, $"only {endpoints.Count} endpoints found");
        var missing = endpoints.Select(e => $"{e.Method} {e.Pattern}").Where(key => !Requests.ContainsKey(key)).ToList();
        Assert.True(missing.Count == 0, "Endpoints without a tenant-isolation request: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task EveryApiEndpoint_CalledByTenantAWithTenantBsIds_ReadsAndChangesNothingOfTenantB()
    {
        var b = factory.ClientFor(ApiFactory.KeyB);
        var a = factory.ClientFor(ApiFactory.KeyA);
        var ids = await SeedTenantBAsync(b);
        var alice = (string)(await Api.CreateCustomerAsync(a, "Alice", "Anders", "alice@a.example"))["id"]!;
        var before = await SnapshotAsync(b, ids);
        var aTouchpoints = await Api.CountAsync(a, "/api/touchpoints/count");
        string[] secrets = [ids.First, ids.Second, ids.Relationship, ids.Merge, "Dora", "Bobbington", "Carolyn", TenantB.FirstEmail, TenantB.SecondEmail, "b-order", "signup"];

        foreach (var (method, pattern) in ApiEndpoints(factory.Services))
        {
            var (path, body) = Requests[$"{method} {pattern}"](ids);
            var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body is null ? null : Api.Json(body) };
            request.Headers.TryAddWithoutValidation("If-Match", "*");
            var response = await a.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            foreach (var secret in secrets)
            {
                Assert.False(text.Contains(secret, StringComparison.OrdinalIgnoreCase), $"{method} {path} answered tenant A with tenant B's '{secret}': {text}");
            }

            // An id of another tenant is not found: the same answer as an id that does not exist.
            if (pattern.Contains("{id}", StringComparison.Ordinal) || pattern.Contains("{relationshipId}", StringComparison.Ordinal) || pattern.Contains("{mergeId}", StringComparison.Ordinal)
                || path is "/api/relationships" or "/api/touchpoints" or "/api/merges")
            {
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {(int)response.StatusCode} {text}");
            }

            if (path == "/api/touchpoints/bulk")
            {
                var result = JsonNode.Parse(text)!;
                Assert.Equal(0, (int)result["recorded"]!);
                Assert.Equal(2, result["invalid"]!.AsArray().Count);
            }
        }

        Assert.Equal(before, await SnapshotAsync(b, ids));

        // Tenant-wide answers are tenant A's own: its list holds only its customers, its counts are its own.
        var list = await Api.ReadAsync(await a.GetAsync("/api/customers?limit=500"));
        var listed = list["items"]!.AsArray().Select(c => (string)c!["id"]!).ToList();
        Assert.Contains(alice, listed);
        Assert.Equal(listed.Count, await Api.CountAsync(a, "/api/customers/count"));
        Assert.Equal(aTouchpoints, await Api.CountAsync(a, "/api/touchpoints/count"));
    }

    [Fact]
    public async Task ATenantHeader_DoesNotChooseTheTenant()
    {
        var b = factory.ClientFor(ApiFactory.KeyB);
        var ids = await SeedTenantBAsync(b);
        var a = factory.ClientFor(ApiFactory.KeyA);
        foreach (var header in new[] { "X-Tenant-Id", "X-Tenant", "Tenant" })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/api/customers/{ids.First}");
            request.Headers.Add(header, "tenant-b");
            Assert.Equal(HttpStatusCode.NotFound, (await a.SendAsync(request)).StatusCode);
        }

        // And a JWT for tenant A reads tenant A, whatever header comes with it.
        var jwt = factory.ClientWithToken(ApiFactory.Token(new Dictionary<string, object> { ["sub"] = "svc", ["tenant"] = "tenant-a" }));
        jwt.DefaultRequestHeaders.Add("X-Tenant-Id", "tenant-b");
        Assert.Equal(HttpStatusCode.NotFound, (await jwt.GetAsync($"/api/customers/{ids.First}")).StatusCode);
        var viaB = factory.ClientWithToken(ApiFactory.Token(new Dictionary<string, object> { ["sub"] = "svc", ["tenant"] = "tenant-b" }));
        Assert.Equal(HttpStatusCode.OK, (await viaB.GetAsync($"/api/customers/{ids.First}")).StatusCode);
    }
}

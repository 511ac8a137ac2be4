using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using NodaTime;

namespace CrmKernel.Samples.WebApi.Tests;

/// <summary>
/// The sample in memory (TestServer) on a fresh SQLite file, without the demo seed, with two tenants' API keys, a key
/// that names no tenant, and a JWT signing key. Shared by the API test classes (one collection: they run one at a time).
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    public const string KeyA = "key-for-tenant-a";
    public const string KeyB = "key-for-tenant-b";
    public const string KeyWithoutTenant = "key-without-tenant";
    public const string JwtSigningKey = "a-test-signing-key-of-at-least-thirty-two-bytes-0123456789";
    public const string JwtIssuer = "https://issuer.test";
    public const string JwtAudience = "crm-api";

    private readonly string _directory = Directory.CreateTempSubdirectory("crm-webapi-tests-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:Sqlite", Path.Combine(_directory, "api.db"));
        builder.UseSetting("Demo:Seed", "false");
        builder.UseSetting("Telemetry:Console", "false");
        builder.UseSetting("Telemetry:JsonLogs", "false");
        builder.UseSetting("Auth:ApiKeys:0:Key", KeyA);
        builder.UseSetting("Auth:ApiKeys:0:Tenant", "tenant-a");
        builder.UseSetting("Auth:ApiKeys:0:Name", "Tenant A service");
        builder.UseSetting("Auth:ApiKeys:1:Key", KeyB);
        builder.UseSetting("Auth:ApiKeys:1:Tenant", "tenant-b");
        builder.UseSetting("Auth:ApiKeys:2:Key", KeyWithoutTenant);
        builder.UseSetting("Auth:ApiKeys:2:Tenant", "");
        builder.UseSetting("Auth:Jwt:SigningKey", JwtSigningKey);
        builder.UseSetting("Auth:Jwt:Issuer", JwtIssuer);
        builder.UseSetting("Auth:Jwt:Audience", JwtAudience);
        builder.UseSetting("Api:MaxRequestBodyBytes", (1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture));

        // What the tests see must not depend on the hour they run: the default contact policy keeps quiet hours from
        // 21:00 to 08:00, so a campaign sent at night is refused. The sample's clock starts at noon on a working day.
        builder.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Singleton<IClock>(new NoonClock())));
    }

    /// <summary>Noon UTC on Monday 2 March 2026, then running at real speed (instants keep moving forward).</summary>
    private sealed class NoonClock : IClock
    {
        private static readonly Instant Noon = Instant.FromUtc(2026, 3, 2, 12, 0);
        private readonly long _started = System.Diagnostics.Stopwatch.GetTimestamp();

        public Instant GetCurrentInstant() => Noon + Duration.FromTimeSpan(System.Diagnostics.Stopwatch.GetElapsedTime(_started));
    }

    public HttpClient ClientFor(string? apiKey)
    {
        var client = CreateClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }

    public HttpClient ClientWithToken(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static string Token(IDictionary<string, object> claims, string signingKey = JwtSigningKey, DateTime? expires = null) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = JwtIssuer,
        Audience = JwtAudience,
        Claims = claims,
        NotBefore = (expires ?? DateTime.UtcNow.AddHours(1)).AddHours(-2),
        Expires = expires ?? DateTime.UtcNow.AddHours(1),
        IssuedAt = (expires ?? DateTime.UtcNow.AddHours(1)).AddHours(-2),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)), SecurityAlgorithms.HmacSha256),
    });

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file on some platforms; the temp folder is cleaned by the system.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFactory>
{
    public const string Name = "api";
}

/// <summary>Small helpers the API tests share.</summary>
internal static class Api
{
    public static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    public static async Task<JsonNode> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) ?? throw new InvalidOperationException("empty body");
    }

    public static async Task<JsonNode> CreateCustomerAsync(HttpClient client, string given, string family, string email)
    {
        var response = await client.PostAsync("/api/customers", Json(new { kind = "person", givenName = given, familyName = family, email }));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return await ReadAsync(response);
    }

    public static object Touchpoint(string customerId, string key, decimal revenue = 10m, string kind = "purchase") => new
    {
        customerId,
        channel = "web",
        direction = "Inbound",
        function = "Sales",
        kind,
        occurredAt = "2025-06-01T10:00:00Z",
        source = new { system = "shop", key },
        revenue,
        currency = "GBP",
    };

    public static async Task<long> CountAsync(HttpClient client, string path) => (long)(await ReadAsync(await client.GetAsync(path)))["count"]!;

    /// <summary>A problem details body: the RFC 9457 members and the sample's code and trace id.</summary>
    public static async Task<JsonNode> AssertProblemAsync(HttpResponseMessage response, int status, string code)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await ReadAsync(response);
        Assert.Equal(status, (int)problem["status"]!);
        Assert.Equal(code, (string?)problem["code"]);
        Assert.False(string.IsNullOrEmpty((string?)problem["title"]));
        Assert.False(string.IsNullOrEmpty((string?)problem["detail"]));
        Assert.False(string.IsNullOrEmpty((string?)problem["type"]));
        Assert.False(string.IsNullOrEmpty((string?)problem["traceId"]));
        return problem;
    }
}

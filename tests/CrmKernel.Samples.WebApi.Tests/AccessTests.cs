using System.Net;

namespace CrmKernel.Samples.WebApi.Tests;

/// <summary>Credentials: none or a wrong one is 401 on every endpoint; one that names no tenant is 403.</summary>
[Collection(ApiCollection.Name)]
public sealed class AccessTests(ApiFactory factory)
{
    public static TheoryData<string?> UnauthenticatedKeys => new() { null, "", "not-a-configured-key", ApiFactory.KeyA + "x" };

    [Theory]
    [MemberData(nameof(UnauthenticatedKeys))]
    public async Task EveryApiEndpoint_WithoutAValidCredential_Is401AndStoresNothing(string? key)
    {
        var owner = factory.ClientFor(ApiFactory.KeyB);
        var ids = await TenantIsolationTests.SeedTenantBAsync(owner);
        var customers = await Api.CountAsync(owner, "/api/customers/count");
        var touchpoints = await Api.CountAsync(owner, "/api/touchpoints/count");
        var client = factory.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("X-Api-Key", key);
        }

        foreach (var (method, pattern) in TenantIsolationTests.ApiEndpoints(factory.Services))
        {
            var (path, body) = TenantIsolationTests.RequestsByEndpoint[$"{method} {pattern}"](ids);
            var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = body is null ? null : Api.Json(body) });
            await Api.AssertProblemAsync(response, 401, "API-AUTH-001");
        }

        Assert.Equal(customers, await Api.CountAsync(owner, "/api/customers/count"));
        Assert.Equal(touchpoints, await Api.CountAsync(owner, "/api/touchpoints/count"));
    }

    [Fact]
    public async Task AKeyThatNamesNoTenant_Is403()
    {
        var response = await factory.ClientFor(ApiFactory.KeyWithoutTenant).GetAsync("/api/customers");
        await Api.AssertProblemAsync(response, 403, "API-AUTH-002");
    }

    [Fact]
    public async Task AJwtWithATenantClaim_SignsInAsThatTenant()
    {
        var a = factory.ClientFor(ApiFactory.KeyA);
        var alice = (string)(await Api.CreateCustomerAsync(a, "Alicia", "Jwt", "alicia@a.example"))["id"]!;
        var client = factory.ClientWithToken(ApiFactory.Token(new Dictionary<string, object> { ["sub"] = "service-1", ["tenant"] = "tenant-a" }));
        var response = await client.GetAsync($"/api/customers/{alice}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AJwtWithoutATenantClaim_Is403()
    {
        var client = factory.ClientWithToken(ApiFactory.Token(new Dictionary<string, object> { ["sub"] = "service-1" }));
        await Api.AssertProblemAsync(await client.GetAsync("/api/customers"), 403, "API-AUTH-002");
    }

    [Fact]
    public async Task AJwtNamingTwoTenants_Is403()
    {
        var client = factory.ClientWithToken(ApiFactory.Token(new Dictionary<string, object> { ["sub"] = "service-1", ["tenant"] = new[] { "tenant-a", "tenant-b" } }));
        await Api.AssertProblemAsync(await client.GetAsync("/api/customers"), 403, "API-AUTH-002");
    }

    [Fact]
    public async Task AJwtSignedWithAnotherKey_Is401()
    {
        var token = ApiFactory.Token(new Dictionary<string, object> { ["sub"] = "mallory", ["tenant"] = "tenant-a" }, signingKey: "another-signing-key-of-at-least-thirty-two-bytes-000000");
        await Api.AssertProblemAsync(await factory.ClientWithToken(token).GetAsync("/api/customers"), 401, "API-AUTH-001");
    }

    [Fact]
    public async Task AnExpiredJwt_Is401()
    {
        var token = ApiFactory.Token(new Dictionary<string, object> { ["sub"] = "service-1", ["tenant"] = "tenant-a" }, expires: DateTime.UtcNow.AddHours(-1));
        await Api.AssertProblemAsync(await factory.ClientWithToken(token).GetAsync("/api/customers"), 401, "API-AUTH-001");
    }

    [Fact]
    public async Task HealthAndTheOpenApiDocument_NeedNoCredential_AndTheDocumentListsEveryApiEndpoint()
    {
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        var document = await Api.ReadAsync(await client.GetAsync("/openapi/v1.json"));
        var paths = document["paths"]!.AsObject();
        foreach (var (method, pattern) in TenantIsolationTests.ApiEndpoints(factory.Services))
        {
            Assert.True(paths[pattern]?[method.ToLowerInvariant()] is not null, $"{method} {pattern} is not in the OpenAPI document");
        }
    }
}

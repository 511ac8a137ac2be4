using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace CrmKernel.Samples.WebApi.Tests;

/// <summary>
/// The sample on PostgreSQL (Storage:PostgreSql) in a fresh database of the server CRMKERNEL_POSTGRES names (.ci/run
/// starts one): the same API, the same isolation, ETags and idempotent ingestion. Without the variable the test is
/// skipped on a developer's machine and fails on CI.
/// </summary>
public sealed class PostgreSqlTests
{
    [PostgresFact]
    public async Task TheApi_OnPostgreSql_KeepsTenantsApart_ChecksVersions_IngestsIdempotently_MergesAndErases()
    {
        var server = Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable);
        if (string.IsNullOrWhiteSpace(server))
        {
            Assert.Fail(PostgresFactAttribute.Missing);
        }

        var database = "crm_webapi_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", admin);
            await create.ExecuteNonQueryAsync();
        }

        try
        {
            await using var factory = new PostgresFactory(new NpgsqlConnectionStringBuilder(server) { Database = database }.ToString());
            var a = factory.CreateClient();
            a.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.KeyA);
            var b = factory.CreateClient();
            b.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.KeyB);
            Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/health/ready")).StatusCode);

            var bob = (string)(await Api.CreateCustomerAsync(b, "Bob", "Postgres", "bob@pg.example"))["id"]!;
            Assert.Equal(HttpStatusCode.NotFound, (await a.GetAsync($"/api/customers/{bob}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await a.PostAsync("/api/touchpoints", Api.Json(Api.Touchpoint(bob, "pg-1")))).StatusCode);
            Assert.Equal(0, await Api.CountAsync(a, "/api/customers/count"));

            var first = await b.GetAsync($"/api/customers/{bob}");
            var change = new HttpRequestMessage(HttpMethod.Put, $"/api/customers/{bob}/profile") { Content = Api.Json(new { givenName = "Robert" }) };
            change.Headers.IfMatch.Add(first.Headers.ETag!);
            Assert.Equal(HttpStatusCode.OK, (await b.SendAsync(change)).StatusCode);
            var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/customers/{bob}/profile") { Content = Api.Json(new { givenName = "Lost" }) };
            stale.Headers.IfMatch.Add(first.Headers.ETag!);
            await Api.AssertProblemAsync(await b.SendAsync(stale), 412, "API-REQUEST-005");

            Assert.Equal(HttpStatusCode.Created, (await b.PostAsync("/api/touchpoints", Api.Json(Api.Touchpoint(bob, "pg-1")))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await b.PostAsync("/api/touchpoints", Api.Json(Api.Touchpoint(bob, "pg-1")))).StatusCode);
            Assert.Equal(1, await Api.CountAsync(b, "/api/touchpoints/count"));
            var timeline = await Api.ReadAsync(await b.GetAsync($"/api/customers/{bob}/timeline"));
            Assert.Single(timeline["items"]!.AsArray());

            // Identity and privacy on PostgreSQL: a merge, seen by its tenant only, undone; then an erasure.
            var bobAgain = (string)(await Api.CreateCustomerAsync(b, "Bob", "Postgres", "bob@pg.example"))["id"]!;
            var merged = await b.PostAsync("/api/merges", Api.Json(new { survivor = bob, merged = bobAgain }));
            Assert.Equal(HttpStatusCode.Created, merged.StatusCode);
            var mergeId = (string)(await Api.ReadAsync(merged))["id"]!;
            Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync($"/api/customers/{bobAgain}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await a.GetAsync($"/api/merges/{mergeId}")).StatusCode);
            Assert.False((bool)(await Api.ReadAsync(await b.PostAsync($"/api/merges/{mergeId}/undo", null)))["active"]!);
            Assert.Equal(HttpStatusCode.OK, (await b.GetAsync($"/api/customers/{bobAgain}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await b.PostAsync($"/api/customers/{bobAgain}/erasure", null)).StatusCode);
            Assert.Equal("Erased customer", (string?)(await Api.ReadAsync(await b.GetAsync($"/api/customers/{bobAgain}")))["displayName"]);
            Assert.DoesNotContain("bob@pg.example", await (await b.GetAsync($"/api/customers/{bobAgain}/personal-data")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private sealed class PostgresFactory(string connectionString) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Storage:PostgreSql", connectionString);
            builder.UseSetting("Demo:Seed", "false");
            builder.UseSetting("Telemetry:Console", "false");
            builder.UseSetting("Telemetry:JsonLogs", "false");
            builder.UseSetting("Auth:ApiKeys:0:Key", ApiFactory.KeyA);
            builder.UseSetting("Auth:ApiKeys:0:Tenant", "tenant-a");
            builder.UseSetting("Auth:ApiKeys:1:Key", ApiFactory.KeyB);
            builder.UseSetting("Auth:ApiKeys:1:Tenant", "tenant-b");
        }
    }
}

/// <summary>Skipped with a message when CRMKERNEL_POSTGRES is not set, unless CI is "true" (then the test fails with it).</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "CRMKERNEL_POSTGRES";
    public const string Missing = "CRMKERNEL_POSTGRES is not set: run the tests through 'eng/postgres-test-cluster.sh -- dotnet test' (or set it to an Npgsql connection string of a superuser) to run the web API on PostgreSQL; .ci/run does.";

    public PostgresFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)) && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = Missing;
        }
    }
}

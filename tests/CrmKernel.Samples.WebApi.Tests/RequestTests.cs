using System.Net;
using System.Text;

namespace CrmKernel.Samples.WebApi.Tests;

/// <summary>Oversized and malformed bodies, problem details, optimistic concurrency and idempotent ingestion.</summary>
[Collection(ApiCollection.Name)]
public sealed class RequestTests(ApiFactory factory)
{
    [Fact]
    public async Task ATenMegabyteBody_Is413_AndStoresNothing()
    {
        var client = factory.ClientFor(ApiFactory.KeyA);
        var customer = (string)(await Api.CreateCustomerAsync(client, "Big", "Body", "big.body@a.example"))["id"]!;
        var before = await Api.CountAsync(client, "/api/touchpoints/count");
        var customers = await Api.CountAsync(client, "/api/customers/count");

        // Valid JSON, 10 MB: thousands of touchpoints with a long campaign id.
        var item = System.Text.Json.JsonSerializer.Serialize(Api.Touchpoint(customer, "big"));
        var body = new StringBuilder("{\"items\":[");
        for (var i = 0; body.Length < 10 * 1024 * 1024; i++)
        {
            body.Append(i == 0 ? "" : ",").Append(item.Replace("\"big\"", $"\"big-{i}\"", StringComparison.Ordinal));
        }

        body.Append("]}");
        var response = await client.PostAsync("/api/touchpoints/bulk", new StringContent(body.ToString(), Encoding.UTF8, "application/json"));
        await Api.AssertProblemAsync(response, 413, "API-REQUEST-002");

        var asCustomer = await client.PostAsync("/api/customers", new StringContent("{\"kind\":\"person\",\"givenName\":\"" + new string('x', 10 * 1024 * 1024) + "\"}", Encoding.UTF8, "application/json"));
        await Api.AssertProblemAsync(asCustomer, 413, "API-REQUEST-002");
        Assert.Equal(before, await Api.CountAsync(client, "/api/touchpoints/count"));
        Assert.Equal(customers, await Api.CountAsync(client, "/api/customers/count"));
    }

    [Theory]
    [InlineData("/api/touchpoints", "{\"customerId\": \"x\", ")]
    [InlineData("/api/touchpoints/bulk", "{\"items\": [1, 2")]
    [InlineData("/api/customers", "not json at all")]
    [InlineData("/api/customers", "{\"kind\": 42}")]
    [InlineData("/api/touchpoints", "{}")]
    public async Task MalformedJson_Is400_AndStoresNothing(string path, string json)
    {
        var client = factory.ClientFor(ApiFactory.KeyA);
        var touchpoints = await Api.CountAsync(client, "/api/touchpoints/count");
        var customers = await Api.CountAsync(client, "/api/customers/count");
        var response = await client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        await Api.AssertProblemAsync(response, 400, "API-REQUEST-001");
        Assert.Equal(touchpoints, await Api.CountAsync(client, "/api/touchpoints/count"));
        Assert.Equal(customers, await Api.CountAsync(client, "/api/customers/count"));
    }

    [Fact]
    public async Task ProblemDetails_CarryTheKernelsCode_AndNoPersonalData()
    {
        var client = factory.ClientFor(ApiFactory.KeyA);

        // An address that is not one: a 400 whose detail does not echo it.
        var response = await client.PostAsync("/api/customers", Api.Json(new { kind = "person", givenName = "Priya", familyName = "Private", email = "priya.private@@nowhere" }));
        var problem = await Api.AssertProblemAsync(response, 400, "API-REQUEST-003");
        Assert.DoesNotContain("priya", problem.ToJsonString(), StringComparison.OrdinalIgnoreCase);

        // A lifecycle command the model does not allow: 422 with the kernel's stable code.
        var customer = (string)(await Api.CreateCustomerAsync(client, "Quentin", "Quiet", "quentin.quiet@a.example"))["id"]!;
        // (the first mark-former may be allowed or not; marking a former customer former again never is)
        await client.PostAsync($"/api/customers/{customer}/lifecycle/commands", Api.Json(new { command = "mark-former", reason = "test" }));
        var refused = await client.PostAsync($"/api/customers/{customer}/lifecycle/commands", Api.Json(new { command = "mark-former", reason = "test" }));
        var rule = await Api.ReadAsync(refused);
        Assert.Equal(422, (int)refused.StatusCode);
        Assert.StartsWith("CRM-", (string?)rule["code"], StringComparison.Ordinal);
        Assert.DoesNotContain("Quentin", rule.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("quentin.quiet", rule.ToJsonString(), StringComparison.Ordinal);

        // Unknown ids and unknown addresses.
        await Api.AssertProblemAsync(await client.GetAsync($"/api/customers/{Guid.NewGuid()}"), 404, "API-NOTFOUND-001");
        await Api.AssertProblemAsync(await client.GetAsync("/api/customers/not-an-id"), 404, "API-NOTFOUND-001");
        await Api.AssertProblemAsync(await client.GetAsync("/api/no-such-thing"), 404, "API-ROUTE-001");
        await Api.AssertProblemAsync(await client.GetAsync("/api/customers?limit=100000"), 400, "API-REQUEST-003");
    }

    [Fact]
    public async Task IfMatch_WithAStaleETag_Is412_AndChangesNothing()
    {
        var client = factory.ClientFor(ApiFactory.KeyA);
        var id = (string)(await Api.CreateCustomerAsync(client, "Etta", "Tag", "etta.tag@a.example"))["id"]!;
        var first = await client.GetAsync($"/api/customers/{id}");
        var etag = first.Headers.ETag!;

        var change = new HttpRequestMessage(HttpMethod.Put, $"/api/customers/{id}/profile") { Content = Api.Json(new { givenName = "Ettie" }) };
        change.Headers.IfMatch.Add(etag);
        var changed = await client.SendAsync(change);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);

        // A second writer still holding the first version loses.
        var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/customers/{id}/profile") { Content = Api.Json(new { givenName = "Lost" }) };
        stale.Headers.IfMatch.Add(etag);
        await Api.AssertProblemAsync(await client.SendAsync(stale), 412, "API-REQUEST-005");

        // No If-Match at all: 428.
        await Api.AssertProblemAsync(await client.PutAsync($"/api/customers/{id}/profile", Api.Json(new { givenName = "Blind" })), 428, "API-REQUEST-004");

        var now = await Api.ReadAsync(await client.GetAsync($"/api/customers/{id}"));
        Assert.Equal("Ettie", (string?)now["givenName"]);
        Assert.Equal(changed.Headers.ETag!.Tag, $"\"{(long)now["version"]!}\"");
    }

    [Fact]
    public async Task Ingestion_IsIdempotentByTheSourceKey()
    {
        var client = factory.ClientFor(ApiFactory.KeyA);
        var id = (string)(await Api.CreateCustomerAsync(client, "Ida", "Empotent", "ida@a.example"))["id"]!;
        var before = await Api.CountAsync(client, "/api/touchpoints/count");

        var first = await client.PostAsync("/api/touchpoints", Api.Json(Api.Touchpoint(id, "order-ida-1", 25m)));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var again = await client.PostAsync("/api/touchpoints", Api.Json(Api.Touchpoint(id, "order-ida-1", 25m)));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.True((bool)(await Api.ReadAsync(again))["alreadyRecorded"]!);
        Assert.Equal(before + 1, await Api.CountAsync(client, "/api/touchpoints/count"));

        // The same key with other content is a conflict, and stores nothing.
        await Api.AssertProblemAsync(await client.PostAsync("/api/touchpoints", Api.Json(Api.Touchpoint(id, "order-ida-1", 99m))), 409, "CRM-TOUCHPOINT-001");

        // Bulk: a repeat of the first, two new ones, and a repeat inside the batch.
        var bulk = await client.PostAsync("/api/touchpoints/bulk", Api.Json(new
        {
            items = new[] { Api.Touchpoint(id, "order-ida-1", 25m), Api.Touchpoint(id, "order-ida-2", 30m), Api.Touchpoint(id, "order-ida-3", 35m), Api.Touchpoint(id, "order-ida-2", 30m) },
        }));
        Assert.Equal(HttpStatusCode.OK, bulk.StatusCode);
        var result = await Api.ReadAsync(bulk);
        Assert.Equal(2, (int)result["recorded"]!);
        Assert.Equal(before + 3, await Api.CountAsync(client, "/api/touchpoints/count"));
        var repeat = await client.PostAsync("/api/touchpoints/bulk", Api.Json(new { items = new[] { Api.Touchpoint(id, "order-ida-2", 30m), Api.Touchpoint(id, "order-ida-3", 35m) } }));
        Assert.Equal(0, (int)(await Api.ReadAsync(repeat))["recorded"]!);
        Assert.Equal(before + 3, await Api.CountAsync(client, "/api/touchpoints/count"));

        // The timeline pages through them in time order without repeats.
        var seen = new List<string>();
        string? next = null;
        do
        {
            var page = await Api.ReadAsync(await client.GetAsync($"/api/customers/{id}/timeline?limit=2" + (next is null ? "" : $"&after={next}")));
            seen.AddRange(page["items"]!.AsArray().Select(t => (string)t!["id"]!));
            next = (string?)page["next"];
        }
        while (next is not null);
        Assert.Equal(3, seen.Distinct().Count());
        Assert.Equal(3, seen.Count);
    }
}

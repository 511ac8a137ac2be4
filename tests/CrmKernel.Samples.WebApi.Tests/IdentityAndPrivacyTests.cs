using System.Net;
using System.Text.Json.Nodes;

namespace CrmKernel.Samples.WebApi.Tests;

/// <summary>Duplicates, merge and undo; erasure and the personal-data export, through the API.</summary>
[Collection(ApiCollection.Name)]
public sealed class IdentityAndPrivacyTests(ApiFactory factory)
{
    private static string Unique(string name) => $"{name}.{Guid.NewGuid():N}"[..(name.Length + 9)];

    [Fact]
    public async Task TwoRecordsOfOnePerson_AreFoundMergedAndTheMergeUndone()
    {
        var client = factory.ClientFor(ApiFactory.KeyA);
        var email = Unique("mia.merge") + "@a.example";
        var survivor = (string)(await Api.CreateCustomerAsync(client, "Mia", "Merge", email))["id"]!;
        var duplicate = (string)(await Api.CreateCustomerAsync(client, "Mia", "Merge", email))["id"]!;
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/touchpoints", Api.Json(Api.Touchpoint(duplicate, "mia-order-" + duplicate)))).StatusCode);

        var candidates = (await Api.ReadAsync(await client.GetAsync($"/api/customers/{survivor}/duplicates"))).AsArray();
        var pair = candidates.Single(c => (string?)c!["first"] == duplicate || (string?)c!["second"] == duplicate)!;
        Assert.True((double)pair["score"]! > 0, pair.ToJsonString());
        Assert.Contains((string?)pair["decision"], new[] { "Probable", "Definite" });
        Assert.Contains(pair["fields"]!.AsArray(), f => (string?)f!["field"] == "Email" && (double?)f["similarity"] == 1.0 && (double)f["weight"]! > 0);

        var created = await client.PostAsync("/api/merges", Api.Json(new { survivor, merged = duplicate }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var merge = await Api.ReadAsync(created);
        var mergeId = (string)merge["id"]!;
        Assert.Equal(created.Headers.Location?.ToString(), $"/api/merges/{mergeId}");
        Assert.True((bool)merge["active"]!);
        Assert.Equal(1, (int)merge["movedTouchpoints"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/customers/{duplicate}")).StatusCode);
        Assert.Single((await Api.ReadAsync(await client.GetAsync($"/api/customers/{survivor}/timeline")))["items"]!.AsArray());

        // The same merge again is the same record (200), and merging the merged-away customer again is a business rule.
        var again = await client.PostAsync("/api/merges", Api.Json(new { survivor, merged = duplicate }));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(mergeId, (string?)(await Api.ReadAsync(again))["id"]);
        var other = (string)(await Api.CreateCustomerAsync(client, "Otto", "Other", Unique("otto") + "@a.example"))["id"]!;
        await Api.AssertProblemAsync(await client.PostAsync("/api/merges", Api.Json(new { survivor = other, merged = duplicate })), 422, "CRM-MERGE-003");
        await Api.AssertProblemAsync(await client.PostAsync("/api/merges", Api.Json(new { survivor, merged = survivor })), 422, "CRM-MERGE-001");

        var undone = await Api.ReadAsync(await client.PostAsync($"/api/merges/{mergeId}/undo", null));
        Assert.False((bool)undone["active"]!);
        Assert.NotNull((string?)undone["unmergedAt"]);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/customers/{duplicate}")).StatusCode);
        Assert.Single((await Api.ReadAsync(await client.GetAsync($"/api/customers/{duplicate}/timeline")))["items"]!.AsArray());
        Assert.Empty((await Api.ReadAsync(await client.GetAsync($"/api/customers/{survivor}/timeline")))["items"]!.AsArray());
        Assert.False((bool)(await Api.ReadAsync(await client.GetAsync($"/api/merges/{mergeId}")))["active"]!);
        await Api.AssertProblemAsync(await client.GetAsync($"/api/merges/{Guid.NewGuid()}"), 404, "API-NOTFOUND-001");
        await Api.AssertProblemAsync(await client.GetAsync("/api/merges/not-an-id"), 404, "API-NOTFOUND-001");
    }

    [Fact]
    public async Task Erasure_RemovesThePersonsDataFromTheCustomerAndTheExport_AndRunsOnce()
    {
        var client = factory.ClientFor(ApiFactory.KeyA);
        var email = Unique("erin.erase") + "@a.example";
        var id = (string)(await Api.CreateCustomerAsync(client, "Erin", "Erase", email))["id"]!;
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/touchpoints", Api.Json(Api.Touchpoint(id, "erin-order-" + id, 25m)))).StatusCode);

        var export = await client.GetAsync($"/api/customers/{id}/personal-data");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("application/json", export.Content.Headers.ContentType?.MediaType);
        var before = await export.Content.ReadAsStringAsync();
        Assert.Contains(email, before, StringComparison.Ordinal);
        Assert.Contains("Erase", before, StringComparison.Ordinal);
        await Api.AssertProblemAsync(await client.GetAsync($"/api/customers/{id}/erasure"), 404, "API-NOTFOUND-001");

        var erased = await client.PostAsync($"/api/customers/{id}/erasure", Api.Json(new { reference = "ticket-42" }));
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        var record = await Api.ReadAsync(erased);
        Assert.Equal(id, (string?)record["customerId"]);
        Assert.Equal("api:tenant-a-service", (string?)record["requestedBy"]);
        Assert.Equal("ticket-42", (string?)record["reference"]);
        Assert.Equal(1, (int)record["removed"]!["contact-points"]!);
        Assert.DoesNotContain(email, record.ToJsonString(), StringComparison.Ordinal);

        var shell = await Api.ReadAsync(await client.GetAsync($"/api/customers/{id}"));
        Assert.Equal("Erased customer", (string?)shell["displayName"]);
        Assert.Empty(shell["contactPoints"]!.AsArray());
        var after = await (await client.GetAsync($"/api/customers/{id}/personal-data")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(email, after, StringComparison.Ordinal);
        Assert.DoesNotContain("Erin", after, StringComparison.Ordinal);

        // The touchpoint (no personal data) stays, so past figures do not change; erasing again returns the same record.
        Assert.Single((await Api.ReadAsync(await client.GetAsync($"/api/customers/{id}/timeline")))["items"]!.AsArray());
        var repeated = await Api.ReadAsync(await client.PostAsync($"/api/customers/{id}/erasure", null));
        Assert.Equal((string?)record["erasedAt"], (string?)repeated["erasedAt"]);
        Assert.Equal((string?)record["erasedAt"], (string?)(await Api.ReadAsync(await client.GetAsync($"/api/customers/{id}/erasure")))["erasedAt"]);
        await Api.AssertProblemAsync(await client.PostAsync($"/api/customers/{Guid.NewGuid()}/erasure", null), 404, "CRM-CUSTOMER-010");
    }
}

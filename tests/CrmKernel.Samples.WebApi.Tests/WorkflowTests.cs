using System.Net;

namespace CrmKernel.Samples.WebApi.Tests;

/// <summary>The endpoints doing their jobs: consent and may-contact, lifecycle, relationships on the timeline, segments and a campaign.</summary>
[Collection(ApiCollection.Name)]
public sealed class WorkflowTests(ApiFactory factory)
{
    private static async Task<HttpResponseMessage> SendWithETagAsync(HttpClient client, HttpMethod method, string path, object body, string customer)
    {
        var current = await client.GetAsync($"/api/customers/{customer}");
        var request = new HttpRequestMessage(method, path) { Content = Api.Json(body) };
        request.Headers.IfMatch.Add(current.Headers.ETag!);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Consent_GrantedThenWithdrawn_ChangesTheAnswerToMayIContact()
    {
        var client = factory.ClientFor(ApiFactory.KeyA);
        var id = (string)(await Api.CreateCustomerAsync(client, "Connie", "Sent", "connie.sent@a.example"))["id"]!;
        var ask = $"/api/customers/{id}/may-contact?purpose=marketing&channel=email";
        Assert.False((bool)(await Api.ReadAsync(await client.GetAsync(ask)))["allowed"]!);

        Assert.Equal(HttpStatusCode.OK, (await SendWithETagAsync(client, HttpMethod.Post, $"/api/customers/{id}/consents", new { action = "grant", purpose = "marketing", channel = "email", source = "web-form" }, id)).StatusCode);
        var allowed = await Api.ReadAsync(await client.GetAsync(ask));
        Assert.True((bool)allowed["allowed"]!);
        Assert.Equal("Granted", (string?)allowed["decidingEntry"]!["status"]);

        Assert.Equal(HttpStatusCode.OK, (await SendWithETagAsync(client, HttpMethod.Post, $"/api/customers/{id}/consents", new { action = "withdraw", purpose = "marketing", channel = "email", source = "unsubscribe-link" }, id)).StatusCode);
        Assert.False((bool)(await Api.ReadAsync(await client.GetAsync(ask)))["allowed"]!);
        Assert.Equal(2, (await Api.ReadAsync(await client.GetAsync($"/api/customers/{id}/consents"))).AsArray().Count);
    }

    [Fact]
    public async Task APurchase_MovesTheCustomerThroughTheLifecycle_AndTheFlowsCountIt()
    {
        var client = factory.ClientFor(ApiFactory.KeyA);
        var id = (string)(await Api.CreateCustomerAsync(client, "Lisa", "Cycle", "lisa.cycle@a.example"))["id"]!;
        Assert.Equal("prospect", (string?)(await Api.ReadAsync(await client.GetAsync($"/api/customers/{id}/lifecycle")))["stage"]);
        var before = await Api.ReadAsync(await client.GetAsync("/api/lifecycle/flows?from=2025-01-01"));

        var recorded = await Api.ReadAsync(await client.PostAsync("/api/touchpoints", Api.Json(Api.Touchpoint(id, "lisa-order-1"))));
        Assert.Contains("prospect->first-time-customer", recorded["transitions"]!.AsArray().Select(t => (string?)t));
        var lifecycle = await Api.ReadAsync(await client.GetAsync($"/api/customers/{id}/lifecycle"));
        Assert.Equal("first-time-customer", (string?)lifecycle["stage"]);
        Assert.Single(lifecycle["history"]!.AsArray());

        var after = await Api.ReadAsync(await client.GetAsync("/api/lifecycle/flows?from=2025-01-01"));
        int Entered(System.Text.Json.Nodes.JsonNode flows) => (int)flows["stages"]!.AsArray().First(s => (string?)s!["stage"] == "first-time-customer")!["entered"]!;
        Assert.Equal(Entered(before) + 1, Entered(after));
    }

    [Fact]
    public async Task ARelationship_BringsTheRelatedPartysTouchpointsOntoTheTimeline_UntilItEnds()
    {
        var client = factory.ClientFor(ApiFactory.KeyA);
        var employer = (string)(await Api.CreateCustomerAsync(client, "Emma", "Employer", "emma@a.example"))["id"]!;
        var employee = (string)(await Api.CreateCustomerAsync(client, "Eddie", "Employee", "eddie@a.example"))["id"]!;
        await client.PostAsync("/api/touchpoints", Api.Json(Api.Touchpoint(employee, "eddie-order-1")));
        var created = await client.PostAsync("/api/relationships", Api.Json(new { type = "employment", from = employer, to = employee, validFrom = "2025-01-01T00:00:00Z", isPrimary = true }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var relationship = (string)(await Api.ReadAsync(created))["id"]!;

        var timeline = await Api.ReadAsync(await client.GetAsync($"/api/customers/{employer}/timeline?related=true"));
        var entry = Assert.Single(timeline["items"]!.AsArray());
        Assert.Equal(employee, (string?)entry!["customerId"]);
        Assert.Equal(relationship, (string?)entry["via"]);
        Assert.Empty((await Api.ReadAsync(await client.GetAsync($"/api/customers/{employer}/timeline"))) ["items"]!.AsArray());

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/relationships/{relationship}/end", Api.Json(new { at = "2025-06-01T00:00:00Z" }))).StatusCode);
        Assert.Empty((await Api.ReadAsync(await client.GetAsync($"/api/customers/{employer}/relationships"))).AsArray());
        Assert.Empty((await Api.ReadAsync(await client.GetAsync($"/api/customers/{employer}/timeline?related=true")))["items"]!.AsArray());
    }

    [Fact]
    public async Task ACampaignToASegment_SendsToConsentingMembersOnce()
    {
        var client = factory.ClientFor(ApiFactory.KeyA);
        var yes = (string)(await Api.CreateCustomerAsync(client, "Yara", "Yes", "yara@a.example"))["id"]!;
        var no = (string)(await Api.CreateCustomerAsync(client, "Nora", "No", "nora@a.example"))["id"]!;
        foreach (var id in new[] { yes, no })
        {
            Assert.Equal(HttpStatusCode.OK, (await SendWithETagAsync(client, HttpMethod.Post, $"/api/customers/{id}/contact-points", new { kind = "Phone", value = "+44 20 7946 0000" }, id)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await SendWithETagAsync(client, HttpMethod.Post, $"/api/customers/{yes}/consents", new { action = "grant", purpose = "marketing", channel = "email", source = "web-form" }, yes)).StatusCode);
        var rule = new { any = new object[] { new { tag = "never-used" }, new { kind = "Person" } } };
        var segment = "campaign-audience-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync($"/api/segments/{segment}", Api.Json(new { displayName = "Everyone", rule, expectedVersion = 0 }))).StatusCode);
        var members = (await Api.ReadAsync(await client.GetAsync($"/api/segments/{segment}/members?limit=500")))["items"]!.AsArray().Select(m => (string?)m).ToList();
        Assert.Contains(yes, members);
        Assert.Contains(no, members);

        var campaign = new { campaignId = "spring-" + segment, channel = "email", purpose = "marketing", subject = "Spring", body = "It is here." };
        var first = await Api.ReadAsync(await client.PostAsync($"/api/segments/{segment}/campaigns", Api.Json(campaign)));
        var outcomes = first["results"]!.AsArray().ToDictionary(r => (string)r!["customerId"]!, r => (string)r!["outcome"]!);
        Assert.Equal("Sent", outcomes[yes]);
        Assert.Equal("Refused", outcomes[no]);
        var again = await Api.ReadAsync(await client.PostAsync($"/api/segments/{segment}/campaigns", Api.Json(campaign)));
        Assert.Equal("AlreadySent", again["results"]!.AsArray().Single(r => (string?)r!["customerId"] == yes)!["outcome"]!.GetValue<string>());
        Assert.Equal(0, (int)again["sent"]!);

        // A stale definition version is refused with the kernel's code.
        var stale = await client.PutAsync($"/api/segments/{segment}", Api.Json(new { displayName = "Again", rule, expectedVersion = 0 }));
        Assert.True(stale.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity, $"a stale segment version answered {(int)stale.StatusCode}");
        Assert.StartsWith("CRM-", (string?)(await Api.ReadAsync(stale))["code"], StringComparison.Ordinal);
    }
}

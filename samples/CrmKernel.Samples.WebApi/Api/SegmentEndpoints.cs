using System.Text.Json;
using CrmKernel.Consent;
using CrmKernel.Customers;
using CrmKernel.Lifecycle;
using CrmKernel.Channels;
using CrmKernel.Primitives;
using CrmKernel.Samples.WebApi.Hosting;
using CrmKernel.Segments;
using CrmKernel.Services.Channels;
using CrmKernel.Services.Segments;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Samples.WebApi.Api;

internal sealed record SegmentRequest(string DisplayName, JsonElement Rule, int ExpectedVersion, string? Description = null);

internal sealed record SegmentDto(string Id, string DisplayName, string? Description, string Rule, int Version);

internal sealed record CampaignRequest(string CampaignId, string Channel, string Purpose, string Subject, string Body);

internal sealed record CampaignResultDto(string CustomerId, string Outcome, string? Refusal);

internal sealed record CampaignDto(string CampaignId, string Segment, int Audience, int Sent, int AlreadySent, int Refused, int Failed, IReadOnlyList<CampaignResultDto> Results);

/// <summary>
/// Segments (a named, versioned rule) and a campaign sent to a segment through the channel dispatcher (consent, quiet
/// hours and frequency caps apply; the dispatch key is campaign, channel and customer, so re-sending sends nothing twice).
/// </summary>
internal static class SegmentEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPut("/segments/{segmentId}", DefineAsync).WithSummary("Defines or redefines a segment (expectedVersion: 0 for a new one)").Produces<SegmentDto>();
        api.MapGet("/segments/{segmentId}", async (HttpContext http, string segmentId, SegmentService segments, CancellationToken ct) =>
        {
            var definition = await segments.FindAsync(http.Tenant(), ParseId(segmentId), cancellationToken: ct) ?? throw ApiProblemException.NotFound("segment");
            return Results.Ok(ToDto(definition));
        }).WithSummary("A segment's current definition").Produces<SegmentDto>();
        api.MapGet("/segments/{segmentId}/members", MembersAsync).WithSummary("The segment's members as of an instant (default now), paged").Produces<Page<string>>();
        api.MapPost("/segments/{segmentId}/campaigns", SendAsync).WithSummary("Sends a campaign to the segment's members as of now").Produces<CampaignDto>();
    }

    private static SegmentId ParseId(string id) => SegmentId.TryParse(id, out var parsed) ? parsed : throw ApiProblemException.NotFound("segment");

    private static SegmentDto ToDto(SegmentDefinition d) => new(d.Id.ToString(), d.DisplayName, d.Description, d.Rule.ToString(), d.Version);

    private static async Task<IResult> DefineAsync(HttpContext http, string segmentId, SegmentRequest request, SegmentService segments, CancellationToken ct)
    {
        var definition = await segments.DefineAsync(http.Tenant(), ParseId(segmentId), request.DisplayName, ParseRule(request.Rule, 0), request.ExpectedVersion, request.Description, ct);
        return Results.Ok(ToDto(definition));
    }

    private static async Task<IResult> MembersAsync(HttpContext http, string segmentId, string? asOf, int? limit, string? after, SegmentService segments, IClock clock, CancellationToken ct)
    {
        var tenant = http.Tenant();
        var id = ParseId(segmentId);
        _ = await segments.FindAsync(tenant, id, cancellationToken: ct) ?? throw ApiProblemException.NotFound("segment");
        var size = ApiLimits.PageSize(limit);
        CustomerId? from = after is null ? null : CustomerId.TryParse(Cursor.Decode(after), out var a) ? a : throw ApiProblemException.Invalid("after is not a cursor this API returned.");
        var at = asOf is null ? clock.GetCurrentInstant() : Dto.ParseInstant(asOf, "asOf");
        var members = new List<CustomerId>();
        await foreach (var member in segments.EvaluateAsync(tenant, id, at, ct))
        {
            members.Add(member);
        }

        members.Sort();
        var page = members.Where(m => from is null || m.CompareTo(from.Value) > 0).Take(size).ToList();
        return Results.Ok(new Page<string>([.. page.Select(m => m.ToString())], page.Count == size ? Cursor.Encode(page[^1].ToString()) : null));
    }

    private static async Task<IResult> SendAsync(HttpContext http, string segmentId, CampaignRequest request, SegmentService segments, ChannelDispatcher dispatcher, IClock clock, CancellationToken ct)
    {
        var tenant = http.Tenant();
        var id = ParseId(segmentId);
        _ = await segments.FindAsync(tenant, id, cancellationToken: ct) ?? throw ApiProblemException.NotFound("segment");
        var purpose = ConsentPurpose.TryParse(request.Purpose, out var p) ? p : throw ApiProblemException.Invalid("purpose is not a consent purpose (e.g. marketing).");
        var channel = ChannelId.TryParse(request.Channel, out var c) ? c : throw ApiProblemException.Invalid("channel is not a valid channel id.");
        var audience = await segments.FreezeAsync(tenant, id, clock.GetCurrentInstant(), ct);
        var results = new List<CampaignResultDto>();
        await foreach (var result in dispatcher.SendCampaignToSegmentAsync(request.CampaignId, channel, purpose, new MessageContent(request.Body, request.Subject), audience, ct))
        {
            results.Add(new CampaignResultDto(result.CustomerId.ToString(), result.Outcome.ToString(), result.Refusal?.ToString()));
        }

        int Count(DispatchOutcome outcome) => results.Count(r => r.Outcome == outcome.ToString());
        return Results.Ok(new CampaignDto(request.CampaignId, id.ToString(), results.Count, Count(DispatchOutcome.Sent), Count(DispatchOutcome.AlreadySent),
            Count(DispatchOutcome.Refused), Count(DispatchOutcome.Failed), results));
    }

    /// <summary>
    /// The sample's JSON form of a rule: <c>{"all":[…]}</c>, <c>{"any":[…]}</c>, <c>{"not":{…}}</c>, <c>{"tag":"vip"}</c>,
    /// <c>{"stage":["loyal","active"]}</c>, <c>{"kind":"Person"}</c>, <c>{"inSegment":"id"}</c>,
    /// <c>{"purchasedWithinDays":90}</c>, <c>{"spendAtLeast":{"amount":100,"currency":"GBP","days":365}}</c>.
    /// </summary>
    internal static SegmentRule ParseRule(JsonElement rule, int depth)
    {
        if (depth > SegmentRule.MaxDepth || rule.ValueKind != JsonValueKind.Object)
        {
            throw ApiProblemException.Invalid("rule must be an object of the documented form, at most 8 deep.");
        }

        var property = rule.EnumerateObject().FirstOrDefault();
        var value = property.Value;
        return property.Name switch
        {
            "all" when value.ValueKind == JsonValueKind.Array => SegmentRule.And(value.EnumerateArray().Select(r => ParseRule(r, depth + 1)).ToList()),
            "any" when value.ValueKind == JsonValueKind.Array => SegmentRule.Or(value.EnumerateArray().Select(r => ParseRule(r, depth + 1)).ToList()),
            "not" => SegmentRule.Not(ParseRule(value, depth + 1)),
            "tag" when value.ValueKind == JsonValueKind.String => new HasTagRule(new CustomerTag(value.GetString()!)),
            "stage" when value.ValueKind == JsonValueKind.Array => new LifecycleStageRule(value.EnumerateArray().Select(s => new LifecycleStage(s.GetString() ?? "")).ToList()),
            "kind" when value.ValueKind == JsonValueKind.String && Enum.TryParse<PartyKind>(value.GetString(), true, out var kind) => new PartyKindRule(kind),
            "inSegment" when value.ValueKind == JsonValueKind.String => new InSegmentRule(ParseId(value.GetString()!)),
            "purchasedWithinDays" when value.TryGetInt32(out var days) && days is > 0 and <= 3660 => new RecencyRule(Duration.FromDays(days), TouchpointKind.Purchase),
            "spendAtLeast" when value.ValueKind == JsonValueKind.Object => new SpendRule(
                Duration.FromDays(value.GetProperty("days").GetInt32()),
                Money.Of(value.GetProperty("amount").GetDecimal(), value.GetProperty("currency").GetString() ?? "GBP")),
            _ => throw ApiProblemException.Invalid("rule is not of the documented form (all, any, not, tag, stage, kind, inSegment, purchasedWithinDays, spendAtLeast)."),
        };
    }
}

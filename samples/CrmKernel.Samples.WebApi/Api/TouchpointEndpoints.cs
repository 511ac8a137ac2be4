using CrmKernel.Primitives;
using CrmKernel.Samples.WebApi.Hosting;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Ingestion;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Samples.WebApi.Api;

/// <summary>
/// Touchpoint ingestion, single and bulk. The idempotency key is the touchpoint's source key (system and key): the same
/// key with the same content is answered as already recorded and stores nothing; with other content it is a 409.
/// </summary>
internal static class TouchpointEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/touchpoints", RecordAsync).WithSummary("Records one touchpoint under its source key (201, or 200 when already recorded)").Produces<IngestionDto>(201);
        api.MapPost("/touchpoints/bulk", RecordManyAsync).WithSummary("Records up to 10,000 touchpoints; per-item outcomes").Produces<BulkIngestionDto>();
        api.MapGet("/touchpoints/count", async (HttpContext http, ITouchpointStore store, CancellationToken ct) =>
            Results.Ok(new { count = await store.CountAsync(http.Tenant(), ct) })).WithSummary("How many touchpoints the tenant has");
    }

    internal static NewTouchpoint ToNew(TouchpointRequest r)
    {
        var currency = r.Currency ?? "GBP";
        return new NewTouchpoint
        {
            CustomerId = CustomerEndpoints.ParseId(r.CustomerId),
            Channel = ChannelId.TryParse(r.Channel, out var channel) ? channel : throw ApiProblemException.Invalid("channel is not a valid channel id."),
            Direction = Enum.TryParse<InteractionDirection>(r.Direction, true, out var direction) && Enum.IsDefined(direction) ? direction : throw ApiProblemException.Invalid("direction must be Inbound or Outbound."),
            Function = Enum.TryParse<CrmFunction>(r.Function, true, out var function) && Enum.IsDefined(function) ? function : throw ApiProblemException.Invalid("function is not a CRM function."),
            Kind = new TouchpointKind(r.Kind),
            OccurredAt = Dto.ParseInstant(r.OccurredAt, "occurredAt"),
            Source = new ExternalIdentifier(r.Source.System, r.Source.Key),
            Revenue = r.Revenue is { } revenue ? Money.Of(revenue, currency) : null,
            Cost = r.Cost is { } cost ? Money.Of(cost, currency) : null,
            Satisfaction = r.Csat is { } csat ? new CsatScore(csat) : null,
            CampaignId = r.CampaignId,
        };
    }

    private static async Task<IResult> RecordAsync(HttpContext http, TouchpointRequest request, TouchpointIngestion ingestion, CancellationToken ct)
    {
        // Refuse: a touchpoint for a customer the tenant does not have stores nothing (404), so no id from another tenant is written to.
        var result = await ingestion.RecordAsync(http.Tenant(), ToNew(request), UnknownCustomerPolicy.Refuse, ct);
        if (result.Conflicts.Count > 0)
        {
            throw new ApiProblemException(StatusCodes.Status409Conflict, Kernel.TouchpointConflictCode, "Conflict",
                "A touchpoint with this source key is already recorded with other content; nothing was stored.");
        }

        if (result.Invalid.Count > 0)
        {
            throw ApiProblemException.Invalid("The touchpoint is not valid: " + result.Invalid[0].Reason);
        }

        var dto = new IngestionDto(result.Recorded == 1, result.AlreadyRecorded, result.Touchpoint is null ? null : Dto.Touchpoint(result.Touchpoint),
            [.. result.Transitions.Select(t => $"{t.Transition.From.Value}->{t.Transition.To.Value}")]);
        return result.Recorded == 1 ? Results.Created($"/api/customers/{request.CustomerId}/timeline", dto) : Results.Ok(dto);
    }

    private static async Task<IResult> RecordManyAsync(HttpContext http, BulkTouchpointRequest request, TouchpointIngestion ingestion, CustomerRepository customers, CancellationToken ct)
    {
        var tenant = http.Tenant();
        if (request.Items is null || request.Items.Count > ApiLimits.MaxBulkTouchpoints)
        {
            throw ApiProblemException.Invalid($"items must hold 0 to {ApiLimits.MaxBulkTouchpoints} touchpoints.");
        }

        // Items that cannot be read or name a customer the tenant does not have are refused one by one; the rest are recorded.
        var invalid = new List<BulkItemProblem>();
        var accepted = new List<(int Index, NewTouchpoint Touchpoint)>();
        var known = new Dictionary<CustomerId, bool>();
        for (var i = 0; i < request.Items.Count; i++)
        {
            NewTouchpoint touchpoint;
            try
            {
                touchpoint = ToNew(request.Items[i]);
            }
            catch (Exception e) when (e is ApiProblemException or ArgumentException or FormatException)
            {
                invalid.Add(new BulkItemProblem(i, e is ApiProblemException p ? p.Message : "A value is not valid."));
                continue;
            }

            if (!known.TryGetValue(touchpoint.CustomerId, out var exists))
            {
                known[touchpoint.CustomerId] = exists = await customers.FindAsync(tenant, touchpoint.CustomerId, ct) is not null;
            }

            if (!exists)
            {
                invalid.Add(new BulkItemProblem(i, "No customer with that id in this tenant."));
                continue;
            }

            accepted.Add((i, touchpoint));
        }

        var result = accepted.Count == 0 ? null : await ingestion.RecordManyAsync(tenant, accepted.Select(a => a.Touchpoint), ct);
        return Results.Ok(new BulkIngestionDto(
            request.Items.Count,
            result?.Recorded ?? 0,
            result is null ? [] : [.. result.AlreadyPresent.Select(i => accepted[i].Index)],
            result is null ? [] : [.. result.Conflicts.Select(c => new BulkItemProblem(accepted[c.Index].Index, "Already recorded with other content."))],
            [.. invalid, .. result is null ? [] : result.Invalid.Select(r => new BulkItemProblem(accepted[r.Index].Index, r.Reason))]));
    }
}

/// <summary>Kernel error codes the sample answers with itself.</summary>
internal static class Kernel
{
    public const string TouchpointConflictCode = Diagnostics.CrmErrorCodes.TouchpointConflict;
}

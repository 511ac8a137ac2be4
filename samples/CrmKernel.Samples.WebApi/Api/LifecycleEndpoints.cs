using CrmKernel.Customers;
using CrmKernel.Lifecycle;
using CrmKernel.Samples.WebApi.Hosting;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Lifecycle;
using CrmKernel.Storage;
using NodaTime;

namespace CrmKernel.Samples.WebApi.Api;

internal sealed record StageCountDto(string Stage, int Customers, int Entered);

internal sealed record FlowDto(string From, string To, int Count);

internal sealed record LifecycleFlowsDto(string From, string To, IReadOnlyList<StageCountDto> Stages, IReadOnlyList<FlowDto> Flows, int Transitions);

/// <summary>Each customer's lifecycle stage and history, commands, and the tenant's funnel and flows over a period.</summary>
internal static class LifecycleEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/customers/{id}/lifecycle", async (HttpContext http, string id, CustomerRepository customers, LifecycleModel model, CancellationToken ct) =>
        {
            var c = await CustomerEndpoints.LoadAsync(customers, http.Tenant(), id, ct);
            return Results.Ok(new LifecycleDto(c.Id.ToString(), c.LifecycleStageIn(model).Value, Dto.Text(c.Lifecycle.EnteredStageAt), c.Lifecycle.Facts.PurchaseCount,
                [.. c.Lifecycle.History.Select(Dto.Transition)]));
        }).WithSummary("The customer's lifecycle stage and its history").Produces<LifecycleDto>();
        api.MapPost("/customers/{id}/lifecycle/commands", async (HttpContext http, string id, LifecycleCommandRequest request, CustomerRepository customers, LifecycleService lifecycle, CancellationToken ct) =>
        {
            var customer = await CustomerEndpoints.LoadAsync(customers, http.Tenant(), id, ct);
            var record = await lifecycle.ApplyCommandAsync(http.Tenant(), customer.Id, request.Command, http.Actor(), request.Reason, ct);
            return Results.Ok(Dto.Transition(record));
        }).WithSummary("Applies a lifecycle command (e.g. mark-former); 422 when the model does not allow it").Produces<TransitionDto>();
        api.MapGet("/lifecycle/flows", FlowsAsync).WithSummary("Customers per stage now, and the moves between stages in a period").Produces<LifecycleFlowsDto>();
    }

    private static async Task<IResult> FlowsAsync(HttpContext http, string? from, string? to, ICustomerStore store, LifecycleService lifecycle, IClock clock, CancellationToken ct)
    {
        var tenant = http.Tenant();
        var today = clock.GetCurrentInstant().InUtc().Date;
        var start = Dto.ParseDate(from, "from", today.PlusYears(-1));
        var end = Dto.ParseDate(to, "to", today);
        if (end < start)
        {
            throw ApiProblemException.Invalid("to is before from.");
        }

        var model = lifecycle.Model;
        var current = model.Stages.ToDictionary(s => s, _ => 0);
        await foreach (var snapshot in ReportEndpoints.AllCustomersAsync(store, tenant, ct))
        {
            var stage = Customer.Rehydrate(snapshot, clock).LifecycleStageIn(model);
            current[stage] = current.GetValueOrDefault(stage) + 1;
        }

        var period = new Interval(start.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant(), end.PlusDays(1).AtStartOfDayInZone(DateTimeZone.Utc).ToInstant());
        var flows = new Dictionary<(LifecycleStage, LifecycleStage), int>();
        var entered = new Dictionary<LifecycleStage, int>();
        var total = 0;
        await foreach (var move in lifecycle.StreamTransitionsAsync(tenant, period, ct))
        {
            total++;
            var key = (move.Transition.From, move.Transition.To);
            flows[key] = flows.GetValueOrDefault(key) + 1;
            entered[move.Transition.To] = entered.GetValueOrDefault(move.Transition.To) + 1;
        }

        return Results.Ok(new LifecycleFlowsDto(
            start.ToString("yyyy-MM-dd", null), end.ToString("yyyy-MM-dd", null),
            [.. current.Select(s => new StageCountDto(s.Key.Value, s.Value, entered.GetValueOrDefault(s.Key)))],
            [.. flows.OrderByDescending(f => f.Value).ThenBy(f => f.Key.Item1.Value, StringComparer.Ordinal).Select(f => new FlowDto(f.Key.Item1.Value, f.Key.Item2.Value, f.Value))],
            total));
    }
}

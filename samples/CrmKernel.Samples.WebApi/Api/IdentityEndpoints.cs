using CrmKernel.Identity;
using CrmKernel.Primitives;
using CrmKernel.Samples.WebApi.Hosting;
using CrmKernel.Services.Identity;
using CrmKernel.Storage;

namespace CrmKernel.Samples.WebApi.Api;

/// <summary>
/// Identity resolution: the likely duplicates of a customer (scored, with a reason per field), merging two customers
/// into one, and undoing a merge. A merge keeps a record with everything needed to undo it; the API shows the record's
/// ids and counts, never the personal data it holds.
/// </summary>
internal static class IdentityEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/customers/{id}/duplicates", DuplicatesAsync).WithSummary("The customer's likely duplicates, highest score first, each with its field comparisons").Produces<IReadOnlyList<DuplicateDto>>();
        api.MapPost("/merges", MergeAsync).WithSummary("Merges one customer into another (201; 200 when this merge is already active)").Produces<MergeDto>(201);
        api.MapGet("/merges/{mergeId}", GetAsync).WithSummary("One merge record: who survived, who was merged away, what moved, whether it was undone").Produces<MergeDto>();
        api.MapPost("/merges/{mergeId}/undo", UndoAsync).WithSummary("Undoes a merge: both customers as they were, with what arrived in between on the right one").Produces<MergeDto>();
    }

    private static async Task<IResult> DuplicatesAsync(HttpContext http, string id, DuplicateDetector detector, CancellationToken ct)
    {
        var result = await detector.FindCandidatesForAsync(http.Tenant(), CustomerEndpoints.ParseId(id), ct);
        return Results.Ok(result.Candidates.Select(Duplicate).ToList());
    }

    private static async Task<IResult> MergeAsync(HttpContext http, MergeRequest request, CustomerMergeService merges, ICustomerMergeStore store, CancellationToken ct)
    {
        var tenant = http.Tenant();
        var survivor = CustomerEndpoints.ParseId(request.Survivor);
        var merged = CustomerEndpoints.ParseId(request.Merged);
        var before = await store.FindActiveMergeAsync(tenant, merged, ct);
        var record = await merges.MergeAsync(tenant, survivor, merged, cancellationToken: ct);
        var dto = Merge(record);
        return before?.Id == record.Id ? Results.Ok(dto) : Results.Created($"/api/merges/{record.Id}", dto);
    }

    private static async Task<IResult> GetAsync(HttpContext http, string mergeId, ICustomerMergeStore store, CancellationToken ct)
        => Results.Ok(Merge(await FindAsync(http, mergeId, store, ct)));

    private static async Task<IResult> UndoAsync(HttpContext http, string mergeId, CustomerMergeService merges, ICustomerMergeStore store, CancellationToken ct)
    {
        // Another tenant's merge id is "not found", exactly like an id that does not exist.
        var record = await FindAsync(http, mergeId, store, ct);
        return Results.Ok(Merge(await merges.UnmergeAsync(http.Tenant(), record.Id, ct)));
    }

    private static async ValueTask<CustomerMergeRecord> FindAsync(HttpContext http, string mergeId, ICustomerMergeStore store, CancellationToken ct)
        => CustomerMergeId.TryParse(mergeId, null, out var parsed) && await store.FindMergeAsync(http.Tenant(), parsed, ct) is { } record
            ? record
            : throw ApiProblemException.NotFound("merge");

    private static DuplicateDto Duplicate(DuplicateCandidate c) => new(
        c.FirstId.ToString(), c.SecondId.ToString(), c.Kind.ToString(), Math.Round(c.Score, 4), c.Decision.ToString(),
        [.. c.Comparisons.Select(f => new FieldComparisonDto(f.Field, f.Similarity is { } s ? Math.Round(s, 4) : null, f.Weight))]);

    private static MergeDto Merge(CustomerMergeRecord r) => new(
        r.Id.ToString(), r.SurvivorId.ToString(), r.MergedId.ToString(), Dto.Text(r.MergedAt), r.IsActive, r.UnmergedAt is { } at ? Dto.Text(at) : null,
        r.MovedTouchpoints.Count, r.RedirectedTouchpoints.Count, r.MovedRelationships.Count);
}

using System.Text;
using CrmKernel.Privacy;
using CrmKernel.Samples.WebApi.Hosting;
using CrmKernel.Services.Privacy;

namespace CrmKernel.Samples.WebApi.Api;

/// <summary>
/// The data subject's rights: erasure (the right to be forgotten; the customer stays as a pseudonymous shell so past
/// figures do not change) and access (everything held about the person as one JSON document, docs/privacy.md). Who ran
/// an erasure comes from the caller's credential, never from the request body.
/// </summary>
internal static class PrivacyEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/customers/{id}/erasure", EraseAsync).WithSummary("Erases the customer's personal data (or returns the earlier erasure's record); 422 CRM-PRIV-001 while a lawful hold applies").Produces<ErasureDto>();
        api.MapGet("/customers/{id}/erasure", async (HttpContext http, string id, ErasureService erasures, CancellationToken ct) =>
            await erasures.FindAsync(http.Tenant(), CustomerEndpoints.ParseId(id), ct) is { } record
                ? Results.Ok(Erasure(record))
                : throw ApiProblemException.NotFound("erasure of a customer")).WithSummary("The record that proves the customer's erasure: when, by whom, what was removed (no personal data)").Produces<ErasureDto>();
        api.MapGet("/customers/{id}/personal-data", ExportAsync).WithSummary("Everything held about the person, as one JSON document (an access request)");
    }

    private static async Task<IResult> EraseAsync(HttpContext http, string id, ErasureRequest? request, ErasureService erasures, CancellationToken ct)
    {
        var record = await erasures.EraseAsync(http.Tenant(), CustomerEndpoints.ParseId(id), RequestedBy(http), request?.Reference, ct);
        return Results.Ok(Erasure(record));
    }

    private static async Task<IResult> ExportAsync(HttpContext http, string id, PersonalDataExporter exporter, CancellationToken ct)
    {
        // Buffered, so that a customer that does not exist is a 404 problem, not a half-written document.
        using var buffer = new MemoryStream();
        await exporter.ExportAsync(http.Tenant(), CustomerEndpoints.ParseId(id), buffer, ct);
        return Results.Bytes(buffer.ToArray(), "application/json");
    }

    /// <summary>The caller as a slug the erasure record accepts: <c>api:</c> and the credential's subject.</summary>
    internal static string RequestedBy(HttpContext http)
    {
        var subject = http.User.FindFirst("sub")?.Value ?? "anonymous";
        var slug = new StringBuilder("api:");
        foreach (var c in subject.ToLowerInvariant())
        {
            slug.Append(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.' or ':' or '/' ? c : '-');
            if (slug.Length == ErasureRecord.MaxTextLength)
            {
                break;
            }
        }

        return slug.ToString();
    }

    private static ErasureDto Erasure(ErasureRecord r) => new(
        r.CustomerId.ToString(), Dto.Text(r.ErasedAt), r.ShellVersion, r.RequestedBy, r.Reference,
        r.Counts.ToDictionary(c => c.Category, c => c.Count, StringComparer.Ordinal));
}

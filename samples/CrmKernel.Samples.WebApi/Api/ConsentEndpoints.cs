using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Lifecycle;
using CrmKernel.Samples.WebApi.Hosting;
using CrmKernel.Services.Customers;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Samples.WebApi.Api;

/// <summary>The consent ledger: grant, decline, withdraw, and the question "may I contact this customer".</summary>
internal static class ConsentEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/customers/{id}/consents", async (HttpContext http, string id, CustomerRepository customers, CancellationToken ct) =>
        {
            var customer = await CustomerEndpoints.LoadAsync(customers, http.Tenant(), id, ct);
            return Results.Ok(customer.Consent.Entries.Select(Dto.Consent).ToList());
        }).WithSummary("The customer's consent ledger, oldest first").Produces<IReadOnlyList<ConsentDto>>();
        api.MapPost("/customers/{id}/consents", RecordAsync).WithSummary("Grants, declines or withdraws consent (If-Match required)").Produces<CustomerDto>();
        api.MapGet("/customers/{id}/may-contact", MayContactAsync).WithSummary("May this customer be contacted for a purpose on a channel now?").Produces<MayContactDto>();
    }

    private static async Task<IResult> RecordAsync(HttpContext http, string id, ConsentRequest request, CustomerRepository customers, LifecycleModel model, CancellationToken ct)
    {
        var customer = await CustomerEndpoints.LoadAsync(customers, http.Tenant(), id, ct);
        CustomerEndpoints.RequireIfMatch(http, customer);
        var purpose = ConsentPurpose.TryParse(request.Purpose, out var p) ? p : throw ApiProblemException.Invalid("purpose is not a consent purpose (e.g. marketing).");
        ChannelId? channel = request.Channel is null ? null : ChannelId.TryParse(request.Channel, out var c) ? c : throw ApiProblemException.Invalid("channel is not a valid channel id.");
        var point = request.ContactPoint is null ? null : CustomerEndpoints.ParseContactPoint(request.ContactPoint);
        switch (request.Action.ToLowerInvariant())
        {
            case "grant":
                customer.GrantConsent(purpose, channel, point, request.Source, request.Evidence, request.ValidUntil is null ? null : Dto.ParseInstant(request.ValidUntil, "validUntil"));
                break;
            case "decline":
                customer.DeclineConsent(purpose, channel, point, request.Source, request.Evidence);
                break;
            case "withdraw":
                customer.WithdrawConsent(purpose, channel, point, request.Source, request.Evidence);
                break;
            default:
                throw ApiProblemException.Invalid("action must be grant, decline or withdraw.");
        }

        await customers.SaveAsync(customer, ct);
        return CustomerEndpoints.WithETag(http, customer, model);
    }

    private static async Task<IResult> MayContactAsync(HttpContext http, string id, string purpose, string channel, string? contactKind, CustomerRepository customers, IClock clock, CancellationToken ct)
    {
        var customer = await CustomerEndpoints.LoadAsync(customers, http.Tenant(), id, ct);
        var asked = ConsentPurpose.TryParse(purpose, out var p) ? p : throw ApiProblemException.Invalid("purpose is not a consent purpose (e.g. marketing).");
        var on = ChannelId.TryParse(channel, out var c) ? c : throw ApiProblemException.Invalid("channel is not a valid channel id.");
        var kind = contactKind is null
            ? channel.Contains("sms", StringComparison.OrdinalIgnoreCase) || channel.Contains("phone", StringComparison.OrdinalIgnoreCase) ? ContactPointKind.Phone : ContactPointKind.Email
            : Enum.TryParse<ContactPointKind>(contactKind, true, out var k) && Enum.IsDefined(k) ? k : throw ApiProblemException.Invalid("contactKind must be Email, Phone, PostalAddress or SocialHandle.");
        var point = customer.PrimaryContactPoint(kind);
        if (point is null)
        {
            return Results.Ok(new MayContactDto(asked.Value, on.ToString(), kind.ToString(), false, "NoContactPoint", null));
        }

        var permission = customer.MayContact(asked, on, point, clock.GetCurrentInstant());
        return Results.Ok(new MayContactDto(asked.Value, on.ToString(), kind.ToString(), permission.IsAllowed, permission.Answer.ToString(),
            permission.DecidingEntry is null ? null : Dto.Consent(permission.DecidingEntry)));
    }
}

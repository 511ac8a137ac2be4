using System.Text;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Relationships;
using CrmKernel.Samples.WebApi.Hosting;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Relationships;
using CrmKernel.Services.Timeline;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CrmKernel.Samples.WebApi.Api;

/// <summary>Customers, their contact points, relationships and timeline.</summary>
internal static class CustomerEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/customers", ListAsync).WithSummary("A page of the tenant's customers, in id order").Produces<Page<CustomerDto>>();
        api.MapGet("/customers/count", async (HttpContext http, CustomerRepository customers, CancellationToken ct) =>
            Results.Ok(new { count = await customers.CountAsync(http.Tenant(), ct) })).WithSummary("How many customers the tenant has");
        api.MapPost("/customers", CreateAsync).WithSummary("Registers a person or an organisation").Produces<CustomerDto>(201);
        api.MapGet("/customers/{id}", GetAsync).WithSummary("One customer; the ETag is its version").Produces<CustomerDto>();
        api.MapPut("/customers/{id}/profile", ChangeProfileAsync).WithSummary("Changes names and home time zone (If-Match required)").Produces<CustomerDto>();
        api.MapPost("/customers/{id}/contact-points", AddContactPointAsync).WithSummary("Adds a contact point (If-Match required)").Produces<CustomerDto>();
        api.MapPost("/customers/{id}/contact-points/removal", RemoveContactPointAsync).WithSummary("Removes a contact point (If-Match required)").Produces<CustomerDto>();
        api.MapGet("/customers/{id}/relationships", RelationshipsAsync).WithSummary("The customer's relationships valid at an instant (default now)").Produces<IReadOnlyList<RelationshipDto>>();
        api.MapPost("/relationships", EstablishAsync).WithSummary("Establishes a relationship between two customers").Produces<RelationshipDto>(201);
        api.MapPost("/relationships/{relationshipId}/end", EndAsync).WithSummary("Ends a relationship at an instant (default now)").Produces<RelationshipDto>();
        api.MapGet("/customers/{id}/timeline", TimelineAsync).WithSummary("The customer's touchpoints in time order, paged; related=true adds related parties'").Produces<Page<TouchpointDto>>();
    }

    internal static CustomerId ParseId(string id) => CustomerId.TryParse(id, out var parsed) ? parsed : throw ApiProblemException.NotFound("customer");

    internal static async ValueTask<Customer> LoadAsync(CustomerRepository customers, TenantId tenant, string id, CancellationToken ct) =>
        await customers.FindAsync(tenant, ParseId(id), ct) ?? throw ApiProblemException.NotFound("customer");

    internal static string ETag(Customer customer) => $"\"{customer.Version}\"";

    /// <summary>Every change of a customer names the version it was made against: no If-Match is 428, a stale one 412.</summary>
    internal static void RequireIfMatch(HttpContext http, Customer customer)
    {
        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrEmpty(ifMatch))
        {
            throw new ApiProblemException(StatusCodes.Status428PreconditionRequired, ApiErrorCodes.PreconditionRequired, "Precondition required",
                "Send If-Match with the customer's ETag (from GET) to change it.");
        }

        if (ifMatch != "*" && !ifMatch.Split(',').Select(v => v.Trim()).Contains(ETag(customer), StringComparer.Ordinal))
        {
            throw new ApiProblemException(StatusCodes.Status412PreconditionFailed, ApiErrorCodes.PreconditionFailed, "Precondition failed",
                $"Customer {customer.Id} is at version {customer.Version}; the If-Match version is stale. Read it again and retry.");
        }
    }

    internal static IResult WithETag(HttpContext http, Customer customer, LifecycleModel model, int status = 200)
    {
        http.Response.Headers.ETag = ETag(customer);
        var dto = Dto.Customer(customer, model);
        return status == 201 ? Results.Created($"/api/customers/{customer.Id}", dto) : Results.Ok(dto);
    }

    private static async Task<IResult> ListAsync(HttpContext http, ICustomerStore store, LifecycleModel model, int? limit, string? after, CancellationToken ct)
    {
        var size = ApiLimits.PageSize(limit);
        CustomerId? from = after is null ? null : CustomerId.TryParse(Cursor.Decode(after), out var a) ? a : throw ApiProblemException.Invalid("after is not a cursor this API returned.");
        var page = await store.PageAsync(http.Tenant(), from, size, ct);
        var clock = http.RequestServices.GetRequiredService<IClock>();
        var items = page.Select(s => Dto.Customer(Customer.Rehydrate(s, clock), model)).ToList();
        return Results.Ok(new Page<CustomerDto>(items, page.Count == size ? Cursor.Encode(page[^1].Id.ToString()) : null));
    }

    private static async Task<IResult> CreateAsync(HttpContext http, NewCustomerRequest request, CustomerRepository customers, LifecycleModel model, IClock clock, CancellationToken ct)
    {
        var tenant = http.Tenant();
        PartyProfile profile = request.Kind.ToLowerInvariant() switch
        {
            "person" => new PersonProfile(request.GivenName, request.FamilyName),
            "organization" or "organisation" => new OrganizationProfile(request.LegalName ?? throw ApiProblemException.Invalid("legalName is required for an organization.")),
            _ => throw ApiProblemException.Invalid("kind must be person or organization."),
        };
        var customer = Customer.Register(tenant, profile, clock);
        if (request.Email is not null)
        {
            customer.AddContactPoint(EmailAddress.Parse(request.Email));
        }

        if (request.Phone is not null)
        {
            customer.AddContactPoint(PhoneNumber.Parse(request.Phone, request.PhoneRegion));
        }

        if (request.ExternalId is not null)
        {
            customer.AddExternalIdentifier(new ExternalIdentifier(request.ExternalId.System, request.ExternalId.Key));
        }

        foreach (var tag in request.Tags ?? [])
        {
            customer.Tag(new CustomerTag(tag));
        }

        if (request.HomeTimeZone is not null)
        {
            customer.ChangeHomeTimeZone(Zone(request.HomeTimeZone));
        }

        await customers.SaveAsync(customer, ct);
        return WithETag(http, customer, model, 201);
    }

    internal static DateTimeZone Zone(string id) => DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) ?? throw ApiProblemException.Invalid("The time zone is not a TZDB id (e.g. Europe/London).");

    private static async Task<IResult> GetAsync(HttpContext http, string id, CustomerRepository customers, LifecycleModel model, CancellationToken ct)
    {
        var customer = await LoadAsync(customers, http.Tenant(), id, ct);
        if (http.Request.Headers.IfNoneMatch.ToString() == ETag(customer))
        {
            http.Response.Headers.ETag = ETag(customer);
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return WithETag(http, customer, model);
    }

    private static async Task<IResult> ChangeProfileAsync(HttpContext http, string id, ProfileRequest request, CustomerRepository customers, LifecycleModel model, CancellationToken ct)
    {
        var customer = await LoadAsync(customers, http.Tenant(), id, ct);
        RequireIfMatch(http, customer);
        switch (customer.Profile)
        {
            case PersonProfile person:
                customer.ChangeProfile(person.WithNames(request.GivenName ?? person.GivenName, request.FamilyName ?? person.FamilyName, person.PreferredName));
                break;
            case OrganizationProfile organisation when request.LegalName is not null:
                customer.ChangeProfile(organisation.WithNames(request.LegalName, organisation.TradingName));
                break;
        }

        if (request.HomeTimeZone is not null)
        {
            customer.ChangeHomeTimeZone(Zone(request.HomeTimeZone));
        }

        await customers.SaveAsync(customer, ct);
        return WithETag(http, customer, model);
    }

    internal static ContactPoint ParseContactPoint(ContactPointRequest request) =>
        Enum.TryParse<ContactPointKind>(request.Kind, ignoreCase: true, out var kind) && Enum.IsDefined(kind)
            ? kind == ContactPointKind.Phone ? PhoneNumber.Parse(request.Value, request.Region) : ContactPoint.Parse(kind, request.Value)
            : throw ApiProblemException.Invalid("kind must be Email, Phone, PostalAddress or SocialHandle.");

    private static async Task<IResult> AddContactPointAsync(HttpContext http, string id, ContactPointRequest request, CustomerRepository customers, LifecycleModel model, CancellationToken ct)
    {
        var customer = await LoadAsync(customers, http.Tenant(), id, ct);
        RequireIfMatch(http, customer);
        customer.AddContactPoint(ParseContactPoint(request), request.Label, request.MakePrimary);
        await customers.SaveAsync(customer, ct);
        return WithETag(http, customer, model);
    }

    private static async Task<IResult> RemoveContactPointAsync(HttpContext http, string id, ContactPointRequest request, CustomerRepository customers, LifecycleModel model, CancellationToken ct)
    {
        var customer = await LoadAsync(customers, http.Tenant(), id, ct);
        RequireIfMatch(http, customer);
        customer.RemoveContactPoint(ParseContactPoint(request));
        await customers.SaveAsync(customer, ct);
        return WithETag(http, customer, model);
    }

    private static async Task<IResult> RelationshipsAsync(HttpContext http, string id, string? asOf, CustomerRepository customers, RelationshipGraph graph, IClock clock, CancellationToken ct)
    {
        var tenant = http.Tenant();
        var customer = await LoadAsync(customers, tenant, id, ct);
        var at = asOf is null ? clock.GetCurrentInstant() : Dto.ParseInstant(asOf, "asOf");
        var relationships = await graph.AsOfAsync(tenant, customer.Id, at, ct);
        return Results.Ok(relationships.Select(r => Dto.Relationship(r, customer.Id)).ToList());
    }

    internal static RelationshipType RelationshipTypeOf(string id) =>
        new[] { RelationshipType.Employment, RelationshipType.Household, RelationshipType.ParentSubsidiary, RelationshipType.Referral, RelationshipType.Colleague }
            .FirstOrDefault(t => t.Id == id) ?? throw ApiProblemException.Invalid("type must be employment, household, parent-subsidiary, referral or colleague.");

    private static async Task<IResult> EstablishAsync(HttpContext http, NewRelationshipRequest request, CustomerRepository customers, RelationshipGraph graph, IClock clock, CancellationToken ct)
    {
        var tenant = http.Tenant();
        // Both parties must be the tenant's customers: a relationship never reaches into another tenant.
        var from = await LoadAsync(customers, tenant, request.From, ct);
        var to = await LoadAsync(customers, tenant, request.To, ct);
        var validFrom = request.ValidFrom is null ? clock.GetCurrentInstant() : Dto.ParseInstant(request.ValidFrom, "validFrom");
        var relationship = await graph.EstablishAsync(tenant, RelationshipTypeOf(request.Type), from.Id, to.Id, validFrom, isPrimary: request.IsPrimary, cancellationToken: ct);
        return Results.Created($"/api/relationships/{relationship.Id}", Dto.Relationship(relationship, from.Id));
    }

    private static async Task<IResult> EndAsync(HttpContext http, string relationshipId, EndRelationshipRequest request, RelationshipGraph graph, IClock clock, CancellationToken ct)
    {
        var tenant = http.Tenant();
        var id = RelationshipId.TryParse(relationshipId, out var parsed) ? parsed : throw ApiProblemException.NotFound("relationship");
        var at = request.At is null ? clock.GetCurrentInstant() : Dto.ParseInstant(request.At, "at");
        var store = http.RequestServices.GetRequiredService<IRelationshipStore>();
        _ = await store.FindAsync(tenant, id, ct) ?? throw ApiProblemException.NotFound("relationship");
        var ended = await graph.EndAsync(tenant, id, at, ct);
        return Results.Ok(Dto.Relationship(ended, ended.From));
    }

    private static async Task<IResult> TimelineAsync(
        HttpContext http, string id, int? limit, string? after, bool? related, string? from, string? to,
        CustomerRepository customers, CustomerTimeline timeline, RelationshipGraph graph, IClock clock, CancellationToken ct)
    {
        var tenant = http.Tenant();
        var customer = await LoadAsync(customers, tenant, id, ct);
        var size = ApiLimits.PageSize(limit);
        var via = new Dictionary<CustomerId, Relationship>();
        if (related == true)
        {
            foreach (var relationship in await graph.AsOfAsync(tenant, customer.Id, clock.GetCurrentInstant(), ct))
            {
                via.TryAdd(relationship.Other(customer.Id), relationship);
            }
        }

        var filter = new TimelineFilter(
            [customer.Id, .. via.Keys],
            from is null ? null : Dto.ParseInstant(from, "from"),
            to is null ? null : Dto.ParseInstant(to, "to"));
        var page = await timeline.ReadPageAsync(tenant, filter, after is null ? null : Cursor.DecodePosition(after), size, ct);
        var items = page.Select(t => Dto.Touchpoint(t, via.GetValueOrDefault(t.CustomerId))).ToList();
        return Results.Ok(new Page<TouchpointDto>(items, page.Count == size ? Cursor.EncodePosition(page[^1].Position) : null));
    }
}

/// <summary>Opaque page cursors: base64url text the client passes back unchanged.</summary>
internal static class Cursor
{
    public static string Encode(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Decode(string cursor)
    {
        try
        {
            var text = cursor.Replace('-', '+').Replace('_', '/');
            return Encoding.UTF8.GetString(Convert.FromBase64String(text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=')));
        }
        catch (FormatException)
        {
            throw ApiProblemException.Invalid("after is not a cursor this API returned.");
        }
    }

    public static string EncodePosition(TimelinePosition position) => Encode($"{position.OccurredAt.ToUnixTimeTicks()}|{position.Id}");

    public static TimelinePosition DecodePosition(string cursor)
    {
        var parts = Decode(cursor).Split('|');
        return parts.Length == 2 && long.TryParse(parts[0], out var ticks) && TouchpointId.TryParse(parts[1], out var id)
            ? new TimelinePosition(Instant.FromUnixTimeTicks(ticks), id)
            : throw ApiProblemException.Invalid("after is not a cursor this API returned.");
    }
}

using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using CrmKernel.Primitives;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CrmKernel.Samples.WebApi.Hosting;

/// <summary>One configured API key and the tenant it acts for (<c>Auth:ApiKeys</c>).</summary>
internal sealed class ApiKeyEntry
{
    public string Key { get; set; } = "";

    public string Tenant { get; set; } = "";

    /// <summary>Who holds the key (logged and used as the actor of lifecycle commands); never the key itself.</summary>
    public string Name { get; set; } = "";
}

/// <summary>The API keys the sample accepts.</summary>
internal sealed class ApiKeyOptions : AuthenticationSchemeOptions
{
    public List<ApiKeyEntry> ApiKeys { get; set; } = [];
}

/// <summary>
/// Authenticates a request by its <c>X-Api-Key</c> header: a configured key signs the caller in as that key's tenant.
/// Keys are compared in constant time. No header: no result (the challenge answers 401); a wrong key: a failure (401).
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<ApiKeyOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<ApiKeyOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values) || values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var presented = Encoding.UTF8.GetBytes(values[0]!);
        foreach (var entry in Options.ApiKeys)
        {
            if (entry.Key.Length > 0 && CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(entry.Key)))
            {
                var claims = new List<Claim> { new("sub", string.IsNullOrEmpty(entry.Name) ? "api-key" : entry.Name) };
                if (TenantId.TryParse(entry.Tenant, out _))
                {
                    claims.Add(new Claim(TenantAccess.TenantClaim, entry.Tenant));
                }

                var identity = new ClaimsIdentity(claims, SchemeName, "sub", null);
                return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
            }
        }

        return Task.FromResult(AuthenticateResult.Fail("The API key is not recognised."));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) => ProblemResponses.WriteProblemAsync(
        Context, StatusCodes.Status401Unauthorized, ApiErrorCodes.Unauthenticated, "Authentication required",
        $"Send a configured API key in the {HeaderName} header or a bearer token.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => ProblemResponses.WriteProblemAsync(
        Context, StatusCodes.Status403Forbidden, ApiErrorCodes.NoTenant, "Forbidden", "The credential does not name a tenant this API serves.");
}

/// <summary>
/// Brings a JWT's tenant claim (named by <c>Auth:Jwt:TenantClaim</c>, default <c>tenant</c>) to the claim the policy
/// requires, and drops a tenant claim that is not a valid tenant id, so such a token is refused with 403.
/// </summary>
internal sealed class TenantClaimTransformation(IConfiguration configuration) : IClaimsTransformation
{
    public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (principal.Identity is not ClaimsIdentity { IsAuthenticated: true } identity || identity.AuthenticationType == ApiKeyAuthenticationHandler.SchemeName)
        {
            return Task.FromResult(principal);
        }

        var name = configuration["Auth:Jwt:TenantClaim"] is { Length: > 0 } configured ? configured : "tenant";
        var tenants = identity.FindAll(name).Select(c => c.Value).Distinct(StringComparer.Ordinal).ToList();
        foreach (var claim in identity.FindAll(TenantAccess.TenantClaim).ToList())
        {
            identity.RemoveClaim(claim);
        }

        // Exactly one valid tenant; a token naming two tenants acts for neither.
        if (tenants.Count == 1 && TenantId.TryParse(tenants[0], out _))
        {
            identity.AddClaim(new Claim(TenantAccess.TenantClaim, tenants[0]));
        }

        return Task.FromResult(principal);
    }
}

/// <summary>The tenant of the signed-in caller: the only place an endpoint gets its tenant from.</summary>
internal static class TenantAccess
{
    /// <summary>The claim that carries the tenant after authentication (set by the API key handler or the JWT transformation).</summary>
    public const string TenantClaim = "crm:tenant";

    public static TenantId Tenant(this HttpContext context)
    {
        var value = context.User.FindFirst(TenantClaim)?.Value;
        return value is not null && TenantId.TryParse(value, out var tenant)
            ? tenant
            : throw new InvalidOperationException("An /api endpoint ran without a tenant; the authorization policy should have refused it.");
    }

    public static string Actor(this HttpContext context) => context.User.FindFirst("sub")?.Value is { Length: > 0 and <= 64 } sub ? sub : "api";
}

/// <summary>Adds the caller's tenant id to the log scope of everything a request logs.</summary>
internal sealed class TenantLogScopeMiddleware(RequestDelegate next, ILogger<TenantLogScopeMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var tenant = context.User.FindFirst(TenantAccess.TenantClaim)?.Value;
        if (tenant is null)
        {
            await next(context);
            return;
        }

        using (logger.BeginScope(new Dictionary<string, object> { ["TenantId"] = tenant }))
        {
            await next(context);
        }
    }
}

using System.Text.Json.Serialization;
using CrmKernel.Diagnostics;
using CrmKernel.ExchangeRates;
using CrmKernel.Metrics;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Samples.WebApi.Api;
using CrmKernel.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.IdentityModel.Tokens;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CrmKernel.Samples.WebApi.Hosting;

/// <summary>Registers the sample's services (store, kernel, authentication, telemetry) and builds its request pipeline.</summary>
internal static class WebApiSetup
{
    /// <summary>The authorization policy every /api endpoint requires: an authenticated caller whose principal names a tenant.</summary>
    public const string TenantPolicy = "tenant";

    /// <summary>The scheme that picks API key or JWT bearer per request.</summary>
    private const string ApiScheme = "api";

    public static WebApplicationBuilder AddCrmWebApi(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;

        // Logs: one JSON object per entry with scopes (the tenant id, the request id), unless turned off.
        if (configuration.GetValue("Telemetry:JsonLogs", true))
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(options => options.IncludeScopes = true);
        }

        var maxBody = configuration.GetValue<long>("Api:MaxRequestBodyBytes", ApiLimits.DefaultMaxRequestBodyBytes);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = maxBody);
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            options.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            options.SerializerOptions.MaxDepth = 32;
            // A body without a required member, or with null where the contract says not null, is a 400, not a half-read request.
            options.SerializerOptions.RespectNullableAnnotations = true;
            options.SerializerOptions.RespectRequiredConstructorParameters = true;
        });
        services.AddProblemDetails();
        services.AddOpenApi();

        // The store: the embedded SQLite file unless Storage:PostgreSql names a database.
        var storage = StorageChoice.From(configuration, builder.Environment);
        services.AddSingleton(storage);
        services.AddCrmKernel(kernel =>
        {
            storage.Apply(kernel);
            kernel.AddMetrics()
                .UseExchangeRates(new FixedExchangeRateProvider([]))
                .UseMetricInputs<DemoMetricInputs>()
                .AddChannel<SampleEmailChannel>();
        });

        // Authentication: an API key (X-Api-Key) mapped to a tenant in configuration, or a JWT bearer token with a tenant claim.
        var jwt = configuration.GetSection("Auth:Jwt");
        var authentication = services.AddAuthentication(ApiScheme)
            .AddPolicyScheme(ApiScheme, "API key or JWT bearer", options => options.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<ApiKeyOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, options =>
                configuration.GetSection("Auth").Bind(options));
        authentication.AddJwtBearer(options =>
        {
            var key = jwt["SigningKey"];
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = !string.IsNullOrEmpty(jwt["Issuer"]),
                ValidIssuer = jwt["Issuer"],
                ValidateAudience = !string.IsNullOrEmpty(jwt["Audience"]),
                ValidAudience = jwt["Audience"],
                ValidateIssuerSigningKey = true,
                RequireSignedTokens = true,
                // Without a configured key no token validates: JWT sign-in is off.
                IssuerSigningKey = string.IsNullOrEmpty(key) ? new SymmetricSecurityKey(new byte[64]) { KeyId = "disabled" } : new SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(key)),
                IssuerSigningKeyValidator = (_, _, _) => !string.IsNullOrEmpty(key),
                NameClaimType = "sub",
            };
            options.Events = new JwtBearerEvents { OnChallenge = ProblemResponses.WriteChallengeAsync };
        });
        services.AddSingleton<IClaimsTransformation, TenantClaimTransformation>();
        services.AddAuthorizationBuilder().AddPolicy(TenantPolicy, policy => policy
            .AddAuthenticationSchemes(ApiScheme)
            .RequireAuthenticatedUser()
            .RequireClaim(TenantAccess.TenantClaim));
        services.AddRequestTimeouts(options => options.DefaultPolicy = new RequestTimeoutPolicy { Timeout = TimeSpan.FromSeconds(60) });

        // Health: live is the process; ready also reaches the store.
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store", tags: ["ready"]);

        // Telemetry: the kernel's ActivitySource and Meter (both named CrmKernel) and ASP.NET Core's own, to the console.
        if (configuration.GetValue("Telemetry:Console", true))
        {
            services.AddOpenTelemetry()
                .WithTracing(tracing => tracing.AddSource(CrmDiagnostics.ActivitySourceName, "Microsoft.AspNetCore").AddConsoleExporter())
                .WithMetrics(metrics => metrics.AddMeter(CrmDiagnostics.MeterName, "Microsoft.AspNetCore.Hosting").AddConsoleExporter());
        }

        // The demo tenant, seeded as the host starts: after the telemetry above (so its spans are exported), before the server listens.
        services.AddHostedService<DemoSeed.Service>();
        return builder;
    }

    public static WebApplication UseCrmWebApi(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = ProblemResponses.HandleExceptionAsync, StatusCodeSelector = null });
        app.UseStatusCodePages(ProblemResponses.WriteStatusCodeAsync);
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRequestTimeouts();
        app.UseMiddleware<TenantLogScopeMiddleware>();

        app.MapOpenApi().AllowAnonymous();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();

        var api = app.MapGroup("/api").RequireAuthorization(TenantPolicy).WithTags("CRM");
        CustomerEndpoints.Map(api);
        TouchpointEndpoints.Map(api);
        ConsentEndpoints.Map(api);
        LifecycleEndpoints.Map(api);
        SegmentEndpoints.Map(api);
        ReportEndpoints.Map(api);
        IdentityEndpoints.Map(api);
        PrivacyEndpoints.Map(api);
        return app;
    }
}

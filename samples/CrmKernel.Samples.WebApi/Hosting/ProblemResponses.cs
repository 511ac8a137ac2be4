using System.Text.Json;
using CrmKernel.Diagnostics;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace CrmKernel.Samples.WebApi.Hosting;

/// <summary>
/// The sample's own stable error codes, for what goes wrong before the kernel is reached (the kernel's codes,
/// <c>CRM-XXX-NNN</c>, are passed through unchanged). Listed in docs/web-api.md.
/// </summary>
internal static class ApiErrorCodes
{
    public const string Unauthenticated = "API-AUTH-001";
    public const string NoTenant = "API-AUTH-002";
    public const string MalformedBody = "API-REQUEST-001";
    public const string BodyTooLarge = "API-REQUEST-002";
    public const string InvalidValue = "API-REQUEST-003";
    public const string PreconditionRequired = "API-REQUEST-004";
    public const string PreconditionFailed = "API-REQUEST-005";
    public const string NotFound = "API-NOTFOUND-001";
    public const string Route = "API-ROUTE-001";
    public const string Internal = "API-INTERNAL-001";
}

/// <summary>An endpoint's refusal with a status, a stable code and a message that names no personal data.</summary>
internal sealed class ApiProblemException(int status, string code, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public string Title { get; } = title;

    public static ApiProblemException NotFound(string what) => new(StatusCodes.Status404NotFound, ApiErrorCodes.NotFound, "Not found", $"No {what} with that id in this tenant.");

    public static ApiProblemException Invalid(string detail) => new(StatusCodes.Status400BadRequest, ApiErrorCodes.InvalidValue, "Invalid request", detail);
}

/// <summary>
/// Writes every error as RFC 9457 problem details (<c>application/problem+json</c>) with a <c>code</c> member (the
/// kernel's <see cref="CrmException.ErrorCode"/> or an <see cref="ApiErrorCodes"/> value) and the request's
/// <c>traceId</c>. Details come from kernel messages (which name ids, never personal data) or fixed texts; the messages
/// of other exceptions, which may echo input, are never returned.
/// </summary>
internal static partial class ProblemResponses
{
    public static Task WriteProblemAsync(HttpContext context, int status, string code, string title, string detail)
    {
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        var problem = new ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = detail,
            Type = $"https://crmkernel.example/errors/{code}",
        };
        problem.Extensions["code"] = code;
        problem.Extensions["traceId"] = System.Diagnostics.Activity.Current?.Id ?? context.TraceIdentifier;
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(problem, ProblemJson));
    }

    private static readonly JsonSerializerOptions ProblemJson = new(JsonSerializerDefaults.Web);

    public static async Task HandleExceptionAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("CrmKernel.Samples.WebApi.Errors");
        var (status, code, title, detail) = Classify(context, error);
        if (status >= 500)
        {
            LogUnhandled(logger, error?.GetType().FullName ?? "?", code, error);
        }
        else
        {
            LogRefused(logger, status, code, error?.GetType().Name ?? "?", error);
        }

        await WriteProblemAsync(context, status, code, title, detail);
    }

    private static (int Status, string Code, string Title, string Detail) Classify(HttpContext context, Exception? error) => error switch
    {
        ApiProblemException p => (p.Status, p.Code, p.Title, p.Message),
        CustomerNotFoundException e => (StatusCodes.Status404NotFound, e.ErrorCode, "Customer not found", "No customer with that id in this tenant."),
        ConcurrencyConflictException e => context.Request.Headers.IfMatch.Count > 0
            ? (StatusCodes.Status412PreconditionFailed, e.ErrorCode, "Precondition failed", e.Message)
            : (StatusCodes.Status409Conflict, e.ErrorCode, "Conflict", e.Message),
        ExternalIdentifierConflictException e => (StatusCodes.Status409Conflict, e.ErrorCode, "Conflict", e.Message),
        TouchpointConflictException e => (StatusCodes.Status409Conflict, e.ErrorCode, "Conflict", e.Message),
        CrmException e => (StatusCodes.Status422UnprocessableEntity, e.ErrorCode, "Business rule violated", e.Message),
        InputLimitExceededException e => (StatusCodes.Status400BadRequest, e.ErrorCode, "Input limit exceeded", e.Message),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (StatusCodes.Status413PayloadTooLarge, ApiErrorCodes.BodyTooLarge, "Request body too large", "The request body is over the limit; nothing was stored."),
        BadHttpRequestException e => (e.StatusCode is >= 400 and < 500 ? e.StatusCode : 400, ApiErrorCodes.MalformedBody, "Malformed request", "The request body or a parameter could not be read as this endpoint expects; nothing was stored."),
        JsonException => (StatusCodes.Status400BadRequest, ApiErrorCodes.MalformedBody, "Malformed request", "The request body is not valid JSON for this endpoint; nothing was stored."),
        ArgumentException e when RaisedByKernel(e) => (StatusCodes.Status400BadRequest, ApiErrorCodes.InvalidValue, "Invalid value", e.ParamName is { Length: > 0 } name ? $"The value of '{name}' is not valid." : "A value in the request is not valid."),
        FormatException or OverflowException when RaisedByKernel(error) => (StatusCodes.Status400BadRequest, ApiErrorCodes.InvalidValue, "Invalid value", "A value in the request is not in the expected format."),
        KeyNotFoundException => (StatusCodes.Status404NotFound, ApiErrorCodes.NotFound, "Not found", "Nothing with that id in this tenant."),
        _ => (StatusCodes.Status500InternalServerError, ApiErrorCodes.Internal, "Internal error", "The server failed; the error is logged under the trace id."),
    };

    /// <summary>
    /// A guard of the kernel (or of a value type it parses) refused an input: a 400. The same exception types raised
    /// elsewhere (e.g. by the JSON writer) are the server's fault: a 500.
    /// </summary>
    private static bool RaisedByKernel(Exception error) => new System.Diagnostics.StackTrace(error).GetFrames().Any(frame =>
        frame.GetMethod()?.DeclaringType?.Namespace is { } ns && ns.StartsWith("CrmKernel", StringComparison.Ordinal) && !ns.StartsWith("CrmKernel.Samples.WebApi", StringComparison.Ordinal));

    public static Task WriteStatusCodeAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var status = http.Response.StatusCode;
        var (code, title) = status switch
        {
            401 => (ApiErrorCodes.Unauthenticated, "Authentication required"),
            403 => (ApiErrorCodes.NoTenant, "Forbidden"),
            413 => (ApiErrorCodes.BodyTooLarge, "Request body too large"),
            _ => (ApiErrorCodes.Route, status == 404 ? "Not found" : "Request not served"),
        };
        return WriteProblemAsync(http, status, code, title, status == 404 ? "No endpoint at this address." : $"The request was refused with status {status}.");
    }

    /// <summary>The JWT bearer challenge, as problem details.</summary>
    public static Task WriteChallengeAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        return WriteProblemAsync(context.HttpContext, StatusCodes.Status401Unauthorized, ApiErrorCodes.Unauthenticated, "Authentication required", "The bearer token is missing, expired or not signed by a trusted key.");
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Request refused with {Status} {Code} ({ExceptionType})")]
    private static partial void LogRefused(ILogger logger, int status, string code, string exceptionType, Exception? exception);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "Request failed: {ExceptionType} ({Code})")]
    private static partial void LogUnhandled(ILogger logger, string exceptionType, string code, Exception? exception);
}

/// <summary>
/// Refuses a request body over <c>Api:MaxRequestBodyBytes</c> with 413 before anything reads it (declared length), and
/// stops reading one without a declared length at the limit. Kestrel enforces the same limit on its sockets.
/// </summary>
internal sealed class RequestBodyLimitMiddleware(RequestDelegate next, IConfiguration configuration)
{
    private readonly long _limit = configuration.GetValue<long>("Api:MaxRequestBodyBytes", ApiLimits.DefaultMaxRequestBodyBytes);

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength is { } length)
        {
            if (length > _limit)
            {
                return ProblemResponses.WriteProblemAsync(context, StatusCodes.Status413PayloadTooLarge, ApiErrorCodes.BodyTooLarge, "Request body too large",
                    $"The request body has {length} bytes; the limit is {_limit}. Nothing was stored.");
            }
        }
        else if (HttpMethods.IsPost(context.Request.Method) || HttpMethods.IsPut(context.Request.Method) || HttpMethods.IsPatch(context.Request.Method))
        {
            context.Request.Body = new LimitedReadStream(context.Request.Body, _limit);
        }

        return next(context);
    }

    private sealed class LimitedReadStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int read)
        {
            _read += read;
            return _read > limit ? throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge) : read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>The sample's request limits (documented in docs/web-api.md).</summary>
internal static class ApiLimits
{
    /// <summary>4 MiB: a bulk ingestion of 10,000 touchpoints fits.</summary>
    public const long DefaultMaxRequestBodyBytes = 4 * 1024 * 1024;

    /// <summary>The largest page a list endpoint returns.</summary>
    public const int MaxPageSize = 500;

    /// <summary>The default page size.</summary>
    public const int DefaultPageSize = 50;

    /// <summary>The most touchpoints one bulk request takes (the kernel's batch size).</summary>
    public const int MaxBulkTouchpoints = 10_000;

    public static int PageSize(int? limit) => limit switch
    {
        null => DefaultPageSize,
        < 1 or > MaxPageSize => throw ApiProblemException.Invalid($"limit must be 1 to {MaxPageSize}."),
        _ => limit.Value,
    };
}

/// <summary>Ready when the store answers a count.</summary>
internal sealed class StoreHealthCheck(ICustomerStore store) : Microsoft.Extensions.Diagnostics.HealthChecks.IHealthCheck
{
    public async Task<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult> CheckHealthAsync(
        Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.CountAsync(new Primitives.TenantId("health-probe"), cancellationToken);
            return Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy("The store answers.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy("The store does not answer.", e);
        }
    }
}

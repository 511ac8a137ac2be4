using CrmKernel.Primitives;
using Microsoft.Extensions.Logging;

namespace CrmKernel.Services.Ingestion;

/// <summary>
/// The log messages of touchpoint ingestion, with their stable event ids (all listed in docs/observability.md). Messages carry ids,
/// counts and codes only — never names, email addresses, phone numbers, message content or exception messages from
/// outside the kernel (an exception is attached as such, for the host's logger to render).
/// </summary>
internal static partial class IngestionLog
{
    [LoggerMessage(EventId = 1101, EventName = "ConcurrencyRetry", Level = LogLevel.Information,
        Message = "Customer {CustomerId} changed while touchpoints were recorded; retrying from a fresh read (attempt {Attempt} of {MaxAttempts}, tenant {TenantId})")]
    public static partial void ConcurrencyRetry(ILogger logger, CustomerId customerId, int attempt, int maxAttempts, TenantId tenantId);
}

using CrmKernel.Primitives;
using Microsoft.Extensions.Logging;

namespace CrmKernel.Services.Customers;

/// <summary>
/// The log messages of the customer repository, with their stable event ids (all listed in docs/observability.md). Messages carry ids,
/// counts and codes only — never names, email addresses, phone numbers, message content or exception messages from
/// outside the kernel (an exception is attached as such, for the host's logger to render).
/// </summary>
internal static partial class CustomerRepositoryLog
{
    [LoggerMessage(EventId = 1201, EventName = "EventPublishFailed", Level = LogLevel.Warning,
        Message = "Publishing {EventCount} committed event(s) failed; they stay in the outbox for CrmEventRelay (tenant {TenantId})")]
    public static partial void EventPublishFailed(ILogger logger, Exception exception, int eventCount, TenantId tenantId);
}

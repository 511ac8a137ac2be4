using CrmKernel.Primitives;
using Microsoft.Extensions.Logging;

namespace CrmKernel.Services.Events;

/// <summary>
/// The log messages of the event relay, with their stable event ids (all listed in docs/observability.md). Messages carry ids,
/// counts and codes only — never names, email addresses, phone numbers, message content or exception messages from
/// outside the kernel (an exception is attached as such, for the host's logger to render).
/// </summary>
internal static partial class EventRelayLog
{
    [LoggerMessage(EventId = 1202, EventName = "OutboxRelayFailed", Level = LogLevel.Error,
        Message = "Relaying {EventCount} pending outbox event(s) failed; nothing was marked published and the next run delivers them again (tenant {TenantId})")]
    public static partial void OutboxRelayFailed(ILogger logger, Exception exception, int eventCount, TenantId tenantId);
}

using CrmKernel.Channels;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using Microsoft.Extensions.Logging;

namespace CrmKernel;

/// <summary>
/// Every log message of the kernel, with its stable event id (listed in docs/observability.md). Messages carry ids,
/// counts and codes only — never names, email addresses, phone numbers, message content or exception messages from
/// outside the kernel (an exception is attached as such, for the host's logger to render).
/// </summary>
internal static partial class CrmLog
{
    [LoggerMessage(EventId = 1001, EventName = "DispatchRefused", Level = LogLevel.Information,
        Message = "Dispatch to customer {CustomerId} on channel {ChannelId} refused: {Refusal} (tenant {TenantId}, kept for retry: {KeptForRetry})")]
    public static partial void DispatchRefused(ILogger logger, CustomerId customerId, ChannelId channelId, DispatchRefusal refusal, TenantId tenantId, bool keptForRetry);

    [LoggerMessage(EventId = 1002, EventName = "DispatchFailed", Level = LogLevel.Warning,
        Message = "Dispatch to customer {CustomerId} on channel {ChannelId} failed with {DeliveryStatus} (tenant {TenantId}, kept for retry: {KeptForRetry})")]
    public static partial void DispatchFailed(ILogger logger, CustomerId customerId, ChannelId channelId, DeliveryStatus? deliveryStatus, TenantId tenantId, bool keptForRetry);

    [LoggerMessage(EventId = 1003, EventName = "DispatchRetrying", Level = LogLevel.Information,
        Message = "Retrying the pending dispatch to customer {CustomerId} on channel {ChannelId} after {Attempts} attempt(s) (tenant {TenantId})")]
    public static partial void DispatchRetrying(ILogger logger, CustomerId customerId, ChannelId channelId, int attempts, TenantId tenantId);

    [LoggerMessage(EventId = 1101, EventName = "ConcurrencyRetry", Level = LogLevel.Information,
        Message = "Customer {CustomerId} changed while touchpoints were recorded; retrying from a fresh read (attempt {Attempt} of {MaxAttempts}, tenant {TenantId})")]
    public static partial void ConcurrencyRetry(ILogger logger, CustomerId customerId, int attempt, int maxAttempts, TenantId tenantId);

    [LoggerMessage(EventId = 1201, EventName = "EventPublishFailed", Level = LogLevel.Warning,
        Message = "Publishing {EventCount} committed event(s) failed; they stay in the outbox for CrmEventRelay (tenant {TenantId})")]
    public static partial void EventPublishFailed(ILogger logger, Exception exception, int eventCount, TenantId tenantId);

    [LoggerMessage(EventId = 1202, EventName = "OutboxRelayFailed", Level = LogLevel.Error,
        Message = "Relaying {EventCount} pending outbox event(s) failed; nothing was marked published and the next run delivers them again (tenant {TenantId})")]
    public static partial void OutboxRelayFailed(ILogger logger, Exception exception, int eventCount, TenantId tenantId);
}

using CrmKernel.Channels;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using Microsoft.Extensions.Logging;

namespace CrmKernel.Services.Channels;

/// <summary>
/// The log messages of the channel dispatcher, with their stable event ids (all listed in docs/observability.md). Messages carry ids,
/// counts and codes only — never names, email addresses, phone numbers, message content or exception messages from
/// outside the kernel (an exception is attached as such, for the host's logger to render).
/// </summary>
internal static partial class DispatchLog
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
}

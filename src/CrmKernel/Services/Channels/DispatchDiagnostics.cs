using System.Diagnostics;
using CrmKernel.Channels;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using Microsoft.Extensions.Logging;

namespace CrmKernel.Services.Channels;

/// <summary>The <c>crm.dispatch</c> span and the dispatcher's log messages: ids, channel, outcome and refusal codes only.</summary>
internal static class DispatchDiagnostics
{
    public static Activity? Start(TenantId tenantId, DispatchRequest request)
    {
        var activity = CrmTracing.Start(CrmTracing.Dispatch, tenantId.Value);
        if (activity is not null)
        {
            activity.SetTag(CrmTracing.CustomerTag, request.CustomerId.ToString());
            activity.SetTag(CrmTracing.ChannelTag, request.Channel.Value);
        }

        return activity;
    }

    /// <summary>Tags the span with what happened and logs refusals and failures.</summary>
    public static void Completed(Activity? activity, ILogger logger, TenantId tenantId, DispatchRequest request, DispatchResult result)
    {
        if (activity is not null)
        {
            activity.SetTag(CrmTracing.OutcomeTag, result.Outcome.ToString());
            if (result.Refusal is { } refusal)
            {
                activity.SetTag(CrmTracing.RefusalTag, refusal.ToString());
            }

            if (result.Outcome == DispatchOutcome.Failed)
            {
                activity.SetStatus(ActivityStatusCode.Error, result.Delivery?.Status.ToString());
            }
        }

        switch (result.Outcome)
        {
            case DispatchOutcome.Refused when result.Refusal is { } refusal:
                DispatchLog.DispatchRefused(logger, request.CustomerId, request.Channel, refusal, tenantId, result.KeptForRetry);
                break;
            case DispatchOutcome.Failed:
                DispatchLog.DispatchFailed(logger, request.CustomerId, request.Channel, result.Delivery?.Status, tenantId, result.KeptForRetry);
                break;
        }
    }
}

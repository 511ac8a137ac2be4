using System.Diagnostics;

namespace CrmKernel.Diagnostics;

/// <summary>
/// The kernel's span names, tag names and the one way a span records a failure. Tags carry ids, counts and codes only —
/// never names, email addresses, phone numbers or message content. Every span starts through
/// <see cref="CrmTelemetry.Source"/>, which returns null while nobody listens, so callers tag with <c>?.</c> and pay nothing.
/// </summary>
internal static class CrmTracing
{
    public const string CustomerCommit = "crm.customer.commit";
    public const string TouchpointsIngest = "crm.touchpoints.ingest";
    public const string Dispatch = "crm.dispatch";

    public const string TenantTag = "crm.tenant.id";
    public const string CustomerTag = "crm.customer.id";
    public const string ChannelTag = "crm.channel.id";
    public const string CountTag = "crm.touchpoint.count";
    public const string RecordedTag = "crm.touchpoint.recorded";
    public const string AlreadyPresentTag = "crm.touchpoint.already_present";
    public const string ConflictsTag = "crm.touchpoint.conflicts";
    public const string InvalidTag = "crm.touchpoint.invalid";
    public const string VersionTag = "crm.customer.version";
    public const string EventCountTag = "crm.event.count";
    public const string OutcomeTag = "crm.dispatch.outcome";
    public const string RefusalTag = "crm.dispatch.refusal";
    public const string AttemptTag = "crm.dispatch.attempt";
    public const string ErrorTypeTag = "error.type";
    public const string ErrorCodeTag = "crm.error.code";

    /// <summary>Starts a span of the tenant; null while nobody listens.</summary>
    public static Activity? Start(string name, string tenantId)
    {
        var activity = CrmTelemetry.Source.StartActivity(name);
        activity?.SetTag(TenantTag, tenantId);
        return activity;
    }

    /// <summary>
    /// Marks <paramref name="activity"/> failed by <paramref name="exception"/> (its type and, for kernel exceptions, its
    /// error code; never its message, which may quote data). Returns false, so it can sit in an exception filter
    /// (<c>catch (Exception e) when (CrmTracing.Fail(activity, e))</c>) that records without catching.
    /// </summary>
    public static bool Fail(Activity? activity, Exception exception)
    {
        if (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            activity.SetTag(ErrorTypeTag, exception.GetType().FullName);
            if (exception is CrmException { ErrorCode: var code })
            {
                activity.SetTag(ErrorCodeTag, code);
            }
        }

        return false;
    }
}

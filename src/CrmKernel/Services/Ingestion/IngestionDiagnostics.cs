using System.Diagnostics;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

namespace CrmKernel.Services.Ingestion;

/// <summary>The <c>crm.touchpoints.ingest</c> span, one per single recording or per bulk batch: tenant and counts only.</summary>
internal static class IngestionDiagnostics
{
    public static Activity? Start(TenantId tenantId, int count)
    {
        var activity = CrmTracing.Start(CrmTracing.TouchpointsIngest, tenantId.Value);
        activity?.SetTag(CrmTracing.CountTag, count);
        return activity;
    }

    public static void Completed(Activity? activity, int recorded, int alreadyPresent, int conflicts)
    {
        if (activity is not null)
        {
            activity.SetTag(CrmTracing.RecordedTag, recorded);
            activity.SetTag(CrmTracing.AlreadyPresentTag, alreadyPresent);
            activity.SetTag(CrmTracing.ConflictsTag, conflicts);
        }
    }
}

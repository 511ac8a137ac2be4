using System.Diagnostics;
using CrmKernel.Metrics.Hierarchy;
using CrmKernel.Primitives;
using NodaTime.Text;

namespace CrmKernel.Metrics.Evaluation;

/// <summary>The <c>crm.metrics.evaluate</c> span: tenant, period, currency and counts.</summary>
internal static class EvaluationDiagnostics
{
    public static Activity? Start(TenantId tenantId, MetricHierarchy hierarchy, MetricEvaluationRequest request)
    {
        var activity = MetricsTelemetry.Source.StartActivity(MetricsTelemetry.Evaluate);
        if (activity is not null)
        {
            activity.SetTag("crm.tenant.id", tenantId.Value);
            activity.SetTag("crm.metrics.count", hierarchy.Metrics.Count);
            activity.SetTag("crm.period.start", LocalDatePattern.Iso.Format(request.Period.Start));
            activity.SetTag("crm.period.end", LocalDatePattern.Iso.Format(request.Period.End));
            activity.SetTag("crm.currency", request.Currency.ToString());
            activity.SetTag("crm.metrics.compare_with_previous", request.CompareWithPrevious);
            activity.SetTag("crm.metrics.funnels", request.Funnels.Count);
        }

        return activity;
    }
}

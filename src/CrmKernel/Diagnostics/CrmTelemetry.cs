using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CrmKernel.Diagnostics;

/// <summary>The kernel's instruments, on the BCL <see cref="Meter"/> named <c>CrmKernel</c> (OpenTelemetry reads it without a dependency).</summary>
internal static class CrmTelemetry
{
    public static readonly Meter Meter = new(CrmDiagnostics.MeterName, typeof(CrmTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>The kernel's spans (see <see cref="CrmTracing"/>); <c>StartActivity</c> returns null while nobody listens.</summary>
    public static readonly ActivitySource Source = new(CrmDiagnostics.ActivitySourceName, typeof(CrmTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Events committed but not published because the publisher failed; they wait in the outbox.</summary>
    public static readonly Counter<long> PublishFailures = Meter.CreateCounter<long>("crmkernel.events.publish_failures", "{event}", "Events whose publication failed after commit; they stay in the outbox.");
}

namespace CrmKernel.Diagnostics;

/// <summary>
/// The names under which the kernel reports what it does, for hosts that collect it: pass
/// <see cref="ActivitySourceName"/> to <c>AddSource(...)</c> and <see cref="MeterName"/> to <c>AddMeter(...)</c> when
/// wiring OpenTelemetry (see docs/observability.md). The kernel emits through the BCL's
/// <see cref="System.Diagnostics.ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/> only, so nothing is
/// recorded, and nothing costs, until a listener subscribes.
/// </summary>
public static class CrmDiagnostics
{
    /// <summary>
    /// The name of the <see cref="System.Diagnostics.ActivitySource"/> of every span the kernel and CrmKernel.Metrics
    /// start (<c>crm.customer.commit</c>, <c>crm.touchpoints.ingest</c>, <c>crm.dispatch</c>, <c>crm.metrics.evaluate</c>,
    /// <c>crm.model.fit</c>). Use it to subscribe a tracer or an <see cref="System.Diagnostics.ActivityListener"/>.
    /// </summary>
    public const string ActivitySourceName = "CrmKernel";

    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> of the kernel's counters. Use it to subscribe a metrics exporter or a <see cref="System.Diagnostics.Metrics.MeterListener"/>.</summary>
    public const string MeterName = "CrmKernel";
}

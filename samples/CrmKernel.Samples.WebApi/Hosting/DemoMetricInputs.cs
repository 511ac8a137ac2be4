using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Samples.WebApi.Hosting;

/// <summary>
/// The figures the kernel cannot see (ledger revenue and profit, uptime, handle time, finance's margin and discount
/// rate) for the demo tenant, for any period: a stand-in for the host's ledger and monitoring. Other tenants get none,
/// so their metrics that need them show "no value" with the reason.
/// </summary>
internal sealed class DemoMetricInputs(IConfiguration configuration) : IMetricInputProvider
{
    private readonly TenantId _demo = new(configuration["Demo:Tenant"] is { Length: > 0 } t ? t : "demo");

    public ValueTask<MetricInput?> FindAsync(TenantId tenantId, FigureKey figure, DateInterval period, CancellationToken cancellationToken)
    {
        if (tenantId != _demo)
        {
            return ValueTask.FromResult<MetricInput?>(null);
        }

        var days = period.Length;
        MetricInput? input =
            figure == StandardFigures.CrmRevenue ? MetricInput.Money(Money.Of(80m * days, "GBP"), "general ledger (demo)")
            : figure == StandardFigures.CrmProfit ? MetricInput.Money(Money.Of(20m * days, "GBP"), "general ledger (demo)")
            : figure == StandardFigures.MarginRatio ? MetricInput.Number(0.3m)
            : figure == StandardFigures.DiscountRate ? MetricInput.Number(0.01m)
            : figure == StandardFigures.UptimeHours ? MetricInput.Number((24m * days) - 4m)
            : figure == StandardFigures.ScheduledHours ? MetricInput.Number(24m * days)
            : figure == StandardFigures.MaintenanceHours ? MetricInput.Number(2m)
            : figure == StandardFigures.HandleTimeSeconds ? MetricInput.Number(420m)
            : figure == StandardFigures.DuplicateRecords ? MetricInput.Number(0m)
            : null;
        return ValueTask.FromResult(input);
    }
}

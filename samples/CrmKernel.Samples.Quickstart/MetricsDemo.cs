using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Acquisition;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Metrics.Rendering;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CrmKernel.Samples.Quickstart;

/// <summary>
/// The quick-start's metrics part: evaluates the standard four-level hierarchy for December 2025 (London time, in GBP)
/// over the demo customers and touchpoints, with a few figures the kernel cannot see typed in, and prints the report.
/// </summary>
internal static class MetricsDemo
{
    public static async Task RunAsync(IServiceProvider services, TenantId tenant)
    {
        var december = new DateInterval(new LocalDate(2025, 12, 1), new LocalDate(2025, 12, 31));
        var november = new DateInterval(new LocalDate(2025, 11, 1), new LocalDate(2025, 11, 30));

        // Figures from outside the kernel: the ledger, monitoring, the contact-centre platform, finance's assumptions.
        var inputs = new InMemoryMetricInputs();
        foreach (var (period, revenue, profit) in new[] { (december, 2_400m, 610m), (november, 2_100m, 540m) })
        {
            inputs.Set(tenant, StandardFigures.CrmRevenue, period, MetricInput.Money(Money.Of(revenue, "GBP"), "general ledger"))
                .Set(tenant, StandardFigures.CrmProfit, period, MetricInput.Money(Money.Of(profit, "GBP"), "general ledger"))
                .Set(tenant, StandardFigures.MarginRatio, period, MetricInput.Number(0.4m))
                .Set(tenant, StandardFigures.DiscountRate, period, MetricInput.Number(0.01m))
                .Set(tenant, StandardFigures.UptimeHours, period, MetricInput.Number(740m))
                .Set(tenant, StandardFigures.ScheduledHours, period, MetricInput.Number(744m))
                .Set(tenant, StandardFigures.MaintenanceHours, period, MetricInput.Number(2m))
                .Set(tenant, StandardFigures.HandleTimeSeconds, period, MetricInput.Number(420m))
                .Set(tenant, StandardFigures.DuplicateRecords, period, MetricInput.Number(0m));
        }

        // Rates for amounts in other currencies; the demo is all in GBP, so none is needed, but a missing one would stop the evaluation.
        var rates = new FixedExchangeRateProvider([new ExchangeRate(Currency.EUR, Currency.GBP, new LocalDate(2025, 1, 1), 0.85m)]);
        // The service metrics (first-contact resolution, resolution time, SLA attainment, backlog, ...) are counted from the
        // tenant's service cases; this demo opens none, so they show "no value" where a rate has nothing to divide by.
        var evaluator = new MetricEvaluator(services.GetRequiredService<ICustomerStore>(), services.GetRequiredService<ITouchpointStore>(), rates, inputs,
            [new CaseMetricSource(services.GetRequiredService<ICaseStore>()), new AcquisitionMetricSource(services.GetRequiredService<ICustomerStore>(), services.GetRequiredService<ITouchpointStore>())]);
        var targets = new Dictionary<MetricId, MetricTarget>
        {
            [StandardMetrics.RetentionRate.Id] = new(0.8m, 0.6m),
            [StandardMetrics.Csat.Id] = new(0.8m, 0.7m),
            [StandardMetrics.TouchpointFirstContactResolution.Id] = new(0.7m, 0.5m),
            [StandardMetrics.DataCompleteness.Id] = new(0.95m, 0.8m),
            [StandardMetrics.SystemAvailability.Id] = new(0.995m, 0.99m),
        };

        var evaluation = await evaluator.EvaluateAsync(
            tenant,
            StandardMetrics.CreateHierarchy(),
            new MetricEvaluationRequest(december, DateTimeZoneProviders.Tzdb["Europe/London"], Currency.GBP, targets));

        Console.WriteLine("\n== Metrics");
        Console.Write(MetricReport.ToText(evaluation));

        // Every figure explains itself: numerator, denominator, drivers, and the records behind it.
        var recovery = evaluation[StandardMetrics.TouchpointComplaintRecovery.Id];
        Console.WriteLine($"\n== Why complaint recovery is {recovery.Value}: {recovery.Value.Numerator} of {recovery.Value.Denominator} ({recovery.Definition.Formula})");
        await foreach (var touchpoint in evaluator.StreamTouchpointsAsync(tenant, evaluation, recovery.Id))
        {
            Console.WriteLine($"    {touchpoint.OccurredAt}  {touchpoint.Kind} on {touchpoint.Channel}  {touchpoint.Satisfaction}");
        }
    }
}

using CrmKernel.Metrics.Definitions;

namespace CrmKernel.Metrics.Profitability;

/// <summary>
/// The catalogue entries of channel-mix profitability, computed by <see cref="ChannelMixMetricSource"/>: add
/// <see cref="All"/> to a hierarchy (e.g. <c>MetricHierarchy.Create([.. StandardMetrics.All, .. ChannelMixMetrics.All],
/// StandardMetrics.Causes, StandardMetrics.Identities)</c>) and give the evaluator the source. Per segment, and for the
/// customers behind a figure, use <see cref="ChannelProfitabilityReport"/> with the same cost model.
/// </summary>
/// <remarks>
/// Levels: cost to serve per customer is a process cost, like cost per contact, so it sits at operational &amp; process;
/// the share of unprofitable customers (and of those a cheaper mix would make profitable) answers "are we keeping the right
/// customers, on the right channels", a customer-strategic question. The corporate cost-to-serve ratio
/// (<c>StandardMetrics.CostToServe</c>) stays as it is: service cost recorded on touchpoints ÷ revenue.
/// </remarks>
public static class ChannelMixMetrics
{
    private const string Rules = "Every customer of the tenant counts, including those with no touchpoint in the period. Cost to serve = recorded touchpoint cost + the source's channel cost model per contact (by channel, function and direction), amounts converted at the rate of the touchpoint's day; margin = revenue × the gross-margin ratio − cost to serve; unprofitable = margin below zero.";

    /// <summary>Customers of the tenant (the denominator).</summary>
    public static FigureKey Customers { get; } = new("channel-mix-customers");

    /// <summary>Σ cost to serve (recorded + modelled) in the period, in the reporting currency.</summary>
    public static FigureKey CostToServe { get; } = new("channel-mix-cost-to-serve");

    /// <summary>Σ margin after the cost to serve in the period.</summary>
    public static FigureKey Margin { get; } = new("channel-mix-margin");

    /// <summary>Customers whose margin is below zero.</summary>
    public static FigureKey Unprofitable { get; } = new("channel-mix-unprofitable");

    /// <summary>Customers unprofitable under their mix but not under the source's scenario (zero without one).</summary>
    public static FigureKey Recoverable { get; } = new("channel-mix-recoverable");

    /// <summary>The figures the source produces.</summary>
    public static IReadOnlyList<FigureKey> Figures { get; } = [Customers, CostToServe, Margin, Unprofitable, Recoverable];

    /// <summary>Operational: cost to serve per customer, channel cost model included.</summary>
    public static MetricDefinition CostToServePerCustomer { get; } = new(
        new("cost-to-serve-per-customer"), "Cost to serve per customer", "Recorded plus modelled contact cost per customer in the period, from the channel mix each customer used.",
        MetricLevel.OperationalProcess, MetricFocus.Internal, MetricUnit.Money, BetterDirection.LowerIsBetter,
        MetricFormula.Ratio(CostToServe, Customers, "Σ (recorded touchpoint cost + channel cost model per contact) ÷ customers", "customers", Scope(ChannelMixMetricSource.AllCustomers)),
        Rules + " No customers gives no value.");

    /// <summary>Customer strategic: the share of customers unprofitable under the channel mix they use.</summary>
    public static MetricDefinition UnprofitableCustomerShare { get; } = new(
        new("unprofitable-customer-share"), "Unprofitable customers", "Share of customers whose margin after the cost to serve is below zero in the period.",
        MetricLevel.CustomerStrategic, MetricFocus.External, MetricUnit.Percentage, BetterDirection.LowerIsBetter,
        MetricFormula.Ratio(Unprofitable, Customers, "customers with revenue × gross-margin ratio − cost to serve < 0 ÷ customers", "customers", Scope(ChannelMixMetricSource.UnprofitableCustomers)),
        Rules + " No customers gives no value.");

    /// <summary>Customer strategic: the share of customers a cheaper channel mix would make profitable.</summary>
    public static MetricDefinition RecoverableCustomerShare { get; } = new(
        new("recoverable-customer-share"), "Customers recoverable by channel mix", "Share of customers unprofitable under their channel mix but profitable under the source's scenario.",
        MetricLevel.CustomerStrategic, MetricFocus.External, MetricUnit.Percentage, BetterDirection.HigherIsBetter,
        MetricFormula.Ratio(Recoverable, Customers, "customers with margin < 0 and scenario margin ≥ 0 ÷ customers", "customers", Scope(ChannelMixMetricSource.RecoverableCustomers)),
        Rules + " The scenario re-prices only the modelled contact cost; revenue and recorded costs stay. Without a scenario the share is 0. No customers gives no value.");

    /// <summary>The entries, to add to a hierarchy.</summary>
    public static IReadOnlyList<MetricDefinition> All { get; } = [CostToServePerCustomer, UnprofitableCustomerShare, RecoverableCustomerShare];

    private static MetricRecordScope Scope(string selection) => MetricRecordScope.ProcessRecords(ChannelMixMetricSource.SourceName, selection);
}

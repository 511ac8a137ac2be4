using CrmKernel.Diagnostics;
using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Storage;
using NodaTime;

namespace CrmKernel.Metrics.Profitability;

/// <summary>
/// Channel-mix profitability as a record source of <see cref="MetricEvaluator"/>: it runs
/// <see cref="ChannelProfitabilityReport"/> for each evaluated period with one cost model (and optionally a scenario) and
/// produces <see cref="ChannelMixMetrics.Figures"/>, so that the entries of <see cref="ChannelMixMetrics"/> evaluate in a
/// hierarchy like any other. The drill-down to customers is the report's <see cref="ChannelProfitabilityReport.StreamCustomersAsync"/>
/// (filter on <see cref="CustomerChannelProfit.IsUnprofitable"/> or <see cref="CustomerChannelProfit.IsRecoverable"/>), with a
/// request of the same period, model and scenario.
/// </summary>
/// <remarks>One pass over the customers and their touchpoints per evaluated period (two when the evaluation compares with the previous period).</remarks>
public sealed class ChannelMixMetricSource : IMetricRecordSource
{
    /// <summary>The source's name, as the channel-mix metrics' record scope gives it.</summary>
    public const string SourceName = "channel-mix";

    /// <summary>The selection of every customer (cost to serve per customer).</summary>
    public const string AllCustomers = "customers";

    /// <summary>The selection of the unprofitable customers.</summary>
    public const string UnprofitableCustomers = "unprofitable";

    /// <summary>The selection of the customers recoverable by the scenario.</summary>
    public const string RecoverableCustomers = "recoverable";

    private readonly ChannelProfitabilityReport _report;

    /// <summary>Creates the source.</summary>
    /// <param name="customers">The customer store.</param>
    /// <param name="touchpoints">The touchpoint store.</param>
    /// <param name="costModel">The channel cost model, in the currency the evaluations report in.</param>
    /// <param name="scenario">The what-if for <see cref="ChannelMixMetrics.Recoverable"/>; null for none.</param>
    /// <param name="grossMarginRatio">The share of revenue that is margin before the cost to serve (0 to 1).</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="grossMarginRatio"/> is outside 0 to 1.</exception>
    public ChannelMixMetricSource(ICustomerStore customers, ITouchpointStore touchpoints, ChannelCostModel costModel, ChannelMixScenario? scenario = null, decimal grossMarginRatio = 1m)
    {
        Preconditions.NotNull(customers);
        Preconditions.NotNull(touchpoints);
        CostModel = Preconditions.NotNull(costModel);
        if (grossMarginRatio is < 0m or > 1m)
        {
            throw new ArgumentOutOfRangeException(nameof(grossMarginRatio), grossMarginRatio, "The gross-margin ratio is 0 to 1.");
        }

        Scenario = scenario;
        GrossMarginRatio = grossMarginRatio;
        _report = new ChannelProfitabilityReport(customers, touchpoints, new FixedExchangeRateProvider([]));
    }

    /// <inheritdoc />
    public string Name => SourceName;

    /// <inheritdoc />
    public IReadOnlyCollection<FigureKey> Figures => ChannelMixMetrics.Figures;

    /// <summary>The channel cost model.</summary>
    public ChannelCostModel CostModel { get; }

    /// <summary>The what-if, or null.</summary>
    public ChannelMixScenario? Scenario { get; }

    /// <summary>The gross-margin ratio.</summary>
    public decimal GrossMarginRatio { get; }

    /// <summary>The report request this source runs for a period: the one to drill into its figures with.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The cost model (or the scenario's rates) is not in <paramref name="currency"/>.</exception>
    public ChannelProfitabilityRequest RequestFor(DateInterval period, DateTimeZone zone, Currency currency)
        => new(period, zone, currency, CostModel, Scenario, null, GrossMarginRatio);

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default, or the cost model is not in the converter's currency.</exception>
    /// <exception cref="ExchangeRateNotFoundException">An amount's currency has no rate on its day (<c>CRM-MONEY-002</c>).</exception>
    public async ValueTask<IReadOnlyList<MetricFigures>> ScanAsync(TenantId tenantId, IReadOnlyList<DateInterval> periods, DateTimeZone zone, CurrencyConverter converter, SegmentSnapshot? segment, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(periods);
        Preconditions.NotNull(zone);
        Preconditions.NotNull(converter);
        var figures = new List<MetricFigures>(periods.Count);
        foreach (var period in periods)
        {
            // Per segment, the report's row of the segment: the same figures over its members only.
            var request = new ChannelProfitabilityRequest(period, zone, converter.Target, CostModel, Scenario, segment is null ? null : [segment], GrossMarginRatio);
            var result = await _report.RunWithAsync(tenantId, request, converter, cancellationToken).ConfigureAwait(false);
            var all = segment is null ? result.All : result.Segments[0];
            figures.Add(new MetricFigures(converter.Target, new Dictionary<FigureKey, decimal>
            {
                [ChannelMixMetrics.Customers] = all.Customers,
                [ChannelMixMetrics.CostToServe] = all.CostToServe,
                [ChannelMixMetrics.Margin] = all.Margin,
                [ChannelMixMetrics.Unprofitable] = all.Unprofitable,
                [ChannelMixMetrics.Recoverable] = all.Recoverable,
            }));
        }

        return figures;
    }
}

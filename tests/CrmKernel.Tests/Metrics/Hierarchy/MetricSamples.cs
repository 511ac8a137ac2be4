using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Metrics.Hierarchy;
using CrmKernel.Primitives;
using CrmKernel.Storage.InMemory;
using CrmKernel.Tests.Api;
using NodaTime;

namespace CrmKernel.Tests.Metrics.Hierarchy;

/// <summary>Valid samples of the metric hierarchy's parameter types, for the reflection-driven API tests.</summary>
internal static class MetricSamples
{
    public static readonly DateInterval January = new(new LocalDate(2026, 1, 1), new LocalDate(2026, 1, 31));

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "A test assembly: registers its samples before any test runs.")]
    internal static void Register()
    {
        SampleValues.Add(() => January);
        SampleValues.Add(() => new MetricId("sample-metric"));
        SampleValues.Add(() => new FigureKey("orders"));
        SampleValues.Add(() => StandardMetrics.AverageOrderValue);
        SampleValues.Add(() => StandardMetrics.AverageOrderValue.Formula);
        SampleValues.Add(() => MetricValue.Of(1m));
        SampleValues.Add(() => new MetricBreakdownRow("web", MetricValue.Of(1m)));
        SampleValues.Add<IReadOnlyList<MetricBreakdownRow>>(() => []);
        SampleValues.Add(() => Figures());
        SampleValues.Add<IReadOnlyDictionary<FigureKey, decimal>>(() => new Dictionary<FigureKey, decimal>());
        SampleValues.Add<IReadOnlyDictionary<MetricId, MetricTarget>>(() => new Dictionary<MetricId, MetricTarget>());
        SampleValues.Add(() => new ChannelFigures(new CrmKernel.Touchpoints.ChannelId("web"), 1, 1, 1m, 1m));
        SampleValues.Add(() => MetricRecordScope.Touchpoints());
        SampleValues.Add<Func<MetricFigures, MetricValue>>(() => _ => MetricValue.Of(1m));
        SampleValues.Add<Func<IReadOnlyList<decimal>, decimal>>(() => values => values[0]);
        SampleValues.Add(() => DriverLink.Cause(new MetricId("a"), new MetricId("b"), "sample"));
        SampleValues.Add(() => MetricIdentity.Complement(new MetricId("a"), new MetricId("b"), "a = 1 − b"));
        SampleValues.Add(StandardMetrics.CreateHierarchy);
        SampleValues.Add(() => new MetricScan(January, DateTimeZone.Utc));
        SampleValues.Add(() => new CustomerFacts(1, 3));
        SampleValues.Add(() => new MetricTarget(1m, 0.5m));
        SampleValues.Add(Request);
        SampleValues.Add(() => MetricEvaluation.Create(StandardMetrics.CreateHierarchy(), Request(), Figures(), null));
        SampleValues.Add(() => MetricInput.Number(1m));
        SampleValues.Add(() => new InMemoryMetricInputs());
        SampleValues.Add<IMetricInputProvider>(() => new InMemoryMetricInputs());
        SampleValues.Add(() => new ExchangeRate(Currency.EUR, Currency.GBP, new LocalDate(2026, 1, 1), 0.86m));
        SampleValues.Add(() => new FixedExchangeRateProvider([]));
        SampleValues.Add<IExchangeRateProvider>(() => new FixedExchangeRateProvider([]));
        SampleValues.Add(() => new CurrencyConverter(new FixedExchangeRateProvider([]), Currency.GBP));
        SampleValues.Add(() => new MetricEvaluator(new InMemoryCustomerStore(new InMemoryCrmOutbox()), new InMemoryTouchpointStore(), new FixedExchangeRateProvider([])));
        SampleValues.Add(() => LifecycleFunnel.Recovery);
    }

    private static MetricFigures Figures() => new(Currency.GBP, new Dictionary<FigureKey, decimal>());

    private static MetricEvaluationRequest Request() => new(January, DateTimeZone.Utc, Currency.GBP);
}

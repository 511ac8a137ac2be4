using System.Diagnostics.CodeAnalysis;
using CrmKernel.Calendars;
using CrmKernel.Cases;
using CrmKernel.Diagnostics;
using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Services.Cases;
using CrmKernel.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CrmKernel;

/// <summary>
/// Registers the metric evaluator and what it needs with <c>services.AddCrmKernel(kernel => kernel.AddMetrics())</c>:
/// <see cref="MetricEvaluator"/> over the kernel's customer and touchpoint stores, an <see cref="IExchangeRateProvider"/>
/// and, optionally, an <see cref="IMetricInputProvider"/> and the record sources (the deals' when the sales stores are registered, the cases' when a case store is).
/// </summary>
public static class CrmKernelMetricsBuilderExtensions
{
    /// <summary>
    /// Registers <see cref="MetricEvaluator"/> as a singleton over the registered <see cref="ICustomerStore"/>,
    /// <see cref="ITouchpointStore"/>, <see cref="IExchangeRateProvider"/> and (when registered)
    /// <see cref="IMetricInputProvider"/>. When no exchange-rate provider is registered it uses one with no rates:
    /// amounts in the reporting currency need none, and any other amount stops the evaluation with
    /// <see cref="ExchangeRateNotFoundException"/> (<c>CRM-MONEY-002</c>) — register yours with
    /// <see cref="UseExchangeRates(CrmKernelBuilder, IExchangeRateProvider)"/>. Calling it twice changes nothing.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static CrmKernelBuilder AddMetrics(this CrmKernelBuilder builder)
    {
        Preconditions.NotNull(builder);
        builder.Services.TryAddSingleton<IExchangeRateProvider>(static _ => new FixedExchangeRateProvider([]));
        builder.Services.TryAddSingleton(static sp => new MetricEvaluator(
            sp.GetRequiredService<ICustomerStore>(),
            sp.GetRequiredService<ITouchpointStore>(),
            sp.GetRequiredService<IExchangeRateProvider>(),
            sp.GetService<IMetricInputProvider>(),
            RecordSources(sp)));
        return builder;
    }

    /// <summary>
    /// The registered record sources, with the deals' when the sales stores are registered and the cases' when a case
    /// store is (over the SLA policies of the registered <see cref="CaseServiceOptions"/> and a registered
    /// <see cref="BusinessCalendar"/> as the default calendar), the acquisition journeys' (over the customer and touchpoint stores) and the prediction markets' when a market store is, each unless a source of that name is registered.
    /// </summary>
    private static List<IMetricRecordSource> RecordSources(IServiceProvider sp)
    {
        var sources = sp.GetServices<IMetricRecordSource>().ToList();
        if (sp.GetService<IOpportunityStore>() is { } deals && sp.GetService<ISalesPipelineStore>() is { } pipelines
            && !sources.Exists(s => s.Name == OpportunityMetricSource.SourceName))
        {
            sources.Add(new OpportunityMetricSource(deals, pipelines));
        }

        if (sp.GetService<ICaseStore>() is { } cases && !sources.Exists(s => s.Name == CaseMetricSource.SourceName))
        {
            // The policies the case service runs under (one registration for opening, sweeping and measuring cases).
            sources.Add(new CaseMetricSource(cases, sp.GetService<CaseServiceOptions>()?.SlaPolicies ?? [], sp.GetService<BusinessCalendar>()));
        }

        if (!sources.Exists(s => s.Name == CrmKernel.Metrics.Acquisition.AcquisitionMetricSource.SourceName))
        {
            sources.Add(new CrmKernel.Metrics.Acquisition.AcquisitionMetricSource(sp.GetRequiredService<ICustomerStore>(), sp.GetRequiredService<ITouchpointStore>()));
        }

        if (sp.GetService<IPredictionMarketStore>() is { } markets && !sources.Exists(s => s.Name == CrmKernel.Metrics.Innovation.PredictionMarketMetricSource.SourceName))
        {
            sources.Add(new CrmKernel.Metrics.Innovation.PredictionMarketMetricSource(markets));
        }

        if (sp.GetService<IIdeaStore>() is { } ideas && !sources.Exists(s => s.Name == CrmKernel.Metrics.Innovation.InnovationMetricSource.SourceName))
        {
            sources.Add(new CrmKernel.Metrics.Innovation.InnovationMetricSource(ideas, sp.GetRequiredService<ICustomerStore>(), sp.GetRequiredService<ITouchpointStore>()));
        }

        return sources;
    }

    /// <summary>Uses <paramref name="provider"/> for the exchange rates of metric evaluation (and anything else converting money), replacing any registered one.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="provider">The provider, e.g. a <see cref="FixedExchangeRateProvider"/> of the month's rates.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static CrmKernelBuilder UseExchangeRates(this CrmKernelBuilder builder, IExchangeRateProvider provider)
    {
        Preconditions.NotNull(builder);
        Preconditions.NotNull(provider);
        builder.Services.Replace(ServiceDescriptor.Singleton(provider));
        return builder;
    }

    /// <summary>Uses <typeparamref name="TProvider"/> (resolved as a singleton, e.g. a client of your treasury's rate service) for the exchange rates, replacing any registered one.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static CrmKernelBuilder UseExchangeRates<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TProvider>(this CrmKernelBuilder builder)
        where TProvider : class, IExchangeRateProvider
    {
        Preconditions.NotNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IExchangeRateProvider, TProvider>());
        return builder;
    }

    /// <summary>Uses <paramref name="provider"/> for the figures the kernel cannot see (ledger revenue and profit, availability, category spend, …), replacing any registered one.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="provider">The provider, e.g. an <see cref="InMemoryMetricInputs"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static CrmKernelBuilder UseMetricInputs(this CrmKernelBuilder builder, IMetricInputProvider provider)
    {
        Preconditions.NotNull(builder);
        Preconditions.NotNull(provider);
        builder.Services.Replace(ServiceDescriptor.Singleton(provider));
        return builder;
    }

    /// <summary>Uses <typeparamref name="TProvider"/> (resolved as a singleton, e.g. a reader of your ledger) for the figures the kernel cannot see, replacing any registered one.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static CrmKernelBuilder UseMetricInputs<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TProvider>(this CrmKernelBuilder builder)
        where TProvider : class, IMetricInputProvider
    {
        Preconditions.NotNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IMetricInputProvider, TProvider>());
        return builder;
    }
}

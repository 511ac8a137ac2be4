using CrmKernel.Diagnostics;
using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Primitives;
using CrmKernel.Services.Cases;
using CrmKernel.Storage;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Metrics.Evaluation;

public sealed class MetricsRegistrationTests
{
    private static readonly MetricEvaluationRequest InGbp = new(MetricWorld.January, DateTimeZone.Utc, Currency.GBP);

    [Fact]
    public async Task AddMetrics_RegistersOneEvaluatorOverTheKernelsStores_AndTheGivenRatesAndInputs()
    {
        var world = await MetricWorld.CreateAsync();
        var inputs = new InMemoryMetricInputs().Set(MetricWorld.Tenant, StandardFigures.CrmProfit, MetricWorld.January, MetricInput.Money(Money.Of(1_000m, "GBP"), "ledger"));
        var services = new ServiceCollection();
        services.AddCrmKernel(kernel => kernel.AddMetrics().UseExchangeRates(MetricWorld.Rates).UseMetricInputs(inputs));
        services.AddSingleton<ICustomerStore>(world.Customers);
        services.AddSingleton<ITouchpointStore>(world.Touchpoints);
        using var provider = services.BuildServiceProvider();

        var evaluator = provider.GetRequiredService<MetricEvaluator>();
        Assert.Same(evaluator, provider.GetRequiredService<MetricEvaluator>());
        Assert.Same(MetricWorld.Rates, provider.GetRequiredService<IExchangeRateProvider>());
        var evaluation = await evaluator.EvaluateAsync(MetricWorld.Tenant, StandardMetrics.CreateHierarchy(), InGbp);

        Assert.Equal(206m, evaluation.Figures.Values[StandardFigures.PurchaseRevenue]); // Carol's 100 EUR at 0.86
        Assert.Equal(1_000m, evaluation[StandardMetrics.CrmProfit.Id].Value.Value);
    }

    [Fact]
    public async Task AddMetrics_WithoutRates_ReportsAMissingRate_AndTwiceRegistersOnce()
    {
        var world = await MetricWorld.CreateAsync();
        var services = new ServiceCollection();
        services.AddCrmKernel(kernel => kernel.UseInMemoryStores().AddMetrics().AddMetrics());
        services.AddSingleton<ICustomerStore>(world.Customers);
        services.AddSingleton<ITouchpointStore>(world.Touchpoints);
        Assert.Single(services, d => d.ServiceType == typeof(MetricEvaluator));
        Assert.Single(services, d => d.ServiceType == typeof(IExchangeRateProvider));
        using var provider = services.BuildServiceProvider();

        var error = await Assert.ThrowsAsync<ExchangeRateNotFoundException>(async () => await provider.GetRequiredService<MetricEvaluator>().EvaluateAsync(MetricWorld.Tenant, StandardMetrics.CreateHierarchy(), InGbp));
        Assert.Equal(CrmErrorCodes.ExchangeRateNotFound, error.ErrorCode);
    }

    [Fact]
    public async Task AddMetrics_WithTheSalesStores_EvaluatesTheSalesMetricsFromTheStoredDeals()
    {
        var services = new ServiceCollection();
        services.AddCrmKernel(kernel => kernel.UseInMemoryStores().AddMetrics().UseExchangeRates(new FixedExchangeRateProvider([new ExchangeRate(Currency.GBP, Currency.EUR, new LocalDate(2026, 1, 1), 1.2m)])));
        using var provider = services.BuildServiceProvider();
        var deals = provider.GetRequiredService<IOpportunityStore>();
        await provider.GetRequiredService<ISalesPipelineStore>().CommitAsync(Sales.SalesTestData.Pipeline, 0, default);
        foreach (var deal in Catalogue.SalesPerformanceTests.Deals())
        {
            await deals.CommitAsync(OpportunityCommit.Create(deal), default);
        }

        var evaluation = await provider.GetRequiredService<MetricEvaluator>().EvaluateAsync(
            Sales.SalesTestData.Tenant, StandardMetrics.CreateHierarchy(), new MetricEvaluationRequest(Catalogue.SalesPerformanceTests.March, Catalogue.SalesPerformanceTests.London, Currency.EUR));

        Assert.Equal(2m / 3m, evaluation[StandardMetrics.WinRate.Id].Value.Value);
        Assert.Equal(12_999m, evaluation[StandardMetrics.PipelineValue.Id].Value.Value);
    }

    [Fact]
    public async Task AddMetrics_WithACaseStore_EvaluatesTheCaseMetrics_OnTheRegisteredPoliciesAndDefaultCalendar()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new CaseServiceOptions { SlaPolicies = [CaseMetricsTestData.Standard] });
        services.AddSingleton(CaseMetricsTestData.Office);
        services.AddCrmKernel(kernel => kernel.UseInMemoryStores().AddMetrics());
        using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<ICaseStore>();
        foreach (var serviceCase in CaseMetricsTestData.Cases().Values)
        {
            await store.CommitAsync(CaseCommit.Create(serviceCase), default);
        }

        var evaluator = provider.GetRequiredService<MetricEvaluator>();
        var evaluation = await evaluator.EvaluateAsync(CaseMetricsTestData.Tenant, StandardMetrics.CreateHierarchy(), new MetricEvaluationRequest(CaseMetricsTestData.March, CaseMetricsTestData.London, Currency.GBP));

        Assert.Equal(0.6m, evaluation[StandardMetrics.FirstContactResolution.Id].Value.Value);
        Assert.Equal(23_760m, evaluation[StandardMetrics.AverageResolutionTime.Id].Value.Value);
        Assert.Equal(0.75m, evaluation[StandardMetrics.SlaAttainment.Id].Value.Value);
        Assert.Equal(2, await evaluator.StreamCasesAsync(CaseMetricsTestData.Tenant, evaluation, StandardMetrics.CaseBacklog.Id).CountAsync());
    }

    [Fact]
    public void UseExchangeRatesAndInputs_ByType_ReplaceEarlierRegistrations()
    {
        var services = new ServiceCollection();
        services.AddCrmKernel(kernel => kernel.UseInMemoryStores().AddMetrics().UseExchangeRates(MetricWorld.Rates).UseExchangeRates<NoRates>().UseMetricInputs(new InMemoryMetricInputs()).UseMetricInputs<InMemoryMetricInputs>());
        Assert.Single(services, d => d.ServiceType == typeof(IExchangeRateProvider));
        Assert.Single(services, d => d.ServiceType == typeof(IMetricInputProvider));
        using var provider = services.BuildServiceProvider();
        Assert.IsType<NoRates>(provider.GetRequiredService<IExchangeRateProvider>());
        Assert.IsType<InMemoryMetricInputs>(provider.GetRequiredService<IMetricInputProvider>());
        Assert.NotNull(provider.GetRequiredService<MetricEvaluator>());
    }

    private sealed class NoRates : IExchangeRateProvider
    {
        public ValueTask<ExchangeRate?> FindRateAsync(Currency from, Currency to, LocalDate date, CancellationToken cancellationToken) => ValueTask.FromResult<ExchangeRate?>(null);
    }
}

using CrmKernel.Diagnostics;
using CrmKernel.Lifecycle;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Events;
using CrmKernel.Services.Import;
using CrmKernel.Services.Ingestion;
using CrmKernel.Privacy;
using CrmKernel.Services.Identity;
using CrmKernel.Services.Privacy;
using CrmKernel.Services.Lifecycle;
using CrmKernel.Services.Relationships;
using CrmKernel.Services.Cases;
using CrmKernel.Services.Segments;
using CrmKernel.Services.Sales;
using CrmKernel.Services.Timeline;
using CrmKernel.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;

namespace CrmKernel;

/// <summary>Registers CrmKernel in a host's <see cref="IServiceCollection"/>.</summary>
public static class CrmKernelServiceCollectionExtensions
{
    /// <summary>
    /// Registers the kernel's core services — the clock (<see cref="SystemClock"/> unless
    /// <see cref="CrmKernelBuilder.UseClock(IClock)"/> says otherwise), the TZDB time-zone provider,
    /// <see cref="CustomerRepository"/>, <see cref="CrmEventRelay"/> and the other services (ingestion, timeline, relationship graph, lifecycle, <see cref="OpportunityService"/>, <see cref="CaseService"/>, <see cref="SegmentService"/>, <see cref="CrmKernel.Services.Innovation.InnovationService"/>) — and returns the builder for further
    /// configuration: choose a store (e.g. <see cref="CrmKernelBuilder.UseInMemoryStores"/>) there. Calling it
    /// more than once is harmless.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static CrmKernelBuilder AddCrmKernel(this IServiceCollection services)
    {
        Preconditions.NotNull(services);
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.TryAddSingleton<IDateTimeZoneProvider>(DateTimeZoneProviders.Tzdb);
        services.TryAddSingleton<ICrmEventPublisher>(NullCrmEventPublisher.Instance);
        services.TryAddSingleton<CustomerRepository>();
        services.TryAddSingleton<CrmEventRelay>();
        services.TryAddSingleton(static sp => CreateTouchpointIngestion(sp));
        services.TryAddSingleton<CustomerTimeline>();
        services.TryAddSingleton<CustomerImporter>();
        services.TryAddSingleton<RelationshipGraph>();
        services.TryAddSingleton(static _ => DefaultLifecycleModel.Create());
        services.TryAddSingleton<LifecycleService>();
        services.TryAddSingleton<LifecycleEvaluator>();
        services.TryAddSingleton<OpportunityService>();
        services.TryAddSingleton(static _ => new CaseServiceOptions());
        services.TryAddSingleton<CaseService>();
        services.TryAddSingleton(static _ => new SegmentServiceOptions());
        services.TryAddSingleton<SegmentService>();
        services.TryAddSingleton<CrmKernel.Services.Innovation.InnovationService>();
        services.TryAddSingleton(static _ => new DuplicateDetectionOptions());
        services.TryAddSingleton<DuplicateDetector>();
        services.TryAddSingleton<Services.Innovation.PredictionMarketService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Services.Innovation.IIdeaParticipantSource, Services.Innovation.MarketTraderParticipants>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IErasureParticipant, Services.Innovation.IdeaVoteErasure>());
        services.TryAddSingleton(static sp => new ErasureService(
            sp.GetRequiredService<ICustomerStore>(),
            sp.GetRequiredService<ICustomerErasureStore>(),
            sp.GetRequiredService<ICaseStore>(),
            sp.GetRequiredService<IClock>(),
            sp.GetServices<ILawfulHoldCheck>(),
            sp.GetServices<IErasureParticipant>(),
            sp.GetService<ICustomerMergeStore>()));
        services.TryAddSingleton(static sp => new PersonalDataExporter(
            sp.GetRequiredService<ICustomerStore>(),
            sp.GetRequiredService<ITouchpointStore>(),
            sp.GetRequiredService<ICaseStore>(),
            sp.GetRequiredService<IOpportunityStore>(),
            sp.GetRequiredService<IRelationshipStore>(),
            sp.GetRequiredService<IClock>(),
            sp.GetService<ICustomerErasureStore>(),
            sp.GetService<IIdeaStore>(),
            sp.GetService<ICustomerMergeStore>()));
        services.TryAddSingleton(static sp => new CustomerMergeService(sp.GetRequiredService<ICustomerMergeStore>(), sp.GetRequiredService<IClock>(), sp.GetService<ICustomerErasureStore>()));
        return new CrmKernelBuilder(services);
    }

    /// <summary>The pipeline applies the lifecycle when the chosen store offers the atomic touchpoint-and-customer capability.</summary>
    private static TouchpointIngestion CreateTouchpointIngestion(IServiceProvider services)
    {
        var touchpoints = services.GetRequiredService<ITouchpointStore>();
        var clock = services.GetRequiredService<IClock>();
        var customers = services.GetService<ICustomerStore>();
        var atomic = services.GetService<ICustomerTouchpointStore>();
        return customers is null || atomic is null
            ? new TouchpointIngestion(touchpoints, clock)
            : new TouchpointIngestion(touchpoints, clock, services.GetRequiredService<LifecycleModel>(), customers, atomic, services.GetService<ICrmEventPublisher>(), services.GetService<ICrmOutbox>(), services.GetService<ILogger<TouchpointIngestion>>(), services.GetService<ICustomerMergeStore>());
    }

    /// <summary>Registers the kernel's core services and configures them, e.g. <c>services.AddCrmKernel(b => b.UseClock(clock))</c>.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IServiceCollection AddCrmKernel(this IServiceCollection services, Action<CrmKernelBuilder> configure)
    {
        Preconditions.NotNull(services);
        Preconditions.NotNull(configure);
        configure(services.AddCrmKernel());
        return services;
    }
}

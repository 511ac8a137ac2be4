using System.Diagnostics.CodeAnalysis;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;

namespace CrmKernel;

/// <summary>
/// Configures CrmKernel's services. Obtain it from
/// <see cref="CrmKernelServiceCollectionExtensions.AddCrmKernel(IServiceCollection, Action{CrmKernelBuilder})"/>;
/// storage and channel packages add their own <c>Use…</c> and <c>Add…</c> methods to it as extension methods.
/// </summary>
public sealed class CrmKernelBuilder
{
    internal CrmKernelBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection being configured, for extension methods that add to the kernel.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Uses <paramref name="clock"/> for every instant the kernel stamps, instead of the system clock.
    /// Use a <c>NodaTime.Testing.FakeClock</c> in tests.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="clock"/> is null.</exception>
    public CrmKernelBuilder UseClock(IClock clock)
    {
        Preconditions.NotNull(clock);
        Services.Replace(ServiceDescriptor.Singleton(clock));
        return this;
    }

    /// <summary>Uses <paramref name="model"/> as the lifecycle model instead of <see cref="Lifecycle.DefaultLifecycleModel"/> (e.g. the default one built with other thresholds, or your own).</summary>
    /// <param name="model">The model.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    public CrmKernelBuilder UseLifecycleModel(Lifecycle.LifecycleModel model)
    {
        Preconditions.NotNull(model);
        Services.Replace(ServiceDescriptor.Singleton(model));
        return this;
    }

    /// <summary>
    /// Keeps all data in memory with the reference stores (<see cref="InMemoryCustomerStore"/>,
    /// <see cref="InMemoryTouchpointStore"/>, <see cref="InMemoryRelationshipStore"/> and <see cref="InMemoryCrmOutbox"/>), one instance per service provider. For tests, prototypes and samples:
    /// nothing survives the process.
    /// </summary>
    public CrmKernelBuilder UseInMemoryStores()
    {
        Services.Replace(ServiceDescriptor.Singleton<InMemoryCrmOutbox, InMemoryCrmOutbox>());
        Services.Replace(ServiceDescriptor.Singleton<InMemoryCustomerStore, InMemoryCustomerStore>());
        Services.Replace(ServiceDescriptor.Singleton<ICrmOutbox>(sp => sp.GetRequiredService<InMemoryCrmOutbox>()));
        Services.Replace(ServiceDescriptor.Singleton<ICustomerStore>(sp => sp.GetRequiredService<InMemoryCustomerStore>()));
        Services.Replace(ServiceDescriptor.Singleton<InMemoryTouchpointStore, InMemoryTouchpointStore>());
        Services.Replace(ServiceDescriptor.Singleton<ITouchpointStore>(sp => sp.GetRequiredService<InMemoryTouchpointStore>()));
        Services.Replace(ServiceDescriptor.Singleton<ICustomerTouchpointStore>(sp => new InMemoryCustomerTouchpointStore(sp.GetRequiredService<InMemoryCustomerStore>(), sp.GetRequiredService<InMemoryTouchpointStore>())));
        Services.Replace(ServiceDescriptor.Singleton<IRelationshipStore, InMemoryRelationshipStore>());
        return this;
    }

    /// <summary>
    /// Sends committed events to <typeparamref name="TPublisher"/> (resolved as a singleton), e.g. a message-bus
    /// bridge. Without a publisher, events are kept in the outbox and marked published at once.
    /// </summary>
    public CrmKernelBuilder UseEventPublisher<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TPublisher>()
        where TPublisher : class, ICrmEventPublisher
    {
        Services.Replace(ServiceDescriptor.Singleton<ICrmEventPublisher, TPublisher>());
        return this;
    }
}

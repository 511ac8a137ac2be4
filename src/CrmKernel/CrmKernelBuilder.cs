using System.Diagnostics.CodeAnalysis;
using CrmKernel.Channels;
using CrmKernel.Diagnostics;
using CrmKernel.Services.Channels;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
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
    /// Uses <see cref="Lifecycle.DefaultLifecycleModel"/> with the thresholds set in <paramref name="configure"/> (on top of
    /// any bound to <see cref="Lifecycle.DefaultLifecycleOptions"/> through the options pattern). They are validated when
    /// the host starts (<c>ValidateOnStart</c>); a bad one fails start-up with an <see cref="OptionsValidationException"/>
    /// naming it, e.g. <c>DefaultLifecycleOptions.LoyaltyPurchases</c>.
    /// </summary>
    /// <param name="configure">Sets the thresholds.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is null.</exception>
    public CrmKernelBuilder UseDefaultLifecycleModel(Action<Lifecycle.DefaultLifecycleOptions> configure)
    {
        Preconditions.NotNull(configure);
        Services.AddOptions<Lifecycle.DefaultLifecycleOptions>().Configure(configure).ValidateOnStart();
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Lifecycle.DefaultLifecycleOptions>, Lifecycle.DefaultLifecycleOptionsValidator>());
        Services.Replace(ServiceDescriptor.Singleton(static sp => Lifecycle.DefaultLifecycleModel.Create(sp.GetRequiredService<IOptions<Lifecycle.DefaultLifecycleOptions>>().Value)));
        return this;
    }

    /// <summary>
    /// Keeps all data in memory with the reference stores (<see cref="InMemoryCustomerStore"/>,
    /// <see cref="InMemoryTouchpointStore"/>, <see cref="InMemoryRelationshipStore"/>, <see cref="InMemorySalesStore"/>, <see cref="InMemoryCaseStore"/>, <see cref="InMemorySegmentStore"/>, <see cref="InMemoryPredictionMarketStore"/> and <see cref="InMemoryCrmOutbox"/>), one instance per service provider. For tests, prototypes and samples:
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
        Services.Replace(ServiceDescriptor.Singleton<InMemoryRelationshipStore, InMemoryRelationshipStore>());
        Services.Replace(ServiceDescriptor.Singleton<IRelationshipStore>(sp => sp.GetRequiredService<InMemoryRelationshipStore>()));
        Services.Replace(ServiceDescriptor.Singleton<ICustomerMergeStore>(sp => new InMemoryCustomerMergeStore(sp.GetRequiredService<InMemoryCustomerStore>(), sp.GetRequiredService<InMemoryTouchpointStore>(), sp.GetRequiredService<InMemoryRelationshipStore>())));
        Services.Replace(ServiceDescriptor.Singleton(static sp => new InMemorySalesStore(sp.GetRequiredService<InMemoryCrmOutbox>())));
        Services.Replace(ServiceDescriptor.Singleton<IOpportunityStore>(static sp => sp.GetRequiredService<InMemorySalesStore>()));
        Services.Replace(ServiceDescriptor.Singleton<ISalesPipelineStore>(static sp => sp.GetRequiredService<InMemorySalesStore>()));
        Services.Replace(ServiceDescriptor.Singleton(static sp => new InMemoryCaseStore(sp.GetRequiredService<InMemoryCrmOutbox>())));
        Services.Replace(ServiceDescriptor.Singleton<ICaseStore>(static sp => sp.GetRequiredService<InMemoryCaseStore>()));
        Services.Replace(ServiceDescriptor.Singleton<ICustomerErasureStore>(static sp => new InMemoryCustomerErasureStore(
            sp.GetRequiredService<InMemoryCustomerStore>(),
            sp.GetRequiredService<InMemoryCaseStore>(),
            sp.GetRequiredService<InMemorySalesStore>(),
            sp.GetRequiredService<InMemoryCrmOutbox>(),
            sp.GetService<IPendingDispatchStore>() as InMemoryPendingDispatchStore,
            sp.GetService<IIdeaStore>() as InMemoryIdeaStore)));
        Services.Replace(ServiceDescriptor.Singleton<ISegmentStore, InMemorySegmentStore>());
        Services.Replace(ServiceDescriptor.Singleton<IPredictionMarketStore, InMemoryPredictionMarketStore>());
        Services.Replace(ServiceDescriptor.Singleton<IIdeaStore, InMemoryIdeaStore>());
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

    /// <summary>
    /// Registers a channel adapter (resolved as a singleton) and the <see cref="ChannelDispatcher"/> that sends through
    /// it, with <see cref="ContactPolicy.Default"/> and an <see cref="InMemoryPendingDispatchStore"/> unless
    /// <see cref="UseContactPolicy(ContactPolicy)"/> or <see cref="UsePendingDispatchStore{TStore}"/> say otherwise.
    /// Registering the same adapter type twice is harmless; two adapters declaring one channel id fail when the
    /// dispatcher is resolved (<c>CRM-CHANNEL-002</c>).
    /// </summary>
    /// <typeparam name="TAdapter">The adapter; its constructor's parameters are resolved from DI.</typeparam>
    /// <returns>This builder.</returns>
    public CrmKernelBuilder AddChannel<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TAdapter>()
        where TAdapter : class, IChannelAdapter
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IChannelAdapter, TAdapter>());
        return AddDispatcher();
    }

    /// <summary>Registers an adapter instance built by the host (e.g. one configured with options) and the <see cref="ChannelDispatcher"/>.</summary>
    /// <param name="adapter">The adapter.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="adapter"/> is null.</exception>
    public CrmKernelBuilder AddChannel(IChannelAdapter adapter)
    {
        Preconditions.NotNull(adapter);
        Services.AddSingleton(adapter);
        return AddDispatcher();
    }

    /// <summary>Uses <paramref name="policy"/> (quiet hours, default zone, frequency caps) for every dispatch.</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is null.</exception>
    public CrmKernelBuilder UseContactPolicy(ContactPolicy policy)
    {
        Preconditions.NotNull(policy);
        Services.Replace(ServiceDescriptor.Singleton(policy));
        return this;
    }

    /// <summary>
    /// Uses the contact policy described by <see cref="ContactPolicyOptions"/> for every dispatch: settings the host
    /// configures in code (<paramref name="configure"/>) on top of any bound from configuration
    /// (<c>services.Configure&lt;ContactPolicyOptions&gt;(section)</c>). They are validated when the host starts
    /// (<c>ValidateOnStart</c>), and a bad one fails start-up with an <see cref="OptionsValidationException"/> naming it.
    /// </summary>
    /// <param name="configure">Sets the options; <c>_ =&gt; { }</c> when they come from configuration only.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is null.</exception>
    public CrmKernelBuilder UseContactPolicy(Action<ContactPolicyOptions> configure)
    {
        Preconditions.NotNull(configure);
        Services.AddOptions<ContactPolicyOptions>().Configure(configure).ValidateOnStart();
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ContactPolicyOptions>, ContactPolicyOptionsValidator>());
        Services.Replace(ServiceDescriptor.Singleton(static sp => sp.GetRequiredService<IOptions<ContactPolicyOptions>>().Value.ToPolicy(sp.GetRequiredService<IDateTimeZoneProvider>())));
        return this;
    }

    /// <summary>Keeps pending dispatches in <typeparamref name="TStore"/> (resolved as a singleton), e.g. a durable store.</summary>
    /// <typeparam name="TStore">The store.</typeparam>
    /// <returns>This builder.</returns>
    public CrmKernelBuilder UsePendingDispatchStore<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TStore>()
        where TStore : class, IPendingDispatchStore
    {
        Services.Replace(ServiceDescriptor.Singleton<IPendingDispatchStore, TStore>());
        return this;
    }

    private CrmKernelBuilder AddDispatcher()
    {
        Services.TryAddSingleton(ContactPolicy.Default);
        Services.TryAddSingleton<IPendingDispatchStore, InMemoryPendingDispatchStore>();
        Services.TryAddSingleton<ChannelDispatcher>();
        return this;
    }
}

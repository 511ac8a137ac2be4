using CrmKernel.Channels;
using CrmKernel.Samples.Storage.Sqlite;
using CrmKernel.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CrmKernel;

/// <summary>Adds the SQLite storage adapter to CrmKernel's builder: <c>services.AddCrmKernel(b => b.UseSqlite("Data Source=crm.db"))</c>.</summary>
public static class SqliteCrmKernelBuilderExtensions
{
    /// <summary>
    /// Keeps customers, the outbox, touchpoints and relationships in one SQLite database file: registers one
    /// <see cref="SqliteCrmStore"/> singleton as <see cref="ICustomerStore"/>, <see cref="ICustomerBulkStore"/> and
    /// <see cref="ICrmOutbox"/>, and its <see cref="SqliteCrmStore.Touchpoints"/>, <see cref="SqliteCrmStore.Relationships"/>, <see cref="SqliteCrmStore.Sales"/>, <see cref="SqliteCrmStore.Cases"/>, <see cref="SqliteCrmStore.Segments"/> and <see cref="SqliteCrmStore.Ideas"/>
    /// as <see cref="ITouchpointStore"/>, <see cref="IRelationshipStore"/>, <see cref="IOpportunityStore"/>, <see cref="ISalesPipelineStore"/> and <see cref="ICaseStore"/>, replacing any store chosen before (e.g. the
    /// in-memory stores), and its <see cref="SqliteCrmStore.Merges"/> as <see cref="ICustomerMergeStore"/>. Its <see cref="SqliteCrmStore.PendingDispatches"/> becomes the <see cref="IPendingDispatchStore"/>,
    /// so messages the channel dispatcher keeps for retry survive a restart (call <c>UsePendingDispatchStore</c> after
    /// <c>UseSqlite</c> to keep them elsewhere). Use it for a single-machine host that wants its data to survive restarts; the container
    /// disposes the store with the service provider.
    /// </summary>
    /// <param name="builder">The kernel's builder.</param>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string naming a file, e.g. <c>Data Source=crm.db</c>.</param>
    /// <returns>The builder, for further configuration.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="connectionString"/> is null.</exception>
    /// <exception cref="ArgumentException">The connection string is malformed, names no file, an in-memory database or read-only mode.</exception>
    public static CrmKernelBuilder UseSqlite(this CrmKernelBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // Validates the connection string now, at registration, rather than when the store is first resolved.
        SqliteCrmStore.ParseConnectionString(connectionString);

        builder.Services.Replace(ServiceDescriptor.Singleton(_ => new SqliteCrmStore(connectionString)));
        builder.Services.Replace(ServiceDescriptor.Singleton<ICustomerStore>(static sp => sp.GetRequiredService<SqliteCrmStore>()));
        builder.Services.Replace(ServiceDescriptor.Singleton<ICrmOutbox>(static sp => sp.GetRequiredService<SqliteCrmStore>()));
        builder.Services.Replace(ServiceDescriptor.Singleton<ITouchpointStore>(static sp => sp.GetRequiredService<SqliteCrmStore>().Touchpoints));
        builder.Services.Replace(ServiceDescriptor.Singleton<ICustomerTouchpointStore>(static sp => sp.GetRequiredService<SqliteCrmStore>()));
        builder.Services.Replace(ServiceDescriptor.Singleton<IRelationshipStore>(static sp => sp.GetRequiredService<SqliteCrmStore>().Relationships));
        builder.Services.Replace(ServiceDescriptor.Singleton<IOpportunityStore>(static sp => sp.GetRequiredService<SqliteCrmStore>().Sales));
        builder.Services.Replace(ServiceDescriptor.Singleton<ISalesPipelineStore>(static sp => sp.GetRequiredService<SqliteCrmStore>().Sales));
        builder.Services.Replace(ServiceDescriptor.Singleton<ICustomerErasureStore>(static sp => sp.GetRequiredService<SqliteCrmStore>()));
        builder.Services.Replace(ServiceDescriptor.Singleton<ICaseStore>(static sp => sp.GetRequiredService<SqliteCrmStore>().Cases));
        builder.Services.Replace(ServiceDescriptor.Singleton<ICustomerMergeStore>(static sp => sp.GetRequiredService<SqliteCrmStore>().Merges));
        builder.Services.Replace(ServiceDescriptor.Singleton<ISegmentStore>(static sp => sp.GetRequiredService<SqliteCrmStore>().Segments));
        builder.Services.Replace(ServiceDescriptor.Singleton<IPredictionMarketStore>(static sp => sp.GetRequiredService<SqliteCrmStore>().PredictionMarkets));
        builder.Services.Replace(ServiceDescriptor.Singleton<IIdeaStore>(static sp => sp.GetRequiredService<SqliteCrmStore>().Ideas));
        builder.Services.Replace(ServiceDescriptor.Singleton<IPendingDispatchStore>(static sp => sp.GetRequiredService<SqliteCrmStore>().PendingDispatches));
        return builder;
    }
}

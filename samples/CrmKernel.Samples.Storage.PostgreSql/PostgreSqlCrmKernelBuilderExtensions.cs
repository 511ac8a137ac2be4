using CrmKernel.Channels;
using CrmKernel.Samples.Storage.PostgreSql;
using CrmKernel.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CrmKernel;

/// <summary>Adds the PostgreSQL storage adapter to CrmKernel's builder: <c>services.AddCrmKernel(b => b.UsePostgreSql("Host=db;Database=crm;…"))</c>.</summary>
public static class PostgreSqlCrmKernelBuilderExtensions
{
    /// <summary>
    /// Keeps customers, the outbox, touchpoints, relationships, sales pipelines and opportunities, and pending dispatches in one PostgreSQL database: registers
    /// one <see cref="PostgreSqlCrmStore"/> singleton as <see cref="ICustomerStore"/> (also an <see cref="ICustomerBulkStore"/>),
    /// <see cref="ICrmOutbox"/> and <see cref="ICustomerTouchpointStore"/>, and its <see cref="PostgreSqlCrmStore.Touchpoints"/>,
    /// <see cref="PostgreSqlCrmStore.Relationships"/>, <see cref="PostgreSqlCrmStore.Sales"/>, <see cref="PostgreSqlCrmStore.Cases"/>, <see cref="PostgreSqlCrmStore.Segments"/>, <see cref="PostgreSqlCrmStore.Ideas"/> and <see cref="PostgreSqlCrmStore.PendingDispatches"/> as
    /// <see cref="ITouchpointStore"/>, <see cref="IRelationshipStore"/>, <see cref="IOpportunityStore"/> and <see cref="ISalesPipelineStore"/>, <see cref="ICaseStore"/>, and <see cref="IPendingDispatchStore"/>, replacing any
    /// store chosen before, and its <see cref="PostgreSqlCrmStore.Merges"/> as <see cref="ICustomerMergeStore"/>. Use it when several hosts share the data or the data outgrows one machine's SQLite file; the
    /// container disposes the store (and its connection pool) with the service provider.
    /// </summary>
    /// <param name="builder">The kernel's builder.</param>
    /// <param name="connectionString">An Npgsql connection string naming a host and a database.</param>
    /// <returns>The builder, for further configuration.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="connectionString"/> is null.</exception>
    /// <exception cref="ArgumentException">The connection string is blank, malformed, or names no host or database.</exception>
    public static CrmKernelBuilder UsePostgreSql(this CrmKernelBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // Validates the connection string now, at registration, rather than when the store is first resolved.
        PostgreSqlCrmStore.ParseConnectionString(connectionString);

        builder.Services.Replace(ServiceDescriptor.Singleton(_ => new PostgreSqlCrmStore(connectionString)));
        builder.Services.Replace(ServiceDescriptor.Singleton<ICustomerStore>(static sp => sp.GetRequiredService<PostgreSqlCrmStore>()));
        builder.Services.Replace(ServiceDescriptor.Singleton<ICrmOutbox>(static sp => sp.GetRequiredService<PostgreSqlCrmStore>()));
        builder.Services.Replace(ServiceDescriptor.Singleton<ITouchpointStore>(static sp => sp.GetRequiredService<PostgreSqlCrmStore>().Touchpoints));
        builder.Services.Replace(ServiceDescriptor.Singleton<ICustomerTouchpointStore>(static sp => sp.GetRequiredService<PostgreSqlCrmStore>()));
        builder.Services.Replace(ServiceDescriptor.Singleton<IRelationshipStore>(static sp => sp.GetRequiredService<PostgreSqlCrmStore>().Relationships));
        builder.Services.Replace(ServiceDescriptor.Singleton<IOpportunityStore>(static sp => sp.GetRequiredService<PostgreSqlCrmStore>().Sales));
        builder.Services.Replace(ServiceDescriptor.Singleton<ISalesPipelineStore>(static sp => sp.GetRequiredService<PostgreSqlCrmStore>().Sales));
        builder.Services.Replace(ServiceDescriptor.Singleton<ICustomerErasureStore>(static sp => sp.GetRequiredService<PostgreSqlCrmStore>()));
        builder.Services.Replace(ServiceDescriptor.Singleton<ICaseStore>(static sp => sp.GetRequiredService<PostgreSqlCrmStore>().Cases));
        builder.Services.Replace(ServiceDescriptor.Singleton<ICustomerMergeStore>(static sp => sp.GetRequiredService<PostgreSqlCrmStore>().Merges));
        builder.Services.Replace(ServiceDescriptor.Singleton<ISegmentStore>(static sp => sp.GetRequiredService<PostgreSqlCrmStore>().Segments));
        builder.Services.Replace(ServiceDescriptor.Singleton<IPredictionMarketStore>(static sp => sp.GetRequiredService<PostgreSqlCrmStore>().PredictionMarkets));
        builder.Services.Replace(ServiceDescriptor.Singleton<IIdeaStore>(static sp => sp.GetRequiredService<PostgreSqlCrmStore>().Ideas));
        builder.Services.Replace(ServiceDescriptor.Singleton<IPendingDispatchStore>(static sp => sp.GetRequiredService<PostgreSqlCrmStore>().PendingDispatches));
        return builder;
    }
}

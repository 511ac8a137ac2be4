using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using Npgsql;

namespace CrmKernel.Samples.Storage.PostgreSql;

/// <summary>
/// CrmKernel's customer store, bulk import, transactional outbox and atomic touchpoint-and-customer commit over one
/// PostgreSQL database; <see cref="Touchpoints"/>, <see cref="Relationships"/> and <see cref="PendingDispatches"/> are
/// the database's other stores. Use it when several hosts share the CRM data, when one machine's SQLite file is not
/// enough, or when the data should later be spread over a Citus cluster by tenant (every key starts with
/// <c>tenant_id</c> and every statement names one tenant). Create one instance per database for the life of the process
/// (it owns a connection pool) and dispose it at the end; or register it with <c>UsePostgreSql</c>.
/// </summary>
/// <remarks>
/// The schema is created or migrated on first use (or by <see cref="InitializeAsync"/>). A database whose schema is newer
/// than <see cref="SupportedSchemaVersion"/> is refused with <see cref="UnsupportedSchemaVersionException"/> before
/// anything in it changes. Optimistic concurrency is a <c>version</c> column checked in the <c>UPDATE</c>'s
/// <c>WHERE</c>; events go to the <c>outbox</c> table in the transaction that stores the change.
/// </remarks>
public sealed partial class PostgreSqlCrmStore : ICustomerBulkStore, ICrmOutbox, IAsyncDisposable, IDisposable
{
    private readonly SemaphoreSlim _initializeGate = new(1, 1);
    private volatile bool _initialized;
    private volatile bool _disposed;

    /// <summary>Creates the store over a database; nothing is opened until the first call.</summary>
    /// <param name="connectionString">An Npgsql connection string naming a host and a database, e.g. <c>Host=db;Database=crm;Username=crm;Password=…</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="connectionString"/> is null.</exception>
    /// <exception cref="ArgumentException">The connection string is blank, malformed or names no host or database.</exception>
    public PostgreSqlCrmStore(string connectionString)
    {
        ParseConnectionString(connectionString);
        Database = new PostgreSqlDatabase(connectionString);
        Touchpoints = new PostgreSqlTouchpointStore(this);
        Relationships = new PostgreSqlRelationshipStore(this);
        Sales = new PostgreSqlSalesStore(this);
        Cases = new PostgreSqlCaseStore(this);
        Segments = new PostgreSqlSegmentStore(this);
        PredictionMarkets = new PostgreSqlPredictionMarketStore(this);
        Ideas = new PostgreSqlIdeaStore(this);
        PendingDispatches = new PostgreSqlPendingDispatchStore(this);
        Merges = new PostgreSqlCustomerMergeStore(this);
    }

    /// <summary>The newest schema version this code reads and writes; a database at a newer version is refused.</summary>
    public static int SupportedSchemaVersion => PostgreSqlSchema.CurrentVersion;

    /// <summary>The database's touchpoint store (also the scan capability <see cref="ITouchpointScanStore"/>).</summary>
    public PostgreSqlTouchpointStore Touchpoints { get; }

    /// <summary>The database's relationship store.</summary>
    public PostgreSqlRelationshipStore Relationships { get; }

    /// <summary>The sales pipelines and opportunities kept in this database, through this store's connections.</summary>
    public PostgreSqlSalesStore Sales { get; }

    /// <summary>The service cases kept in this store's database.</summary>
    public PostgreSqlCaseStore Cases { get; }

    /// <summary>The segment definitions and snapshots kept in this store's database.</summary>
    public PostgreSqlSegmentStore Segments { get; }

    /// <summary>The prediction markets and their trades, in the same database.</summary>
    public PostgreSqlPredictionMarketStore PredictionMarkets { get; }
    /// <summary>The ideas, voice records and votes in this store's database.</summary>
    public PostgreSqlIdeaStore Ideas { get; }
    /// <summary>The customer merges kept in this database (merge, unmerge, redirected touchpoints), through this store's connections.</summary>
    public PostgreSqlCustomerMergeStore Merges { get; }

    /// <summary>The database's store of the channel dispatcher's pending messages.</summary>
    public PostgreSqlPendingDispatchStore PendingDispatches { get; }

    internal PostgreSqlDatabase Database { get; }

    /// <summary>
    /// Creates or migrates the schema now, so that a wrong connection string or a database written by newer code
    /// fails at start-up rather than on the first request. Optional: every call initialises on first use.
    /// </summary>
    /// <exception cref="UnsupportedSchemaVersionException">The database's schema is newer than this code.</exception>
    /// <exception cref="NpgsqlException">The server cannot be reached or refused the login.</exception>
    public ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return EnsureInitializedAsync(cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<CustomerSnapshot?> FindAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(customerId);
        cancellationToken.ThrowIfCancellationRequested();
        return ReadAsync((c, ct) => CustomerRows.FindAsync(Database, c, tenantId, customerId, ct), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<CustomerSnapshot?> FindByExternalIdentifierAsync(TenantId tenantId, ExternalIdentifier identifier, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(identifier);
        cancellationToken.ThrowIfCancellationRequested();
        return ReadAsync((c, ct) => CustomerRows.FindByIdentifierAsync(Database, c, tenantId, identifier, ct), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CustomerSnapshot>> ListByContactPointAsync(TenantId tenantId, ContactPoint contactPoint, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(contactPoint);
        cancellationToken.ThrowIfCancellationRequested();
        return ReadAsync((c, ct) => CustomerRows.ListByContactPointAsync(Database, c, tenantId, contactPoint, ct), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<long> CountAsync(TenantId tenantId, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        cancellationToken.ThrowIfCancellationRequested();
        return ReadAsync((c, ct) => CustomerRows.CountAsync(Database, c, tenantId, ct), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CustomerSnapshot>> PageAsync(TenantId tenantId, CustomerId? after, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return ReadAsync((c, ct) => CustomerRows.PageAsync(Database, c, tenantId, after, limit, ct), cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask CommitAsync(CustomerCommit commit, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(commit);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await WriteAsync(
                async (c, t, ct) =>
                {
                    if (commit.IsInsert)
                    {
                        // A merged-away customer has no row; its id must not be taken again while the merge is active.
                        await PostgreSqlCustomerMergeStore.EnsureNotMergedAwayAsync(Database, c, t, commit.Customer.TenantId, commit.Customer.Id, ct).ConfigureAwait(false);
                    }

                    await CustomerRows.CommitAsync(Database, c, t, commit, ct).ConfigureAwait(false);
                    return true;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException) when (!commit.IsInsert)
        {
            // An update of a customer that has no row: tell a merged-away one (CRM-MERGE-003) from a plain conflict.
            await ReadAsync(
                async (c, ct) =>
                {
                    await PostgreSqlCustomerMergeStore.EnsureNotMergedAwayAsync(Database, c, null, commit.Customer.TenantId, commit.Customer.Id, ct).ConfigureAwait(false);
                    return true;
                },
                cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask<BulkImportResult> ImportAsync(TenantId tenantId, IReadOnlyList<CustomerCommit> batch, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(batch);
        StoreArguments.CheckBatch(batch.Count, StoreLimits.MaxImportBatch, nameof(batch));
        foreach (var commit in batch)
        {
            Preconditions.Check(commit is not null && commit.IsInsert && commit.Customer.TenantId == tenantId, "Every commit must insert a customer of the tenant.", nameof(batch));
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (batch.Count == 0)
        {
            return ValueTask.FromResult(new BulkImportResult(0, [], []));
        }

        return WriteAsync((c, t, ct) => CustomerRows.ImportAsync(Database, c, t, batch, ct), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CrmEventEnvelope>> ListPendingAsync(TenantId tenantId, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return ReadAsync((c, ct) => OutboxRows.ListPendingAsync(Database, c, tenantId, limit, ct), cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask MarkPublishedAsync(TenantId tenantId, IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(eventIds);
        StoreArguments.CheckBatch(eventIds.Count, StoreLimits.MaxPageSize, nameof(eventIds));
        cancellationToken.ThrowIfCancellationRequested();
        if (eventIds.Count == 0)
        {
            return;
        }

        await ReadAsync(
            async (c, ct) =>
            {
                await OutboxRows.MarkPublishedAsync(Database, c, tenantId, eventIds, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the connection pool. Calls after this throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Closes the connection pool. Calls after this throw <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await Database.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Checks a connection string the way the store will use it, naming the parameter on failure.</summary>
    internal static NpgsqlConnectionStringBuilder ParseConnectionString(string connectionString)
    {
        Preconditions.NotBlank(connectionString);
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or KeyNotFoundException)
        {
            throw new ArgumentException("The connection string is not a valid Npgsql connection string.", nameof(connectionString), e);
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new ArgumentException("The PostgreSQL store needs a server: set Host in the connection string.", nameof(connectionString));
        }

        if (string.IsNullOrWhiteSpace(builder.Database))
        {
            throw new ArgumentException("The PostgreSQL store needs a database: set Database in the connection string.", nameof(connectionString));
        }

        return builder;
    }

    /// <summary>Creates or migrates the schema on first use; throws once the store is disposed. Opens no connection after the first call.</summary>
    internal ValueTask EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _initialized ? ValueTask.CompletedTask : InitializeUnderGateAsync(cancellationToken);
    }

    private async ValueTask InitializeUnderGateAsync(CancellationToken cancellationToken)
    {
        await _initializeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_initialized)
            {
                await PostgreSqlSchema.MigrateAsync(Database, cancellationToken).ConfigureAwait(false);
                _initialized = true;
            }
        }
        finally
        {
            _initializeGate.Release();
        }
    }

    /// <summary>Runs <paramref name="read"/> on a pooled connection (autocommit: each statement sees one committed state).</summary>
    internal async ValueTask<T> ReadAsync<T>(Func<NpgsqlConnection, CancellationToken, ValueTask<T>> read, CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await Database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await read(connection, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="write"/> in one read-committed transaction and commits it; any exception rolls everything back
    /// (disposing an uncommitted transaction rolls it back, and a broken connection is never returned to the pool).
    /// </summary>
    internal async ValueTask<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, ValueTask<T>> write, CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await Database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var result = await write(connection, transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }
}

using System.Collections.Concurrent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using Microsoft.Data.Sqlite;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// CrmKernel's customer store, bulk import and transactional outbox over one SQLite database file, and the owner of
/// that file's <see cref="Touchpoints"/> and <see cref="Relationships"/> stores. Use it when one host (or a few
/// processes on one machine) keeps its CRM data in a local file: a desktop or edge application, a single-node
/// service, a demo or an integration test against a real database. Register it with
/// <c>services.AddCrmKernel(b => b.UseSqlite("Data Source=crm.db"))</c>; create it directly only outside DI.
/// </summary>
/// <remarks>
/// <para>The schema is created, or migrated to <see cref="SupportedSchemaVersion"/>, on first use (or by
/// <see cref="InitializeAsync"/>). The file is put in WAL mode so that reads never wait for a write.</para>
/// <para>Writes go through one connection, one at a time, each in a <c>BEGIN IMMEDIATE</c> transaction; a caller
/// waits for the write connection as for a lock (a write takes well under a millisecond). Reads use a small pool of
/// read-only connections and run concurrently with the writer. Every statement is prepared once per connection.
/// Other processes sharing the file are waited for through SQLite's busy timeout (the connection string's
/// <c>Default Timeout</c>, 30 seconds unless set).</para>
/// <para>The touchpoint and relationship stores are views of this instance: they share its one write connection, its
/// read connections and its lifetime, so every write to the file from this process goes through one writer.</para>
/// <para>The store is thread-safe; use one instance per database file and dispose it when done.</para>
/// </remarks>
public sealed partial class SqliteCrmStore : ICustomerBulkStore, ICrmOutbox, IAsyncDisposable, IDisposable
{
    /// <summary>How many idle read connections are kept open for reuse; more are opened under load and closed afterwards.</summary>
    private static readonly int MaxIdleReaders = Math.Max(4, Environment.ProcessorCount * 2);

    private readonly string _connectionString;
    private readonly string _storeName;
    private readonly int _busyTimeoutMilliseconds;

    // Guards the write session and initialisation. Never disposed: a caller waiting on it when the store is
    // disposed must still wake up (and then see that the store is disposed).
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ConcurrentStack<SqliteSession> _idleReaders = new();
    private SqliteSession? _writer;
    private int _idleReaderCount;
    private volatile bool _initialized;
    private volatile bool _disposed;

    /// <summary>Creates a store over the database file named by <paramref name="connectionString"/>; nothing is opened until first use.</summary>
    /// <param name="connectionString">
    /// A Microsoft.Data.Sqlite connection string naming a file, e.g. <c>Data Source=/var/lib/app/crm.db</c>. The file is
    /// created if missing. <c>Default Timeout</c> (seconds) sets how long a write waits for another process's lock.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="connectionString"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// The connection string is blank or malformed, names no file, names an in-memory database (each connection would
    /// see its own), or opens the file read-only (the store must write its schema).
    /// </exception>
    public SqliteCrmStore(string connectionString)
    {
        var builder = ParseConnectionString(connectionString);
        _connectionString = builder.ToString();
        _storeName = builder.DataSource;
        _busyTimeoutMilliseconds = builder.DefaultTimeout <= 0 ? int.MaxValue : (int)Math.Min(int.MaxValue, builder.DefaultTimeout * 1000L);
        Touchpoints = new SqliteTouchpointStore(this);
        Relationships = new SqliteRelationshipStore(this);
        Sales = new SqliteSalesStore(this);
        Cases = new SqliteCaseStore(this);
        Segments = new SqliteSegmentStore(this);
        PredictionMarkets = new SqlitePredictionMarketStore(this);
        Ideas = new SqliteIdeaStore(this);
        Merges = new SqliteCustomerMergeStore(this);
    }

    /// <summary>The newest schema version this code reads and writes; the version a new file is created at.</summary>
    public static int SupportedSchemaVersion => SqliteSchema.CurrentVersion;

    /// <summary>The touchpoints kept in this store's file, through this store's connections.</summary>
    public SqliteTouchpointStore Touchpoints { get; }

    /// <summary>The relationships kept in this store's file, through this store's connections.</summary>
    public SqliteRelationshipStore Relationships { get; }

    /// <summary>The sales pipelines and opportunities kept in this store's file, through this store's connections.</summary>
    public SqliteSalesStore Sales { get; }

    /// <summary>The service cases kept in this store's file, through this store's connections.</summary>
    public SqliteCaseStore Cases { get; }

    /// <summary>The segment definitions and snapshots kept in this store's file, through this store's connections.</summary>
    public SqliteSegmentStore Segments { get; }

    /// <summary>The prediction markets and their trades kept in this store's file, through this store's connections.</summary>
    public SqlitePredictionMarketStore PredictionMarkets { get; }
    /// <summary>The ideas, voice records and votes kept in this store's file, through this store's connections.</summary>
    public SqliteIdeaStore Ideas { get; }
    /// <summary>The customer merges kept in this store's file (merge, unmerge, redirected touchpoints), through this store's connections.</summary>
    public SqliteCustomerMergeStore Merges { get; }

    /// <summary>
    /// Opens the file and creates or migrates its schema now rather than on first use. Call it at host start-up to
    /// fail fast on a file that cannot be used; calling it again, or not at all, is harmless.
    /// </summary>
    /// <exception cref="UnsupportedSchemaVersionException">The file was written by a newer version of this adapter; nothing was changed.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return EnsureInitializedAsync(cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<CustomerSnapshot?> FindAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.NotDefault(customerId, nameof(customerId));
        cancellationToken.ThrowIfCancellationRequested();
        var id = ColumnText.OfId(customerId);
        return ReadAsync((session, ct) => CustomerRowReader.FindAsync(session, tenantId, id, ct), inTransaction: true, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<CustomerSnapshot?> FindByExternalIdentifierAsync(TenantId tenantId, ExternalIdentifier identifier, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        ArgumentNullException.ThrowIfNull(identifier);
        cancellationToken.ThrowIfCancellationRequested();
        return ReadAsync(
            async (session, ct) =>
            {
                var holder = await CustomerRowReader.FindIdentifierHolderAsync(session, tenantId, identifier, ct).ConfigureAwait(false);
                return holder is null ? null : await CustomerRowReader.FindAsync(session, tenantId, holder, ct).ConfigureAwait(false);
            },
            inTransaction: true,
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CustomerSnapshot>> ListByContactPointAsync(TenantId tenantId, ContactPoint contactPoint, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        ArgumentNullException.ThrowIfNull(contactPoint);
        cancellationToken.ThrowIfCancellationRequested();
        return ReadAsync<IReadOnlyList<CustomerSnapshot>>(
            async (session, ct) =>
            {
                var holders = await CustomerRowReader.FindContactPointHoldersAsync(session, tenantId, contactPoint, ct).ConfigureAwait(false);
                var found = new List<CustomerSnapshot>(holders.Count);
                foreach (var holder in holders)
                {
                    if (await CustomerRowReader.FindAsync(session, tenantId, holder, ct).ConfigureAwait(false) is { } snapshot)
                    {
                        found.Add(snapshot);
                    }
                }

                return found;
            },
            inTransaction: true,
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<long> CountAsync(TenantId tenantId, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        cancellationToken.ThrowIfCancellationRequested();
        return ReadAsync(
            async (session, ct) =>
            {
                var count = session.Command(CustomerSql.Count);
                count.Parameters[0].Value = tenantId.Value;
                return (long)(await count.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
            },
            inTransaction: false,
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CustomerSnapshot>> PageAsync(TenantId tenantId, CustomerId? after, int limit, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();

        // Ids are stored as lower-case "D" text, whose order is CustomerId order; '' sorts before every id.
        var start = after is { } id ? ColumnText.OfId(id) : string.Empty;
        return ReadAsync((session, ct) => CustomerRowReader.PageAsync(session, tenantId, start, limit, ct), inTransaction: true, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask CommitAsync(CustomerCommit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await WriteAsync(
                async (session, ct) =>
                {
                    if (commit.IsInsert)
                    {
                        // A merged-away customer has no row; its id must not be taken again while the merge is active.
                        await CustomerMergeRows.EnsureNotMergedAwayAsync(session, commit.Customer.TenantId, commit.Customer.Id, ct).ConfigureAwait(false);
                    }

                    await CustomerRowWriter.CommitAsync(session, commit, ct).ConfigureAwait(false);
                    return true;
                },
                cancellationToken,
                beforeTransaction: (session, ct) => CustomerRowWriter.CheckVersionAsync(session, commit, ct)).ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException) when (!commit.IsInsert)
        {
            // An update of a customer that has no row: tell a merged-away one (CRM-MERGE-003) from a plain conflict.
            await ReadAsync(
                async (session, ct) =>
                {
                    await CustomerMergeRows.EnsureNotMergedAwayAsync(session, commit.Customer.TenantId, commit.Customer.Id, ct).ConfigureAwait(false);
                    return true;
                },
                inTransaction: false,
                cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Inserts the customers of <paramref name="batch"/> that are not stored yet, in one transaction: customers
    /// already stored are reported by position and left unchanged, customers whose external identifier another
    /// customer holds are rejected by position, and every other customer is stored with its events.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="batch"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default, or a commit is null, not an insert, or of another tenant; nothing was stored.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; nothing was stored.</exception>
    public ValueTask<BulkImportResult> ImportAsync(TenantId tenantId, IReadOnlyList<CustomerCommit> batch, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        ArgumentNullException.ThrowIfNull(batch);
        StoreArguments.CheckBatch(batch.Count, StoreLimits.MaxImportBatch, nameof(batch));
        foreach (var commit in batch)
        {
            if (commit is null || !commit.IsInsert || commit.Customer.TenantId != tenantId)
            {
                throw new ArgumentException("Every commit must insert a customer of the tenant.", nameof(batch));
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (batch.Count == 0)
        {
            return ValueTask.FromResult(new BulkImportResult(0, [], []));
        }

        return WriteAsync((session, ct) => CustomerRowWriter.ImportAsync(session, batch, ct), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CrmEventEnvelope>> ListPendingAsync(TenantId tenantId, int limit, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return ReadAsync((session, ct) => OutboxRows.ListPendingAsync(session, tenantId, limit, ct), inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask MarkPublishedAsync(TenantId tenantId, IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        ArgumentNullException.ThrowIfNull(eventIds);
        StoreArguments.CheckBatch(eventIds.Count, StoreLimits.MaxPageSize, nameof(eventIds));
        cancellationToken.ThrowIfCancellationRequested();
        if (eventIds.Count == 0)
        {
            return;
        }

        await WriteAsync(
            async (session, ct) =>
            {
                await OutboxRows.MarkPublishedAsync(session, tenantId, eventIds, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the store's connections, waiting for a write in progress to finish. Later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _writeGate.Wait();
        try
        {
            CloseAll();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Closes the store's connections, waiting asynchronously for a write in progress to finish. Later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        await _writeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            CloseAll();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Checks that a connection string names a database file the store can write; used by the constructor and at registration.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="connectionString"/> is null.</exception>
    /// <exception cref="ArgumentException">The connection string is unusable for the store.</exception>
    internal static SqliteConnectionStringBuilder ParseConnectionString(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
        {
            throw new ArgumentException("The connection string is not a valid SQLite connection string.", nameof(connectionString), e);
        }

        if (string.IsNullOrWhiteSpace(builder.DataSource)
            || builder.DataSource.Trim() == ":memory:"
            || builder.Mode == SqliteOpenMode.Memory)
        {
            throw new ArgumentException("The SQLite store needs a database file: set Data Source to a file path.", nameof(connectionString));
        }

        if (builder.Mode == SqliteOpenMode.ReadOnly)
        {
            throw new ArgumentException("The SQLite store writes to its file (schema, customers, outbox) and cannot use Mode=ReadOnly.", nameof(connectionString));
        }

        return builder;
    }

    /// <summary>Marks the store disposed and closes every connection. The caller holds the write gate.</summary>
    private void CloseAll()
    {
        _disposed = true;
        _initialized = false;
        _writer?.Dispose();
        _writer = null;
        DrainIdleReaders();
    }

    private ValueTask EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _initialized ? ValueTask.CompletedTask : InitializeUnderGateAsync(cancellationToken);
    }

    private async ValueTask InitializeUnderGateAsync(CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await OpenWriterAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Opens the write session and migrates the schema, unless already done. The caller holds the write gate.</summary>
    private async ValueTask OpenWriterAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_initialized)
        {
            return;
        }

        var writer = await SqliteSession.OpenAsync(_connectionString, _busyTimeoutMilliseconds, readOnly: false, cancellationToken).ConfigureAwait(false);
        try
        {
            await SqliteSchema.MigrateAsync(writer, _storeName, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            writer.Dispose();
            throw;
        }

        _writer = writer;
        _initialized = true;
    }

    /// <summary>
    /// Runs <paramref name="write"/> on the write session inside one <c>BEGIN IMMEDIATE</c> transaction, one caller at
    /// a time; commits when it returns and rolls back when it throws, so a failed write leaves nothing behind.
    /// </summary>
    /// <param name="write">The statements of the transaction.</param>
    /// <param name="cancellationToken">Cancels the wait for the write session and every statement.</param>
    /// <param name="beforeTransaction">
    /// A read-only check run on the write session before the transaction begins, e.g. a version check that refuses
    /// a stale commit without taking the file's write lock. In this process nothing can write between the check and
    /// the transaction; writes of other processes are still caught by the statements of <paramref name="write"/>.
    /// </param>
    internal async ValueTask<T> WriteAsync<T>(
        Func<SqliteSession, CancellationToken, ValueTask<T>> write,
        CancellationToken cancellationToken,
        Func<SqliteSession, CancellationToken, ValueTask>? beforeTransaction = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);

        // The wait blocks like a lock rather than yielding. Everything done under the gate is short and runs on the
        // calling thread (Microsoft.Data.Sqlite completes its async calls synchronously), so the holder never needs
        // another thread to finish. A yielding wait instead lets the waiting callers' threads run other callers'
        // reads in the gap, and those come back to the gate stale: with 8 writers on one customer that multiplied
        // the conflicts about 50-fold (8,000 commits met ~51,000 conflicts, against ~150 with a blocking wait).
        _writeGate.Wait(cancellationToken);
        try
        {
            await OpenWriterAsync(cancellationToken).ConfigureAwait(false);
            var session = _writer!;
            if (beforeTransaction is not null)
            {
                await beforeTransaction(session, cancellationToken).ConfigureAwait(false);
            }

            await session.BeginAsync(write: true, cancellationToken).ConfigureAwait(false);
            try
            {
                var result = await write(session, cancellationToken).ConfigureAwait(false);
                await session.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
            catch
            {
                if (!TryRollback(session))
                {
                    // The connection is in an unknown state: drop it; the next write opens a fresh one.
                    _writer = null;
                    _initialized = false;
                    session.Dispose();
                }

                throw;
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="read"/> on a pooled read-only session, inside one read transaction when it runs more than
    /// one statement (so all of them see the same committed state). Reads never wait for the writer.
    /// </summary>
    internal async ValueTask<T> ReadAsync<T>(Func<SqliteSession, CancellationToken, ValueTask<T>> read, bool inTransaction, CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var session = _idleReaders.TryPop(out var idle) ? TakeIdle(idle) : null;
        session ??= await SqliteSession.OpenAsync(_connectionString, _busyTimeoutMilliseconds, readOnly: true, cancellationToken).ConfigureAwait(false);
        var reusable = true;
        try
        {
            if (inTransaction)
            {
                await session.BeginAsync(write: false, cancellationToken).ConfigureAwait(false);
            }

            var result = await read(session, cancellationToken).ConfigureAwait(false);
            if (inTransaction)
            {
                await session.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            return result;
        }
        catch
        {
            reusable = TryRollback(session);
            throw;
        }
        finally
        {
            ReturnReader(session, reusable);
        }
    }

    /// <summary>
    /// Streams what <paramref name="read"/> yields from one statement on a pooled read-only session (a single statement
    /// reads one consistent snapshot without an explicit transaction). The session goes back to the pool when the
    /// stream ends or its enumerator is disposed.
    /// </summary>
    internal async IAsyncEnumerable<T> StreamAsync<T>(Func<SqliteSession, CancellationToken, IAsyncEnumerable<T>> read, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var session = _idleReaders.TryPop(out var idle) ? TakeIdle(idle) : null;
        session ??= await SqliteSession.OpenAsync(_connectionString, _busyTimeoutMilliseconds, readOnly: true, cancellationToken).ConfigureAwait(false);
        var completed = false;
        try
        {
            await foreach (var item in read(session, cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }

            completed = true;
        }
        finally
        {
            ReturnReader(session, completed || TryRollback(session));
        }
    }

    private SqliteSession TakeIdle(SqliteSession session)
    {
        Interlocked.Decrement(ref _idleReaderCount);
        return session;
    }

    private void ReturnReader(SqliteSession session, bool reusable)
    {
        if (!reusable || _disposed)
        {
            session.Dispose();
            return;
        }

        if (Interlocked.Increment(ref _idleReaderCount) > MaxIdleReaders)
        {
            // Enough idle connections already: this one was opened for a burst of reads.
            Interlocked.Decrement(ref _idleReaderCount);
            session.Dispose();
            return;
        }

        _idleReaders.Push(session);
        if (_disposed)
        {
            // Disposed while this read ran: close what the disposal could not see.
            DrainIdleReaders();
        }
    }

    private void DrainIdleReaders()
    {
        while (_idleReaders.TryPop(out var session))
        {
            Interlocked.Decrement(ref _idleReaderCount);
            session.Dispose();
        }
    }

    /// <summary>Rolls back an open transaction after a failure; false when even that failed and the session must not be reused.</summary>
    private static bool TryRollback(SqliteSession session)
    {
        try
        {
            session.RollbackIfActive();
            return true;
        }
        catch (SqliteException)
        {
            return false;
        }
    }
}

using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// One open connection to the database with the statements prepared on it. The store keeps one session for
/// writing (used by one caller at a time) and a small pool of read-only sessions, so every statement is
/// prepared once per connection and then only re-bound and re-run.
/// </summary>
/// <remarks>Not thread-safe: a session is used by one caller at a time.</remarks>
internal sealed class SqliteSession : IDisposable
{
    private static readonly SqlStatement BeginDeferred = new("BEGIN DEFERRED");
    private static readonly SqlStatement BeginImmediate = new("BEGIN IMMEDIATE");
    private static readonly SqlStatement CommitTransaction = new("COMMIT");
    private static readonly SqlStatement RollbackTransaction = new("ROLLBACK");

    private readonly Dictionary<SqlStatement, SqliteCommand> _commands = new(ReferenceEqualityComparer.Instance);

    private SqliteSession(SqliteConnection connection) => Connection = connection;

    /// <summary>The open connection.</summary>
    public SqliteConnection Connection { get; }

    /// <summary>True while a transaction is open on the connection (SQLite is not in autocommit mode).</summary>
    public bool InTransaction => SQLitePCL.raw.sqlite3_get_autocommit(Connection.Handle) == 0;

    /// <summary>
    /// How much of the file a read connection maps into memory (<c>PRAGMA mmap_size</c>): as much as SQLite allows by
    /// default (its compile-time cap, just under 2 GiB), so the pages a read touches are read in place from the OS page
    /// cache instead of copied by one <c>pread</c> each. A metric scan over 30,000 customers spent about a fifth of its
    /// time in those calls. Address space only: nothing is read until it is touched. The write connection keeps plain
    /// I/O, so a write is never done through the map; WAL content is read as before.
    /// </summary>
    internal const long ReaderMemoryMapBytes = 0x7fff0000;

    /// <summary>
    /// Opens a connection and applies the per-connection settings: foreign keys on, <c>synchronous=NORMAL</c>
    /// (durable in WAL mode except for the last commits before a power loss, never corrupt), a busy timeout
    /// so that another process holding the write lock is waited for, and for readers <c>query_only</c> and a memory map
    /// of the file (<see cref="ReaderMemoryMapBytes"/>).
    /// </summary>
    public static async ValueTask<SqliteSession> OpenAsync(string connectionString, int busyTimeoutMilliseconds, bool readOnly, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using (var settings = connection.CreateCommand())
            {
                // The numbers are formatted from an int, not taken from input; PRAGMA values cannot be bound as parameters.
                settings.CommandText = FormattableString.Invariant(
                    $"PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = {busyTimeoutMilliseconds}; PRAGMA query_only = {(readOnly ? 1 : 0)}; PRAGMA mmap_size = {(readOnly ? ReaderMemoryMapBytes : 0)};");
                await settings.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return new SqliteSession(connection);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The statement prepared on this connection, with its parameters created; callers set their values and run it.</summary>
    [SuppressMessage("Security", "CA2100:Review SQL queries for security vulnerabilities", Justification = "Statement texts are constants of this assembly (SqlStatement); every value is bound as a parameter.")]
    public SqliteCommand Command(SqlStatement statement)
    {
        if (!_commands.TryGetValue(statement, out var command))
        {
            command = new SqliteCommand(statement.Text, Connection);
            foreach (var name in statement.ParameterNames)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name, Value = DBNull.Value });
            }

            command.Prepare();
            _commands.Add(statement, command);
        }

        return command;
    }

    /// <summary>Runs a statement that returns no rows and returns the number of rows it changed.</summary>
    public Task<int> ExecuteAsync(SqlStatement statement, CancellationToken cancellationToken)
        => Command(statement).ExecuteNonQueryAsync(cancellationToken);

    /// <summary>
    /// Starts a transaction. A write transaction is <c>BEGIN IMMEDIATE</c>: it takes the write lock at once, so
    /// two writers never deadlock upgrading a read lock, and a busy database is waited for up front.
    /// </summary>
    public Task<int> BeginAsync(bool write, CancellationToken cancellationToken)
        => ExecuteAsync(write ? BeginImmediate : BeginDeferred, cancellationToken);

    /// <summary>Commits the open transaction.</summary>
    public Task<int> CommitAsync(CancellationToken cancellationToken)
        => ExecuteAsync(CommitTransaction, cancellationToken);

    /// <summary>Rolls back the open transaction, if there is one (SQLite may already have rolled it back after an error).</summary>
    public void RollbackIfActive()
    {
        if (InTransaction)
        {
            Command(RollbackTransaction).ExecuteNonQuery();
        }
    }

    /// <summary>Finalizes the prepared statements and closes the connection.</summary>
    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        Connection.Dispose();
    }
}

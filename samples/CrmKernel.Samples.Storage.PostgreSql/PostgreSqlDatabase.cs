using Npgsql;
using NpgsqlTypes;

namespace CrmKernel.Samples.Storage.PostgreSql;

/// <summary>
/// The one place where the adapter creates commands: every statement it sends goes through <see cref="Command"/> or
/// <see cref="BeginBinaryImportAsync"/>, which hand its text to <see cref="StatementObserver"/> first. The routing test
/// subscribes there to prove that every statement is single-tenant (single-shard) routable.
/// </summary>
internal sealed class PostgreSqlDatabase : IAsyncDisposable
{
    public PostgreSqlDatabase(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);

        // The adapter keeps one session-level object, the temporary staging table of bulk appends (ON COMMIT DELETE ROWS):
        // a reset on every return to the pool would drop it (DISCARD TEMP) and make each append create it again.
        builder.ConnectionStringBuilder.NoResetOnClose = true;

        // Every statement is a constant: prepare the ones used repeatedly, once per physical connection.
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 128;
            builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        }

        Name = $"{builder.ConnectionStringBuilder.Host}:{builder.ConnectionStringBuilder.Port}/{builder.ConnectionStringBuilder.Database}";
        DataSource = builder.Build();
    }

    /// <summary>Host, port and database, for messages (never the password).</summary>
    public string Name { get; }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>Receives the text of every statement before it is sent; null in production.</summary>
    public Action<string>? StatementObserver { get; set; }

    public NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql)
    {
        StatementObserver?.Invoke(sql);
        return new NpgsqlCommand(sql, connection, transaction);
    }

    /// <summary>Adds a statement to a batch (sent in one round trip), telling the observer as <see cref="Command"/> does.</summary>
    public NpgsqlBatchCommand Add(NpgsqlBatch batch, string sql)
    {
        StatementObserver?.Invoke(sql);
        var command = new NpgsqlBatchCommand(sql);
        batch.BatchCommands.Add(command);
        return command;
    }

    public Task<NpgsqlBinaryImporter> BeginBinaryImportAsync(NpgsqlConnection connection, string copySql, CancellationToken cancellationToken)
    {
        StatementObserver?.Invoke(copySql);
        return connection.BeginBinaryImportAsync(copySql, cancellationToken);
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}

/// <summary>Typed parameters: no boxing, and the type is stated rather than inferred.</summary>
internal static class Parameters
{
    public static NpgsqlCommand With<T>(this NpgsqlCommand command, string name, T value)
    {
        command.Parameters.Add(new NpgsqlParameter<T>(name, value));
        return command;
    }

    public static NpgsqlCommand With<T>(this NpgsqlCommand command, string name, T value, NpgsqlDbType type)
    {
        command.Parameters.Add(new NpgsqlParameter<T>(name, type) { TypedValue = value });
        return command;
    }

    public static NpgsqlBatchCommand With<T>(this NpgsqlBatchCommand command, string name, T value)
    {
        command.Parameters.Add(new NpgsqlParameter<T>(name, value));
        return command;
    }

    public static NpgsqlBatchCommand With<T>(this NpgsqlBatchCommand command, string name, T value, NpgsqlDbType type)
    {
        command.Parameters.Add(new NpgsqlParameter<T>(name, type) { TypedValue = value });
        return command;
    }

    public static NpgsqlBatchCommand WithText(this NpgsqlBatchCommand command, string name, string? value)
    {
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value });
        return command;
    }

    public static NpgsqlBatchCommand WithTextArray(this NpgsqlBatchCommand command, string name, string[]? value)
    {
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value });
        return command;
    }

    public static NpgsqlCommand WithText(this NpgsqlCommand command, string name, string? value)
    {
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value });
        return command;
    }

    public static NpgsqlCommand WithTextArray(this NpgsqlCommand command, string name, string[]? value)
    {
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value });
        return command;
    }

    public static string? OptionalString(this NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}

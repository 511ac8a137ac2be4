namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// One SQL statement of the store, written as a constant, with the names of the parameters it binds. Each
/// <see cref="SqliteSession"/> prepares a statement once, on first use, and reuses it for the life of its
/// connection; values only ever reach SQLite as bound parameters.
/// </summary>
internal sealed class SqlStatement
{
    public SqlStatement(string text, params string[] parameterNames)
    {
        Text = text;
        ParameterNames = parameterNames;
    }

    /// <summary>The SQL text: a constant of this assembly, never built from values.</summary>
    public string Text { get; }

    /// <summary>The parameters, in the order the statement's callers bind them by index.</summary>
    public IReadOnlyList<string> ParameterNames { get; }
}

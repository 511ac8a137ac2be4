using System.Diagnostics;
using Npgsql;

namespace CrmKernel.Samples.Storage.PostgreSql.Tests;

/// <summary>
/// The PostgreSQL server the tests run against: the one named by the environment variable <c>CRMKERNEL_POSTGRES</c> (an
/// Npgsql connection string to a superuser's maintenance database, as <c>eng/postgres-test-cluster.sh</c> prints), or
/// else a throwaway cluster this process starts with that script and stops when it exits. No server is a test failure
/// with a message saying what to do, never a skipped test.
/// </summary>
internal static class PostgresServer
{
    public const string Variable = "CRMKERNEL_POSTGRES";

    private static readonly Lazy<string> Server = new(Locate, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The connection string of the maintenance database.</summary>
    public static string ConnectionString => Server.Value;

    /// <summary>A connection string to <paramref name="database"/> on the same server.</summary>
    public static string ForDatabase(string database, string? searchPath = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database };
        if (searchPath is not null)
        {
            builder.SearchPath = searchPath;
        }

        return builder.ToString();
    }

    private static string Locate()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            Check(configured, $"{Variable} is set, but the server it names does not answer");
            return configured;
        }

        var script = FindScript()
            ?? throw new InvalidOperationException($"No PostgreSQL server: {Variable} is not set and eng/postgres-test-cluster.sh was not found above {AppContext.BaseDirectory}. Set {Variable} to an Npgsql connection string, or run the tests through 'eng/postgres-test-cluster.sh -- dotnet test'.");
        var start = new ProcessStartInfo("bash", [script, "start"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not run bash to start the test cluster.");
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (process.ExitCode != 0 || lines.Length < 2)
        {
            throw new InvalidOperationException($"No PostgreSQL server: {Variable} is not set and '{script} start' failed (exit code {process.ExitCode}): {error.Trim()}");
        }

        var (connectionString, directory) = (lines[0].Trim(), lines[1].Trim());
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            using var stop = Process.Start(new ProcessStartInfo("bash", [script, "stop", directory]) { RedirectStandardOutput = true, RedirectStandardError = true });
            stop?.WaitForExit(30_000);
        };
        Check(connectionString, "the test cluster started but does not answer");
        return connectionString;
    }

    private static void Check(string connectionString, string problem)
    {
        try
        {
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
        }
        catch (Exception e) when (e is NpgsqlException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidOperationException($"No PostgreSQL server: {problem} ({e.Message}).", e);
        }
    }

    private static string? FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "eng", "postgres-test-cluster.sh");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

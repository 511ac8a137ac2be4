// The crash harness (issue #22, docs/reliability.md). Without arguments it is the parent: for SQLite (a file) and
// PostgreSQL (a database of the server in CRMKERNEL_POSTGRES) it kills writer children with SIGKILL at random points of
// their commit loops and checks the store after each kill; then it runs the two-process race on one SQLite file.
//
//   dotnet run --project tests/CrmKernel.CrashHarness -c Release [-- sqlite|postgres|race ...]
//
// Environment: CRMKERNEL_CRASH_KILLS (kills per store, default 200), CRMKERNEL_CRASH_SEED (the seed printed by a run, to
// repeat its choices), CRMKERNEL_RACE_UPDATES (updates per race writer, default 100), CRMKERNEL_POSTGRES (required for
// the PostgreSQL part). Exit code 0 when nothing acknowledged was lost and nothing was half-written; 1 otherwise.
using System.Diagnostics;
using System.Globalization;
using CrmKernel.CrashHarness;
using CrmKernel.Primitives;
using Npgsql;

return await Harness.MainAsync(args);

namespace CrmKernel.CrashHarness
{
    internal static class Harness
    {
        public static async Task<int> MainAsync(string[] args)
        {
            switch (args.FirstOrDefault())
            {
                case "child":
                    return await CrashWriter.RunAsync(args[1], args[2], Int(args[3]), Int(args[4]));
                case "race-child":
                    return await RaceWriter.RunAsync(args[1], CustomerId.Parse(args[2]), Int(args[3]), Int(args[4]));
                default:
                    return await ParentAsync(args);
            }
        }

        private static async Task<int> ParentAsync(string[] args)
        {
            string[] parts = args.Length == 0 ? ["sqlite", "postgres", "race"] : args;
            var kills = Env("CRMKERNEL_CRASH_KILLS", 200);
            var seed = Env("CRMKERNEL_CRASH_SEED", Random.Shared.Next(1, 1_000_000));
            var updates = Env("CRMKERNEL_RACE_UPDATES", 100);
            var directory = Directory.CreateTempSubdirectory("crmkernel-crash-");
            var status = 0;
            try
            {
                // The two crash parts run side by side: a round is mostly a child starting up on one core while the parent
                // checks on the other, so two stores at once fill the machine; the race runs alone, after them.
                var crashes = new List<Task<int>>();
                foreach (var part in parts)
                {
                    switch (part)
                    {
                        case "sqlite":
                            crashes.Add(new CrashParent("sqlite", Path.Combine(directory.FullName, "crash.db"), kills, seed, 40).RunAsync());
                            break;
                        case "postgres":
                            var server = Environment.GetEnvironmentVariable("CRMKERNEL_POSTGRES");
                            if (string.IsNullOrWhiteSpace(server))
                            {
                                Console.Error.WriteLine("crash postgres: CRMKERNEL_POSTGRES is not set (eng/postgres-test-cluster.sh start --export sets it)");
                                status = 1;
                                break;
                            }

                            crashes.Add(RunPostgresAsync(server, kills, seed));
                            break;
                        case "race":
                            break;
                        default:
                            Console.Error.WriteLine($"unknown part '{part}': sqlite, postgres or race");
                            return 2;
                    }
                }

                foreach (var result in await Task.WhenAll(crashes))
                {
                    status |= result;
                }

                if (parts.Contains("race"))
                {
                    status |= await RaceParent.RunAsync(Path.Combine(directory.FullName, "race.db"), updates);
                }
            }
            finally
            {
                NpgsqlConnection.ClearAllPools();
                directory.Delete(recursive: true);
            }

            return status;
        }

        /// <summary>How to start this program again as a child with <paramref name="args"/>, stdin and stdout redirected.</summary>
        public static ProcessStartInfo ChildStart(params string[] args)
        {
            var start = new ProcessStartInfo
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            var host = Environment.ProcessPath!;
            start.FileName = host;
            if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            {
                start.ArgumentList.Add(typeof(Harness).Assembly.Location);
            }

            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["DOTNET_TieredPGO"] = "0";
            return start;
        }

        private static async Task<int> RunPostgresAsync(string server, int kills, int seed)
            => await new CrashParent("postgres", await FreshDatabaseAsync(server, "crmkernel_crash"), kills, seed, 60).RunAsync();

        private static async Task<string> FreshDatabaseAsync(string server, string name)
        {
            await using (var connection = new NpgsqlConnection(server))
            {
                await connection.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
                await create.ExecuteNonQueryAsync();
            }

            return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        }

        private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);

        private static int Env(string name, int fallback)
            => int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
    }
}

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using CrmKernel.Benchmarks.Storage;
using CrmKernel.Primitives;
using CrmKernel.Samples.Storage.PostgreSql;
using CrmKernel.Touchpoints;
using Npgsql;

namespace CrmKernel.Benchmarks.PostgreSql;

/// <summary>
/// Issue 16 §5: bulk append of the same <see cref="Rows"/> touchpoints into an empty touchpoint table through the adapter
/// (<see cref="PostgreSqlTouchpointStore.AppendAsync"/>: argument checks, binary COPY, idempotency by source key, the
/// result) against hand-written Npgsql code that binary-COPYs the same rows straight into the same table in one
/// transaction (the baseline). Goal: adapter throughput at least 0.8 × the baseline's, a time ratio of at most 1.25.
/// </summary>
/// <remarks>
/// <para>Both paths write into the same database with the adapter's schema (tables, keys, indexes), emptied with
/// <c>TRUNCATE</c> before each iteration outside the measurement. The baseline encodes values as the adapter does;
/// <see cref="GlobalSetup"/> checks that both store identical rows (an md5 over every row's text) before anything is
/// timed. The server is the test cluster of <c>eng/postgres-test-cluster.sh</c> (<c>fsync=off</c>), on the same machine.</para>
/// <para>One append per iteration into an empty table, so one invocation per iteration (monitoring strategy).</para>
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[MaxColumn]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 9)]
public class PostgreSqlTouchpointAppendBenchmarks : IDisposable
{
    private const string Database = "crmkernel_bench_append";

    private static readonly TenantId Tenant = new("bench");

    private Touchpoint[] _touchpoints = [];
    private PostgreSqlCrmStore? _store;
    private NpgsqlDataSource? _raw;

    /// <summary>How many touchpoints one append stores.</summary>
    [Params(100_000)]
    public int Rows { get; set; }

    /// <summary>Creates the database and the schema, generates the rows (10,000 customers, every field in use) and checks that both paths store identical rows.</summary>
    [GlobalSetup]
    public void GlobalSetup()
    {
        var connectionString = PostgresBenchDatabase.Create(Database);
        _store = new PostgreSqlCrmStore(connectionString);
        _store.InitializeAsync(default).AsTask().GetAwaiter().GetResult();
        _raw = NpgsqlDataSource.Create(connectionString);
        _touchpoints = AdapterTouchpoints.Generate(Tenant, Rows, customers: 10_000, seed: 20260301);

        var sample = _touchpoints[..Math.Min(2_000, _touchpoints.Length)];
        Empty();
        _store.Touchpoints.AppendAsync(Tenant, sample, default).AsTask().GetAwaiter().GetResult();
        string adapterRows;
        using (var connection = _raw.OpenConnection())
        {
            adapterRows = PostgresBenchDatabase.Digest(connection);
            PostgresBenchDatabase.Execute(connection, "TRUNCATE touchpoints");
            PostgresBenchDatabase.CopyRaw(connection, Tenant.Value, sample);
            if (PostgresBenchDatabase.Digest(connection) != adapterRows || adapterRows.Length == 0)
            {
                throw new InvalidOperationException("The baseline does not store the rows the adapter stores; the comparison would not be fair.");
            }
        }
    }

    /// <summary>Empties the touchpoint table before every iteration.</summary>
    [IterationSetup]
    public void Empty()
    {
        using var connection = _raw!.OpenConnection();
        PostgresBenchDatabase.Execute(connection, "TRUNCATE touchpoints");
    }

    /// <summary>Baseline: Npgsql binary COPY of the same rows straight into the table, in one transaction.</summary>
    [Benchmark(Baseline = true)]
    public int RawBinaryCopy()
    {
        using var connection = _raw!.OpenConnection();
        return PostgresBenchDatabase.CopyRaw(connection, Tenant.Value, _touchpoints);
    }

    /// <summary>The adapter: one <see cref="PostgreSqlTouchpointStore.AppendAsync"/> call with every row.</summary>
    [Benchmark]
    public async Task<int> Adapter() => (await _store!.Touchpoints.AppendAsync(Tenant, _touchpoints, default)).Appended;

    /// <summary>Checks that the iteration stored every row.</summary>
    [IterationCleanup]
    public void IterationCleanup()
    {
        using var connection = _raw!.OpenConnection();
        if (PostgresBenchDatabase.Scalar<long>(connection, "SELECT count(*) FROM touchpoints") != Rows)
        {
            throw new InvalidOperationException("The iteration did not store every touchpoint.");
        }
    }

    /// <summary>Closes the pools and drops the database.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _store?.Dispose();
        _raw?.Dispose();
        PostgresBenchDatabase.Drop(Database);
        GC.SuppressFinalize(this);
    }
}

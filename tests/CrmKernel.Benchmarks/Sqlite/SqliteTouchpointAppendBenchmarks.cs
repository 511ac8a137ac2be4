using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using CrmKernel.Benchmarks.Storage;
using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Samples.Storage.Sqlite;
using CrmKernel.Touchpoints;
using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Text;

namespace CrmKernel.Benchmarks.Sqlite;

/// <summary>
/// Issue 4 §5: bulk append of the same <see cref="Rows"/> touchpoints into a fresh SQLite file through the adapter
/// (<see cref="SqliteTouchpointStore.AppendAsync"/>: one transaction, prepared statements, idempotency check per row)
/// against hand-written Microsoft.Data.Sqlite code that inserts the same rows into the same tables with prepared
/// statements in one transaction (the baseline). Goal: adapter throughput at least 0.8 × the baseline's, i.e. a time
/// ratio of at most 1.25.
/// </summary>
/// <remarks>
/// <para>Both files get the adapter's schema (<see cref="SqliteCrmStore.InitializeAsync"/>: the same tables, keys and
/// indexes, WAL) before each iteration, outside the measurement, and both connections use the adapter's settings
/// (<c>synchronous=NORMAL</c>, <c>foreign_keys=ON</c>). The baseline encodes values exactly as the adapter does (checked
/// once in <see cref="GlobalSetup"/>: both files must hold identical rows), so the difference is the adapter's own cost:
/// argument checks, the <c>ON CONFLICT DO NOTHING</c> idempotency check and the result.</para>
/// <para>Each iteration inserts into a fresh file, so one invocation per iteration (monitoring strategy).</para>
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[MaxColumn]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 9)]
public class SqliteTouchpointAppendBenchmarks : IDisposable
{
    private const string InsertTouchpoint = """
        INSERT INTO touchpoints (
            tenant, id, customer_id, channel, direction, function, kind, occurred_at, recorded_at, source, source_key,
            outcome, satisfaction_scale, satisfaction_value, sentiment, cost_amount, cost_currency, revenue_amount, revenue_currency, campaign)
        VALUES ($tenant, $id, $customer_id, $channel, $direction, $function, $kind, $occurred_at, $recorded_at, $source, $source_key,
            $outcome, $satisfaction_scale, $satisfaction_value, $sentiment, $cost_amount, $cost_currency, $revenue_amount, $revenue_currency, $campaign)
        """;

    private const string InsertParticipant = """
        INSERT INTO touchpoint_participants (tenant, touchpoint_id, position, role, customer_id, user_id)
        VALUES ($tenant, $id, $position, $role, $customer_id, $user_id)
        """;

    private const string InsertProduct = """
        INSERT INTO touchpoint_products (tenant, touchpoint_id, position, product_id) VALUES ($tenant, $id, $position, $product_id)
        """;

    /// <summary>The adapter's instant encoding: UTC ISO-8601 with nine fractional digits.</summary>
    private static readonly InstantPattern InstantText = InstantPattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffff'Z'");

    private static readonly TenantId Tenant = new("bench");

    private Touchpoint[] _touchpoints = [];
    private string _folder = string.Empty;
    private string _file = string.Empty;
    private SqliteCrmStore? _store;
    private SqliteConnection? _raw;

    /// <summary>How many touchpoints one append stores.</summary>
    [Params(100_000)]
    public int Rows { get; set; }

    /// <summary>Generates the touchpoints once (10,000 customers, every field in use) and checks that both paths write identical rows.</summary>
    [GlobalSetup]
    public void GlobalSetup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "crmkernel-bench-sqlite", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _touchpoints = AdapterTouchpoints.Generate(Tenant, Rows, customers: 10_000, seed: 20260301);
        CheckBothPathsWriteTheSameRows();
    }

    /// <summary>A fresh file with the adapter's schema, and the adapter's write connection opened on it.</summary>
    [IterationSetup(Target = nameof(Adapter))]
    public void SetUpAdapter()
    {
        _store = new SqliteCrmStore(ConnectionString(NewFile()));
        _store.InitializeAsync(default).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>A fresh file with the adapter's schema, and a plain connection opened on it with the adapter's settings.</summary>
    [IterationSetup(Target = nameof(RawPreparedInserts))]
    public void SetUpRaw()
    {
        var connectionString = ConnectionString(NewFile());
        using (var schema = new SqliteCrmStore(connectionString))
        {
            schema.InitializeAsync(default).AsTask().GetAwaiter().GetResult();
        }

        _raw = OpenRaw(connectionString);
    }

    /// <summary>Baseline: Microsoft.Data.Sqlite prepared INSERTs of the same rows in one transaction.</summary>
    [Benchmark(Baseline = true)]
    public int RawPreparedInserts() => InsertRaw(_raw!, _touchpoints);

    /// <summary>The adapter: one <see cref="SqliteTouchpointStore.AppendAsync"/> call with every row.</summary>
    [Benchmark]
    public async Task<int> Adapter() => (await _store!.Touchpoints.AppendAsync(Tenant, _touchpoints, default)).Appended;

    /// <summary>Checks that the iteration stored every row, then closes and deletes its file.</summary>
    [IterationCleanup]
    public void IterationCleanup()
    {
        using (var check = OpenRaw(ConnectionString(_file)))
        using (var count = check.CreateCommand())
        {
            count.CommandText = "SELECT count(*) FROM touchpoints";
            if ((long)count.ExecuteScalar()! != Rows)
            {
                throw new InvalidOperationException("The iteration did not store every touchpoint.");
            }
        }

        CloseIteration();
    }

    /// <summary>Deletes the benchmark's folder.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        CloseIteration();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    private static string ConnectionString(string file) => new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString();

    private static SqliteConnection OpenRaw(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var settings = connection.CreateCommand();
        settings.CommandText = "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000;";
        settings.ExecuteNonQuery();
        return connection;
    }

    /// <summary>What a developer would write by hand: three prepared statements, values bound by position, one transaction.</summary>
    private static int InsertRaw(SqliteConnection connection, Touchpoint[] touchpoints)
    {
        using var transaction = connection.BeginTransaction();
        using var touchpoint = Prepare(
            connection,
            transaction,
            InsertTouchpoint,
            "$tenant", "$id", "$customer_id", "$channel", "$direction", "$function", "$kind", "$occurred_at", "$recorded_at", "$source", "$source_key",
            "$outcome", "$satisfaction_scale", "$satisfaction_value", "$sentiment", "$cost_amount", "$cost_currency", "$revenue_amount", "$revenue_currency", "$campaign");
        using var participant = Prepare(connection, transaction, InsertParticipant, "$tenant", "$id", "$position", "$role", "$customer_id", "$user_id");
        using var product = Prepare(connection, transaction, InsertProduct, "$tenant", "$id", "$position", "$product_id");
        var t = touchpoint.Parameters;
        var pa = participant.Parameters;
        var pr = product.Parameters;
        t[0].Value = pa[0].Value = pr[0].Value = Tenant.Value;
        foreach (var row in touchpoints)
        {
            var id = row.Id.ToString();
            t[1].Value = id;
            t[2].Value = row.CustomerId.ToString();
            t[3].Value = row.Channel.Value;
            t[4].Value = row.Direction == InteractionDirection.Inbound ? "inbound" : "outbound";
            t[5].Value = row.Function switch { CrmFunction.Marketing => "marketing", CrmFunction.Sales => "sales", CrmFunction.Service => "service", _ => "innovation" };
            t[6].Value = row.Kind.Value;
            t[7].Value = InstantText.Format(row.OccurredAt);
            t[8].Value = InstantText.Format(row.RecordedAt);
            t[9].Value = row.Source.Source;
            t[10].Value = row.Source.Key;
            t[11].Value = row.Outcome is { } outcome ? outcome.Value : DBNull.Value;
            t[12].Value = row.Satisfaction is { } scale ? scale.Scale switch { SatisfactionScale.Csat => "csat", SatisfactionScale.Nps => "nps", SatisfactionScale.Ces => "ces", _ => "ces2" } : DBNull.Value;
            t[13].Value = row.Satisfaction is { } score ? score.Value : DBNull.Value;
            t[14].Value = row.Sentiment is { } sentiment ? sentiment.Value.ToString(CultureInfo.InvariantCulture) : DBNull.Value;
            t[15].Value = row.Cost is { } cost ? cost.Amount.ToString(CultureInfo.InvariantCulture) : DBNull.Value;
            t[16].Value = row.Cost is { } costCurrency ? costCurrency.Currency.Code : DBNull.Value;
            t[17].Value = row.Revenue is { } revenue ? revenue.Amount.ToString(CultureInfo.InvariantCulture) : DBNull.Value;
            t[18].Value = row.Revenue is { } revenueCurrency ? revenueCurrency.Currency.Code : DBNull.Value;
            t[19].Value = (object?)row.CampaignId ?? DBNull.Value;
            touchpoint.ExecuteNonQuery();
            for (var position = 0; position < row.Participants.Count; position++)
            {
                var who = row.Participants[position];
                pa[1].Value = id;
                pa[2].Value = position;
                pa[3].Value = who.Role;
                pa[4].Value = who.CustomerId is { } customer ? customer.ToString() : DBNull.Value;
                pa[5].Value = (object?)who.UserId ?? DBNull.Value;
                participant.ExecuteNonQuery();
            }

            for (var position = 0; position < row.ProductIds.Count; position++)
            {
                pr[1].Value = id;
                pr[2].Value = position;
                pr[3].Value = row.ProductIds[position];
                product.ExecuteNonQuery();
            }
        }

        transaction.Commit();
        return touchpoints.Length;
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100:Review SQL queries for security vulnerabilities", Justification = "Constant statement texts; values are bound as parameters.")]
    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] names)
    {
        var command = new SqliteCommand(sql, connection, transaction);
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name, Value = DBNull.Value });
        }

        command.Prepare();
        return command;
    }

    /// <summary>Writes the first 2,000 rows both ways into two files and requires identical contents, so the comparison is fair.</summary>
    private void CheckBothPathsWriteTheSameRows()
    {
        var sample = _touchpoints[..Math.Min(2_000, _touchpoints.Length)];
        var adapterFile = ConnectionString(NewFile());
        using (var store = new SqliteCrmStore(adapterFile))
        {
            store.Touchpoints.AppendAsync(Tenant, sample, default).AsTask().GetAwaiter().GetResult();
        }

        var rawFile = ConnectionString(NewFile());
        using (var schema = new SqliteCrmStore(rawFile))
        {
            schema.InitializeAsync(default).AsTask().GetAwaiter().GetResult();
        }

        using (var raw = OpenRaw(rawFile))
        {
            InsertRaw(raw, sample);
        }

        if (Dump(adapterFile) != Dump(rawFile))
        {
            throw new InvalidOperationException("The baseline does not write the rows the adapter writes; the comparison would not be fair.");
        }

        static string Dump(string connectionString)
        {
            using var connection = OpenRaw(connectionString);
            using var dump = connection.CreateCommand();
            dump.CommandText = """
                SELECT (SELECT group_concat(quote(tenant) || quote(id) || quote(customer_id) || quote(channel) || quote(direction) || quote(function) || quote(kind)
                            || quote(occurred_at) || quote(recorded_at) || quote(source) || quote(source_key) || quote(outcome) || quote(satisfaction_scale)
                            || quote(satisfaction_value) || quote(sentiment) || quote(cost_amount) || quote(cost_currency) || quote(revenue_amount)
                            || quote(revenue_currency) || quote(campaign), char(10)) FROM (SELECT * FROM touchpoints ORDER BY tenant, id))
                    || (SELECT group_concat(quote(touchpoint_id) || quote(position) || quote(role) || quote(customer_id) || quote(user_id), char(10))
                            FROM (SELECT * FROM touchpoint_participants ORDER BY tenant, touchpoint_id, position))
                    || (SELECT group_concat(quote(touchpoint_id) || quote(position) || quote(product_id), char(10))
                            FROM (SELECT * FROM touchpoint_products ORDER BY tenant, touchpoint_id, position))
                """;
            return (string)dump.ExecuteScalar()!;
        }
    }

    private string NewFile()
    {
        _file = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".db");
        return _file;
    }

    private void CloseIteration()
    {
        _store?.Dispose();
        _store = null;
        _raw?.Dispose();
        _raw = null;
    }
}

using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using CrmKernel.Benchmarks.Storage;
using CrmKernel.Primitives;
using CrmKernel.Samples.Storage.PostgreSql;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using Npgsql;
using NpgsqlTypes;

namespace CrmKernel.Benchmarks.PostgreSql;

/// <summary>
/// Issue 16 §5: the adapter's reads against a raw prepared Npgsql SELECT of the same rows — a point read by id
/// (<see cref="PostgreSqlTouchpointStore.FindAsync"/>), one customer's timeline page
/// (<see cref="PostgreSqlTouchpointStore.PageTimelineAsync"/>), and the metric scan of 1,000 customers
/// (<see cref="PostgreSqlTouchpointStore.StreamRowsByCustomerAsync"/>). Goal: point and timeline reads at most 1.5 × the
/// raw SELECT.
/// </summary>
/// <remarks>
/// <para>200,000 touchpoints of 20,000 customers (about 10 each, every field in use) in one tenant, written once. Each
/// invocation reads the next id or customer of a fixed rotation of 1,000, the same rotation on both sides. The baselines
/// open a pooled connection from a data source with the adapter's settings (no reset on close), prepare their statement
/// (kept per physical connection), and read every column into plain values: strings, GUIDs, the instant parsed, as hand
/// code would; the adapter builds validated domain objects. <see cref="GlobalSetup"/> checks that both sides return the same
/// touchpoints (point, timeline) and the same scan rows before anything is timed.</para>
/// <para>The server is the test cluster of <c>eng/postgres-test-cluster.sh</c> on the same machine: every call is one
/// local round trip, which dominates the point reads.</para>
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
[Config(typeof(PostgreSqlTouchpointReadBenchmarks.Config))]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class PostgreSqlTouchpointReadBenchmarks : IDisposable
{
    private const string Database = "crmkernel_bench_read";
    private const int TimelineLimit = 100;

    private const string SelectById = $"SELECT {PostgresBenchDatabase.Columns} FROM touchpoints WHERE tenant_id = $1 AND id = $2";

    private const string SelectTimeline = $"""
        SELECT {PostgresBenchDatabase.Columns} FROM touchpoints WHERE tenant_id = $1 AND customer_id = $2
        ORDER BY occurred_at, id LIMIT $3
        """;

    private const string SelectScan = """
        SELECT customer_id, occurred_at, channel, kind, function, direction, outcome, satisfaction_scale, satisfaction_value,
               cost_amount, cost_currency, revenue_amount, revenue_currency
        FROM touchpoints WHERE tenant_id = $1 AND customer_id = ANY($2)
        ORDER BY customer_id, occurred_at, id
        """;

    private static readonly TenantId Tenant = new("bench");

    private PostgreSqlCrmStore? _store;
    private NpgsqlDataSource? _raw;
    private TouchpointId[] _ids = [];
    private CustomerId[] _customers = [];
    private CustomerId[] _scanCustomers = [];
    private int _next;

    /// <summary>Writes the touchpoints, picks the rotations and checks that both sides read the same rows.</summary>
    [GlobalSetup]
    public void GlobalSetup()
    {
        var connectionString = PostgresBenchDatabase.Create(Database);
        _store = new PostgreSqlCrmStore(connectionString);
        var touchpoints = AdapterTouchpoints.Generate(Tenant, 200_000, customers: 20_000, seed: 20261205);
        for (var i = 0; i < touchpoints.Length; i += StoreLimits.MaxAppendBatch)
        {
            _store.Touchpoints.AppendAsync(Tenant, touchpoints[i..Math.Min(i + StoreLimits.MaxAppendBatch, touchpoints.Length)], default).AsTask().GetAwaiter().GetResult();
        }

        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        _raw = builder.Build();
        using (var connection = _raw.OpenConnection())
        {
            PostgresBenchDatabase.Execute(connection, "VACUUM ANALYZE touchpoints");
        }

        var random = new Random(7);
        _ids = [.. Enumerable.Range(0, 1_000).Select(_ => touchpoints[random.Next(touchpoints.Length)].Id)];
        _customers = [.. Enumerable.Range(0, 1_000).Select(_ => touchpoints[random.Next(touchpoints.Length)].CustomerId)];
        _scanCustomers = [.. touchpoints.Select(t => t.CustomerId).Distinct().Take(ITouchpointScanStore.MaxCustomers)];

        for (var i = 0; i < 50; i++)
        {
            var adapter = _store.Touchpoints.FindAsync(Tenant, _ids[i], default).AsTask().GetAwaiter().GetResult()!;
            _next = (i + 999) % 1_000; // so that Next() gives i
            var raw = RawPointRead().GetAwaiter().GetResult();
            Require(raw.Id == adapter.Id.Value && raw.OccurredAt == adapter.OccurredAt && raw.Revenue == adapter.Revenue?.Amount.ToString(CultureInfo.InvariantCulture), "point read");
            var page = _store.Touchpoints.PageTimelineAsync(Tenant, new TimelineFilter([_customers[i]]), null, TimelineLimit, default).AsTask().GetAwaiter().GetResult();
            _next = (i + 999) % 1_000;
            var rawPage = RawTimeline().GetAwaiter().GetResult();
            Require(page.Select(t => t.Id.Value).SequenceEqual(rawPage.Select(r => r.Id)) && page.Count > 0, "timeline");
        }

        Require(AdapterScan().GetAwaiter().GetResult() == RawScan().GetAwaiter().GetResult(), "scan");
        _next = 0;
    }

    /// <summary>Baseline: a prepared <c>SELECT … WHERE tenant_id = $1 AND id = $2</c> read into plain values.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("point")]
    public async Task<StoredRow> RawPointRead()
    {
        await using var connection = await _raw!.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(SelectById, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = Tenant.Value });
        command.Parameters.Add(new NpgsqlParameter<Guid> { NpgsqlDbType = NpgsqlDbType.Uuid, TypedValue = _ids[Next()].Value });
        await command.PrepareAsync();
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return StoredRow.Read(reader);
    }

    /// <summary>The adapter's point read.</summary>
    [Benchmark]
    [BenchmarkCategory("point")]
    public async Task<Touchpoint?> AdapterPointRead() => await _store!.Touchpoints.FindAsync(Tenant, _ids[Next()], default);

    /// <summary>Baseline: a prepared timeline page (<c>ORDER BY occurred_at, id LIMIT 100</c>) of one customer, read into plain values.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("timeline")]
    public async Task<List<StoredRow>> RawTimeline()
    {
        await using var connection = await _raw!.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(SelectTimeline, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = Tenant.Value });
        command.Parameters.Add(new NpgsqlParameter<Guid> { NpgsqlDbType = NpgsqlDbType.Uuid, TypedValue = _customers[Next()].Value });
        command.Parameters.Add(new NpgsqlParameter<int> { NpgsqlDbType = NpgsqlDbType.Integer, TypedValue = TimelineLimit });
        return await ReadRowsAsync(command);
    }

    /// <summary>
    /// The statement the adapter sends for one customer's first page, sent by hand and read into plain values: the part of
    /// the adapter's time that is the statement rather than building domain objects.
    /// </summary>
    [Benchmark]
    [BenchmarkCategory("timeline")]
    public async Task<List<StoredRow>> RawTimelineWithTheAdapterStatement()
    {
        await using var connection = await _raw!.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(TouchpointRows.TimelineStatement(true, false, false, false, false, false), connection);
        command.Parameters.Add(new NpgsqlParameter<string>("tenant", Tenant.Value));
        command.Parameters.Add(new NpgsqlParameter<Guid>("customer", _customers[Next()].Value));
        command.Parameters.Add(new NpgsqlParameter<int>("limit", TimelineLimit));
        return await ReadRowsAsync(command);
    }

    /// <summary>The adapter's timeline page of one customer.</summary>
    [Benchmark]
    [BenchmarkCategory("timeline")]
    public async Task<IReadOnlyList<Touchpoint>> AdapterTimeline()
        => await _store!.Touchpoints.PageTimelineAsync(Tenant, new TimelineFilter([_customers[Next()]]), null, TimelineLimit, default);

    /// <summary>Baseline: a prepared SELECT of the scan columns of 1,000 customers, each row built into a <see cref="TouchpointScanRow"/>.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("scan")]
    public async Task<(long Rows, decimal Revenue, int Hash)> RawScan()
    {
        await using var connection = await _raw!.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(SelectScan, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = Tenant.Value });
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid, TypedValue = [.. _scanCustomers.Select(c => c.Value)] });
        await command.PrepareAsync();
        await using var reader = await command.ExecuteReaderAsync();
        var sum = default(ScanSum);
        while (await reader.ReadAsync())
        {
            var scale = reader.IsDBNull(7) ? (SatisfactionScale?)null : reader.GetString(7) switch { "csat" => SatisfactionScale.Csat, "nps" => SatisfactionScale.Nps, "ces" => SatisfactionScale.Ces, _ => SatisfactionScale.Ces2 };
            sum.Add(new TouchpointScanRow(
                new CustomerId(reader.GetGuid(0)),
                InstantText.TryParse(reader.GetString(1), out var at) ? at : throw new FormatException(),
                new ChannelId(reader.GetString(2)),
                new TouchpointKind(reader.GetString(3)),
                reader.GetString(4) switch { "marketing" => CrmFunction.Marketing, "sales" => CrmFunction.Sales, "service" => CrmFunction.Service, _ => CrmFunction.Innovation },
                reader.GetString(5) == "inbound" ? InteractionDirection.Inbound : InteractionDirection.Outbound,
                reader.IsDBNull(6) ? null : new TouchpointOutcome(reader.GetString(6)),
                scale,
                scale is null ? 0 : reader.GetInt32(8),
                reader.IsDBNull(9) ? null : new Money(decimal.Parse(reader.GetString(9), CultureInfo.InvariantCulture), Currency.FromCode(reader.GetString(10))),
                reader.IsDBNull(11) ? null : new Money(decimal.Parse(reader.GetString(11), CultureInfo.InvariantCulture), Currency.FromCode(reader.GetString(12)))));
        }

        return sum.Result;
    }

    /// <summary>The adapter's metric scan of the same 1,000 customers.</summary>
    [Benchmark]
    [BenchmarkCategory("scan")]
    public async Task<(long Rows, decimal Revenue, int Hash)> AdapterScan()
    {
        var sum = default(ScanSum);
        await foreach (var batch in _store!.Touchpoints.StreamRowsByCustomerAsync(Tenant, _scanCustomers, null, default))
        {
            foreach (var row in batch.Span)
            {
                sum.Add(row);
            }
        }

        return sum.Result;
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

    /// <summary>Prepares <paramref name="command"/> and reads every row it returns into plain values.</summary>
    private static async Task<List<StoredRow>> ReadRowsAsync(NpgsqlCommand command)
    {
        await command.PrepareAsync();
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<StoredRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(StoredRow.Read(reader));
        }

        return rows;
    }

    private static void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"The baseline and the adapter disagree on the {what}; the comparison would not be fair.");
        }
    }

    private int Next() => _next = (_next + 1) % 1_000;

    /// <summary>In process (the data stays loaded), 5 warm-up and 15 measured iterations: a local round trip is noisy.</summary>
    public sealed class Config : BenchmarkDotNet.Configs.ManualConfig
    {
        /// <summary>Creates the configuration.</summary>
        public Config() => AddJob(BenchmarkDotNet.Jobs.Job.Default
            .WithToolchain(new BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain(TimeSpan.FromMinutes(20), logOutput: false))
            .WithWarmupCount(5)
            .WithIterationCount(15)
            .AsDefault());
    }

    /// <summary>One touchpoint row as hand-written code reads it: plain values, the instants parsed.</summary>
    public sealed record StoredRow(
        Guid Id, Guid CustomerId, string Channel, string Direction, string Function, string Kind, NodaTime.Instant OccurredAt, NodaTime.Instant RecordedAt,
        string Source, string SourceKey, string? Outcome, string? SatisfactionScale, int? SatisfactionValue, string? Sentiment, string? Cost, string? CostCurrency,
        string? Revenue, string? RevenueCurrency, string? Campaign, string? Participants, string[]? Products)
    {
        internal static StoredRow Read(NpgsqlDataReader r) => new(
            r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), Instant(r.GetString(6)), Instant(r.GetString(7)),
            r.GetString(8), r.GetString(9), Text(r, 10), Text(r, 11), r.IsDBNull(12) ? null : r.GetInt32(12), Text(r, 13), Text(r, 14), Text(r, 15),
            Text(r, 16), Text(r, 17), Text(r, 18), Text(r, 19), r.IsDBNull(20) ? null : r.GetFieldValue<string[]>(20));

        private static string? Text(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

        private static NodaTime.Instant Instant(string text) => InstantText.TryParse(text, out var at) ? at : throw new FormatException("not an instant");
    }

    /// <summary>What both scans compute from their rows: the count, the revenue total and an order-sensitive hash.</summary>
    private struct ScanSum
    {
        private long _rows;
        private decimal _revenue;
        private int _hash;

        public readonly (long Rows, decimal Revenue, int Hash) Result => (_rows, _revenue, _hash);

        public void Add(in TouchpointScanRow row)
        {
            _rows++;
            _revenue += row.Revenue?.Amount ?? 0m;
            _hash = HashCode.Combine(_hash, row.GetHashCode());
        }
    }
}

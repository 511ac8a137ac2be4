using System.Globalization;
using BenchmarkDotNet.Attributes;
using CrmKernel.Benchmarks.Metrics;
using CrmKernel.Benchmarks.Storage;
using CrmKernel.Customers;
using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Acquisition;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using CrmKernel.Touchpoints;
using DuckDB.NET.Data;
using NodaTime;
using CrmKernel.Benchmarks.Channels;

namespace CrmKernel.Benchmarks;

/// <summary>
/// The acquisition analysis (#18) for January 2026 over <see cref="Customers"/> customers and about ten touchpoints
/// each (a million for 100,000 customers), two ways:
/// <list type="bullet">
/// <item><see cref="DuckDbSql"/> (the baseline): the same figures as SQL over the same rows in an in-process DuckDB —
/// prospects (no purchase before the window), the journey (communications in the window before the first purchase),
/// reached, converted, direct conversions, communications, cost, fully loaded spend, and the first-touch split by channel.</item>
/// <item><see cref="AnalyseFromInMemoryStores"/>: what an application calls, <see cref="AcquisitionAnalysis.AnalyseAsync"/>
/// over the in-memory customer and touchpoint stores (keyset pages of 1,000 customers, one timeline query each), first touch.</item>
/// </list>
/// DuckDB runs on one thread (<c>SET threads = 1</c>), as the analysis does. The setup runs both and stops unless every figure is equal. Generated: 5 % of the customers bought in December (not
/// prospects); 0–18 marketing or sales communications in January on five channels, 80 % of them costed in GBP, about 20
/// products; 30 % buy in January at a random instant (so some communications fall after the purchase); a few service contacts.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessShortRunConfig))]
[MedianColumn]
public class AcquisitionBenchmarks
{
    private static readonly TenantId Tenant = new("acquisition-bench");
    private static readonly DateInterval January = new(new LocalDate(2026, 1, 1), new LocalDate(2026, 1, 31));
    private static readonly Instant Start = Instant.FromUtc(2026, 1, 1, 0, 0);
    private static readonly Instant End = Instant.FromUtc(2026, 2, 1, 0, 0);
    private static readonly string[] Channels = ["email", "sms", "phone", "social", "mail"];

    private AcquisitionAnalysis _analysis = null!;
    private InMemoryCustomerStore _customers = null!;
    private InMemoryTouchpointStore _touchpoints = null!;
    private AcquisitionRequest _request = null!;
    private DuckDBConnection _duck = null!;

    /// <summary>100,000 customers, or the sizes in <c>CRMKERNEL_ACQUISITION_CUSTOMERS</c> (comma-separated).</summary>
    public static IEnumerable<int> Sizes
        => Environment.GetEnvironmentVariable("CRMKERNEL_ACQUISITION_CUSTOMERS") is { Length: > 0 } sizes
            ? sizes.Split(',').Select(static s => int.Parse(s, NumberStyles.AllowThousands, CultureInfo.InvariantCulture))
            : [100_000];

    [ParamsSource(nameof(Sizes))]
    public int Customers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var customers = new InMemoryCustomerStore(new InMemoryCrmOutbox());
        var touchpoints = new InMemoryTouchpointStore();
        _duck = new DuckDBConnection("Data Source=:memory:");
        _duck.Open();
        Execute("SET threads = 1");   // the analysis is one sequential pass: compare like with like
        Execute("CREATE TABLE customers (c INTEGER)");
        Execute("CREATE TABLE tp (c INTEGER, ts BIGINT, ch VARCHAR, kind TINYINT, cost DECIMAL(18,4))");
        var random = new Random(18);
        var clock = new BenchClock(Instant.FromUtc(2025, 6, 1, 0, 0));
        var batch = new List<Touchpoint>(StoreLimits.MaxAppendBatch);
        var commits = new List<CustomerCommit>(StoreLimits.MaxImportBatch);
        var key = 0;
        using (var customerRows = _duck.CreateAppender("customers"))
        using (var rows = _duck.CreateAppender("tp"))
        {
            for (var c = 0; c < Customers; c++)
            {
                var customer = Customer.Register(Tenant, new PersonProfile("Test", "Customer"), clock);
                commits.Add(CustomerCommit.Create(customer));
                customerRows.CreateRow().AppendValue(c).EndRow();
                if (commits.Count == StoreLimits.MaxImportBatch)
                {
                    Import(customers, commits);
                }

                // Distinct minutes per customer, so that no two of one customer's touchpoints share an instant.
                var minutes = new HashSet<int>();
                Instant At(int fromDay, int days)
                {
                    int minute;
                    do
                    {
                        minute = (fromDay * 1440) + random.Next(days * 1440);
                    }
                    while (!minutes.Add(minute));
                    return Start + Duration.FromMinutes(minute);
                }

                var product = $"sku-{random.Next(20)}";
                if (random.NextDouble() < 0.05)
                {
                    Add(c, customer.Id, At(-20, 19), "web", CrmFunction.Sales, TouchpointKind.Purchase, null, product);
                }

                var communications = random.Next(19);
                for (var k = 0; k < communications; k++)
                {
                    var channel = Channels[random.Next(Channels.Length)];
                    var cost = random.NextDouble() < 0.8 ? random.Next(5, 400) / 100m : (decimal?)null;
                    Add(c, customer.Id, At(0, 31), channel, channel == "phone" ? CrmFunction.Sales : CrmFunction.Marketing, channel == "phone" ? TouchpointKind.Enquiry : TouchpointKind.CampaignContact, cost, product);
                }

                if (random.NextDouble() < 0.3)
                {
                    Add(c, customer.Id, At(0, 31), "web", CrmFunction.Sales, TouchpointKind.Purchase, null, product);
                }

                if (random.NextDouble() < 0.1)
                {
                    Add(c, customer.Id, At(0, 31), "phone", CrmFunction.Service, TouchpointKind.Complaint, 1.5m, null);
                }
            }

            void Add(int c, CustomerId id, Instant at, string channel, CrmFunction function, TouchpointKind kind, decimal? cost, string? product)
            {
                batch.Add(Touchpoint.Create(Tenant, TouchpointId.New(), at, new NewTouchpoint
                {
                    CustomerId = id,
                    Channel = new ChannelId(channel),
                    Direction = kind == TouchpointKind.Purchase ? InteractionDirection.Inbound : InteractionDirection.Outbound,
                    Function = function,
                    Kind = kind,
                    OccurredAt = at,
                    Source = new ExternalIdentifier("bench", (++key).ToString(CultureInfo.InvariantCulture)),
                    Cost = cost is { } amount ? Money.Of(amount, "GBP") : null,
                    ProductIds = product is null ? [] : [product],
                }));
                var kindCode = kind == TouchpointKind.Purchase ? 1 : function is CrmFunction.Marketing or CrmFunction.Sales ? 2 : 3;
                var row = rows.CreateRow().AppendValue(c).AppendValue((at - Start).ToInt64Nanoseconds()).AppendValue(channel).AppendValue((sbyte)kindCode);
                (cost is { } v ? row.AppendValue(v) : row.AppendNullValue()).EndRow();
                if (batch.Count == StoreLimits.MaxAppendBatch)
                {
                    Append(touchpoints, batch);
                }
            }
        }

        Import(customers, commits);
        Append(touchpoints, batch);
        _customers = customers;
        _touchpoints = touchpoints;
        _analysis = new AcquisitionAnalysis(customers, touchpoints, new FixedExchangeRateProvider([]));
        _request = new AcquisitionRequest(January, DateTimeZone.Utc, Currency.GBP, AttributionRule.FirstTouch);
        var kernel = AnalyseFromInMemoryStores();
        var sql = DuckDbSql();
        CustomerDataSet.Check(kernel == sql, $"the analysis and DuckDB agree:\n{kernel}\n{sql}");
        Console.WriteLine($"// {Customers:N0} customers, {key:N0} touchpoints; setup {started.Elapsed.TotalSeconds:F0} s; {kernel}");
    }

    [GlobalCleanup]
    public void Cleanup() => _duck.Dispose();

    [Benchmark(Baseline = true)]
    public string DuckDbSql()
    {
        var start = 0L;
        var end = (End - Start).ToInt64Nanoseconds();
        using var command = _duck.CreateCommand();
        command.CommandText = $"""
            WITH fp AS (SELECT c, MIN(ts) AS fp FROM tp WHERE kind = 1 GROUP BY c),
            prospects AS (
                SELECT customers.c, CASE WHEN fp.fp < {end} THEN fp.fp END AS fp
                FROM customers LEFT JOIN fp USING (c) WHERE fp.fp IS NULL OR fp.fp >= {start}),
            journeys AS (
                SELECT tp.c, COUNT(*) AS n, SUM(tp.cost) AS cost, arg_min(tp.ch, tp.ts) AS first_ch
                FROM tp JOIN prospects p USING (c)
                WHERE tp.kind = 2 AND tp.ts >= {start} AND tp.ts < {end} AND (p.fp IS NULL OR tp.ts < p.fp)
                GROUP BY tp.c),
            per AS (SELECT p.c, p.fp, j.n, j.cost, j.first_ch FROM prospects p LEFT JOIN journeys j USING (c))
            SELECT 'total' AS k, COUNT(n), COUNT(CASE WHEN n IS NOT NULL THEN fp END), COUNT(CASE WHEN n IS NULL THEN fp END),
                   COALESCE(SUM(CASE WHEN fp IS NOT NULL THEN n END), 0), COALESCE(SUM(CASE WHEN fp IS NOT NULL THEN cost END), 0), COALESCE(SUM(cost), 0)
            FROM per
            UNION ALL
            SELECT first_ch, COUNT(*), COUNT(fp), 0, COALESCE(SUM(CASE WHEN fp IS NOT NULL THEN n END), 0), COALESCE(SUM(CASE WHEN fp IS NOT NULL THEN cost END), 0), COALESCE(SUM(cost), 0)
            FROM per WHERE n IS NOT NULL GROUP BY first_ch
            ORDER BY 1
            """;
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
        {
            lines.Add(Line(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetDecimal(5), reader.GetDecimal(6)));
        }

        return string.Join('\n', lines.Order(StringComparer.Ordinal));
    }

    [Benchmark]
    public string AnalyseFromInMemoryStores()
    {
        var report = Sync.Result(_analysis.AnalyseAsync(Tenant, _request));
        var t = report.Total;
        var lines = new List<string> { Line("total", t.Reached, t.Converted, t.DirectConversions, t.Communications, t.AcquisitionCost, t.ProspectSpend) };
        foreach (var cell in report.CellsOf(AcquisitionGroupKey.Total).Where(c => c.Key.Channel is not null))
        {
            lines.Add(Line(cell.Key.Channel!.Value.Value, cell.Journeys, cell.Converters, 0, (long)cell.Communications, cell.AcquisitionCost, cell.ProspectSpend));
        }

        return string.Join('\n', lines.Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Only the reads the analysis makes — every customer page and its timeline up to the window end — counting the
    /// touchpoints: how much of <see cref="AnalyseFromInMemoryStores"/> is the store building its touchpoints.
    /// </summary>
    [Benchmark]
    public long ReadTimelinesOnly() => Sync.Result(ReadAsync());

    private async ValueTask<long> ReadAsync()
    {
        var count = 0L;
        await foreach (var page in _customers.CustomerPagesAsync(Tenant, TimelineFilter.MaxCustomers, CancellationToken.None))
        {
            var filter = new TimelineFilter(page.Select(c => c.Id), to: End);
            await foreach (var timeline in _touchpoints.TimelinePagesAsync(Tenant, filter, 10_000, CancellationToken.None))
            {
                count += timeline.Count;
            }
        }

        return count;
    }

    private static string Line(string key, long reached, long converted, long direct, long communications, decimal cost, decimal spend)
        => string.Create(CultureInfo.InvariantCulture, $"{key}: reached {reached}, converted {converted}, direct {direct}, communications {communications}, cost {cost:0.00}, spend {spend:0.00}");

    private void Execute(string sql)
    {
        using var command = _duck.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void Import(InMemoryCustomerStore store, List<CustomerCommit> commits)
    {
        if (commits.Count > 0)
        {
            Sync.Result(store.ImportAsync(Tenant, commits, CancellationToken.None));
            commits.Clear();
        }
    }

    private static void Append(InMemoryTouchpointStore store, List<Touchpoint> batch)
    {
        if (batch.Count > 0)
        {
            CustomerDataSet.Check(Sync.Result(store.AppendAsync(Tenant, [.. batch], CancellationToken.None)).Appended == batch.Count, "every touchpoint is appended");
            batch.Clear();
        }
    }
}

using System.Globalization;
using System.Numerics;
using BenchmarkDotNet.Attributes;
using CrmKernel.Benchmarks.Metrics;
using CrmKernel.Calendars;
using CrmKernel.Cases;
using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Metrics.Hierarchy;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using CrmKernel.Touchpoints;
using DuckDB.NET.Data;
using NodaTime;
using F = CrmKernel.Metrics.Catalogue.StandardFigures;

namespace CrmKernel.Benchmarks;

/// <summary>
/// The service metrics of the catalogue (first-contact resolution, resolution and handle time in business hours, SLA
/// attainment, backlog, reopen rate, complaint recovery) for March 2026 in London over <see cref="Cases"/> service cases
/// with random histories (opened January to April 2026; a Monday–Friday 09:00–17:00 London calendar), two ways:
/// <list type="bullet">
/// <item><see cref="DuckDbSql"/> (the baseline): the same figures as SQL over the cases and their history rows in an
/// in-process DuckDB, then the same <see cref="MetricEvaluation.Create"/>. DuckDB has no business calendar, so each
/// resolution row carries precomputed business-time columns (business nanoseconds from the opening and in progress
/// before it, and whether each SLA target was met at it), computed in C# while generating. The SQL does the rest: the
/// state at the period end, which resolution counts, reopens within 7 days, first contact, backlog, the grouping.</item>
/// <item><see cref="EvaluateFromInMemoryStore"/>: what an application calls, <see cref="MetricEvaluator.EvaluateAsync"/>
/// with a <see cref="CaseMetricSource"/> over the in-memory case store, counting business time on the calendar as it goes;</item>
/// <item><see cref="CaseScanOverCases"/>: the same <see cref="CaseScan"/> and formulas over the cases already in memory (no store reads).</item>
/// </list>
/// The setup computes all three and stops unless every figure and row is equal. Merged duplicates are not generated.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessShortRunConfig))]
[MedianColumn]
public class CaseMetricsBenchmarks
{
    private static readonly TenantId Tenant = new("case-metrics-bench");
    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];
    private static readonly DateInterval March = new(new LocalDate(2026, 3, 1), new LocalDate(2026, 3, 31));
    private static readonly BusinessCalendar Office = new(London, WorkingHours.MondayToFriday(new LocalTime(9, 0), new LocalTime(17, 0)), [new LocalDate(2026, 4, 3), new LocalDate(2026, 4, 6)]);
    private static readonly Duration Window = Duration.FromDays(7);
    private static readonly string[] Categories = ["billing", "delivery", "returns", "technical"];
    private static readonly MetricHierarchy Hierarchy = CaseHierarchy();

    private static readonly SlaPolicy Standard = new("standard", Office, new Dictionary<CasePriority, SlaTargets>
    {
        [CasePriority.Low] = new(Duration.FromHours(8), Duration.FromHours(40)),
        [CasePriority.Normal] = new(Duration.FromHours(4), Duration.FromHours(16)),
        [CasePriority.High] = new(Duration.FromHours(1), Duration.FromHours(8)),
        [CasePriority.Urgent] = new(Duration.FromMinutes(30), Duration.FromHours(4)),
    });

    private MetricEvaluator _evaluator = null!;
    private List<ServiceCase> _cases = null!;
    private MetricEvaluationRequest _request = null!;
    private DuckDBConnection _duck = null!;

    /// <summary>1,000,000 cases, or the sizes in <c>CRMKERNEL_CASE_METRICS_CASES</c> (comma-separated).</summary>
    public static IEnumerable<int> Sizes
        => Environment.GetEnvironmentVariable("CRMKERNEL_CASE_METRICS_CASES") is { Length: > 0 } sizes
            ? sizes.Split(',').Select(static s => int.Parse(s, NumberStyles.AllowThousands, CultureInfo.InvariantCulture))
            : [1_000_000];

    [ParamsSource(nameof(Sizes))]
    public int Cases { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var outbox = new InMemoryCrmOutbox();
        var store = new InMemoryCaseStore(outbox);
        _duck = new DuckDBConnection("Data Source=:memory:");
        _duck.Open();
        Execute("SET threads = 1");
        Generate(store, outbox);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// {Cases:N0} cases generated and stored in {started.Elapsed.TotalSeconds:N1} s; managed heap {GC.GetTotalMemory(true) / 1_048_576:N0} MB"));

        _request = new MetricEvaluationRequest(March, London, Currency.GBP, compareWithPrevious: false) { MaxDegreeOfParallelism = 1 };
        _evaluator = new MetricEvaluator(new InMemoryCustomerStore(new InMemoryCrmOutbox()), new InMemoryTouchpointStore(), new FixedExchangeRateProvider([]), sources: [new CaseMetricSource(store, [Standard], Office)]);

        var sql = DuckDbSql().Figures;
        Same(sql, EvaluateFromInMemoryStore().GetAwaiter().GetResult().Figures);
        _cases = ReadAll(store);
        Same(sql, CaseScanOverCases().Figures);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// figures equal: resolved {sql.Values[F.CasesResolved]:N0}, first contact {sql.Values[F.CasesResolvedFirstContact]:N0}, SLA met {sql.Values[F.CasesSlaMet]:N0} of {sql.Values[F.CasesResolvedUnderSla]:N0}, open {sql.Values[F.CasesOpen]:N0}, reopened {sql.Values[F.CasesReopened]:N0}"));
    }

    [GlobalCleanup]
    public void Cleanup() => _duck.Dispose();

    [Benchmark(Baseline = true)]
    public MetricEvaluation DuckDbSql() => MetricEvaluation.Create(Hierarchy, _request, SqlFigures(), null);

    [Benchmark]
    public async Task<MetricEvaluation> EvaluateFromInMemoryStore() => await _evaluator.EvaluateAsync(Tenant, Hierarchy, _request);

    [Benchmark]
    public MetricEvaluation CaseScanOverCases()
    {
        var scan = new CaseScan(March, London, Office);
        foreach (var serviceCase in _cases)
        {
            scan.Add(serviceCase, serviceCase.SlaPolicy is null ? null : Standard);
        }

        return MetricEvaluation.Create(Hierarchy, _request, scan.ToFigures(Currency.GBP), null);
    }

    private static List<ServiceCase> ReadAll(InMemoryCaseStore store)
    {
        var all = new List<ServiceCase>();
        CaseId? after = null;
        while (true)
        {
            var page = store.PageAsync(Tenant, after, StoreLimits.MaxPageSize, default).AsTask().GetAwaiter().GetResult();
            all.AddRange(page);
            if (page.Count < StoreLimits.MaxPageSize)
            {
                return all;
            }

            after = page[^1].Id;
        }
    }

    /// <summary>The catalogue's case metrics and the links among them.</summary>
    private static MetricHierarchy CaseHierarchy()
    {
        var metrics = StandardMetrics.All.Where(m => m.Formula.Records?.Source == CaseMetricSource.SourceName).ToList();
        var ids = metrics.Select(m => m.Id).ToHashSet();
        return MetricHierarchy.Create(metrics, StandardMetrics.Causes.Where(l => ids.Contains(l.Driver) && ids.Contains(l.Driven)), []);
    }

    /// <summary>
    /// Random cases with a seeded generator: opened over 1 Jan – 30 Apr 2026, 90 % started within 8 hours, 80 % of those
    /// answered, 0–2 waits on the customer, 85 % resolved (a CSAT score on 70 %), 15 % of those reopened within the
    /// window and resolved again, half of the resolved closed. A third are complaints, two thirds under the policy.
    /// </summary>
    private void Generate(InMemoryCaseStore store, InMemoryCrmOutbox outbox)
    {
        Execute("CREATE TABLE cases (c INTEGER, category VARCHAR, priority TINYINT, complaint BOOLEAN, sla BOOLEAN, contacts INTEGER, last_res BIGINT, positive BOOLEAN)");
        Execute("CREATE TABLE history (c INTEGER, seq INTEGER, status TINYINT, reopen BOOLEAN, ts BIGINT, res_ns BIGINT, handle_ns BIGINT, fr_met BOOLEAN, res_met BOOLEAN)");
        var random = new Random(20260301);
        var customers = Enumerable.Range(0, 1_000).Select(_ => CustomerId.New()).ToArray();
        var origin = Instant.FromUtc(2026, 1, 1, 0, 0);
        using var cases = _duck.CreateAppender("cases");
        using var history = _duck.CreateAppender("history");
        for (var i = 0; i < Cases; i++)
        {
            var opened = origin + Duration.FromMinutes(random.Next(0, 120 * 24 * 60));
            var priority = (CasePriority)random.Next(1, 5);
            var policy = random.Next(3) != 0 ? Standard : null;
            var c = ServiceCase.Open(Tenant, CaseId.New(), customers[i % customers.Length], "case", Categories[random.Next(Categories.Length)], priority, random.Next(10) < 7 ? TouchpointId.New() : null, random.Next(3) == 0, policy?.Name, opened, "agent");
            var at = opened;
            Instant Later(int maxMinutes) => at += Duration.FromMinutes(random.Next(1, maxMinutes));
            if (random.Next(10) != 0)
            {
                c.Start(Later(8 * 60), "agent", "start");
                if (random.Next(5) != 0)
                {
                    c.RecordResponse(Later(6 * 60));
                }

                if (random.Next(10) < 3)
                {
                    c.AttachTouchpoint(TouchpointId.New(), Later(60));
                }

                for (var w = random.Next(3); w > 0; w--)
                {
                    c.WaitOnCustomer(Later(24 * 60), "agent", "wait");
                    c.Resume(Later(3 * 24 * 60), "agent", "resume");
                }

                if (random.Next(100) < 85)
                {
                    c.Resolve(Later(3 * 24 * 60), "agent", null, Score(random));
                    if (random.Next(100) < 15)
                    {
                        c.Reopen(Window, Later(7 * 24 * 60), "customer", "reopen");
                        c.Resolve(Later(2 * 24 * 60), "agent", null, Score(random));
                    }

                    if (random.Next(2) == 0)
                    {
                        c.Close(Later(10 * 24 * 60), "agent", "close");
                    }
                }
            }

            store.CommitAsync(CaseCommit.Create(c), default).AsTask().GetAwaiter().GetResult();
            Append(cases, history, i, c, policy);
            if (i % 2_000 == 1_999)
            {
                Drain(outbox);
            }
        }

        Drain(outbox);
    }

    private static SatisfactionScore? Score(Random random) => random.Next(10) < 7 ? new CsatScore(random.Next(1, 6)) : null;

    /// <summary>The case's row and its history rows, each resolution row with its precomputed business-time columns.</summary>
    private static void Append(DuckDBAppender cases, DuckDBAppender history, int i, ServiceCase c, SlaPolicy? policy)
    {
        var calendar = policy?.Calendar ?? Office;
        cases.CreateRow().AppendValue(i).AppendValue(c.Category).AppendValue((sbyte)c.Priority).AppendValue(c.IsComplaint).AppendValue(policy is not null).AppendValue(c.ContactCount)
            .AppendValue(c.Resolution?.At.ToUnixTimeTicks()).AppendValue(c.Resolution?.Satisfaction?.Polarity == SatisfactionPolarity.Positive).EndRow();
        var h = c.History;
        long handle = 0, paused = 0;
        for (var k = 0; k < h.Count; k++)
        {
            var row = history.CreateRow().AppendValue(i).AppendValue(k).AppendValue((sbyte)h[k].ToStatus)
                .AppendValue(h[k].FromStatus == CaseStatus.Resolved && h[k].ToStatus == CaseStatus.InProgress).AppendValue(h[k].At.ToUnixTimeTicks());
            if (h[k].ToStatus == CaseStatus.Resolved)
            {
                bool? responseMet = null, resolutionMet = null;
                if (policy is not null)
                {
                    var responded = c.FirstResponseAt is { } r && r <= h[k].At ? r : (Instant?)null;
                    var evaluation = policy.Evaluate(new SlaClock(c.Priority, c.OpenedAt, responded, h[k].At, Duration.FromNanoseconds(paused), null), h[k].At);
                    responseMet = evaluation.FirstResponse.State == SlaState.Met;
                    resolutionMet = evaluation.Resolution.State == SlaState.Met;
                }

                row.AppendValue(calendar.BusinessTimeBetween(c.OpenedAt, h[k].At).ToInt64Nanoseconds()).AppendValue(handle).AppendValue(responseMet).AppendValue(resolutionMet).EndRow();
            }
            else
            {
                row.AppendNullValue().AppendNullValue().AppendNullValue().AppendNullValue().EndRow();
            }

            if (k + 1 < h.Count && h[k].ToStatus == CaseStatus.InProgress)
            {
                handle += calendar.BusinessTimeBetween(h[k].At, h[k + 1].At).ToInt64Nanoseconds();
            }
            else if (k + 1 < h.Count && h[k].ToStatus == CaseStatus.WaitingOnCustomer && policy is not null)
            {
                paused += policy.Calendar.BusinessTimeBetween(h[k].At, h[k + 1].At).ToInt64Nanoseconds();
            }
        }
    }

    private static void Drain(InMemoryCrmOutbox outbox)
    {
        while (outbox.ListPendingAsync(Tenant, StoreLimits.MaxPageSize, default).AsTask().GetAwaiter().GetResult() is { Count: > 0 } pending)
        {
            outbox.MarkPublishedAsync(Tenant, [.. pending.Select(e => e.EventId)], default).AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>The figures of <see cref="StandardFigures.FromCases"/> as SQL: the same rules as <see cref="CaseScan"/>.</summary>
    private MetricFigures SqlFigures()
    {
        var scan = new CaseScan(March, London, Office);
        var (s, e, w) = (scan.Start.ToUnixTimeTicks(), scan.End.ToUnixTimeTicks(), Window.BclCompatibleTicks);
        var common = string.Create(CultureInfo.InvariantCulture, $"""
            WITH h AS (SELECT * FROM history WHERE ts < {e}),
            res AS (SELECT c, min(seq) AS first_seq, max(seq) AS last_seq FROM h WHERE status = 4 AND ts >= {s} GROUP BY c),
            ro AS (SELECT h.c, bool_or(h.seq - 1 >= r.first_seq AND h.ts <= p.ts + {w}) AS within
                   FROM h JOIN h p ON p.c = h.c AND p.seq = h.seq - 1 LEFT JOIN res r ON r.c = h.c WHERE h.reopen GROUP BY h.c),
            judged AS (SELECT k.*, lr.ts, lr.res_ns, lr.handle_ns, lr.fr_met, lr.res_met, ro.c IS NOT NULL AS ever, coalesce(ro.within, false) AS within
                   FROM res r JOIN h lr ON lr.c = r.c AND lr.seq = r.last_seq JOIN cases k ON k.c = r.c LEFT JOIN ro ON ro.c = r.c)
            """);
        var values = new Dictionary<FigureKey, decimal>();
        var byCategory = new List<(string Category, decimal Resolved, decimal First, decimal Resolution, decimal Handle)>();
        using (var command = _duck.CreateCommand())
        {
            command.CommandText = common + """
                SELECT category, count(*), count(*) FILTER (WHERE contacts <= 1 AND NOT ever),
                       CAST(sum(res_ns) AS DECIMAL(38,0)), CAST(sum(handle_ns) AS DECIMAL(38,0))
                FROM judged GROUP BY category ORDER BY category
                """;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                byCategory.Add((reader.GetString(0), Number(reader.GetValue(1)), Number(reader.GetValue(2)), Number(reader.GetValue(3)) / 1_000_000_000m, Number(reader.GetValue(4)) / 1_000_000_000m));
            }
        }

        using (var command = _duck.CreateCommand())
        {
            command.CommandText = common + """
                SELECT count(*) FILTER (WHERE within), count(*) FILTER (WHERE sla), count(*) FILTER (WHERE sla AND fr_met AND res_met),
                       count(*) FILTER (WHERE sla AND fr_met), count(*) FILTER (WHERE sla AND res_met),
                       count(*) FILTER (WHERE complaint), count(*) FILTER (WHERE complaint AND last_res = ts AND positive)
                FROM judged
                """;
            using var reader = command.ExecuteReader();
            reader.Read();
            values[F.CasesReopened] = Number(reader.GetValue(0));
            values[F.CasesResolvedUnderSla] = Number(reader.GetValue(1));
            values[F.CasesSlaMet] = Number(reader.GetValue(2));
            values[F.CasesFirstResponseMet] = Number(reader.GetValue(3));
            values[F.CasesResolutionMet] = Number(reader.GetValue(4));
            values[F.ComplaintCasesResolved] = Number(reader.GetValue(5));
            values[F.ComplaintCasesRecovered] = Number(reader.GetValue(6));
        }

        var open = new decimal[4];
        using (var command = _duck.CreateCommand())
        {
            command.CommandText = string.Create(CultureInfo.InvariantCulture, $"""
                WITH state AS (SELECT c, status FROM history WHERE ts < {e} QUALIFY row_number() OVER (PARTITION BY c ORDER BY seq DESC) = 1)
                SELECT k.priority, count(*) FROM state st JOIN cases k ON k.c = st.c WHERE st.status IN (1, 2, 3) GROUP BY k.priority
                """);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                open[Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture) - 1] = Number(reader.GetValue(1));
            }
        }

        var rows = new Dictionary<FigureKey, IReadOnlyList<KeyValuePair<string, decimal>>>
        {
            [F.CasesResolved] = [.. byCategory.Select(r => new KeyValuePair<string, decimal>(r.Category, r.Resolved))],
            [F.CasesResolvedFirstContact] = [.. byCategory.Select(r => new KeyValuePair<string, decimal>(r.Category, r.First))],
            [F.CaseResolutionSeconds] = [.. byCategory.Select(r => new KeyValuePair<string, decimal>(r.Category, r.Resolution))],
            [F.CaseHandleSeconds] = [.. byCategory.Select(r => new KeyValuePair<string, decimal>(r.Category, r.Handle))],
            [F.CasesOpen] = [new("low", open[0]), new("normal", open[1]), new("high", open[2]), new("urgent", open[3])],
        };
        foreach (var (key, list) in rows)
        {
            values[key] = list.Sum(r => r.Value);
        }

        return new MetricFigures(Currency.GBP, values, null, rows);
    }

    private static decimal Number(object value) => value is BigInteger big ? (decimal)big : Convert.ToDecimal(value, CultureInfo.InvariantCulture);

    /// <summary>Stops the run unless both sides have every figure and row equal.</summary>
    private static void Same(MetricFigures expected, MetricFigures actual)
    {
        var problems = new List<string>();
        foreach (var key in F.FromCases)
        {
            if (expected.Values[key] != actual.Values[key])
            {
                problems.Add($"{key}: {expected.Values[key]} vs {actual.Values[key]}");
            }

            if (expected.TryGetRows(key, out var expectedRows) && (!actual.TryGetRows(key, out var actualRows) || !expectedRows.SequenceEqual(actualRows)))
            {
                problems.Add($"{key} rows differ");
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"The evaluator differs from DuckDB: {string.Join("; ", problems)}");
        }
    }

    private void Execute(string sql)
    {
        using var command = _duck.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

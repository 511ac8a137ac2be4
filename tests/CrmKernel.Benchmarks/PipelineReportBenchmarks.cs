using System.Globalization;
using System.Numerics;
using BenchmarkDotNet.Attributes;
using CrmKernel.Benchmarks.Metrics;
using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Metrics.Hierarchy;
using CrmKernel.Primitives;
using CrmKernel.Sales;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using DuckDB.NET.Data;
using NodaTime;
using F = CrmKernel.Metrics.Catalogue.StandardFigures;

namespace CrmKernel.Benchmarks;

/// <summary>
/// The pipeline report — every sales metric of the catalogue (win rates, average deal size, cycle length, pipeline and
/// weighted pipeline, velocity, stage conversion and time in stage per stage, forecast by category) for Q1 2026 in
/// London — over <see cref="Deals"/> deals with random stage histories (October 2025 to May 2026, a third in GBP at a
/// fixed 1.2), three ways on the same deals:
/// <list type="bullet">
/// <item><see cref="DuckDbSql"/> (the baseline): the same figures as SQL over the deals and their history rows in an
/// in-process DuckDB (state at the period end by a window over the history, stage entries by a join, visits by
/// <c>lead</c>), then the same <see cref="MetricEvaluation.Create"/>;</item>
/// <item><see cref="EvaluateFromInMemoryStore"/>: what an application calls, <see cref="MetricEvaluator.EvaluateAsync"/>
/// with an <see cref="OpportunityMetricSource"/> over the in-memory sales store (which keeps each deal as its JSON
/// document, so every pass reads and re-validates every deal);</item>
/// <item><see cref="SalesPerformanceOverDeals"/>: <see cref="SalesPerformance.ComputeAsync"/> over the deals already in memory.</item>
/// </list>
/// The setup computes all three and stops unless every figure and per-stage row is equal (both sides sum durations as
/// ticks and divide by the ticks of a day once).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessShortRunConfig))]
[MedianColumn]
public class PipelineReportBenchmarks
{
    private static readonly TenantId Tenant = new("pipeline-bench");
    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];
    private static readonly DateInterval Quarter = new(new LocalDate(2026, 1, 1), new LocalDate(2026, 3, 31));
    private static readonly FixedExchangeRateProvider Rates = new([new ExchangeRate(Currency.GBP, Currency.EUR, new LocalDate(2025, 1, 1), 1.2m)]);
    private static readonly MetricHierarchy Hierarchy = SalesHierarchy();

    private static readonly SalesStage[] Stages =
    [
        new("qualify", "Qualify", 0.10m, ForecastCategory.Pipeline),
        new("develop", "Develop", 0.25m, ForecastCategory.Pipeline),
        new("propose", "Propose", 0.40m, ForecastCategory.BestCase),
        new("negotiate", "Negotiate", 0.70m, ForecastCategory.Commit),
        new("verbal", "Verbal", 0.90m, ForecastCategory.Commit),
    ];

    private SalesPipeline _pipeline = null!;
    private List<Opportunity> _deals = null!;
    private MetricEvaluator _evaluator = null!;
    private MetricEvaluationRequest _request = null!;
    private DuckDBConnection _duck = null!;

    /// <summary>1,000,000 deals, or the sizes in <c>CRMKERNEL_PIPELINE_DEALS</c> (comma-separated).</summary>
    public static IEnumerable<int> Sizes
        => Environment.GetEnvironmentVariable("CRMKERNEL_PIPELINE_DEALS") is { Length: > 0 } sizes
            ? sizes.Split(',').Select(static s => int.Parse(s, NumberStyles.AllowThousands, CultureInfo.InvariantCulture))
            : [1_000_000];

    [ParamsSource(nameof(Sizes))]
    public int Deals { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        _pipeline = SalesPipeline.Define(Tenant, SalesPipelineId.New(), "New business", Stages);
        var outbox = new InMemoryCrmOutbox();
        var store = new InMemorySalesStore(outbox);
        store.CommitAsync(_pipeline, 0, default).AsTask().GetAwaiter().GetResult();
        _duck = new DuckDBConnection("Data Source=:memory:");
        _duck.Open();
        Execute("SET threads = 1");
        Generate(store, outbox);
        _deals = ReadAll(store);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// {Deals:N0} deals generated, stored and loaded in {started.Elapsed.TotalSeconds:N1} s"));

        _request = new MetricEvaluationRequest(Quarter, London, Currency.EUR, compareWithPrevious: false) { MaxDegreeOfParallelism = 1 };
        _evaluator = new MetricEvaluator(new InMemoryCustomerStore(new InMemoryCrmOutbox()), new InMemoryTouchpointStore(), Rates, sources: [new OpportunityMetricSource(store, store)]);

        var sql = DuckDbSql().Figures;
        Same("DuckDB", sql, "evaluator", EvaluateFromInMemoryStore().GetAwaiter().GetResult().Figures);
        Same("DuckDB", sql, "SalesPerformance", SalesPerformanceOverDeals().GetAwaiter().GetResult().Figures);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// figures equal: won {sql.Values[F.DealsWon]:N0}, lost {sql.Values[F.DealsLost]:N0}, open {sql.Values[F.OpenDeals]:N0}, stage entries {sql.Values[F.StageEntries]:N0}, visits {sql.Values[F.StageVisits]:N0}"));
    }

    [GlobalCleanup]
    public void Cleanup() => _duck.Dispose();

    [Benchmark(Baseline = true)]
    public MetricEvaluation DuckDbSql() => MetricEvaluation.Create(Hierarchy, _request, SqlFigures(), null);

    [Benchmark]
    public async Task<MetricEvaluation> EvaluateFromInMemoryStore() => await _evaluator.EvaluateAsync(Tenant, Hierarchy, _request);

    [Benchmark]
    public async Task<SalesPerformanceResult> SalesPerformanceOverDeals()
        => await SalesPerformance.ComputeAsync(_deals, [_pipeline], Quarter, London, new CurrencyConverter(Rates, Currency.EUR));

    /// <summary>The catalogue's sales metrics and the links among them.</summary>
    private static MetricHierarchy SalesHierarchy()
    {
        var sales = StandardMetrics.All.Where(m => m.Formula.Records?.Source == OpportunityMetricSource.SourceName).ToList();
        var ids = sales.Select(m => m.Id).ToHashSet();
        return MetricHierarchy.Create(sales, StandardMetrics.Causes.Where(l => ids.Contains(l.Driver) && ids.Contains(l.Driven)), []);
    }

    /// <summary>
    /// Random deals with a seeded generator: opened over 1 Oct 2025 – 20 Apr 2026, 0–4 moves (mostly forward) up to 30 days
    /// apart, then 35 % won, 25 % lost (a tenth of those reopened), the rest open. Each is committed to the store (the
    /// outbox drained as a relay would) and its rows appended to DuckDB.
    /// </summary>
    private void Generate(InMemorySalesStore store, InMemoryCrmOutbox outbox)
    {
        Execute("CREATE TABLE stages (stage TINYINT, prob DECIMAL(4,2), cat TINYINT)");
        Execute("CREATE TABLE deals (id INTEGER, amount_eur DECIMAL(18,3), expected INTEGER, opened BIGINT, rec_prob DECIMAL(4,2), rec_cat TINYINT)");
        Execute("CREATE TABLE history (deal INTEGER, seq INTEGER, stage TINYINT, status TINYINT, ts BIGINT)");
        using (var stages = _duck.CreateAppender("stages"))
        {
            for (var s = 0; s < Stages.Length; s++)
            {
                stages.CreateRow().AppendValue((sbyte)s).AppendValue(Stages[s].DefaultProbability).AppendValue((sbyte)Stages[s].ForecastCategory).EndRow();
            }
        }

        var random = new Random(20260101);
        var customers = Enumerable.Range(0, 1_000).Select(_ => CustomerId.New()).ToArray();
        var origin = Instant.FromUtc(2025, 10, 1, 0, 0);
        var positions = Stages.Select((s, i) => (s.Key, i)).ToDictionary(p => p.Key, p => p.i);
        using var deals = _duck.CreateAppender("deals");
        using var history = _duck.CreateAppender("history");
        for (var i = 0; i < Deals; i++)
        {
            var opened = origin + Duration.FromMinutes(random.Next(0, 202 * 24 * 60));
            var gbp = random.Next(3) == 0;
            var currency = gbp ? Currency.GBP : Currency.EUR;
            var price = random.Next(10_000, 5_000_000) / 100m;
            var expected = opened.InUtc().Date.PlusDays(random.Next(14, 120));
            var deal = Opportunity.Open(OpportunityId.New(), customers[i % customers.Length], _pipeline, "deal", "owner", currency, expected, opened, "rep");
            deal.AddLineItem("product", 1m, new Money(price, currency), 0m, opened);
            var at = opened;
            var stage = 0;
            for (var m = random.Next(5); m > 0; m--)
            {
                at += Duration.FromMinutes(random.Next(60, 30 * 24 * 60));
                var next = random.Next(10) == 0 && stage > 0 ? random.Next(stage) : Math.Min(Stages.Length - 1, stage + 1 + random.Next(2));
                if (next != stage)
                {
                    deal.MoveToStage(_pipeline, Stages[next].Key, at, "rep", "move");
                    stage = next;
                }
            }

            var outcome = random.Next(100);
            at += Duration.FromMinutes(random.Next(60, 30 * 24 * 60));
            if (outcome < 35)
            {
                deal.CloseWon(at, "rep", "won");
            }
            else if (outcome < 60)
            {
                deal.CloseLost(at, "rep", "lost");
                if (outcome < 63)
                {
                    deal.Reopen(_pipeline, Stages[random.Next(Stages.Length)].Key, at + Duration.FromDays(random.Next(1, 60)), "rep", "reopen");
                }
            }

            store.CommitAsync(OpportunityCommit.Create(deal), default).AsTask().GetAwaiter().GetResult();
            deals.CreateRow().AppendValue(i).AppendValue(gbp ? price * 1.2m : price).AppendValue(expected.ToDateOnly().DayNumber).AppendValue(opened.ToUnixTimeTicks())
                .AppendValue(deal.StageProbability).AppendValue((sbyte)deal.StageForecastCategory).EndRow();
            for (var k = 0; k < deal.History.Count; k++)
            {
                var entry = deal.History[k];
                history.CreateRow().AppendValue(i).AppendValue(k).AppendValue((sbyte)positions[entry.ToStage]).AppendValue((sbyte)entry.ToStatus).AppendValue(entry.At.ToUnixTimeTicks()).EndRow();
            }

            if (i % 2_000 == 1_999)
            {
                Drain(outbox);
            }
        }

        Drain(outbox);
    }

    private static void Drain(InMemoryCrmOutbox outbox)
    {
        while (outbox.ListPendingAsync(Tenant, StoreLimits.MaxPageSize, default).AsTask().GetAwaiter().GetResult() is { Count: > 0 } pending)
        {
            outbox.MarkPublishedAsync(Tenant, [.. pending.Select(e => e.EventId)], default).AsTask().GetAwaiter().GetResult();
        }
    }

    private static List<Opportunity> ReadAll(InMemorySalesStore store)
    {
        var all = new List<Opportunity>();
        OpportunityId? after = null;
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

    /// <summary>The figures of <see cref="StandardFigures.FromDeals"/> as SQL: the same rules as <see cref="OpportunityScan"/>.</summary>
    private MetricFigures SqlFigures()
    {
        var scan = new OpportunityScan(Quarter, London);
        var (s, e) = (scan.Start.ToUnixTimeTicks(), scan.End.ToUnixTimeTicks());
        var (first, last) = (Quarter.Start.ToDateOnly().DayNumber, Quarter.End.ToDateOnly().DayNumber);
        var values = new Dictionary<FigureKey, decimal>();
        using (var command = _duck.CreateCommand())
        {
            command.CommandText = string.Create(CultureInfo.InvariantCulture, $"""
                WITH state AS (
                    SELECT deal, seq, stage, status, ts FROM history WHERE ts < {e}
                    QUALIFY row_number() OVER (PARTITION BY deal ORDER BY seq DESC) = 1),
                lastopen AS (SELECT deal, max(seq) AS seq FROM history WHERE status = 1 GROUP BY deal),
                judged AS (
                    SELECT st.status, st.ts, d.amount_eur, d.expected, d.opened, st.ts >= {s} AS in_period,
                           CASE WHEN st.seq = lo.seq THEN d.rec_prob ELSE g.prob END AS prob,
                           CASE WHEN st.seq = lo.seq THEN d.rec_cat ELSE g.cat END AS cat
                    FROM state st JOIN deals d ON d.id = st.deal JOIN lastopen lo ON lo.deal = st.deal JOIN stages g ON g.stage = st.stage)
                SELECT
                    count(*) FILTER (WHERE status = 2 AND in_period),
                    count(*) FILTER (WHERE status = 3 AND in_period),
                    CAST(coalesce(sum(amount_eur) FILTER (WHERE status = 2 AND in_period), 0) AS DECIMAL(28,3)),
                    CAST(coalesce(sum(amount_eur) FILTER (WHERE status = 3 AND in_period), 0) AS DECIMAL(28,3)),
                    CAST(coalesce(sum(ts - opened) FILTER (WHERE status = 2 AND in_period), 0) AS DECIMAL(28,0)),
                    count(*) FILTER (WHERE status = 1),
                    CAST(coalesce(sum(amount_eur) FILTER (WHERE status = 1), 0) AS DECIMAL(28,3)),
                    CAST(coalesce(sum(amount_eur * prob) FILTER (WHERE status = 1), 0) AS DECIMAL(28,5)),
                    CAST(coalesce(sum(amount_eur) FILTER (WHERE status = 1 AND expected BETWEEN {first} AND {last} AND cat = 1), 0) AS DECIMAL(28,3)),
                    CAST(coalesce(sum(amount_eur) FILTER (WHERE status = 1 AND expected BETWEEN {first} AND {last} AND cat = 2), 0) AS DECIMAL(28,3)),
                    CAST(coalesce(sum(amount_eur) FILTER (WHERE status = 1 AND expected BETWEEN {first} AND {last} AND cat = 3), 0) AS DECIMAL(28,3))
                FROM judged
                """);
            using var reader = command.ExecuteReader();
            reader.Read();
            values[F.DealsWon] = Number(reader.GetValue(0));
            values[F.DealsLost] = Number(reader.GetValue(1));
            values[F.AmountWon] = Number(reader.GetValue(2));
            values[F.AmountLost] = Number(reader.GetValue(3));
            values[F.WonCycleDays] = Number(reader.GetValue(4)) / TimeSpan.TicksPerDay;
            values[F.OpenDeals] = Number(reader.GetValue(5));
            values[F.PipelineAmount] = Number(reader.GetValue(6));
            values[F.WeightedPipelineAmount] = Number(reader.GetValue(7));
            values[F.ForecastPipeline] = Number(reader.GetValue(8));
            values[F.ForecastBestCase] = Number(reader.GetValue(9));
            values[F.ForecastCommit] = Number(reader.GetValue(10));
            values[F.DealsClosed] = values[F.DealsWon] + values[F.DealsLost];
            values[F.AmountClosed] = values[F.AmountWon] + values[F.AmountLost];
        }

        var entries = new SortedDictionary<int, (decimal Entered, decimal Advanced, decimal Visits, decimal Days)>();
        using (var command = _duck.CreateCommand())
        {
            command.CommandText = string.Create(CultureInfo.InvariantCulture, $"""
                WITH e AS (SELECT deal, stage, min(seq) AS seq FROM history WHERE status = 1 AND ts >= {s} AND ts < {e} GROUP BY deal, stage),
                a AS (SELECT e.stage, bool_or(h.seq > e.seq AND h.ts < {e} AND (h.status = 2 OR (h.status = 1 AND h.stage > e.stage))) AS adv
                      FROM e JOIN history h ON h.deal = e.deal GROUP BY e.deal, e.stage)
                SELECT stage, count(*), count(*) FILTER (WHERE adv) FROM a GROUP BY stage
                """);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var stage = Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture);
                entries[stage] = entries.GetValueOrDefault(stage) with { Entered = Number(reader.GetValue(1)), Advanced = Number(reader.GetValue(2)) };
            }
        }

        using (var command = _duck.CreateCommand())
        {
            command.CommandText = string.Create(CultureInfo.InvariantCulture, $"""
                SELECT stage, count(*), CAST(sum(next_ts - ts) AS DECIMAL(28,0)) FROM (
                    SELECT stage, status, ts, lead(ts) OVER (PARTITION BY deal ORDER BY seq) AS next_ts FROM history)
                WHERE status = 1 AND next_ts >= {s} AND next_ts < {e} GROUP BY stage
                """);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var stage = Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture);
                entries[stage] = entries.GetValueOrDefault(stage) with { Visits = Number(reader.GetValue(1)), Days = Number(reader.GetValue(2)) / TimeSpan.TicksPerDay };
            }
        }

        var rows = new Dictionary<FigureKey, IReadOnlyList<KeyValuePair<string, decimal>>>
        {
            [F.StageEntries] = Rows(entries, r => r.Entered),
            [F.StageAdvances] = Rows(entries, r => r.Advanced),
            [F.StageVisits] = Rows(entries, r => r.Visits),
            [F.StageVisitDays] = Rows(entries, r => r.Days),
        };
        foreach (var (key, list) in rows)
        {
            values[key] = list.Sum(r => r.Value);
        }

        return new MetricFigures(Currency.EUR, values, null, rows);
    }

    private List<KeyValuePair<string, decimal>> Rows(SortedDictionary<int, (decimal Entered, decimal Advanced, decimal Visits, decimal Days)> stages, Func<(decimal Entered, decimal Advanced, decimal Visits, decimal Days), decimal> value)
        => [.. stages.Select(s => new KeyValuePair<string, decimal>($"{_pipeline.Id}/{Stages[s.Key].Key}", value(s.Value)))];

    private static decimal Number(object value) => value is BigInteger big ? (decimal)big : Convert.ToDecimal(value, CultureInfo.InvariantCulture);

    /// <summary>Stops the run unless both sides have every figure and non-zero stage row equal.</summary>
    private static void Same(string expectedName, MetricFigures expected, string actualName, MetricFigures actual)
    {
        var problems = new List<string>();
        foreach (var key in F.FromDeals)
        {
            if (expected.Values[key] != actual.Values[key])
            {
                problems.Add($"{key}: {expected.Values[key]} vs {actual.Values[key]}");
            }

            if (expected.TryGetRows(key, out var expectedRows))
            {
                actual.TryGetRows(key, out var actualRows);
                var mine = actualRows.Where(r => r.Value != 0m).ToDictionary(r => r.Key, r => r.Value);
                var theirs = expectedRows.Where(r => r.Value != 0m).ToList();
                if (mine.Count != theirs.Count || theirs.Any(r => !mine.TryGetValue(r.Key, out var v) || v != r.Value))
                {
                    problems.Add($"{key} rows differ");
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"{actualName} differs from {expectedName}: {string.Join("; ", problems)}");
        }
    }

    private void Execute(string sql)
    {
        using var command = _duck.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

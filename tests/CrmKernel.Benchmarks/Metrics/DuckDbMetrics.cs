using System.Globalization;
using CrmKernel.Lifecycle;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using DuckDB.NET.Data;
using NodaTime;
using F = CrmKernel.Metrics.Catalogue.StandardFigures;

namespace CrmKernel.Benchmarks.Metrics;

/// <summary>
/// The same catalogue figures as <see cref="MetricScan"/>, as SQL over the same rows in an in-process DuckDB: what a
/// user would write against a columnar engine. The rows are imported from the benchmark tenant (the touchpoints as
/// they are stored, each customer's completeness facts, creation instant and lifecycle history), and every figure the
/// kernel computes is computed here too: period aggregates, per-customer purchase facts (retention, acquisitions,
/// repeat buyers, purchase occasions), first-contact resolution (a window over inbound service contacts), the per-channel breakdown, and
/// both lifecycle funnels (one stage-gated step query per stage over the customers' histories). <see cref="Threads"/>
/// sets DuckDB's <c>threads</c>.
/// </summary>
public sealed class DuckDbMetrics : IDisposable
{
    private readonly DuckDBConnection _connection;

    private DuckDbMetrics(DuckDBConnection connection) => _connection = connection;

    /// <summary>DuckDB's worker threads (<c>SET threads</c>).</summary>
    public int Threads
    {
        get;
        set
        {
            Execute(_connection, string.Create(CultureInfo.InvariantCulture, $"SET threads = {value}"));
            field = value;
        }
    }

    /// <summary>The open connection (for an import that fills the tables).</summary>
    internal DuckDBConnection Connection => _connection;

    /// <summary>A new in-process DuckDB with the empty tables the queries read, using <paramref name="threads"/> threads.</summary>
    internal static DuckDbMetrics CreateEmpty(int threads)
    {
        var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        var duck = new DuckDbMetrics(connection);
        try
        {
            duck.Threads = threads;
            Execute(connection, "CREATE TABLE customers (id INTEGER, populated TINYINT, expected TINYINT)");
            Execute(connection, "CREATE TABLE lifecycle (customer INTEGER, seq BIGINT, stage TINYINT, entered BIGINT)");
            Execute(connection, "CREATE TABLE touchpoints (customer INTEGER, occurred BIGINT, kind TINYINT, function TINYINT, direction TINYINT, resolved BOOLEAN, has_cost BOOLEAN, scale TINYINT, score TINYINT, channel TINYINT, cost DECIMAL(18,4), revenue DECIMAL(18,4))");
            return duck;
        }
        catch
        {
            duck.Dispose();
            throw;
        }
    }

    public static DuckDbMetrics Load(MetricTenant tenant)
    {
        var data = tenant.Data;
        var duck = CreateEmpty(Environment.ProcessorCount);
        var connection = duck.Connection;
        using (var customers = connection.CreateAppender("customers"))
        {
            for (var i = 0; i < data.Customers.Length; i++)
            {
                customers.CreateRow().AppendValue(i).AppendValue((sbyte)data.Customers[i].PopulatedValues).AppendValue((sbyte)data.Customers[i].ExpectedValues).EndRow();
            }
        }

        using (var lifecycle = connection.CreateAppender("lifecycle"))
        {
            for (var i = 0; i < data.Customers.Length; i++)
            {
                var history = tenant.Histories[i];

                // The stage a customer was created in counts as entered at creation: sequence -1.
                lifecycle.CreateRow().AppendValue(i).AppendValue(-1L).AppendValue(StageCode(history.Count > 0 ? history[0].From : DefaultLifecycleModel.Prospect)).AppendValue(data.CreatedAt[i].ToUnixTimeTicks()).EndRow();
                for (var k = 0; k < history.Count; k++)
                {
                    lifecycle.CreateRow().AppendValue(i).AppendValue((long)k).AppendValue(StageCode(history[k].To)).AppendValue(history[k].At.ToUnixTimeTicks()).EndRow();
                }
            }
        }

        using (var touchpoints = connection.CreateAppender("touchpoints"))
        {
            for (var c = 0; c < data.Customers.Length; c++)
            {
                for (var k = data.Starts[c]; k < data.Starts[c + 1]; k++)
                {
                    ref readonly var t = ref data.Touchpoints[k];
                    touchpoints.CreateRow()
                        .AppendValue(c)
                        .AppendValue(t.OccurredAt.ToUnixTimeTicks())
                        .AppendValue((sbyte)t.Kind)
                        .AppendValue((sbyte)t.Function)
                        .AppendValue((sbyte)t.Direction)
                        .AppendValue(t.Resolved)
                        .AppendValue(t.HasCost)
                        .AppendValue((sbyte)(t.Scale is { } s ? (int)s : 0))
                        .AppendValue((sbyte)t.Score)
                        .AppendValue((sbyte)t.Channel)
                        .AppendValue(t.HasCost ? t.Cost : (decimal?)null)
                        .AppendValue(t.Revenue)
                        .EndRow();
                }
            }
        }

        return duck;
    }

    /// <summary>A stage's code in the lifecycle table (its index in <see cref="Stages"/>).</summary>
    internal static sbyte StageCode(LifecycleStage stage)
    {
        var index = Array.IndexOf(Stages, stage);
        return index >= 0 ? (sbyte)index : throw new InvalidOperationException($"Stage {stage} has no code.");
    }

    /// <summary>The stages' codes in the lifecycle table: their index here.</summary>
    internal static readonly LifecycleStage[] Stages =
    [
        DefaultLifecycleModel.Prospect, DefaultLifecycleModel.FirstTimeCustomer, DefaultLifecycleModel.RepeatCustomer, DefaultLifecycleModel.LoyalAdvocate,
        DefaultLifecycleModel.Dissatisfied, DefaultLifecycleModel.Recovered, DefaultLifecycleModel.Lapsed, DefaultLifecycleModel.Former, DefaultLifecycleModel.WonBack,
    ];

    /// <summary>
    /// A funnel's stage counts: the cohort joins at its first entry into the first stage within [start, end); stage i + 1
    /// is the first entry into it after stage i was reached (by history sequence); nothing at or after the end counts.
    /// </summary>
    private static string FunnelSql(LifecycleFunnel funnel, long start, long end)
    {
        var steps = new List<string>
        {
            $"j0 AS (SELECT customer, min(seq) AS seq FROM h WHERE stage = {StageCode(funnel.Stages[0])} AND entered >= {start} GROUP BY customer)",
        };
        for (var i = 1; i < funnel.Stages.Count; i++)
        {
            steps.Add($"j{i} AS (SELECT j.customer, min(h.seq) AS seq FROM j{i - 1} j JOIN h ON h.customer = j.customer AND h.seq > j.seq AND h.stage = {StageCode(funnel.Stages[i])} GROUP BY j.customer)");
        }

        return $"WITH h AS (SELECT customer, seq, stage, entered FROM lifecycle WHERE entered < {end}), {string.Join(", ", steps)} SELECT {string.Join(", ", funnel.Stages.Select((_, i) => $"(SELECT count(*) FROM j{i})"))}";
    }

    /// <summary>Runs the catalogue's queries for the period and returns the same figures as <see cref="MetricScan.ToFigures"/>.</summary>
    public MetricFigures Figures(MetricScan window, Currency currency)
    {
        var s = window.Start.ToUnixTimeTicks();
        var e = window.End.ToUnixTimeTicks();
        var l = window.LookbackStart.ToUnixTimeTicks();
        var x = window.ScanEnd.ToUnixTimeTicks();
        var week = (long)MetricScan.RepeatContactWindow.TotalTicks;
        var values = new Dictionary<FigureKey, decimal>();

        Query($"SELECT count(*), sum(populated), sum(expected) FROM customers", F.Customers, F.PopulatedValues, F.ExpectedValues);
        Query(
            $"""
            SELECT count(*), count(*) FILTER (WHERE has_cost), coalesce(sum(cost), 0),
                   count(*) FILTER (WHERE kind = 1), coalesce(sum(revenue) FILTER (WHERE kind = 1), 0),
                   coalesce(sum(cost) FILTER (WHERE function = 1), 0), coalesce(sum(cost) FILTER (WHERE function = 3), 0),
                   count(*) FILTER (WHERE kind = 5), count(*) FILTER (WHERE kind = 6), count(*) FILTER (WHERE kind = 3),
                   count(*) FILTER (WHERE kind = 4),
                   count(*) FILTER (WHERE kind = 4 AND ((scale = 1 AND score >= 4) OR (scale = 2 AND score >= 9) OR (scale = 3 AND score <= 2) OR (scale = 4 AND score >= 5))),
                   count(*) FILTER (WHERE direction = 1 AND function = 3),
                   count(*) FILTER (WHERE scale = 2), count(*) FILTER (WHERE scale = 2 AND score >= 9), count(*) FILTER (WHERE scale = 2 AND score <= 6),
                   count(*) FILTER (WHERE scale = 1), count(*) FILTER (WHERE scale = 1 AND score >= 4),
                   count(*) FILTER (WHERE scale = 3), coalesce(sum(score) FILTER (WHERE scale = 3), 0),
                   count(*) FILTER (WHERE scale = 4), coalesce(sum(score) FILTER (WHERE scale = 4), 0)
            FROM touchpoints WHERE occurred >= {s} AND occurred < {e}
            """,
            F.Contacts, F.CostedContacts, F.ContactCost, F.Orders, F.PurchaseRevenue, F.MarketingCost, F.ServiceCost, F.CampaignContacts,
            F.CampaignResponses, F.Complaints, F.ComplaintsClosed, F.ComplaintsRecovered, F.HandledInteractions, F.NpsResponses, F.NpsPromoters,
            F.NpsDetractors, F.CsatResponses, F.CsatTopTwoBox, F.CesResponses, F.CesTotal, F.Ces2Responses, F.Ces2Total);
        Query(
            $"""
            SELECT count(*) FILTER (WHERE in_period > 0), count(*) FILTER (WHERE in_period >= 2),
                   count(*) FILTER (WHERE in_period > 0 AND NOT before), count(*) FILTER (WHERE lookback), count(*) FILTER (WHERE lookback AND in_period > 0)
            FROM (SELECT customer,
                         count(*) FILTER (WHERE occurred >= {s}) AS in_period,
                         bool_or(occurred < {s}) AS before,
                         bool_or(occurred >= {l} AND occurred < {s}) AS lookback
                  FROM touchpoints WHERE kind = 1 AND occurred < {e} GROUP BY customer)
            """,
            F.PurchasingCustomers, F.RepeatCustomers, F.Acquisitions, F.CustomersAtRisk, F.CustomersRetained);

        // Purchase occasions: a customer's purchases on one day of the reporting zone count once. The days' first instants
        // in the zone (DST included) go into a small table, and each purchase finds its day with an ASOF join.
        Execute(_connection, "CREATE OR REPLACE TEMP TABLE days (day INTEGER, start BIGINT)");
        using (var days = _connection.CreateAppender("days"))
        {
            var day = 0;
            foreach (var date in window.Period)
            {
                days.CreateRow().AppendValue(day++).AppendValue(window.Zone.AtStartOfDay(date).ToInstant().ToUnixTimeTicks()).EndRow();
            }
        }

        Query(
            $"""
            SELECT coalesce(sum(occasions), 0), count(*) FILTER (WHERE occasions >= 2)
            FROM (SELECT t.customer, count(DISTINCT d.day) AS occasions
                  FROM touchpoints t ASOF JOIN days d ON t.occurred >= d.start
                  WHERE t.kind = 1 AND t.occurred >= {s} AND t.occurred < {e} GROUP BY t.customer)
            """,
            F.PurchaseOccasions, F.RepeatOccasionCustomers);
        Query(
            $"""
            SELECT count(*) FILTER (WHERE issue), count(*) FILTER (WHERE issue AND resolved AND (next_at IS NULL OR next_at - occurred > {week}))
            FROM (SELECT occurred, resolved, kind IN (2, 3) AND occurred >= {s} AND occurred < {e} AS issue,
                         lead(occurred) OVER (PARTITION BY customer ORDER BY occurred) AS next_at
                  FROM touchpoints WHERE direction = 1 AND function = 3 AND occurred >= {s} AND occurred < {x})
            """,
            F.Issues, F.IssuesResolvedFirstContact);

        foreach (var funnel in LifecycleFunnel.Standard)
        {
            Query(FunnelSql(funnel, s, e), [.. funnel.Figures]);
        }

        var channels = new List<ChannelFigures>();
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = $"SELECT channel, count(*), count(*) FILTER (WHERE has_cost), coalesce(sum(cost), 0), coalesce(sum(revenue), 0) FROM touchpoints WHERE occurred >= {s} AND occurred < {e} GROUP BY channel";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                channels.Add(new ChannelFigures(new ChannelId(MetricDataSet.ChannelNames[Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture)]), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture), Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture), reader.GetDecimal(3), reader.GetDecimal(4)));
            }
        }

        return new MetricFigures(currency, values, [.. channels.OrderBy(c => c.Channel)]);

        void Query(string sql, params FigureKey[] keys)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            reader.Read();
            for (var i = 0; i < keys.Length; i++)
            {
                values[keys[i]] = reader.GetValue(i) is System.Numerics.BigInteger big ? (decimal)big : Convert.ToDecimal(reader.GetValue(i), CultureInfo.InvariantCulture);
            }
        }
    }

    public void Dispose() => _connection.Dispose();

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

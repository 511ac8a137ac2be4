using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CrmKernel.Lifecycle;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Primitives;
using CrmKernel.Samples.Storage.Sqlite;
using CrmKernel.Touchpoints;
using DuckDB.NET.Data;
using Microsoft.Data.Sqlite;
using NodaTime.Text;

namespace CrmKernel.Benchmarks.Metrics;

/// <summary>
/// The other baseline of <see cref="MetricSqliteBenchmarks"/>: DuckDB answering from the SQLite file itself, as a user
/// without DuckDB's sqlite scanner would (the extension cannot be loaded or downloaded here): one pass over the file's
/// tables through Microsoft.Data.Sqlite, each row converted and appended to the same DuckDB tables as
/// <see cref="DuckDbMetrics.Load"/> builds from the data set, then the same SQL. The file is read as the adapter reads it
/// (a read-only connection with the adapter's memory map; the touchpoints through the scan index, in customer order),
/// customers numbered in id order. Only what a figure needs is imported: each customer's creation instant, completeness
/// facts (home time zone, any contact point, any external identifier) and lifecycle history (stages entered and when,
/// from the history document), and each touchpoint's scan columns, amounts in GBP (any other currency stops the import).
/// </summary>
internal static class DuckDbSqliteImport
{
    /// <summary>Where an import spent its time: reading and converting the SQLite rows, and appending them to DuckDB.</summary>
    public readonly record struct Timings(TimeSpan Customers, TimeSpan Touchpoints);

    /// <summary>Imports the tenant's rows from the SQLite file at <paramref name="path"/> into a new in-process DuckDB.</summary>
    public static DuckDbMetrics Import(string path, TenantId tenant, int threads, out Timings timings)
    {
        var duck = DuckDbMetrics.CreateEmpty(threads);
        try
        {
            using var sqlite = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            sqlite.Open();
            Execute(sqlite, string.Create(CultureInfo.InvariantCulture, $"PRAGMA mmap_size = {SqliteSession.ReaderMemoryMapBytes}")); // as the adapter's read connections
            var watch = Stopwatch.StartNew();
            var numbers = ImportCustomers(sqlite, duck.Connection, tenant);
            var customers = watch.Elapsed;
            watch.Restart();
            ImportTouchpoints(sqlite, duck.Connection, tenant, numbers);
            timings = new Timings(customers, watch.Elapsed);
            return duck;
        }
        catch
        {
            duck.Dispose();
            throw;
        }
    }

    private static Dictionary<string, int> ImportCustomers(SqliteConnection sqlite, DuckDBConnection duck, TenantId tenant)
    {
        var withContactPoint = Ids(sqlite, "SELECT DISTINCT customer_id FROM customer_contact_points WHERE tenant = $tenant", tenant);
        var withIdentifier = Ids(sqlite, "SELECT DISTINCT customer_id FROM customer_identifiers WHERE tenant = $tenant", tenant);
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        using var command = sqlite.CreateCommand();
        command.CommandText = "SELECT id, created_at, home_time_zone IS NOT NULL, lifecycle_history FROM customers WHERE tenant = $tenant ORDER BY id";
        command.Parameters.AddWithValue("$tenant", tenant.Value);
        using var reader = command.ExecuteReader();
        using var customers = duck.CreateAppender("customers");
        using var lifecycle = duck.CreateAppender("lifecycle");
        while (reader.Read())
        {
            var id = reader.GetString(0);
            var number = numbers.Count;
            numbers.Add(id, number);
            var populated = (reader.GetInt32(2) != 0 ? 1 : 0) + (withContactPoint.Contains(id) ? 1 : 0) + (withIdentifier.Contains(id) ? 1 : 0);
            customers.CreateRow().AppendValue(number).AppendValue((sbyte)populated).AppendValue((sbyte)CustomerFacts.StandardExpectedValues).EndRow();

            // The stage a customer was created in counts as entered at creation, sequence -1 (as DuckDbMetrics.Load): the
            // first transition's 'from', or the initial stage when there is none; then each transition's 'to' at its 'at'.
            var createdAt = Ticks(reader.GetString(1));
            var createdIn = DefaultLifecycleModel.Prospect.Value;
            if (!reader.IsDBNull(3))
            {
                using var history = JsonDocument.Parse(reader.GetString(3));
                var seq = 0L;
                foreach (var transition in history.RootElement.EnumerateArray())
                {
                    if (seq == 0)
                    {
                        createdIn = transition.GetProperty("from").GetString()!;
                    }

                    lifecycle.CreateRow().AppendValue(number).AppendValue(seq++).AppendValue(Stage(transition.GetProperty("to").GetString()!)).AppendValue(Ticks(transition.GetProperty("at").GetString()!)).EndRow();
                }
            }

            lifecycle.CreateRow().AppendValue(number).AppendValue(-1L).AppendValue(Stage(createdIn)).AppendValue(createdAt).EndRow();
        }

        return numbers;
    }

    private static void ImportTouchpoints(SqliteConnection sqlite, DuckDBConnection duck, TenantId tenant, Dictionary<string, int> numbers)
    {
        using var command = sqlite.CreateCommand();
        command.CommandText = """
            SELECT customer_id, occurred_at, kind, function, direction, outcome, satisfaction_scale, satisfaction_value,
                   channel, cost_amount, cost_currency, revenue_amount, revenue_currency
            FROM touchpoints WHERE tenant = $tenant ORDER BY customer_id, occurred_at
            """;
        command.Parameters.AddWithValue("$tenant", tenant.Value);
        using var reader = command.ExecuteReader();
        using var touchpoints = duck.CreateAppender("touchpoints");
        string? lastId = null;
        var customer = -1;
        while (reader.Read())
        {
            var id = reader.GetString(0);
            if (id != lastId)
            {
                customer = numbers[id];
                lastId = id;
            }

            // Every value is cast to its column's exact type: DuckDB.NET's appender does not check a numeric value's type
            // against the column's (Giorgi/DuckDB.NET#294, kept so for speed), and an int appended to a TINYINT column here
            // gave wrong scales, scores and channels instead of an error.
            var hasCost = !reader.IsDBNull(9);
            touchpoints.CreateRow()
                .AppendValue(customer)
                .AppendValue(Ticks(reader.GetString(1)))
                .AppendValue((sbyte)(reader.GetString(2) switch
                {
                    "purchase" => MetricTouchpointKind.Purchase, "enquiry" => MetricTouchpointKind.Enquiry, "complaint" => MetricTouchpointKind.Complaint,
                    "resolution" => MetricTouchpointKind.Resolution, "campaign-contact" => MetricTouchpointKind.CampaignContact,
                    "response" => MetricTouchpointKind.Response, _ => MetricTouchpointKind.Other,
                }))
                .AppendValue((sbyte)(reader.GetString(3) switch
                {
                    "marketing" => CrmFunction.Marketing, "sales" => CrmFunction.Sales, "service" => CrmFunction.Service, "innovation" => CrmFunction.Innovation,
                    var f => throw Unread(id, f),
                }))
                .AppendValue((sbyte)(reader.GetString(4) switch { "inbound" => InteractionDirection.Inbound, "outbound" => InteractionDirection.Outbound, var d => throw Unread(id, d) }))
                .AppendValue(!reader.IsDBNull(5) && reader.GetString(5) == "resolved")
                .AppendValue(hasCost)
                .AppendValue(reader.IsDBNull(6) ? (sbyte)0 : (sbyte)(reader.GetString(6) switch
                {
                    "csat" => SatisfactionScale.Csat, "nps" => SatisfactionScale.Nps, "ces" => SatisfactionScale.Ces, "ces2" => SatisfactionScale.Ces2,
                    var c => throw Unread(id, c),
                }))
                .AppendValue((sbyte)(reader.IsDBNull(7) ? 0 : reader.GetInt32(7)))
                .AppendValue(Channel(id, reader.GetString(8)))
                .AppendValue(hasCost ? Amount(reader, 9, id) : null)
                .AppendValue(reader.IsDBNull(11) ? null : Amount(reader, 11, id))
                .EndRow();
        }
    }

    /// <summary>The stored instant text (ISO 8601 UTC, up to nine fraction digits) as Unix ticks, as the data set's <c>ToUnixTimeTicks</c>.</summary>
    private static long Ticks(string text)
        => InstantPattern.ExtendedIso.Parse(text).GetValueOrThrow().ToUnixTimeTicks();

    private static sbyte Stage(string name) => DuckDbMetrics.StageCode(new LifecycleStage(name));

    private static sbyte Channel(string customer, string name)
        => Array.IndexOf(MetricDataSet.ChannelNames, name) is var code and >= 0 ? (sbyte)code : throw Unread(customer, name);

    private static decimal? Amount(SqliteDataReader reader, int column, string customer)
        => reader.GetString(column + 1) == "GBP"
            ? decimal.Parse(reader.GetString(column), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture)
            : throw Unread(customer, reader.GetString(column + 1));

    private static InvalidOperationException Unread(string customer, string value)
        => new($"A touchpoint of customer {customer} holds '{value}', which the import does not read.");

    private static HashSet<string> Ids(SqliteConnection sqlite, string sql, TenantId tenant)
    {
        using var command = sqlite.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$tenant", tenant.Value);
        using var reader = command.ExecuteReader();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

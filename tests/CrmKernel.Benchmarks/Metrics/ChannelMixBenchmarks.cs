using System.Globalization;
using BenchmarkDotNet.Attributes;
using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Profitability;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using DuckDB.NET.Data;
using NodaTime;

namespace CrmKernel.Benchmarks.Metrics;

/// <summary>
/// The channel-mix profitability report (#18) over a <see cref="MetricTenant"/> of <see cref="Customers"/> customers
/// (10 touchpoints each on average, six channels, February 2025 to February 2026, all in GBP), for the whole span so that
/// every touchpoint (~1M at 100,000 customers) is costed, two ways on the same rows:
/// <list type="bullet">
/// <item><see cref="DuckDbSql"/> (the baseline): per-customer revenue, recorded cost, modelled cost and scenario cost by a
/// join of the touchpoints with a rate table (one row per channel, function and direction, filled from the same
/// <see cref="ChannelCostModel"/>), grouped by customer, then the totals — customers, cost to serve, margin, unprofitable
/// and recoverable customers — in an in-process DuckDB with one thread;</item>
/// <item><see cref="ReportFromInMemoryStores"/>: what an application calls, <see cref="ChannelProfitabilityReport.RunAsync"/>
/// over the in-memory customer and touchpoint stores (customer pages, scan rows).</item>
/// </list>
/// The setup stops unless the five figures are equal.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessShortRunConfig))]
[MedianColumn]
public class ChannelMixBenchmarks
{
    private static readonly DateInterval Span = new(new LocalDate(2025, 2, 1), new LocalDate(2026, 2, 7));
    private static readonly ChannelId[] Channels = [.. MetricDataSet.ChannelNames.Select(n => new ChannelId(n))];

    private MetricTenant _tenant = null!;
    private ChannelProfitabilityReport _report = null!;
    private ChannelProfitabilityRequest _request = null!;
    private DuckDBConnection _duck = null!;

    /// <summary>100,000 customers, or the sizes in <c>CRMKERNEL_CHANNEL_MIX_CUSTOMERS</c> (comma-separated).</summary>
    public static IEnumerable<int> Sizes
        => Environment.GetEnvironmentVariable("CRMKERNEL_CHANNEL_MIX_CUSTOMERS") is { Length: > 0 } sizes
            ? sizes.Split(',').Select(static s => int.Parse(s, NumberStyles.AllowThousands, CultureInfo.InvariantCulture))
            : [100_000];

    [ParamsSource(nameof(Sizes))]
    public int Customers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _tenant = MetricTenant.Get(Customers);
        var model = new ChannelCostModel(Currency.GBP)
            .WithRate(Channels[0], 0.5m, 0.5m)          // web
            .WithRate(Channels[1], 0.1m, 0.05m)         // email
            .WithRate(Channels[2], 6m, 4m)              // phone
            .WithFunctionRate(Channels[2], CrmFunction.Service, 7.5m)
            .WithRate(Channels[3], 1.5m, 1.5m)          // chat
            .WithRate(Channels[4], 12m, 12m)            // store
            .WithRate(Channels[5], 2m, 2m);             // partner
        var scenario = new ChannelMixScenario("service calls to chat", [new ChannelMove(Channels[2], Channels[3], 0.8m, CrmFunction.Service)]);
        _request = new ChannelProfitabilityRequest(Span, DateTimeZone.Utc, Currency.GBP, model, scenario);
        _report = new ChannelProfitabilityReport(_tenant.Customers, _tenant.Touchpoints, new FixedExchangeRateProvider([]));
        _duck = new DuckDBConnection("Data Source=:memory:");
        _duck.Open();
        Execute("SET threads = 1");
        Load(model);

        var sql = DuckDbSql();
        var store = ReportFromInMemoryStores().GetAwaiter().GetResult();
        var kernel = (store.All.Customers, store.All.CostToServe, store.All.Margin, store.All.Unprofitable, store.All.Recoverable);
        if (sql != kernel)
        {
            throw new InvalidOperationException($"The figures differ: DuckDB {sql}, report {kernel}.");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// figures equal: {store.All.Customers:N0} customers, {store.All.Contacts:N0} contacts, cost to serve {store.All.CostToServe:N2}, margin {store.All.Margin:N2}, unprofitable {store.All.Unprofitable:N0}, recoverable {store.All.Recoverable:N0}"));
    }

    [GlobalCleanup]
    public void Cleanup() => _duck.Dispose();

    [Benchmark(Baseline = true)]
    public (long Customers, decimal CostToServe, decimal Margin, long Unprofitable, long Recoverable) DuckDbSql()
    {
        using var command = _duck.CreateCommand();
        command.CommandText = string.Create(CultureInfo.InvariantCulture, $"""
            WITH per AS (
                SELECT t.customer,
                       SUM(COALESCE(t.revenue, 0)) AS rev, SUM(COALESCE(t.cost, 0)) AS rec, SUM(r.rate) AS modelled, SUM(r.scenario) AS scen
                FROM touchpoints t JOIN rates r ON r.channel = t.channel AND r.function = t.function AND r.direction = t.direction
                WHERE t.occurred >= {_request.Start.ToUnixTimeTicks()} AND t.occurred < {_request.End.ToUnixTimeTicks()}
                GROUP BY t.customer)
            SELECT (SELECT COUNT(*) FROM customers),
                   COALESCE(SUM(rec + modelled), 0), COALESCE(SUM(rev - rec - modelled), 0),
                   COUNT(*) FILTER (WHERE rev - rec - modelled < 0),
                   COUNT(*) FILTER (WHERE rev - rec - modelled < 0 AND rev - rec - scen >= 0)
            FROM per
            """);
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetDecimal(1), reader.GetDecimal(2), reader.GetInt64(3), reader.GetInt64(4));
    }

    [Benchmark]
    public async Task<ChannelProfitabilityResult> ReportFromInMemoryStores() => await _report.RunAsync(MetricTenant.Tenant, _request);

    /// <summary>The data set's rows and the rate table: the modelled cost and the scenario cost of one contact per channel, function and direction.</summary>
    private void Load(ChannelCostModel model)
    {
        Execute("CREATE TABLE customers (id INTEGER)");
        Execute("CREATE TABLE touchpoints (customer INTEGER, occurred BIGINT, function TINYINT, direction TINYINT, channel TINYINT, cost DECIMAL(18,4), revenue DECIMAL(18,4))");
        Execute("CREATE TABLE rates (channel TINYINT, function TINYINT, direction TINYINT, rate DECIMAL(18,4), scenario DECIMAL(18,4))");
        var data = _tenant.Data;
        using (var customers = _duck.CreateAppender("customers"))
        {
            for (var c = 0; c < data.Customers.Length; c++)
            {
                customers.CreateRow().AppendValue(c).EndRow();
            }
        }

        using (var touchpoints = _duck.CreateAppender("touchpoints"))
        {
            for (var c = 0; c < data.Customers.Length; c++)
            {
                for (var k = data.Starts[c]; k < data.Starts[c + 1]; k++)
                {
                    ref readonly var t = ref data.Touchpoints[k];
                    touchpoints.CreateRow().AppendValue(c).AppendValue(t.OccurredAt.ToUnixTimeTicks()).AppendValue((sbyte)t.Function).AppendValue((sbyte)t.Direction).AppendValue((sbyte)t.Channel)
                        .AppendValue(t.HasCost ? t.Cost : (decimal?)null).AppendValue(t.Kind == CrmKernel.Metrics.Evaluation.MetricTouchpointKind.Purchase ? t.Revenue : (decimal?)null).EndRow();
                }
            }
        }

        using var rates = _duck.CreateAppender("rates");
        for (var ch = 0; ch < Channels.Length; ch++)
        {
            foreach (var function in Enum.GetValues<CrmFunction>())
            {
                foreach (var direction in (InteractionDirection[])[InteractionDirection.Inbound, InteractionDirection.Outbound])
                {
                    var rate = model.RateOf(Channels[ch], function, direction);
                    var scenario = ch == 2 && function == CrmFunction.Service ? (0.2m * rate) + (0.8m * model.RateOf(Channels[3], function, direction)) : rate;
                    rates.CreateRow().AppendValue((sbyte)ch).AppendValue((sbyte)function).AppendValue((sbyte)direction).AppendValue(rate).AppendValue(scenario).EndRow();
                }
            }
        }
    }

    private void Execute(string sql)
    {
        using var command = _duck.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

using System.Runtime.CompilerServices;
using CrmKernel.Customers;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.CustomerBase;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Metrics.Rendering;
using CrmKernel.Primitives;
using CrmKernel.Samples.WebApi.Hosting;
using CrmKernel.Services.Timeline;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Samples.WebApi.Api;

internal sealed record TargetDto(decimal Value, decimal AtRiskLimit);

internal sealed record DriverDto(string Driver, string Kind, string Rationale);

internal sealed record MetricDto(
    string Id, string Name, string Level, string Unit, string Better, decimal? Value, string? Reason, decimal? Numerator, decimal? Denominator,
    decimal? Previous, decimal? Change, TargetDto? Target, string Status, IReadOnlyList<DriverDto> Drivers, string? Records);

internal sealed record MetricReportDto(string From, string To, string PreviousFrom, string PreviousTo, string Zone, string Currency, IReadOnlyList<MetricDto> Metrics);

internal sealed record ChannelRowDto(string Channel, int Contacts, decimal? Cost, decimal? Revenue, string Currency);

internal sealed record ChannelMixDto(string From, string To, IReadOnlyList<ChannelRowDto> Channels, IReadOnlyList<ChannelRowDto> Functions);

internal sealed record ValuationDto(string CustomerId, double? ProbabilityAlive, double? ExpectedPurchases, decimal ExpectedAverageSpend, decimal LifetimeValue);

internal sealed record ParameterDto(string Name, double? Estimate, double? StandardError);

internal sealed record PointDto(double? X, double? Y);

internal sealed record SeriesDto(string Name, string Kind, IReadOnlyList<PointDto> Points);

internal sealed record FigureDto(string Title, string XAxis, string YAxis, IReadOnlyList<SeriesDto> Series, IReadOnlyList<string> Categories, IReadOnlyList<PointDto> Markers);

internal sealed record CustomerBaseDto(
    string CalibrationEnd, string Currency, int Customers, int Purchases, bool Converged, IReadOnlyList<ParameterDto> TransactionModel, IReadOnlyList<ParameterDto> SpendModel,
    int HorizonWeeks, IReadOnlyList<ValuationDto> Items, string? Next, FigureDto? Tracking, FigureDto? ProbabilityAlive);

/// <summary>The metric hierarchy for a period with drill-down to records, the channel mix, and customer-base results.</summary>
internal static class ReportEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/metrics/report", ReportAsync).WithSummary("The four-level metric hierarchy evaluated for a period (from, to: ISO dates; zone; currency)").Produces<MetricReportDto>();
        api.MapGet("/metrics/{metricId}/records", RecordsAsync).WithSummary("The touchpoints behind a metric's value for the period (drill-down)").Produces<Page<TouchpointDto>>();
        api.MapGet("/channels/mix", ChannelMixAsync).WithSummary("Contacts, cost and revenue per channel and per function in a period").Produces<ChannelMixDto>();
        api.MapGet("/customer-base", CustomerBaseAsync).WithSummary("BG/NBD and Gamma-Gamma fits: P(alive), expected purchases and CLV per customer, paged; the tracking and P(alive) figures").Produces<CustomerBaseDto>();
    }

    /// <summary>Every customer of the tenant, page by page.</summary>
    internal static async IAsyncEnumerable<CustomerSnapshot> AllCustomersAsync(ICustomerStore store, TenantId tenant, [EnumeratorCancellation] CancellationToken ct)
    {
        CustomerId? after = null;
        while (true)
        {
            var page = await store.PageAsync(tenant, after, 500, ct);
            foreach (var snapshot in page)
            {
                yield return snapshot;
            }

            if (page.Count < 500)
            {
                yield break;
            }

            after = page[^1].Id;
        }
    }

    /// <summary>Every touchpoint of the tenant matching the filter's period and kinds, a thousand customers at a time.</summary>
    private static async IAsyncEnumerable<Touchpoint> AllTouchpointsAsync(
        ICustomerStore store, CustomerTimeline timeline, TenantId tenant, Instant? from, Instant? to, IEnumerable<TouchpointKind>? kinds, [EnumeratorCancellation] CancellationToken ct)
    {
        var batch = new List<CustomerId>(TimelineFilter.MaxCustomers);
        var kindList = kinds?.ToList();
        await foreach (var snapshot in AllCustomersAsync(store, tenant, ct))
        {
            batch.Add(snapshot.Id);
            if (batch.Count == TimelineFilter.MaxCustomers)
            {
                await foreach (var t in timeline.StreamAsync(tenant, new TimelineFilter(batch, from, to, kinds: kindList), ct))
                {
                    yield return t;
                }

                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            await foreach (var t in timeline.StreamAsync(tenant, new TimelineFilter(batch, from, to, kinds: kindList), ct))
            {
                yield return t;
            }
        }
    }

    private static MetricEvaluationRequest Request(string? from, string? to, string? zone, string? currency, IClock clock)
    {
        var today = clock.GetCurrentInstant().InUtc().Date;
        var start = Dto.ParseDate(from, "from", today.With(DateAdjusters.StartOfMonth).PlusMonths(-1));
        var end = Dto.ParseDate(to, "to", start.With(DateAdjusters.EndOfMonth));
        if (end < start || Period.Between(start, end, PeriodUnits.Days).Days > 3660)
        {
            throw ApiProblemException.Invalid("from must be on or before to, at most ten years apart.");
        }

        var money = Currency.TryFromCode(currency ?? "GBP", out var c) ? c : throw ApiProblemException.Invalid("currency is not an ISO 4217 code.");
        return new MetricEvaluationRequest(new DateInterval(start, end), CustomerEndpoints.Zone(zone ?? "Europe/London"), money, DemoTargets.All);
    }

    private static async Task<IResult> ReportAsync(HttpContext http, string? from, string? to, string? zone, string? currency, MetricEvaluator evaluator, IClock clock, CancellationToken ct)
    {
        var request = Request(from, to, zone, currency, clock);
        var evaluation = await evaluator.EvaluateAsync(http.Tenant(), StandardMetrics.CreateHierarchy(), request, ct);
        var metrics = evaluation.Results.Select(r => new MetricDto(
            r.Id.Value, r.Definition.Name, r.Definition.Level.ToString(), r.Definition.Unit.ToString(), r.Definition.Better.ToString(),
            r.Value.Value, r.Value.Reason, r.Value.Numerator, r.Value.Denominator, r.Previous?.Value, r.Change,
            r.Target is null ? null : new TargetDto(r.Target.Value, r.Target.AtRiskLimit), r.Status.ToString(),
            [.. r.Drivers.Select(d => new DriverDto(d.Link.Driver.Value, d.Link.Kind.ToString(), d.Link.Rationale))],
            r.Records is null ? null : r.Records.IsTouchpoints ? "touchpoints" : r.Records.IsCustomers ? "customers" : "process")).ToList();
        return Results.Ok(new MetricReportDto(
            Date(request.Period.Start), Date(request.Period.End), Date(request.PreviousPeriod.Start), Date(request.PreviousPeriod.End),
            request.Zone.Id, request.Currency.ToString(), metrics));
    }

    private static string Date(LocalDate date) => date.ToString("yyyy-MM-dd", null);

    private static async Task<IResult> RecordsAsync(HttpContext http, string metricId, string? from, string? to, string? zone, string? currency, int? limit, MetricEvaluator evaluator, IClock clock, CancellationToken ct)
    {
        var tenant = http.Tenant();
        var hierarchy = StandardMetrics.CreateHierarchy();
        var id = MetricId.TryParse(metricId, out var parsed) && hierarchy.Contains(parsed) ? parsed : throw ApiProblemException.NotFound("metric");
        if (hierarchy[id].Formula.Records is not { IsTouchpoints: true })
        {
            throw ApiProblemException.Invalid("This metric's records are not touchpoints; only touchpoint drill-down is served.");
        }

        var size = ApiLimits.PageSize(limit);
        var evaluation = await evaluator.EvaluateAsync(tenant, hierarchy, Request(from, to, zone, currency, clock), ct);
        var items = new List<TouchpointDto>();
        await foreach (var touchpoint in evaluator.StreamTouchpointsAsync(tenant, evaluation, id, ct))
        {
            items.Add(Dto.Touchpoint(touchpoint));
            if (items.Count == size)
            {
                break;
            }
        }

        return Results.Ok(new Page<TouchpointDto>(items, null));
    }

    private static async Task<IResult> ChannelMixAsync(HttpContext http, string? from, string? to, ICustomerStore store, CustomerTimeline timeline, IClock clock, CancellationToken ct)
    {
        var today = clock.GetCurrentInstant().InUtc().Date;
        var start = Dto.ParseDate(from, "from", today.PlusYears(-1));
        var end = Dto.ParseDate(to, "to", today);
        var channels = new Dictionary<(string, string), (int Contacts, decimal? Cost, decimal? Revenue)>();
        var functions = new Dictionary<(string, string), (int Contacts, decimal? Cost, decimal? Revenue)>();
        static void Add(Dictionary<(string, string), (int Contacts, decimal? Cost, decimal? Revenue)> rows, string key, Touchpoint t)
        {
            var currency = (t.Revenue ?? t.Cost)?.Currency.ToString() ?? "";
            var row = rows.GetValueOrDefault((key, currency));
            rows[(key, currency)] = (row.Contacts + 1,
                t.Cost is { } cost ? (row.Cost ?? 0) + cost.Amount : row.Cost,
                t.Revenue is { } revenue ? (row.Revenue ?? 0) + revenue.Amount : row.Revenue);
        }

        await foreach (var t in AllTouchpointsAsync(store, timeline, http.Tenant(),
            start.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant(), end.PlusDays(1).AtStartOfDayInZone(DateTimeZone.Utc).ToInstant(), null, ct))
        {
            Add(channels, t.Channel.ToString(), t);
            Add(functions, t.Function.ToString(), t);
        }

        static List<ChannelRowDto> Rows(Dictionary<(string, string), (int Contacts, decimal? Cost, decimal? Revenue)> rows) =>
            [.. rows.OrderByDescending(r => r.Value.Contacts).ThenBy(r => r.Key.Item1, StringComparer.Ordinal)
                .Select(r => new ChannelRowDto(r.Key.Item1, r.Value.Contacts, r.Value.Cost, r.Value.Revenue, r.Key.Item2))];
        return Results.Ok(new ChannelMixDto(Date(start), Date(end), Rows(channels), Rows(functions)));
    }

    private static async Task<IResult> CustomerBaseAsync(
        HttpContext http, string? calibrationEnd, string? currency, int? limit, string? after, bool? figures,
        ICustomerStore store, CustomerTimeline timeline, IClock clock, CancellationToken ct)
    {
        var tenant = http.Tenant();
        var end = Dto.ParseDate(calibrationEnd, "calibrationEnd", clock.GetCurrentInstant().InUtc().Date);
        var money = Currency.TryFromCode(currency ?? "GBP", out var c) ? c : throw ApiProblemException.Invalid("currency is not an ISO 4217 code.");
        var size = ApiLimits.PageSize(limit);
        var purchases = new List<PurchaseRecord>();
        await foreach (var t in AllTouchpointsAsync(store, timeline, tenant, null, null, [TouchpointKind.Purchase], ct))
        {
            if (t.Revenue is { } revenue && revenue.Currency == money)
            {
                purchases.Add(new PurchaseRecord(t.CustomerId, t.OccurredAt, revenue));
            }
        }

        var summary = CustomerBaseSummary.Create(purchases, money, DateTimeZone.Utc, end, SummaryTimeUnit.Weeks);
        if (summary.Count < 10)
        {
            throw ApiProblemException.Invalid("Fewer than 10 customers have purchases before calibrationEnd; the models need more history.");
        }

        var transactions = BgNbdModel.Fit(summary);
        var spend = GammaGammaModel.Fit(summary);
        const int horizonWeeks = 52;
        var terms = new LifetimeValueTerms(12, 52d / 12d, 0.01, 0.30m);
        var values = CustomerLifetimeValue.Estimate(summary, transactions.Model, spend.Model, terms).OrderBy(v => v.CustomerId).ToList();
        CustomerId? from = after is null ? null : CustomerId.TryParse(Cursor.Decode(after), out var a) ? a : throw ApiProblemException.Invalid("after is not a cursor this API returned.");
        var page = values.Where(v => from is null || v.CustomerId.CompareTo(from.Value) > 0).Take(size).Select(v => new ValuationDto(
            v.CustomerId.ToString(), Finite(v.ProbabilityAlive),
            summary.TryFind(v.CustomerId, out var row) ? Finite(transactions.Model.ExpectedTransactions(row, horizonWeeks)) : 0d,
            v.ExpectedAverageSpend.Amount, decimal.Round(v.LifetimeValue.Amount, 2))).ToList();
        return Results.Ok(new CustomerBaseDto(
            Date(end), money.ToString(), summary.Count, purchases.Count, transactions.Converged && spend.Converged,
            [.. transactions.Parameters.Select(p => new ParameterDto(p.Name, Finite(p.Estimate), Finite(p.StandardError)))],
            [.. spend.Parameters.Select(p => new ParameterDto(p.Name, Finite(p.Estimate), Finite(p.StandardError)))],
            horizonWeeks, page, page.Count == size ? Cursor.Encode(page[^1].CustomerId) : null,
            figures == true ? Figure(ModelCheckFigures.CumulativeTracking(summary, purchases, transactions.Model)) : null,
            figures == true ? Figure(ModelCheckFigures.ProbabilityAliveDistribution(summary, transactions.Model)) : null));
    }

    /// <summary>JSON has no infinity or NaN: a figure that is not finite (e.g. an undefined standard error) is sent as null.</summary>
    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private static FigureDto Figure(Figure f) => new(f.Title, f.XAxisTitle, f.YAxisTitle,
        [.. f.Series.Select(s => new SeriesDto(s.Name, s.Kind.ToString(), [.. s.Points.Select(p => new PointDto(Finite(p.X), Finite(p.Y)))]))],
        f.Categories, [.. f.Markers.Select(m => new PointDto(Finite(m.X), 0))]);
}

/// <summary>The targets the sample sets on a few metrics (value, at-risk limit), so the dashboard shows status.</summary>
internal static class DemoTargets
{
    public static IReadOnlyDictionary<MetricId, MetricTarget> All { get; } = new Dictionary<MetricId, MetricTarget>
    {
        [StandardMetrics.RetentionRate.Id] = new(0.8m, 0.6m),
        [StandardMetrics.Csat.Id] = new(0.8m, 0.7m),
        [StandardMetrics.TouchpointFirstContactResolution.Id] = new(0.7m, 0.5m),
        [StandardMetrics.DataCompleteness.Id] = new(0.95m, 0.8m),
        [StandardMetrics.SystemAvailability.Id] = new(0.995m, 0.99m),
    };
}

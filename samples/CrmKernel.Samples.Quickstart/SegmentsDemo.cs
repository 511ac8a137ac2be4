using CrmKernel.Customers;
using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Ingestion;
using CrmKernel.Services.Segments;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CrmKernel.Samples.Quickstart;

/// <summary>
/// The quick-start's segments part, on the same database as the rest (a tenant of its own): three shoppers with tags, a
/// tier attribute and purchases at fixed instants; a segment "VIP spenders" defined once (found on a re-run), evaluated as
/// of fixed instants (so the day the quick-start runs does not change the answer), a segment built on it, a rule refused
/// when defined, and the membership frozen as a snapshot. Nothing time-dependent is printed.
/// </summary>
internal static class SegmentsDemo
{
    private static readonly Instant Registered = Instant.FromUtc(2026, 1, 5, 9, 0);
    private static readonly Instant AsOf = Instant.FromUtc(2026, 3, 1, 0, 0);

    public static async Task RunAsync(IServiceProvider services)
    {
        var tenant = new TenantId("quickstart-segments");
        var customers = services.GetRequiredService<CustomerRepository>();
        var ingestion = services.GetRequiredService<TouchpointIngestion>();
        // The host declares what rules may name; an application registers SegmentServiceOptions and resolves SegmentService.
        var segments = new SegmentService(
            services.GetRequiredService<ISegmentStore>(),
            services.GetRequiredService<ICustomerStore>(),
            services.GetRequiredService<ITouchpointStore>(),
            services.GetRequiredService<IClock>(),
            new SegmentServiceOptions { Vocabulary = new SegmentVocabulary([KeyValuePair.Create("tier", CustomAttributeType.Number)]) },
            services.GetRequiredService<IRelationshipStore>());

        (string Key, string First, bool Vip, int Tier, decimal Spend)[] shoppers =
        [
            ("S-1", "Ada", true, 5, 180m),
            ("S-2", "Brian", true, 2, 240m),
            ("S-3", "Carla", false, 4, 300m),
        ];
        var names = new Dictionary<CustomerId, string>();
        foreach (var (key, first, vip, tier, spend) in shoppers)
        {
            var id = new ExternalIdentifier("segments-demo", key);
            var customer = await customers.FindByExternalIdentifierAsync(tenant, id);
            if (customer is null)
            {
                customer = Customer.Register(tenant, new PersonProfile(first, "Shopper"), new FixedClock(Registered));
                customer.AddExternalIdentifier(id);
                if (vip)
                {
                    customer.Tag(new CustomerTag("vip"));
                }

                customer.SetCustomAttribute("tier", CustomAttributeValue.FromNumber(tier));
                await customers.SaveAsync(customer);
            }

            names[customer.Id] = first;
            await ingestion.RecordAsync(tenant, new NewTouchpoint
            {
                CustomerId = customer.Id,
                Channel = new ChannelId("web"),
                Direction = InteractionDirection.Inbound,
                Function = CrmFunction.Sales,
                Kind = TouchpointKind.Purchase,
                OccurredAt = Instant.FromUtc(2026, 2, 10, 12, 0),
                Source = new ExternalIdentifier("segments-demo-order", key),
                Revenue = new Money(spend, Currency.EUR),
            });
        }

        var vipSpenders = new SegmentId("vip-spenders");
        var definition = await segments.FindAsync(tenant, vipSpenders)
            ?? await segments.DefineAsync(tenant, vipSpenders, "VIP spenders", SegmentRule.And(
                new HasTagRule(new CustomerTag("vip")),
                AttributeRule.Compare("tier", SegmentComparison.GreaterThanOrEqual, CustomAttributeValue.FromNumber(3)),
                new SpendRule(Duration.FromDays(365), new Money(100m, Currency.EUR))), expectedVersion: 0);
        Console.WriteLine($"\n== Segments: {definition.DisplayName} = {definition.Rule}");
        Console.WriteLine($"    as of {AsOf}: {string.Join(", ", (await segments.EvaluateAsync(tenant, vipSpenders, AsOf).ToListAsync()).Select(m => names[m]).Order(StringComparer.Ordinal))}");
        Console.WriteLine($"    as of 2026-02-01 (before the purchases): {await segments.CountAsync(tenant, vipSpenders, Instant.FromUtc(2026, 2, 1, 0, 0))} members");

        var others = new SegmentId("big-spenders-not-vip");
        _ = await segments.FindAsync(tenant, others)
            ?? await segments.DefineAsync(tenant, others, "Big spenders outside the VIP programme", SegmentRule.And(
                new SpendRule(Duration.FromDays(365), new Money(100m, Currency.EUR)),
                SegmentRule.Not(new InSegmentRule(vipSpenders))), expectedVersion: 0);
        Console.WriteLine($"    big spenders not in vip-spenders: {string.Join(", ", (await segments.EvaluateAsync(tenant, others, AsOf).ToListAsync()).Select(m => names[m]).Order(StringComparer.Ordinal))}");

        try
        {
            await segments.DefineAsync(tenant, new SegmentId("typo"), "Typo", AttributeRule.Exists("teir"), expectedVersion: 0);
        }
        catch (SegmentRuleException e)
        {
            Console.WriteLine($"    a rule naming the undeclared attribute 'teir' is refused when defined: {e.ErrorCode}");
        }

        var snapshot = await segments.FreezeAsync(tenant, vipSpenders, AsOf);
        Console.WriteLine($"    frozen: {snapshot}; contains Ada = {snapshot.Contains(names.First(n => n.Value == "Ada").Key)}");

        // A snapshot is a dimension of every catalogue metric: the same evaluation, counting only its members.
        var evaluator = new MetricEvaluator(services.GetRequiredService<ICustomerStore>(), services.GetRequiredService<ITouchpointStore>(), new FixedExchangeRateProvider([]));
        var february = new DateInterval(new LocalDate(2026, 2, 1), new LocalDate(2026, 2, 28));
        var everyone = await evaluator.EvaluateAsync(tenant, StandardMetrics.CreateHierarchy(), new MetricEvaluationRequest(february, DateTimeZone.Utc, Currency.EUR));
        var members = await evaluator.EvaluateAsync(tenant, StandardMetrics.CreateHierarchy(), new MetricEvaluationRequest(february, DateTimeZone.Utc, Currency.EUR) { Segment = snapshot });
        Console.WriteLine($"    average order value in February 2026: {members[StandardMetrics.AverageOrderValue.Id].Value.Value:0.00} EUR in {snapshot.Segment},"
            + $" {everyone[StandardMetrics.AverageOrderValue.Id].Value.Value:0.00} EUR over all {everyone.Figures.Values[StandardFigures.Orders]} orders");
    }

    private sealed class FixedClock(Instant now) : IClock
    {
        public Instant GetCurrentInstant() => now;
    }
}

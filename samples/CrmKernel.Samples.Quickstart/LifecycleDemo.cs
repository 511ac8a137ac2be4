using CrmKernel.Services.Customers;
using CrmKernel.Services.Ingestion;
using CrmKernel.Services.Lifecycle;
using CrmKernel;
using CrmKernel.Customers;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

/// <summary>
/// The customer lifecycle in a few steps: three customers are walked from prospect through loyalty, dissatisfaction
/// and recovery, lapsing and win-back, and leaving, and their histories are printed. It runs on in-memory stores with
/// a clock it moves itself, so every run shows the same story.
/// </summary>
internal static class LifecycleDemo
{
    public static async Task RunAsync()
    {
        var clock = new DemoClock(Instant.FromUtc(2025, 1, 6, 9, 0));
        await using var services = new ServiceCollection()
            .AddCrmKernel(kernel => kernel.UseInMemoryStores().UseClock(clock))
            .BuildServiceProvider();
        var customers = services.GetRequiredService<CustomerRepository>();
        var lifecycle = services.GetRequiredService<LifecycleService>();

        // The one ingestion pipeline (imports, channels) moves existing customers through the lifecycle in the same commit.
        var ingestion = services.GetRequiredService<TouchpointIngestion>();
        var evaluator = services.GetRequiredService<LifecycleEvaluator>();
        var tenant = new TenantId("lifecycle-demo");
        var zone = DateTimeZoneProviders.Tzdb["Europe/London"];

        var grace = Customer.Register(tenant, new PersonProfile("Grace", "Hopper"), clock);
        var alan = Customer.Register(tenant, new PersonProfile("Alan", "Turing"), clock);
        var joan = Customer.Register(tenant, new PersonProfile("Joan", "Clarke"), clock);
        foreach (var customer in new[] { grace, alan, joan })
        {
            await customers.SaveAsync(customer);
        }

        // Grace buys three times within a year (loyal), complains, is helped, and says so: dissatisfied, then recovered.
        await Touch(grace, TouchpointKind.Purchase, 10);
        await Touch(grace, TouchpointKind.Purchase, 40);
        await Touch(grace, TouchpointKind.Purchase, 90);
        await Touch(grace, TouchpointKind.Complaint, 95);
        await Touch(grace, TouchpointKind.Resolution, 97);
        await Touch(grace, TouchpointKind.Feedback, 98, new CsatScore(5));

        // Alan buys once, then nothing for 180 days: the nightly evaluation lapses him; a new purchase wins him back.
        await Touch(alan, TouchpointKind.Purchase, 12);
        clock.Now = Day(200);
        var run = await evaluator.EvaluateNowAsync(tenant);
        Console.WriteLine($"\n== Lifecycle: nightly evaluation on day 200 examined {run.Examined} customers and moved {run.Changed}");
        await Touch(alan, TouchpointKind.Purchase, 230);

        // Joan buys and then cancels: she is a former customer, and cannot be "marked former" twice.
        await Touch(joan, TouchpointKind.Purchase, 20);
        await Touch(joan, TouchpointKind.Cancellation, 60);
        try
        {
            await lifecycle.ApplyCommandAsync(tenant, joan.Id, DefaultLifecycleModel.MarkFormer, "agent-7", "customer asked to leave");
        }
        catch (IllegalLifecycleTransitionException refused)
        {
            Console.WriteLine($"    refused: {refused.ErrorCode} ({refused.From} -> {refused.To} by rule '{refused.Rule}')");
        }

        foreach (var customer in new[] { grace, alan, joan })
        {
            var stored = await customers.GetAsync(tenant, customer.Id);
            Console.WriteLine($"\n== {stored.DisplayName}: {stored.LifecycleStageIn(lifecycle.Model)} for {stored.Lifecycle.TimeInStage(clock.Now).TotalDays:0} days, {stored.Lifecycle.Facts.PurchaseCount} purchase(s)");
            foreach (var t in stored.Lifecycle.History)
            {
                var trigger = t.Cause switch
                {
                    LifecycleTriggerKind.Touchpoint => "touchpoint",
                    LifecycleTriggerKind.Inactivity => "inactivity",
                    _ => $"command by {t.Actor}",
                };
                Console.WriteLine($"    {t.At.InZone(zone).Date:yyyy-MM-dd}  {t.From,-20} -> {t.To,-20} {t.Rule,-18} ({trigger}: {t.Reason})");
            }
        }

        Instant Day(int day) => Instant.FromUtc(2025, 1, 1, 10, 0) + Duration.FromDays(day);

        async Task Touch(Customer customer, TouchpointKind kind, int day, SatisfactionScore? score = null)
        {
            clock.Now = Day(day) > clock.Now ? Day(day) : clock.Now;
            await ingestion.RecordAsync(tenant, new NewTouchpoint
            {
                CustomerId = customer.Id,
                Channel = new ChannelId(kind == TouchpointKind.Purchase ? "web" : "phone"),
                Direction = InteractionDirection.Inbound,
                Function = kind == TouchpointKind.Purchase ? CrmFunction.Sales : CrmFunction.Service,
                Kind = kind,
                OccurredAt = Day(day),
                Source = new ExternalIdentifier("demo", $"{customer.Id}-{day}"),
                Satisfaction = score,
            });
        }
    }

    /// <summary>A clock the demo moves by hand (tests use NodaTime.Testing's FakeClock for this).</summary>
    private sealed class DemoClock(Instant start) : IClock
    {
        public Instant Now { get; set; } = start;

        public Instant GetCurrentInstant() => Now;
    }
}

using CrmKernel.Calendars;
using CrmKernel.Cases;
using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Services.Cases;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Ingestion;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CrmKernel.Samples.Quickstart;

/// <summary>
/// The quick-start's service part, on the same database as the rest (a tenant of its own, so the other parts' figures
/// do not change): a customer who bought complains; the complaint opens a case, a duplicate enquiry is merged into it,
/// the case is worked, escalated, resolved, reopened within the window and resolved again to the customer's
/// satisfaction, which drives the customer from dissatisfied to recovered through the ingestion pipeline; its SLA status is
/// printed as of a fixed instant (the case runs under a registered policy; the reopen resumes its resolution clock). Every step is
/// found before it is done, so a re-run prints the same case and records nothing twice; nothing time-dependent is printed.
/// </summary>
internal static class ServiceDemo
{
    public static async Task RunAsync(IServiceProvider services)
    {
        var tenant = new TenantId("quickstart-service");
        var clock = services.GetRequiredService<IClock>();
        var customers = services.GetRequiredService<CustomerRepository>();
        var ingestion = services.GetRequiredService<TouchpointIngestion>();
        // The story happens in the week after the complaint: the case service runs on a clock of its own set to that week
        // (a minute passes per reading), so the customer's lifecycle does not depend on the day the quick-start is run
        // (months later the customer would have lapsed for want of a purchase). An application resolves CaseService from DI.
        var storyClock = new StoryClock(Instant.FromUtc(2026, 2, 5, 10, 0));
        // The desk's SLA policy, registered by name: cases may only be opened under a registered policy (CRM-CASE-009).
        var office = new BusinessCalendar(DateTimeZoneProviders.Tzdb["Europe/London"], WorkingHours.MondayToFriday(new LocalTime(9, 0), new LocalTime(17, 0)), holidays: []);
        var standard = new SlaPolicy("standard", office, new Dictionary<CasePriority, SlaTargets>
        {
            [CasePriority.Low] = new(Duration.FromHours(8), Duration.FromHours(40)),
            [CasePriority.Normal] = new(Duration.FromHours(4), Duration.FromHours(16)),
            [CasePriority.High] = new(Duration.FromHours(2), Duration.FromHours(8)),
            [CasePriority.Urgent] = new(Duration.FromHours(1), Duration.FromHours(4)),
        });
        var cases = new CaseService(services.GetRequiredService<ICaseStore>(), services.GetRequiredService<ITouchpointStore>(), customers, ingestion, storyClock, new CaseServiceOptions { SlaPolicies = [standard] });

        var grace = await customers.FindByExternalIdentifierAsync(tenant, new ExternalIdentifier("shop", "C-2001"));
        if (grace is null)
        {
            grace = Customer.Register(tenant, new PersonProfile("Grace", "Hopper"), clock);
            grace.AddExternalIdentifier(new ExternalIdentifier("shop", "C-2001"));
            await customers.SaveAsync(grace);
        }

        // The purchase, the complaint about it and a follow-up email, each under its source key (re-delivered harmlessly).
        await Contact(TouchpointKind.Purchase, "order-9001", Instant.FromUtc(2026, 2, 2, 10, 0), new ChannelId("web"), CrmFunction.Sales);
        var complaint = await Contact(TouchpointKind.Complaint, "ticket-501", Instant.FromUtc(2026, 2, 5, 9, 30), new ChannelId("email"), CrmFunction.Service);
        var followUp = await Contact(TouchpointKind.Enquiry, "email-502", Instant.FromUtc(2026, 2, 6, 16, 0), new ChannelId("email"), CrmFunction.Service);

        var found = new List<ServiceCase>();
        await foreach (var existing in cases.StreamByCustomerAsync(tenant, grace.Id))
        {
            found.Add(existing);
        }

        // A run stopped half-way resumes after the last step it stored, never before it.
        foreach (var existing in found)
        {
            storyClock.NotBefore(existing.History[^1].At);
        }

        var serviceCase = found.Find(c => c.OriginTouchpointId == complaint.Id)
            ?? await cases.OpenFromTouchpointAsync(tenant, grace.Id, complaint.Id, "Kettle arrived broken", "delivery/damage", CasePriority.Normal, "agent-4", "standard");
        var duplicate = found.Find(c => c.OriginTouchpointId == followUp.Id)
            ?? await cases.OpenFromTouchpointAsync(tenant, grace.Id, followUp.Id, "Any news on my kettle?", "delivery/damage", CasePriority.Low, "agent-9");

        if (serviceCase.Status == CaseStatus.New)
        {
            await cases.AssignAsync(tenant, serviceCase.Id, "agent-4");
            await cases.StartAsync(tenant, serviceCase.Id, "agent-4", "picked up from the queue");
            await cases.RecordResponseAsync(tenant, serviceCase.Id);
            await cases.WaitOnCustomerAsync(tenant, serviceCase.Id, "agent-4", "asked for a photo of the damage");
            await cases.ResumeAsync(tenant, serviceCase.Id, "agent-4", "photo received");
            await cases.EscalateAsync(tenant, serviceCase.Id, "agent-4", "replacement needs a supervisor", CasePriority.High);
        }

        if (duplicate.Status != CaseStatus.Closed)
        {
            await cases.MergeAsync(tenant, duplicate.Id, serviceCase.Id, "agent-4", "same broken kettle");
        }

        serviceCase = await cases.GetAsync(tenant, serviceCase.Id);
        if (serviceCase.ResolvedInstants.Count == 0)
        {
            await cases.ResolveAsync(tenant, serviceCase.Id, "lead-2", "replacement sent");
            await cases.ReopenAsync(tenant, serviceCase.Id, "grace", "the replacement leaks too");
            await cases.ResolveAsync(tenant, serviceCase.Id, "lead-2", "second replacement and a voucher", SatisfactionScore.Create(SatisfactionScale.Csat, 5));
        }

        // Idempotent by the case's keys: asking again records nothing new.
        var again = await cases.RecordResolutionAsync(tenant, serviceCase.Id);
        serviceCase = await cases.GetAsync(tenant, serviceCase.Id);
        duplicate = await cases.GetAsync(tenant, duplicate.Id);
        var customer = await customers.GetAsync(tenant, grace.Id);

        Console.WriteLine($"\n== Service: \"{serviceCase.Subject}\" for {customer.DisplayName} ({(serviceCase.IsComplaint ? "complaint" : "enquiry")}, {serviceCase.Category}, SLA policy {serviceCase.SlaPolicy})");
        foreach (var change in serviceCase.History)
        {
            var step = change.FromStatus is null ? $"opened {change.ToStatus}" : $"{change.FromStatus} -> {change.ToStatus}";
            Console.WriteLine($"    {step,-34} by {change.Actor}: {change.Reason}");
        }

        foreach (var escalation in serviceCase.Escalations)
        {
            Console.WriteLine($"    escalated to level {escalation.Level} ({escalation.Priority}) by {escalation.Actor}: {escalation.Reason}");
        }

        Console.WriteLine($"    \"{duplicate.Subject}\" merged into it: {duplicate.Status}, merged into this case = {duplicate.MergedInto == serviceCase.Id}");
        Console.WriteLine($"    {serviceCase.Status}: {serviceCase.ContactCount} contacts, first response recorded = {serviceCase.FirstResponseAt is not null}, {serviceCase.ResolutionClockPauses.Count} pause(s) of the resolution clock, reopened {serviceCase.ReopenCount} time(s)");
        Console.WriteLine($"    resolution: \"{serviceCase.Resolution!.Note}\", satisfaction {serviceCase.Resolution.Satisfaction}");

        // The SLA status at a fixed instant (the Friday after), read from the stored history: the same on every run and store.
        var sla = standard.Evaluate(standard.CreateClock(serviceCase), Instant.FromUtc(2026, 2, 13, 12, 0));
        Console.WriteLine($"    SLA {standard.Name} ({serviceCase.Priority} targets, the time resolved before the reopen left out): first response {sla.FirstResponse.State}, {sla.FirstResponse.Elapsed:H:mm} used of {sla.FirstResponse.Target:H:mm}; resolution {sla.Resolution.State}, {sla.Resolution.Elapsed:H:mm} used of {sla.Resolution.Target:H:mm}");
        Console.WriteLine($"    lifecycle touchpoints recorded once (asked again: already recorded = {again.All(r => r.AlreadyRecorded)}); {customer.DisplayName}: {string.Join(" -> ", customer.Lifecycle.History.Select(t => t.To).Prepend(customer.Lifecycle.History[0].From))}");

        async Task<Touchpoint> Contact(TouchpointKind kind, string key, Instant at, ChannelId channel, CrmFunction function)
        {
            var result = await ingestion.RecordAsync(tenant, new NewTouchpoint
            {
                CustomerId = grace.Id,
                Channel = channel,
                Direction = InteractionDirection.Inbound,
                Function = function,
                Kind = kind,
                OccurredAt = at,
                Source = new ExternalIdentifier("shop", key),
            });
            return result.Touchpoint!;
        }
    }

    /// <summary>A clock that starts at a fixed instant and moves one minute on every reading (or jumps forward to a stored step).</summary>
    private sealed class StoryClock(Instant start) : IClock
    {
        private Instant _now = start;

        public Instant GetCurrentInstant() => _now += Duration.FromMinutes(1);

        public void NotBefore(Instant at) => _now = at > _now ? at : _now;
    }
}

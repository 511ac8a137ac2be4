using System.Text.Json;
using CrmKernel.Cases;
using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Privacy;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Ingestion;
using CrmKernel.Services.Privacy;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CrmKernel.Samples.Quickstart;

/// <summary>
/// The quick-start's privacy part, in a tenant of its own: Jane (two purchases, a resolved complaint, consent with
/// evidence) asks to be forgotten and is erased to a pseudonymous shell whose export still shows her purchases;
/// John has an open case, a lawful hold, so his erasure is refused. Both have fixed ids, so a re-run finds them again,
/// the erasure returns the same record, and the output is the same.
/// </summary>
internal static class PrivacyDemo
{
    private static readonly CustomerId Jane = new(Guid.Parse("0193a5f0-0000-7000-8000-000000000014"));
    private static readonly CustomerId John = new(Guid.Parse("0193a5f0-0000-7000-8000-000000000015"));

    public static async Task RunAsync(IServiceProvider services)
    {
        var tenant = new TenantId("quickstart-privacy");
        var clock = services.GetRequiredService<IClock>();
        var store = services.GetRequiredService<ICustomerStore>();
        var customers = services.GetRequiredService<CustomerRepository>();
        var cases = services.GetRequiredService<ICaseStore>();
        if (await store.FindAsync(tenant, Jane, default) is null)
        {
            var jane = Customer.Register(tenant, Jane, new PersonProfile("Jane", "Doe", birthDate: new LocalDate(1990, 5, 17)), clock);
            jane.AddContactPoint(EmailAddress.Parse("jane.doe@mail.example"), "home");
            jane.Tag(new CustomerTag("newsletter"));
            jane.RecordConsent(new ConsentEntry(ConsentPurpose.Marketing, new ChannelId("email"), null, ConsentStatus.Granted, LawfulBasis.Consent, "web-form", clock.GetCurrentInstant(), "form 2026-03 from 203.0.113.7"));
            await customers.SaveAsync(jane);
            var ingestion = services.GetRequiredService<TouchpointIngestion>();
            await ingestion.RecordAsync(tenant, Purchase(Jane, new LocalDate(2026, 1, 10), "q14-1", 40m));
            await ingestion.RecordAsync(tenant, Purchase(Jane, new LocalDate(2026, 2, 14), "q14-2", 65m));
            var complaint = ServiceCase.Open(tenant, CaseId.New(), Jane, "Jane Doe: parcel left at 12 Elm Street was damaged", "delivery", CasePriority.Normal, null, true, null, clock.GetCurrentInstant(), "agent-3");
            complaint.Start(clock.GetCurrentInstant(), "agent-3", "called Jane back");
            complaint.Resolve(clock.GetCurrentInstant(), "agent-3", "refund sent to Jane's card", null);
            await cases.CommitAsync(CaseCommit.Create(complaint), default);
        }

        if (await store.FindAsync(tenant, John, default) is null)
        {
            var john = Customer.Register(tenant, John, new PersonProfile("John", "Roe"), clock);
            john.AddContactPoint(EmailAddress.Parse("john.roe@mail.example"));
            await customers.SaveAsync(john);
            await cases.CommitAsync(CaseCommit.Create(ServiceCase.Open(tenant, CaseId.New(), John, "Wrong size", "returns", CasePriority.Low, null, false, null, clock.GetCurrentInstant(), "agent-3")), default);
        }

        var erasure = services.GetRequiredService<ErasureService>();
        var record = await erasure.EraseAsync(tenant, Jane, "dpo:quickstart", "ticket-14");
        Console.WriteLine("\n== Privacy: Jane is forgotten, her purchases still count");
        Console.WriteLine($"    erased by {record.RequestedBy} ({record.Reference}): {string.Join(", ", record.Counts.Where(c => c.Count > 0).Select(c => $"{c.Category} {c.Count}"))}");

        using var export = new MemoryStream();
        await services.GetRequiredService<PersonalDataExporter>().ExportAsync(tenant, Jane, export);
        using var document = JsonDocument.Parse(export.ToArray());
        var root = document.RootElement;
        var shell = root.GetProperty("customer");
        var revenue = root.GetProperty("touchpoints").EnumerateArray().Select(t => Money.Parse(t.GetProperty("revenue").GetString()!).Amount).Sum();
        Console.WriteLine($"    export: {shell.GetProperty("displayName").GetString()}, {shell.GetProperty("contactPoints").GetArrayLength()} contact points, "
            + $"{root.GetProperty("touchpoints").GetArrayLength()} purchases worth {revenue:0.00} GBP, case \"{root.GetProperty("cases")[0].GetProperty("subject").GetString()}\"");

        try
        {
            await erasure.EraseAsync(tenant, John, "dpo:quickstart");
        }
        catch (PrivacyException e)
        {
            Console.WriteLine($"    John: {e.ErrorCode}, held by {e.Hold}");
        }
    }

    private static NewTouchpoint Purchase(CustomerId customer, LocalDate day, string key, decimal amount) => new()
    {
        CustomerId = customer,
        Channel = new ChannelId("web"),
        Direction = InteractionDirection.Inbound,
        Function = CrmFunction.Sales,
        Kind = TouchpointKind.Purchase,
        OccurredAt = day.At(new LocalTime(12, 0)).InUtc().ToInstant(),
        Source = new ExternalIdentifier("quickstart-shop", key),
        Revenue = new Money(amount, Currency.GBP),
    };
}

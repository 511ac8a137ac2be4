using System.Text;
using CrmKernel.Cases;
using CrmKernel.Channels;
using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Identity;
using CrmKernel.Innovation;
using CrmKernel.Primitives;
using CrmKernel.Privacy;
using CrmKernel.Sales;
using CrmKernel.Services.Events;
using CrmKernel.Services.Identity;
using CrmKernel.Services.Privacy;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using NodaTime;
using Xunit;

namespace CrmKernel.Testing.Storage;

/// <summary>
/// The conformance kit for <see cref="ICustomerErasureStore"/>: after an erasure no personal value of the customer (a
/// unique marker seeded into every personal field, free text, consent evidence and, through them, the outbox payloads)
/// can be found anywhere in the store, while a bystander's markers all still can; the shell keeps its id, kind,
/// lifecycle and creation time; touchpoints, case and deal figures are unchanged; the record counts what was done;
/// erasing again returns the same record and changes nothing; a stale or unknown customer changes nothing; pending
/// events that remain can be relayed; every merge record naming the customer is redacted (and can no longer be undone)
/// while others' are untouched; the texts the person wrote (ideas, comments, voice records) are rewritten while others'
/// are untouched. Return stores whose <see cref="CrmStores.Erasure"/>, <see cref="CrmStores.Touchpoints"/>,
/// <see cref="CrmStores.Cases"/>, <see cref="CrmStores.Opportunities"/>, <see cref="CrmStores.SalesPipelines"/>,
/// <see cref="CrmStores.Relationships"/>, <see cref="CrmStores.Merges"/> and <see cref="CrmStores.Ideas"/> (the same
/// database, which the erasure covers) are set; override <see cref="ReadAllTextAsync"/> to add a raw scan of every
/// text the store keeps (every text column of every table).
/// </summary>
public abstract class CustomerErasureStoreConformanceTests : StoreConformanceTests
{
    /// <summary>The erasure store under test.</summary>
    protected static ICustomerErasureStore Erasure(CrmStores stores)
        => Preconditions.NotNull(stores).Erasure ?? throw new InvalidOperationException("CreateStoresAsync must set CrmStores.Erasure for the erasure kit.");

    /// <summary>
    /// Every text the store holds for the tenant, as one string to search: by default what the kernel's interfaces read
    /// (the personal data export of every customer and the pending outbox). Adapters add a raw scan of every text column.
    /// </summary>
    protected virtual async ValueTask<string> ReadAllTextAsync(CrmStores stores, TenantId tenant, IReadOnlyList<CustomerId> customers)
    {
        Preconditions.NotNull(stores);
        Preconditions.NotNull(customers);
        var text = new StringBuilder();
        var exporter = Exporter(stores);
        foreach (var id in customers)
        {
            using var buffer = new MemoryStream();
            await exporter.ExportAsync(tenant, id, buffer);
            text.Append(Encoding.UTF8.GetString(buffer.ToArray()));
        }

        foreach (var e in await stores.Outbox.ListPendingAsync(tenant, StoreLimits.MaxPageSize, default))
        {
            text.Append(e.EventType).Append(' ').Append(e.Payload).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The exporter over the kit's stores.</summary>
    protected PersonalDataExporter Exporter(CrmStores stores)
    {
        Preconditions.NotNull(stores);
        return new PersonalDataExporter(stores.Customers, stores.Touchpoints!, stores.Cases!, stores.Opportunities!, stores.Relationships!, Clock, stores.Erasure);
    }

    /// <summary>A seeded person: a unique marker in every personal field, free text and consent evidence, with a touchpoint, a resolved case and a deal.</summary>
    private sealed record Seeded(CustomerId Id, string Marker, CaseId Case, OpportunityId Deal, TouchpointId Touchpoint);

    /// <summary>Stores a person whose every personal value carries <paramref name="marker"/> (lower case letters and digits).</summary>
    private async Task<Seeded> SeedAsync(CrmStores stores, TenantId tenant, string marker)
    {
        Preconditions.NotNull(stores);
        var customer = Customer.Register(tenant, new PersonProfile($"{marker}given", $"{marker}family", $"{marker}preferred", $"{marker}hon", new LocalDate(1980, 2, 29), "en-GB", $"{marker}job"), Clock);
        customer.AddContactPoint(EmailAddress.Parse($"{marker}one@kit.example"), $"{marker}label", makePrimary: true);
        customer.AddContactPoint(EmailAddress.Parse($"{marker}two@kit.example"));
        customer.AddExternalIdentifier(new ExternalIdentifier("loyalty", $"{marker}key"));
        customer.Tag(new CustomerTag($"{marker}tag"));
        customer.SetCustomAttribute($"{marker}attr", CustomAttributeValue.FromText($"{marker}value"));
        customer.ChangeHomeTimeZone(DateTimeZoneProviders.Tzdb["Europe/Berlin"]);
        customer.RecordConsent(new ConsentEntry(ConsentPurpose.Marketing, new ChannelId("email"), null, ConsentStatus.Granted, LawfulBasis.Consent, "web-form", Clock.GetCurrentInstant(), $"{marker}evidence"));
        customer.RecordConsent(new ConsentEntry(ConsentPurpose.Service, new ChannelId("email"), EmailAddress.Parse($"{marker}two@kit.example"), ConsentStatus.Declined, LawfulBasis.Consent, "web-form", Clock.GetCurrentInstant()));
        await Repository(stores).SaveAsync(customer);

        var touchpoint = Touchpoint.Create(tenant, TouchpointId.New(), Clock.GetCurrentInstant(), new NewTouchpoint
        {
            CustomerId = customer.Id,
            Channel = new ChannelId("web"),
            Direction = InteractionDirection.Inbound,
            Function = CrmFunction.Sales,
            Kind = TouchpointKind.Purchase,
            OccurredAt = Clock.GetCurrentInstant(),
            Source = new ExternalIdentifier("shop", "order-" + Guid.NewGuid().ToString("N")),
            Revenue = new Money(42.50m, Currency.EUR),
        });
        await stores.Touchpoints!.AppendAsync(tenant, [touchpoint], default);

        var serviceCase = ServiceCase.Open(tenant, CaseId.New(), customer.Id, $"{marker}subject", "billing", CasePriority.Normal, null, true, null, Clock.GetCurrentInstant(), "kit-agent");
        serviceCase.Start(Clock.GetCurrentInstant(), "kit-agent", $"{marker}start");
        serviceCase.Escalate(Clock.GetCurrentInstant(), "kit-agent", $"{marker}escalation");
        serviceCase.Resolve(Clock.GetCurrentInstant(), "kit-agent", $"{marker}note", SatisfactionScore.Create(SatisfactionScale.Csat, 4));
        var caseCommit = CaseCommit.Create(serviceCase);
        await stores.Cases!.CommitAsync(caseCommit, default);

        var pipeline = SalesPipeline.Define(tenant, SalesPipelineId.New(), "Kit pipeline",
        [
            new SalesStage("qualify", "Qualify", 0.1m, ForecastCategory.Pipeline),
            new SalesStage("propose", "Propose", 0.5m, ForecastCategory.BestCase),
        ]);
        await stores.SalesPipelines!.CommitAsync(pipeline, 0, default);
        var deal = Opportunity.Open(OpportunityId.New(), customer.Id, pipeline, $"{marker}deal", "owner-7", Currency.EUR, new LocalDate(2026, 6, 30), Clock.GetCurrentInstant(), "kit-rep");
        deal.MoveToStage(pipeline, "propose", Clock.GetCurrentInstant(), "kit-rep", $"{marker}reason");
        await stores.Opportunities!.CommitAsync(OpportunityCommit.Create(deal), default);
        return new Seeded(customer.Id, marker, serviceCase.Id, deal.Id, touchpoint.Id);
    }

    /// <summary>A fresh marker: letters and digits no other value contains.</summary>
    private static string NewMarker() => "mk" + Guid.NewGuid().ToString("N")[..12];

    private async Task<ErasureRecord> EraseAsync(CrmStores stores, TenantId tenant, CustomerId id)
    {
        var snapshot = await stores.Customers.FindAsync(tenant, id, default);
        return await Erasure(stores).EraseAsync(CustomerErasure.Create(snapshot!, Clock.GetCurrentInstant(), "kit:dpo", "ticket-1"), default);
    }

    /// <summary>After the erasure no marker of the person is found anywhere, while every value of a bystander still is.</summary>
    [Fact]
    public virtual async Task Erasure_LeavesNoPersonalValueAnywhere_AndTouchesNobodyElse()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var person = await SeedAsync(stores, tenant, NewMarker());
        var bystander = await SeedAsync(stores, tenant, NewMarker());
        var before = await ReadAllTextAsync(stores, tenant, [person.Id, bystander.Id]);
        Assert.Contains(person.Marker, before, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(bystander.Marker, before, StringComparison.OrdinalIgnoreCase);

        await EraseAsync(stores, tenant, person.Id);

        var after = await ReadAllTextAsync(stores, tenant, [person.Id, bystander.Id]);
        Assert.DoesNotContain(person.Marker, after, StringComparison.OrdinalIgnoreCase);
        foreach (var field in new[] { "given", "family", "preferred", "hon", "job", "one@", "two@", "label", "key", "tag", "attr", "value", "evidence", "subject", "start", "escalation", "note", "deal", "reason" })
        {
            Assert.Contains(bystander.Marker + field, after, StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>The shell keeps id, kind, lifecycle and creation time and loses every personal value; touchpoints, case and deal figures are unchanged.</summary>
    [Fact]
    public virtual async Task Erasure_KeepsAPseudonymousShell_AndEveryFigure()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var person = await SeedAsync(stores, tenant, NewMarker());
        var customer = (await stores.Customers.FindAsync(tenant, person.Id, default))!;
        var touchpoint = (await stores.Touchpoints!.FindAsync(tenant, person.Touchpoint, default))!;
        var serviceCase = (await stores.Cases!.FindAsync(tenant, person.Case, default))!;
        var deal = (await stores.Opportunities!.FindAsync(tenant, person.Deal, default))!;

        var record = await EraseAsync(stores, tenant, person.Id);

        var shell = (await stores.Customers.FindAsync(tenant, person.Id, default))!;
        Assert.Equal(customer.Version + 1, shell.Version);
        Assert.Equal(record.ShellVersion, shell.Version);
        Assert.Equal(PartyKind.Person, shell.Profile.Kind);
        Assert.Equal(CustomerErasure.ShellName, shell.Profile.DisplayName);
        Assert.Equal(customer.CreatedAt, shell.CreatedAt);
        Assert.Equal(customer.LifecycleStage, shell.LifecycleStage);
        Assert.Equal(customer.LifecycleHistory, shell.LifecycleHistory);
        Assert.Empty(shell.ContactPoints);
        Assert.Empty(shell.ExternalIdentifiers);
        Assert.Empty(shell.Tags);
        Assert.Empty(shell.CustomAttributes);
        Assert.Null(shell.HomeTimeZoneId);
        var consent = Assert.Single(shell.Consents);
        Assert.Null(consent.Evidence);
        Assert.Equal((ConsentPurpose.Marketing, ConsentStatus.Granted, customer.Consents[0].CapturedAt), (consent.Purpose, consent.Status, consent.CapturedAt));
        Assert.Null(await stores.Customers.FindByExternalIdentifierAsync(tenant, customer.ExternalIdentifiers[0], default));
        Assert.Empty(await stores.Customers.ListByContactPointAsync(tenant, customer.ContactPoints[0].Value, default));

        var touchpointAfter = (await stores.Touchpoints.FindAsync(tenant, person.Touchpoint, default))!;
        Assert.Equal(Fields(touchpoint), Fields(touchpointAfter));

        var caseAfter = (await stores.Cases.FindAsync(tenant, person.Case, default))!;
        Assert.Equal(ErasureDocuments.ErasedText, caseAfter.Subject);
        Assert.Equal(ErasureDocuments.ErasedText, caseAfter.Resolution!.Note);
        Assert.Equal(serviceCase.Version + 1, caseAfter.Version);
        Assert.Equal((serviceCase.Status, serviceCase.Category, serviceCase.Priority, serviceCase.IsComplaint, serviceCase.OpenedAt, serviceCase.ResolvedAt, serviceCase.Resolution!.Satisfaction), (caseAfter.Status, caseAfter.Category, caseAfter.Priority, caseAfter.IsComplaint, caseAfter.OpenedAt, caseAfter.ResolvedAt, caseAfter.Resolution.Satisfaction));
        Assert.Equal(serviceCase.History.Select(h => (h.FromStatus, h.ToStatus, h.At, h.Actor)), caseAfter.History.Select(h => (h.FromStatus, h.ToStatus, h.At, h.Actor)));

        var dealAfter = (await stores.Opportunities.FindAsync(tenant, person.Deal, default))!;
        Assert.Equal(ErasureDocuments.ErasedText, dealAfter.Name);
        Assert.Equal(deal.Version + 1, dealAfter.Version);
        Assert.Equal((deal.Amount, deal.Status, deal.StageKey, deal.ExpectedCloseDate, deal.Owner), (dealAfter.Amount, dealAfter.Status, dealAfter.StageKey, dealAfter.ExpectedCloseDate, dealAfter.Owner));
        Assert.Equal(deal.History.Select(h => (h.ToStage, h.ToStatus, h.At)), dealAfter.History.Select(h => (h.ToStage, h.ToStatus, h.At)));
    }

    /// <summary>The record names ids and counts only and counts what was done; it can be found again.</summary>
    [Fact]
    public virtual async Task Record_CountsWhatWasErased_AndIsFoundAgain()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var person = await SeedAsync(stores, tenant, NewMarker());
        var bystander = await SeedAsync(stores, tenant, NewMarker());
        Assert.Null(await Erasure(stores).FindErasureAsync(tenant, person.Id, default));
        var pending = (await stores.Outbox.ListPendingAsync(tenant, StoreLimits.MaxPageSize, default)).Count(e => ErasureDocuments.ConcernsCustomer(person.Id, e.AggregateType, e.AggregateId, e.Payload));

        var at = Clock.GetCurrentInstant();
        var record = await EraseAsync(stores, tenant, person.Id);

        Assert.Equal((tenant, person.Id, "kit:dpo", "ticket-1"), (record.TenantId, record.CustomerId, record.RequestedBy, record.Reference));
        Assert.True(record.ErasedAt >= at);
        Assert.Equal(1, record.CountOf(ErasureCategories.Profile));
        Assert.Equal(2, record.CountOf(ErasureCategories.ContactPoints));
        Assert.Equal(1, record.CountOf(ErasureCategories.ExternalIdentifiers));
        Assert.Equal(1, record.CountOf(ErasureCategories.Tags));
        Assert.Equal(1, record.CountOf(ErasureCategories.CustomAttributes));
        Assert.Equal(1, record.CountOf(ErasureCategories.HomeTimeZone));
        Assert.Equal(1, record.CountOf(ErasureCategories.ConsentEvidence));
        Assert.Equal(1, record.CountOf(ErasureCategories.ConsentContactPoints));
        Assert.Equal(1, record.CountOf(ErasureCategories.Cases));
        Assert.Equal(1, record.CountOf(ErasureCategories.Opportunities));
        Assert.True(pending >= 6, $"{pending} events pending about the person (the case's 4 and the deal's 2 at least)");
        Assert.True(record.CountOf(ErasureCategories.Events) >= pending, $"{record.CountOf(ErasureCategories.Events)} events redacted, {pending} were pending");
        Assert.Equal(record, await Erasure(stores).FindErasureAsync(tenant, person.Id, default));
        Assert.Null(await Erasure(stores).FindErasureAsync(tenant, bystander.Id, default));
        Assert.Null(await Erasure(stores).FindErasureAsync(NewTenant(), person.Id, default));
    }

    /// <summary>
    /// The erased customer's pending messages leave the pending store and are counted in the record; a bystander's, and
    /// one under the same dispatch key in another tenant, stay pending.
    /// </summary>
    [Fact]
    public virtual async Task Erasure_DropsTheCustomersPendingMessages_AndKeepsEveryoneElses()
    {
        await using var stores = await CreateStoresAsync();
        var pending = stores.PendingDispatches ?? throw new InvalidOperationException("CreateStoresAsync must set CrmStores.PendingDispatches for the erasure kit.");
        var tenant = NewTenant();
        var other = NewTenant();
        var person = await SeedAsync(stores, tenant, NewMarker());
        var bystander = await SeedAsync(stores, tenant, NewMarker());
        await pending.SaveAsync(PendingFor(tenant, person.Id, "spring/email/person"), default);
        await pending.SaveAsync(PendingFor(tenant, person.Id, "order-7/shipped"), default);
        await pending.SaveAsync(PendingFor(tenant, bystander.Id, "spring/email/bystander"), default);
        await pending.SaveAsync(PendingFor(other, CustomerId.New(), "order-7/shipped"), default);

        var record = await EraseAsync(stores, tenant, person.Id);

        Assert.Equal(2, record.CountOf(ErasureCategories.PendingDispatches));
        Assert.Null(await pending.FindAsync(tenant, "spring/email/person", default));
        Assert.Null(await pending.FindAsync(tenant, "order-7/shipped", default));
        Assert.Equal(bystander.Id, (await pending.FindAsync(tenant, "spring/email/bystander", default))?.Request.CustomerId);
        Assert.NotNull(await pending.FindAsync(other, "order-7/shipped", default));
        var left = new List<string>();
        await foreach (var entry in pending.StreamAsync(tenant, default))
        {
            left.Add(entry.DispatchKey);
        }

        Assert.Equal(["spring/email/bystander"], left);
    }

    private PendingDispatch PendingFor(TenantId tenant, CustomerId customer, string key)
        => new(tenant, new DispatchRequest(customer, new ChannelId("email"), ConsentPurpose.Marketing, CrmFunction.Marketing, new MessageContent("Kit body", "Kit"), key), 1, Clock.GetCurrentInstant());

    /// <summary>Erasing again, even with an erasure prepared from the old state, returns the same record and writes nothing.</summary>
    [Fact]
    public virtual async Task ErasingAgain_ReturnsTheSameRecord_AndChangesNothing()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var person = await SeedAsync(stores, tenant, NewMarker());
        var original = (await stores.Customers.FindAsync(tenant, person.Id, default))!;
        var first = await Erasure(stores).EraseAsync(CustomerErasure.Create(original, Clock.GetCurrentInstant(), "kit:dpo", null), default);
        var state = await ReadAllTextAsync(stores, tenant, [person.Id]);
        var shell = (await stores.Customers.FindAsync(tenant, person.Id, default))!;

        var fromOldState = await Erasure(stores).EraseAsync(CustomerErasure.Create(original, Clock.GetCurrentInstant(), "someone-else", "ticket-2"), default);
        var fromShell = await Erasure(stores).EraseAsync(CustomerErasure.Create(shell, Clock.GetCurrentInstant(), "kit:dpo", null), default);

        Assert.Equal(first, fromOldState);
        Assert.Equal(first, fromShell);
        Assert.Equal(shell.Version, (await stores.Customers.FindAsync(tenant, person.Id, default))!.Version);
        Assert.Equal(StripExportTime(state), StripExportTime(await ReadAllTextAsync(stores, tenant, [person.Id])));
    }

    /// <summary>An erasure prepared from a stale version conflicts, and one of an unknown customer is refused; neither changes anything.</summary>
    [Fact]
    public virtual async Task StaleOrUnknownCustomer_ChangesNothing()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var person = await SeedAsync(stores, tenant, NewMarker());
        var stale = (await stores.Customers.FindAsync(tenant, person.Id, default))!;
        var customer = await Repository(stores).GetAsync(tenant, person.Id);
        customer.Tag(new CustomerTag("late-change"));
        await Repository(stores).SaveAsync(customer);
        var before = await ReadAllTextAsync(stores, tenant, [person.Id]);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await Erasure(stores).EraseAsync(CustomerErasure.Create(stale, Clock.GetCurrentInstant(), "kit:dpo", null), default));
        var ghost = new CustomerSnapshot { Id = CustomerId.New(), TenantId = tenant, Profile = stale.Profile, CreatedAt = stale.CreatedAt, UpdatedAt = stale.UpdatedAt, Version = 1 };
        await Assert.ThrowsAsync<CustomerNotFoundException>(async () => await Erasure(stores).EraseAsync(CustomerErasure.Create(ghost, Clock.GetCurrentInstant(), "kit:dpo", null), default));

        Assert.Equal(StripExportTime(before), StripExportTime(await ReadAllTextAsync(stores, tenant, [person.Id])));
        Assert.Null(await Erasure(stores).FindErasureAsync(tenant, person.Id, default));
        Assert.Null(await Erasure(stores).FindErasureAsync(tenant, ghost.Id, default));
    }

    /// <summary>The events still pending after an erasure are the bystander's and the erasure's own, and they can be relayed.</summary>
    [Fact]
    public virtual async Task PendingEvents_AfterErasure_CarryNothingOfThePerson_AndCanBeRelayed()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var person = await SeedAsync(stores, tenant, NewMarker());
        var bystander = await SeedAsync(stores, tenant, NewMarker());

        await EraseAsync(stores, tenant, person.Id);

        var pending = await stores.Outbox.ListPendingAsync(tenant, StoreLimits.MaxPageSize, default);
        var erased = Assert.Single(pending, e => e.EventType == nameof(CustomerErased));
        Assert.Equal(person.Id.ToString(), erased.AggregateId);
        Assert.All(pending.Where(e => e != erased), e => Assert.False(ErasureDocuments.ConcernsCustomer(person.Id, e.AggregateType, e.AggregateId, e.Payload)));
        Assert.Contains(pending, e => ErasureDocuments.ConcernsCustomer(bystander.Id, e.AggregateType, e.AggregateId, e.Payload));

        var publisher = new RecordingPublisher();
        var relay = new CrmEventRelay(stores.Outbox, publisher);
        Assert.Equal(pending.Count, await relay.PublishPendingAsync(tenant, StoreLimits.MaxPageSize));
        Assert.Single(publisher.Published.OfType<CustomerErased>(), e => e.CustomerId == person.Id);
    }

    /// <summary>
    /// Every merge record naming the erased customer, as survivor (an active merge) and as merged customer (an undone
    /// merge), is redacted in the erasure: no value of either side is left in the record read back, ids, versions, times,
    /// lifecycle and moved touchpoints are kept, and it is marked; a merge of two other customers is untouched; the active
    /// redacted merge can no longer be undone (<c>CRM-MERGE-006</c>) and the refusal changes nothing; erasing again changes nothing.
    /// </summary>
    [Fact]
    public virtual async Task Erasure_RedactsEveryMergeRecordNamingTheCustomer_AndTheirUnmergeIsRefused()
    {
        await using var stores = await CreateStoresAsync();
        var merges = stores.Merges ?? throw new InvalidOperationException("CreateStoresAsync must set CrmStores.Merges for the erasure kit.");
        var service = new CustomerMergeService(merges, Clock);
        var tenant = NewTenant();
        var person = await SeedAsync(stores, tenant, NewMarker());
        var duplicate = await SeedAsync(stores, tenant, NewMarker());
        var other = await SeedAsync(stores, tenant, NewMarker());
        var bystander = await SeedAsync(stores, tenant, NewMarker());
        var bystanderDuplicate = await SeedAsync(stores, tenant, NewMarker());

        var asSurvivor = await service.MergeAsync(tenant, person.Id, duplicate.Id);
        var undone = await service.MergeAsync(tenant, other.Id, person.Id);
        undone = await service.UnmergeAsync(tenant, undone.Id);
        var untouched = await service.MergeAsync(tenant, bystander.Id, bystanderDuplicate.Id);
        var untouchedBefore = CustomerMergeDocuments.Write(untouched);
        Assert.Contains(person.Marker, CustomerMergeDocuments.Write((await merges.FindMergeAsync(tenant, asSurvivor.Id, default))!), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(duplicate.Marker, CustomerMergeDocuments.Write((await merges.FindMergeAsync(tenant, asSurvivor.Id, default))!), StringComparison.OrdinalIgnoreCase);

        var record = await EraseAsync(stores, tenant, person.Id);

        Assert.Equal(2, record.CountOf(ErasureCategories.MergeRecords));
        foreach (var (before, markers) in new[] { (asSurvivor, new[] { person.Marker, duplicate.Marker }), (undone, new[] { person.Marker, other.Marker }) })
        {
            var after = (await merges.FindMergeAsync(tenant, before.Id, default))!;
            var text = CustomerMergeDocuments.Write(after);
            foreach (var marker in markers)
            {
                Assert.DoesNotContain(marker, text, StringComparison.OrdinalIgnoreCase);
            }

            Assert.True(after.IsRedacted);
            Assert.Equal(record.ErasedAt, after.ErasedAt);
            Assert.Equal((before.SurvivorId, before.MergedId, before.MergedAt, before.SurvivorVersionAfterMerge, before.MergedConsentCount, before.UnmergedAt), (after.SurvivorId, after.MergedId, after.MergedAt, after.SurvivorVersionAfterMerge, after.MergedConsentCount, after.UnmergedAt));
            Assert.Equal(before.MovedTouchpoints, after.MovedTouchpoints);
            Assert.Equal(before.MovedRelationships, after.MovedRelationships);
            foreach (var (was, shell) in new[] { (before.SurvivorBefore, after.SurvivorBefore), (before.MergedBefore, after.MergedBefore) })
            {
                Assert.Equal((was.Id, was.Version, was.Profile.Kind, was.CreatedAt, was.UpdatedAt, was.LifecycleStage), (shell.Id, shell.Version, shell.Profile.Kind, shell.CreatedAt, shell.UpdatedAt, shell.LifecycleStage));
                Assert.Equal(CustomerErasure.ShellName, shell.Profile.DisplayName);
                Assert.Empty(shell.ContactPoints);
                Assert.Empty(shell.ExternalIdentifiers);
                Assert.All(shell.Consents, c => Assert.Null(c.Evidence));
            }
        }

        Assert.Equal(untouchedBefore, CustomerMergeDocuments.Write((await merges.FindMergeAsync(tenant, untouched.Id, default))!));
        Assert.False((await merges.FindMergeAsync(tenant, untouched.Id, default))!.IsRedacted);

        // The active redacted merge cannot be undone, through the service or the store; the undone one stays undone.
        var redacted = (await merges.FindMergeAsync(tenant, asSurvivor.Id, default))!;
        var shellBefore = (await stores.Customers.FindAsync(tenant, person.Id, default))!;
        var state = StripExportTime(await ReadAllTextAsync(stores, tenant, [person.Id]));
        var refused = await Assert.ThrowsAsync<CustomerMergeException>(async () => await service.UnmergeAsync(tenant, asSurvivor.Id));
        Assert.Equal(CrmErrorCodes.UnmergeRedacted, refused.ErrorCode);
        Assert.Contains(asSurvivor.Id.ToString(), refused.Message, StringComparison.Ordinal);
        var restored = new CustomerSnapshot { Id = person.Id, TenantId = tenant, Profile = shellBefore.Profile, CreatedAt = shellBefore.CreatedAt, UpdatedAt = Clock.GetCurrentInstant(), Version = shellBefore.Version + 1 };
        var merged = new CustomerSnapshot { Id = duplicate.Id, TenantId = tenant, Profile = redacted.MergedBefore.Profile, CreatedAt = redacted.MergedBefore.CreatedAt, UpdatedAt = Clock.GetCurrentInstant(), Version = redacted.MergedBefore.Version };
        var direct = await Assert.ThrowsAsync<CustomerMergeException>(async () => await merges.CommitUnmergeAsync(new CustomerUnmergeCommit(redacted, restored, merged, Clock.GetCurrentInstant(), []), default));
        Assert.Equal(CrmErrorCodes.UnmergeRedacted, direct.ErrorCode);
        Assert.Equal(CustomerMergeDocuments.Write(redacted), CustomerMergeDocuments.Write((await merges.FindMergeAsync(tenant, asSurvivor.Id, default))!));
        Assert.Equal(shellBefore.Version, (await stores.Customers.FindAsync(tenant, person.Id, default))!.Version);
        Assert.Null(await stores.Customers.FindAsync(tenant, duplicate.Id, default));
        Assert.Equal(asSurvivor.Id, (await merges.FindActiveMergeAsync(tenant, duplicate.Id, default))!.Id);
        Assert.Equal(state, StripExportTime(await ReadAllTextAsync(stores, tenant, [person.Id])));
        Assert.Equal(CustomerMergeDocuments.Write((await merges.FindMergeAsync(tenant, undone.Id, default))!), CustomerMergeDocuments.Write(await service.UnmergeAsync(tenant, undone.Id)));

        // Erasing again returns the same record and rewrites no merge record.
        var documents = new List<string>();
        foreach (var id in new[] { asSurvivor.Id, undone.Id, untouched.Id })
        {
            documents.Add(CustomerMergeDocuments.Write((await merges.FindMergeAsync(tenant, id, default))!));
        }

        Assert.Equal(record, await EraseAsync(stores, tenant, person.Id));
        var again = new List<string>();
        foreach (var id in new[] { asSurvivor.Id, undone.Id, untouched.Id })
        {
            again.Add(CustomerMergeDocuments.Write((await merges.FindMergeAsync(tenant, id, default))!));
        }

        Assert.Equal(documents, again);
    }

    /// <summary>
    /// The texts the person wrote are rewritten in the erasure: the title and description of the idea they submitted (the
    /// idea, its status history and the submitter's pseudonymous id kept), the text of their comments on any idea, the title
    /// and text of their voice records (related parties kept); others' ideas, comments and voice records are untouched;
    /// erasing again changes nothing.
    /// </summary>
    [Fact]
    public virtual async Task Erasure_RewritesThePersonsIdeaCommentAndVoiceTexts_AndNobodyElses()
    {
        await using var stores = await CreateStoresAsync();
        var ideas = stores.Ideas ?? throw new InvalidOperationException("CreateStoresAsync must set CrmStores.Ideas for the erasure kit.");
        var tenant = NewTenant();
        var person = await SeedAsync(stores, tenant, NewMarker());
        var bystander = await SeedAsync(stores, tenant, NewMarker());
        var (p, b) = (person.Marker, bystander.Marker);

        var own = Idea.Submit(tenant, IdeaId.New(), person.Id, $"{p} idea title", $"{p} idea description", SubjectArea.Product, Clock.GetCurrentInstant());
        own.MoveTo(IdeaStatus.UnderReview, "triage", Clock.GetCurrentInstant());
        own.Comment(person.Id, $"{p} own comment", Clock.GetCurrentInstant());
        own.Comment(bystander.Id, $"{b} comment on it", Clock.GetCurrentInstant());
        own.Comment(null, "company answer", Clock.GetCurrentInstant());
        await ideas.SaveAsync(own, 0, default);
        var others = Idea.Submit(tenant, IdeaId.New(), bystander.Id, $"{b} idea title", null, SubjectArea.Website, Clock.GetCurrentInstant());
        others.Comment(person.Id, $"{p} comment elsewhere", Clock.GetCurrentInstant());
        await ideas.SaveAsync(others, 0, default);
        var voice = CustomerVoice.Create(tenant, TouchpointId.New(), Clock.GetCurrentInstant(), new NewCustomerVoice
        {
            CustomerId = person.Id,
            Kind = VoiceKind.Feedback,
            Subject = SubjectArea.Website,
            Channel = new ChannelId("email"),
            OccurredAt = Clock.GetCurrentInstant(),
            Source = new ExternalIdentifier("survey", "kit-" + TouchpointId.New()),
            Title = $"{p} voice title",
            Text = $"{p} voice text",
            RelatedParties = [bystander.Id],
            AboutIdea = others.Id,
        }, others.Id);
        await ideas.AddVoiceAsync(voice, null, default);
        var bystanderVoice = CustomerVoice.Create(tenant, TouchpointId.New(), Clock.GetCurrentInstant(), new NewCustomerVoice
        {
            CustomerId = bystander.Id,
            Kind = VoiceKind.Feedback,
            Subject = SubjectArea.Website,
            Channel = new ChannelId("email"),
            OccurredAt = Clock.GetCurrentInstant(),
            Source = new ExternalIdentifier("survey", "kit-" + TouchpointId.New()),
            Title = $"{b} voice title",
            RelatedParties = [person.Id],
        }, null);
        await ideas.AddVoiceAsync(bystanderVoice, null, default);
        Assert.Contains(p, await InnovationTextAsync(ideas, tenant), StringComparison.OrdinalIgnoreCase);

        var record = await EraseAsync(stores, tenant, person.Id);

        Assert.Equal((1, 2, 1), (record.CountOf(ErasureCategories.Ideas), record.CountOf(ErasureCategories.IdeaComments), record.CountOf(ErasureCategories.CustomerVoices)));
        var text = await InnovationTextAsync(ideas, tenant);
        Assert.DoesNotContain(p, text, StringComparison.OrdinalIgnoreCase);
        foreach (var kept in new[] { $"{b} comment on it", "company answer", $"{b} idea title", $"{b} voice title" })
        {
            Assert.Contains(kept, text, StringComparison.Ordinal);
        }

        var ownAfter = (await ideas.FindAsync(tenant, own.Id, default))!;
        Assert.Equal((ErasureDocuments.ErasedText, ErasureDocuments.ErasedText, (CustomerId?)person.Id, own.Status, own.Version + 1), (ownAfter.Title, ownAfter.Description, ownAfter.SubmittedBy, ownAfter.Status, ownAfter.Version));
        Assert.Equal(own.History, ownAfter.History);
        Assert.Equal(
            [(person.Id, ErasureDocuments.ErasedText), (bystander.Id, $"{b} comment on it"), ((CustomerId?)null, "company answer")],
            ownAfter.Comments.Select(static c => (c.Author, c.Text)));
        Assert.Equal(own.Comments.Select(static c => c.At), ownAfter.Comments.Select(static c => c.At));
        var othersAfter = (await ideas.FindAsync(tenant, others.Id, default))!;
        Assert.Equal(($"{b} idea title", (string?)null, others.Version + 1), (othersAfter.Title, othersAfter.Description, othersAfter.Version));
        Assert.Equal((person.Id, ErasureDocuments.ErasedText), (othersAfter.Comments[0].Author, othersAfter.Comments[0].Text));
        var voiceAfter = (await ideas.FindVoiceAsync(tenant, voice.Source, default))!;
        Assert.Equal((ErasureDocuments.ErasedText, ErasureDocuments.ErasedText), (voiceAfter.Title, voiceAfter.Text));
        Assert.Equal((voice.Id, voice.CustomerId, voice.Kind, voice.Subject, voice.Channel, voice.OccurredAt, voice.RecordedAt, voice.Idea), (voiceAfter.Id, voiceAfter.CustomerId, voiceAfter.Kind, voiceAfter.Subject, voiceAfter.Channel, voiceAfter.OccurredAt, voiceAfter.RecordedAt, voiceAfter.Idea));
        Assert.Equal(voice.RelatedParties, voiceAfter.RelatedParties);
        AssertSameVoice(bystanderVoice, await ideas.FindVoiceAsync(tenant, bystanderVoice.Source, default));

        Assert.Equal(record, await EraseAsync(stores, tenant, person.Id));
        Assert.Equal(text, await InnovationTextAsync(ideas, tenant));
    }

    /// <summary>Every idea and voice document of the tenant (ids, versions and texts), as one string to search.</summary>
    private static async Task<string> InnovationTextAsync(IIdeaStore ideas, TenantId tenant)
    {
        var text = new StringBuilder();
        foreach (var idea in await ideas.PageAsync(tenant, null, StoreLimits.MaxPageSize, default))
        {
            text.Append(IdeaDocuments.Write(idea)).Append('\n');
        }

        foreach (var voice in await ideas.PageVoicesAsync(tenant, null, StoreLimits.MaxPageSize, default))
        {
            text.Append(IdeaDocuments.Write(voice)).Append('\n');
        }

        return text.ToString();
    }

    private static void AssertSameVoice(CustomerVoice expected, CustomerVoice? actual)
    {
        Assert.NotNull(actual);
        Assert.True(expected.HasSameContent(actual), "the voice record's content differs");
        Assert.Equal((expected.Id, expected.RecordedAt, expected.Idea), (actual.Id, actual.RecordedAt, actual.Idea));
    }

    /// <summary>Every field of a touchpoint, for comparing two reads.</summary>
    protected static string Fields(Touchpoint touchpoint)
    {
        Preconditions.NotNull(touchpoint);
        return string.Join('|', touchpoint.Id, touchpoint.CustomerId, touchpoint.Channel, touchpoint.Direction, touchpoint.Function, touchpoint.Kind, touchpoint.OccurredAt, touchpoint.RecordedAt, touchpoint.Source,
            touchpoint.Outcome, touchpoint.Satisfaction, touchpoint.Sentiment, touchpoint.Cost, touchpoint.Revenue, touchpoint.CampaignId, string.Join(',', touchpoint.ProductIds),
            string.Join(',', touchpoint.Participants.Select(static p => $"{p.Role}/{p.CustomerId}/{p.UserId}")));
    }

    private static string StripExportTime(string text)
        => System.Text.RegularExpressions.Regex.Replace(text, "\"exportedAt\": \"[^\"]*\"", string.Empty);
}

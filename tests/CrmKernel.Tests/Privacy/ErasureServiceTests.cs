using CrmKernel.Cases;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Primitives;
using CrmKernel.Privacy;
using CrmKernel.Sales;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Ingestion;
using CrmKernel.Services.Privacy;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace CrmKernel.Tests.Privacy;

/// <summary>
/// The erasure service: lawful holds (the kernel's open case and the host's checks) refuse with CRM-PRIV-001 and change
/// nothing; a repeated erasure returns the same record and calls participants again; bad input is refused before
/// anything is read; and the whole metric catalogue gives the same figures for past periods before and after erasing
/// several customers.
/// </summary>
public sealed class ErasureServiceTests
{
    private static readonly TenantId Tenant = new("privacy");
    private static readonly FixedExchangeRateProvider Rates = new([new ExchangeRate(Currency.EUR, Currency.GBP, new LocalDate(2025, 11, 1), 0.86m)]);

    private readonly FakeClock _clock = new(Instant.FromUtc(2025, 11, 1, 8, 0), Duration.FromMinutes(1));
    private readonly ServiceProvider _services;
    private readonly List<ILawfulHoldCheck> _holds = [];
    private readonly RecordingParticipant _participant = new();

    public ErasureServiceTests()
    {
        var services = new ServiceCollection();
        services.AddCrmKernel(b => b.UseInMemoryStores().UseClock(_clock));
        services.AddSingleton<ILawfulHoldCheck>(new DelegatingHold(this));
        services.AddSingleton<IErasureParticipant>(_participant);
        _services = services.BuildServiceProvider();
    }

    private ErasureService Erasure => _services.GetRequiredService<ErasureService>();

    private ICustomerStore Customers => _services.GetRequiredService<ICustomerStore>();

    [Fact]
    public async Task OpenServiceCase_IsAKernelHold_ThatBlocksErasure_UntilResolved()
    {
        var customer = await PersonAsync("hold");
        var serviceCase = ServiceCase.Open(Tenant, CaseId.New(), customer, "Broken parcel", "delivery", CasePriority.Normal, null, true, null, _clock.GetCurrentInstant(), "agent-1");
        await CommitAsync(serviceCase);
        var before = await Customers.FindAsync(Tenant, customer, default);

        var refused = await Assert.ThrowsAsync<PrivacyException>(async () => await Erasure.EraseAsync(Tenant, customer, "dpo"));

        Assert.Equal(CrmErrorCodes.ErasureOnHold, refused.ErrorCode);
        Assert.Equal(new LawfulHold(ErasureService.OpenServiceCaseHold, ErasureService.KernelHolder), refused.Hold);
        Assert.Equal(customer, refused.CustomerId);
        Assert.StartsWith("CRM-PRIV-001: ", refused.Message, StringComparison.Ordinal);
        Assert.Contains(customer.ToString(), refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hold", refused.Message.Replace("lawful hold", string.Empty, StringComparison.Ordinal).Replace("'open-service-case'", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(before!.Version, (await Customers.FindAsync(Tenant, customer, default))!.Version);
        Assert.Null(await Erasure.FindAsync(Tenant, customer));
        Assert.Empty(_participant.Calls);

        serviceCase.Start(_clock.GetCurrentInstant(), "agent-1", "on it");
        serviceCase.Resolve(_clock.GetCurrentInstant(), "agent-1", "replaced", null);
        await CommitAsync(serviceCase);
        var record = await Erasure.EraseAsync(Tenant, customer, "dpo");
        Assert.Equal(1, record.CountOf(ErasureCategories.Cases));
    }

    [Fact]
    public async Task HostHold_BlocksErasure_WithItsCodeAndHolder_AndNothingChanges()
    {
        var customer = await PersonAsync("invoice");
        _holds.Add(new FixedHold(customer, new LawfulHold("open-invoice", "billing")));
        var exportBefore = await ExportAsync(customer);

        var refused = await Assert.ThrowsAsync<PrivacyException>(async () => await Erasure.EraseAsync(Tenant, customer, "dpo", "ticket-9"));

        Assert.Equal(CrmErrorCodes.ErasureOnHold, refused.ErrorCode);
        Assert.Equal(new LawfulHold("open-invoice", "billing"), refused.Hold);
        Assert.Equal($"CRM-PRIV-001: Customer {customer} cannot be erased: lawful hold 'open-invoice' held by 'billing'.", refused.Message);
        Assert.DoesNotContain("invoicegiven", refused.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(Strip(exportBefore), Strip(await ExportAsync(customer)));
        Assert.Equal(new LawfulHold("open-invoice", "billing"), await Erasure.FindHoldAsync(Tenant, customer));
        Assert.Null(await Erasure.FindHoldAsync(Tenant, await PersonAsync("other")));
    }

    [Fact]
    public async Task ErasingAgain_ReturnsTheSameRecord_AndCallsParticipantsEachTime()
    {
        var customer = await PersonAsync("twice");
        var first = await Erasure.EraseAsync(Tenant, customer, "dpo", "ticket-1");
        var shell = await Customers.FindAsync(Tenant, customer, default);

        // A hold that appears after the erasure does not turn a repeat into an error: the data is already gone.
        _holds.Add(new FixedHold(customer, new LawfulHold("open-invoice", "billing")));
        var second = await Erasure.EraseAsync(Tenant, customer, "someone-else", "ticket-2");

        Assert.Equal(first, second);
        Assert.Equal(("dpo", "ticket-1"), (second.RequestedBy, second.Reference));
        Assert.Equal(shell!.Version, (await Customers.FindAsync(Tenant, customer, default))!.Version);
        Assert.Equal([first, first], _participant.Calls);
        Assert.Equal(first, await Erasure.FindAsync(Tenant, customer));
    }

    [Fact]
    public async Task FailingParticipant_LeavesTheErasureCommitted_AndARepeatCompletesIt()
    {
        var customer = await PersonAsync("participant");
        _participant.FailNext = true;

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await Erasure.EraseAsync(Tenant, customer, "dpo"));
        var record = await Erasure.FindAsync(Tenant, customer);
        Assert.NotNull(record);
        Assert.Empty(_participant.Calls);

        Assert.Equal(record, await Erasure.EraseAsync(Tenant, customer, "dpo"));
        Assert.Equal([record!], _participant.Calls);
    }

    [Fact]
    public async Task BadInput_IsRefused_BeforeAnythingChanges()
    {
        var customer = await PersonAsync("bad");
        await Assert.ThrowsAsync<ArgumentException>(async () => await Erasure.EraseAsync(default, customer, "dpo"));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Erasure.EraseAsync(Tenant, default, "dpo"));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await Erasure.EraseAsync(Tenant, customer, null!));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Erasure.EraseAsync(Tenant, customer, "Jane Doe <jane@example.com>"));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Erasure.EraseAsync(Tenant, customer, "dpo", "ticket #1"));
        await Assert.ThrowsAsync<InputLimitExceededException>(async () => await Erasure.EraseAsync(Tenant, customer, new string('a', ErasureRecord.MaxTextLength + 1)));
        await Assert.ThrowsAsync<InputLimitExceededException>(async () => await Erasure.EraseAsync(Tenant, customer, "dpo", new string('a', ErasureRecord.MaxTextLength + 1)));
        var unknown = await Assert.ThrowsAsync<CustomerNotFoundException>(async () => await Erasure.EraseAsync(Tenant, CustomerId.New(), "dpo"));
        Assert.Equal(CrmErrorCodes.CustomerNotFound, unknown.ErrorCode);
        await Assert.ThrowsAsync<ArgumentException>(async () => await Erasure.FindAsync(default, customer));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Erasure.FindHoldAsync(Tenant, default));

        Assert.Null(await Erasure.FindAsync(Tenant, customer));
        Assert.Equal(1, (await Customers.FindAsync(Tenant, customer, default))!.Version);
        Assert.Equal(new string('a', ErasureRecord.MaxTextLength), (await Erasure.EraseAsync(Tenant, customer, new string('a', ErasureRecord.MaxTextLength))).RequestedBy);
    }

    [Fact]
    public async Task Organisation_IsErasedToAnOrganisationShell()
    {
        var customer = Customer.Register(Tenant, new OrganizationProfile("Smith Plumbing Ltd", "Smith's", "12345678", "GB123", "plumbing", new Uri("https://smith.example"), 3), _clock);
        customer.AddContactPoint(EmailAddress.Parse("john@smith.example"));
        await _services.GetRequiredService<CustomerRepository>().SaveAsync(customer);

        await Erasure.EraseAsync(Tenant, customer.Id, "dpo");

        var shell = (await Customers.FindAsync(Tenant, customer.Id, default))!;
        var profile = Assert.IsType<OrganizationProfile>(shell.Profile);
        Assert.Equal(new OrganizationProfile(CustomerErasure.ShellName), profile);
        Assert.Empty(shell.ContactPoints);
    }

    [Fact]
    public async Task MergedAwayId_IsRefused_WithPriv002_NamingTheSurvivorAtTheEndOfTheChain_AndNothingChanges()
    {
        var merges = _services.GetRequiredService<CrmKernel.Services.Identity.CustomerMergeService>();
        var (a, b, c) = (await PersonAsync("ma"), await PersonAsync("mb"), await PersonAsync("mc"));
        var first = await merges.MergeAsync(Tenant, a, b);
        var survivorBefore = (await Customers.FindAsync(Tenant, a, default))!;

        var refused = await Assert.ThrowsAsync<PrivacyException>(async () => await Erasure.EraseAsync(Tenant, b, "dpo"));

        Assert.Equal((CrmErrorCodes.ErasureOfMergedAway, (CustomerId?)a, b), (refused.ErrorCode, refused.SurvivorId, refused.CustomerId));
        Assert.Contains(a.ToString(), refused.Message, StringComparison.Ordinal);
        Assert.Contains(first.Id.ToString(), refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("magiven", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("mb@mail", refused.Message, StringComparison.Ordinal);
        Assert.Null(await Erasure.FindAsync(Tenant, a));
        Assert.Null(await Erasure.FindAsync(Tenant, b));
        Assert.Equal(survivorBefore.Version, (await Customers.FindAsync(Tenant, a, default))!.Version);
        Assert.False((await _services.GetRequiredService<ICustomerMergeStore>().FindMergeAsync(Tenant, first.Id, default))!.IsRedacted);
        Assert.Empty(_participant.Calls);

        await merges.MergeAsync(Tenant, c, a);
        var chained = await Assert.ThrowsAsync<PrivacyException>(async () => await Erasure.EraseAsync(Tenant, b, "dpo"));
        Assert.Equal((CustomerId?)c, chained.SurvivorId);
        await Assert.ThrowsAsync<CustomerNotFoundException>(async () => await Erasure.EraseAsync(Tenant, CustomerId.New(), "dpo"));
    }

    [Fact]
    public async Task ErasingTheSurvivor_RedactsTheMerge_WhichCanNoLongerBeUndone()
    {
        var merges = _services.GetRequiredService<CrmKernel.Services.Identity.CustomerMergeService>();
        var (a, b) = (await PersonAsync("sa"), await PersonAsync("sb"));
        var merge = await merges.MergeAsync(Tenant, a, b);

        var record = await Erasure.EraseAsync(Tenant, a, "dpo");

        Assert.Equal(1, record.CountOf(ErasureCategories.MergeRecords));
        var redacted = (await _services.GetRequiredService<ICustomerMergeStore>().FindMergeAsync(Tenant, merge.Id, default))!;
        Assert.True(redacted.IsRedacted);
        var document = CustomerMergeDocuments.Write(redacted);
        foreach (var value in new[] { "sagiven", "safamily", "sa@mail", "sa-key", "sbgiven", "sbfamily", "sb@mail", "sb-key" })
        {
            Assert.DoesNotContain(value, document, StringComparison.Ordinal);
        }

        var refused = await Assert.ThrowsAsync<CrmKernel.Identity.CustomerMergeException>(async () => await merges.UnmergeAsync(Tenant, merge.Id));
        Assert.Equal(CrmErrorCodes.UnmergeRedacted, refused.ErrorCode);
        Assert.Equal(a, await merges.ResolveAsync(Tenant, b));
        Assert.Equal(record, await Erasure.EraseAsync(Tenant, a, "dpo"));
    }

    [Fact]
    public async Task AnErasedCustomer_IsNeverMerged_OnEitherSide_WithMerge007_AndNothingChanges()
    {
        var merges = _services.GetRequiredService<CrmKernel.Services.Identity.CustomerMergeService>();
        var (erased, live) = (await PersonAsync("ea"), await PersonAsync("eb"));
        await Erasure.EraseAsync(Tenant, erased, "dpo");
        var (shellBefore, liveBefore) = ((await Customers.FindAsync(Tenant, erased, default))!, (await Customers.FindAsync(Tenant, live, default))!);

        foreach (var (survivor, merged) in new[] { (erased, live), (live, erased) })
        {
            var refused = await Assert.ThrowsAsync<CrmKernel.Identity.CustomerMergeException>(async () => await merges.MergeAsync(Tenant, survivor, merged));
            Assert.Equal((CrmErrorCodes.MergeOfErased, (CustomerId?)erased), (refused.ErrorCode, refused.CustomerId));
            Assert.Contains(erased.ToString(), refused.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("ebgiven", refused.Message, StringComparison.Ordinal);
        }

        Assert.Equal(shellBefore.Version, (await Customers.FindAsync(Tenant, erased, default))!.Version);
        Assert.Equal(liveBefore.Version, (await Customers.FindAsync(Tenant, live, default))!.Version);
        Assert.Empty(await _services.GetRequiredService<ICustomerMergeStore>().ListMergesByCustomerAsync(Tenant, live, default));
    }

    [Fact]
    public async Task Erasure_RewritesTheIdeaTextsOfThePerson_InTheDefaultInMemoryWiring()
    {
        var innovation = _services.GetRequiredService<CrmKernel.Services.Innovation.InnovationService>();
        var (person, other) = (await PersonAsync("ip"), await PersonAsync("io"));
        var voice = await innovation.IngestAsync(Tenant, new CrmKernel.Innovation.NewCustomerVoice
        {
            CustomerId = person,
            Kind = CrmKernel.Innovation.VoiceKind.Idea,
            Subject = CrmKernel.Innovation.SubjectArea.Product,
            Channel = new ChannelId("web"),
            OccurredAt = _clock.GetCurrentInstant(),
            Source = new ExternalIdentifier("portal", "ip-1"),
            Title = "ip wants dark mode",
            Text = "ip writes at night",
        });
        await innovation.CommentAsync(Tenant, voice.Idea!.Value, other, "io agrees");
        await innovation.CommentAsync(Tenant, voice.Idea.Value, person, "ip thanks io");

        var record = await Erasure.EraseAsync(Tenant, person, "dpo");

        Assert.Equal((1, 1, 1), (record.CountOf(ErasureCategories.Ideas), record.CountOf(ErasureCategories.IdeaComments), record.CountOf(ErasureCategories.CustomerVoices)));
        var ideas = _services.GetRequiredService<IIdeaStore>();
        var idea = (await ideas.FindAsync(Tenant, voice.Idea.Value, default))!;
        Assert.Equal((ErasureDocuments.ErasedText, ErasureDocuments.ErasedText, (CustomerId?)person), (idea.Title, idea.Description, idea.SubmittedBy));
        Assert.Equal(["io agrees", ErasureDocuments.ErasedText], idea.Comments.Select(static c => c.Text));
        var stored = (await ideas.FindVoiceAsync(Tenant, voice.Source, default))!;
        Assert.Equal((ErasureDocuments.ErasedText, ErasureDocuments.ErasedText), (stored.Title, stored.Text));
    }

    /// <summary>
    /// The test that cannot be faked: a tenant with purchases, campaign costs, service contacts with satisfaction, won and
    /// lost deals and resolved cases over several months, ideas with comments and triage, feedback, and a merge; the whole
    /// standard catalogue (with the case and sales sources) and the innovation catalogue are evaluated for past months,
    /// four customers (one of each kind of history, one the merge's survivor) are erased (their idea texts rewritten and
    /// the merge record redacted), and every metric value,
    /// previous value and figure is the same. The one exception is data completeness, which the catalogue defines as
    /// measured over the customer records at evaluation time: it drops by exactly the values the erased records held.
    /// </summary>
    [Fact]
    public async Task WholeCatalogue_ForPastPeriods_IsIdentical_BeforeAndAfterErasingSeveralCustomers()
    {
        var customers = new List<CustomerId>();
        for (var i = 0; i < 12; i++)
        {
            customers.Add(await PersonAsync($"c{i}", complete: i % 3 == 0));
        }

        await SeedHistoryAsync(customers);
        await SeedInnovationAsync(customers);
        _clock.Reset(Instant.FromUtc(2026, 3, 20, 8, 0));
        var merge = await _services.GetRequiredService<CrmKernel.Services.Identity.CustomerMergeService>().MergeAsync(Tenant, customers[10], customers[11]);
        _clock.Reset(Instant.FromUtc(2026, 4, 1, 8, 0));
        var periods = new[] { new DateInterval(new LocalDate(2026, 1, 1), new LocalDate(2026, 1, 31)), new DateInterval(new LocalDate(2026, 2, 1), new LocalDate(2026, 2, 28)) };
        var before = new List<MetricEvaluation>();
        var innovationBefore = new List<string>();
        foreach (var period in periods)
        {
            before.Add(await EvaluateAsync(period));
            innovationBefore.Add(await EvaluateInnovationAsync(period));
        }

        Assert.True(before[0].Figures.Values[StandardFigures.Orders] >= 12m);
        Assert.Contains(before[0].Results, r => r.Definition.Id.Value == "win-rate" && r.Value.Value is > 0m and < 1m);
        var erased = new[] { customers[0], customers[3], customers[5], customers[10] };
        var populated = 0;
        foreach (var id in erased)
        {
            populated += CustomerFacts.Of((await Customers.FindAsync(Tenant, id, default))!).PopulatedValues;
        }

        Assert.True(populated >= 6, $"the erased customers held {populated} populated values");
        var rewritten = 0;
        foreach (var id in erased)
        {
            var record = await Erasure.EraseAsync(Tenant, id, "dpo");
            Assert.True(record.CountOf(ErasureCategories.ContactPoints) >= 1);
            rewritten += record.CountOf(ErasureCategories.Ideas) + record.CountOf(ErasureCategories.IdeaComments) + record.CountOf(ErasureCategories.CustomerVoices);
        }

        Assert.True(rewritten >= 4, $"{rewritten} idea texts rewritten");
        Assert.True((await _services.GetRequiredService<ICustomerMergeStore>().FindMergeAsync(Tenant, merge.Id, default))!.IsRedacted);

        for (var p = 0; p < periods.Length; p++)
        {
            Assert.Equal(innovationBefore[p], await EvaluateInnovationAsync(periods[p]));
            var after = await EvaluateAsync(periods[p]);
            foreach (var figures in new[] { (before[p].Figures, after.Figures), (before[p].PreviousFigures!, after.PreviousFigures!) })
            {
                Assert.Equal(figures.Item1.Values[StandardFigures.PopulatedValues] - populated, figures.Item2.Values[StandardFigures.PopulatedValues]);
                Assert.Equal(
                    figures.Item1.Values.Where(v => v.Key != StandardFigures.PopulatedValues).OrderBy(v => v.Key.ToString(), StringComparer.Ordinal),
                    figures.Item2.Values.Where(v => v.Key != StandardFigures.PopulatedValues).OrderBy(v => v.Key.ToString(), StringComparer.Ordinal));
                Assert.Equal(figures.Item1.Channels.Select(c => c.ToString()), figures.Item2.Channels.Select(c => c.ToString()));
            }

            var changed = before[p].Results.Zip(after.Results)
                .Where(pair => (pair.First.Value.Value, pair.First.Previous?.Value) != (pair.Second.Value.Value, pair.Second.Previous?.Value))
                .Select(pair => pair.First.Definition.Id.Value)
                .ToArray();
            Assert.Equal(["data-completeness"], changed);
            Assert.Equal(before[p].Results.Select(r => r.Definition.Id), after.Results.Select(r => r.Definition.Id));
        }
    }

    /// <summary>The innovation catalogue (not part of the standard hierarchy) over the idea store: every value, previous value and figure but data completeness's (see above).</summary>
    private async Task<string> EvaluateInnovationAsync(DateInterval period)
    {
        var sp = _services;
        var source = new CrmKernel.Metrics.Innovation.InnovationMetricSource(sp.GetRequiredService<IIdeaStore>(), sp.GetRequiredService<ICustomerStore>(), sp.GetRequiredService<ITouchpointStore>());
        var evaluator = new MetricEvaluator(sp.GetRequiredService<ICustomerStore>(), sp.GetRequiredService<ITouchpointStore>(), Rates, sources: [source]);
        var hierarchy = CrmKernel.Metrics.Hierarchy.MetricHierarchy.Create(CrmKernel.Metrics.Innovation.InnovationMetrics.All, [], []);
        var evaluation = await evaluator.EvaluateAsync(Tenant, hierarchy, new MetricEvaluationRequest(period, DateTimeZone.Utc, Currency.GBP));
        Assert.Contains(evaluation.Results, r => r.Definition.Id.Value == "ideas-received" && r.Value.Value > 0m);
        return string.Join('\n', evaluation.Results.Select(r => $"{r.Definition.Id.Value}={r.Value.Value}/{r.Previous?.Value}"))
            + '\n' + string.Join('\n', evaluation.Figures.Values.Where(v => v.Key != StandardFigures.PopulatedValues).OrderBy(v => v.Key.ToString(), StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value}"));
    }

    private async Task<MetricEvaluation> EvaluateAsync(DateInterval period)
    {
        var sp = _services;
        var evaluator = new MetricEvaluator(
            sp.GetRequiredService<ICustomerStore>(),
            sp.GetRequiredService<ITouchpointStore>(),
            Rates,
            sources: [new CaseMetricSource(sp.GetRequiredService<ICaseStore>()), new OpportunityMetricSource(sp.GetRequiredService<IOpportunityStore>(), sp.GetRequiredService<ISalesPipelineStore>())]);
        return await evaluator.EvaluateAsync(Tenant, StandardMetrics.CreateHierarchy(), new MetricEvaluationRequest(period, DateTimeZone.Utc, Currency.GBP));
    }

    private async Task SeedHistoryAsync(List<CustomerId> customers)
    {
        var ingestion = _services.GetRequiredService<TouchpointIngestion>();
        var pipeline = SalesPipeline.Define(Tenant, SalesPipelineId.New(), "Deals",
        [
            new SalesStage("qualify", "Qualify", 0.2m, ForecastCategory.Pipeline),
            new SalesStage("propose", "Propose", 0.6m, ForecastCategory.BestCase),
        ]);
        await _services.GetRequiredService<ISalesPipelineStore>().CommitAsync(pipeline, 0, default);
        var key = 0;
        for (var i = 0; i < customers.Count; i++)
        {
            var id = customers[i];
            foreach (var (month, day) in new[] { (12, 3 + i), (1, 5 + i), (1, 20), (2, 2 + i) }.Take(2 + (i % 3)))
            {
                var at = Instant.FromUtc(month == 12 ? 2025 : 2026, month, day, 10, 0);
                await ingestion.RecordAsync(Tenant, Touch(id, at, CrmFunction.Sales, TouchpointKind.Purchase, "web", ++key, revenue: new Money(20m + (7 * i), i % 4 == 0 ? Currency.EUR : Currency.GBP)));
            }

            await ingestion.RecordAsync(Tenant, Touch(id, Instant.FromUtc(2026, 1, 2, 9, 0), CrmFunction.Marketing, TouchpointKind.CampaignContact, "email", ++key, InteractionDirection.Outbound, cost: new Money(1.5m, Currency.GBP)));
            if (i % 2 == 0)
            {
                await ingestion.RecordAsync(Tenant, Touch(id, Instant.FromUtc(2026, 1, 11, 9, 0), CrmFunction.Service, i % 4 == 0 ? TouchpointKind.Complaint : TouchpointKind.Enquiry, "phone", ++key, outcome: TouchpointOutcome.Resolved, satisfaction: new CsatScore(1 + (i % 5))));
                await ingestion.RecordAsync(Tenant, Touch(id, Instant.FromUtc(2026, 2, 12, 9, 0), CrmFunction.Innovation, TouchpointKind.Feedback, "web", ++key, satisfaction: new NpsScore(i % 11)));

                _clock.Reset(Instant.FromUtc(2026, 1, 11, 9, 0));
                var serviceCase = ServiceCase.Open(Tenant, CaseId.New(), id, $"c{i} case about my order", i % 4 == 0 ? "complaint" : "billing", CasePriority.Normal, null, i % 4 == 0, null, _clock.GetCurrentInstant(), "agent-1");
                serviceCase.Start(_clock.GetCurrentInstant(), "agent-1", "started");
                serviceCase.RecordResponse(_clock.GetCurrentInstant());
                _clock.Advance(Duration.FromHours(5 + i));
                serviceCase.Resolve(_clock.GetCurrentInstant(), "agent-1", $"c{i} note", new CsatScore(2 + (i % 4)));
                await CommitAsync(serviceCase);
            }

            _clock.Reset(Instant.FromUtc(2026, 1, 3 + i, 9, 0));
            var deal = Opportunity.Open(OpportunityId.New(), id, pipeline, $"c{i} deal", "rep-1", Currency.GBP, new LocalDate(2026, 1, 28), _clock.GetCurrentInstant(), "rep-1");
            deal.AddLineItem("widget", 1 + i, new Money(100m, Currency.GBP), 0m, _clock.GetCurrentInstant());
            deal.MoveToStage(pipeline, "propose", _clock.GetCurrentInstant(), "rep-1", $"c{i} liked the demo");
            _clock.Advance(Duration.FromDays(10));
            _ = i % 3 == 0 ? deal.CloseLost(_clock.GetCurrentInstant(), "rep-1", "price") : deal.CloseWon(_clock.GetCurrentInstant(), "rep-1", "signed");
            await _services.GetRequiredService<IOpportunityStore>().CommitAsync(OpportunityCommit.Create(deal), default);
        }
    }

    /// <summary>Ideas (with the company's triage and others' comments) and feedback in January and February, by every other customer.</summary>
    private async Task SeedInnovationAsync(List<CustomerId> customers)
    {
        var innovation = _services.GetRequiredService<CrmKernel.Services.Innovation.InnovationService>();
        for (var i = 0; i < customers.Count; i++)
        {
            _clock.Reset(Instant.FromUtc(2026, 1 + (i % 2), 4 + i, 9, 0));
            var voice = await innovation.IngestAsync(Tenant, new CrmKernel.Innovation.NewCustomerVoice
            {
                CustomerId = customers[i],
                Kind = i % 3 == 2 ? CrmKernel.Innovation.VoiceKind.Feedback : CrmKernel.Innovation.VoiceKind.Idea,
                Subject = CrmKernel.Innovation.SubjectArea.Product,
                Channel = new ChannelId("web"),
                OccurredAt = _clock.GetCurrentInstant(),
                Source = new ExternalIdentifier("portal", $"v-{i}"),
                Title = $"c{i} asks for a feature",
                Text = $"c{i} explains why",
            });
            if (voice.Kind == CrmKernel.Innovation.VoiceKind.Idea)
            {
                await innovation.CommentAsync(Tenant, voice.Idea!.Value, customers[(i + 1) % customers.Count], $"c{(i + 1) % customers.Count} agrees");
                await innovation.MoveAsync(Tenant, voice.Idea.Value, CrmKernel.Innovation.IdeaStatus.UnderReview, "triage");
            }
        }
    }

    private static NewTouchpoint Touch(CustomerId id, Instant at, CrmFunction function, TouchpointKind kind, string channel, int key, InteractionDirection direction = InteractionDirection.Inbound, Money? revenue = null, Money? cost = null, TouchpointOutcome? outcome = null, SatisfactionScore? satisfaction = null) => new()
    {
        CustomerId = id,
        Channel = new ChannelId(channel),
        Direction = direction,
        Function = function,
        Kind = kind,
        OccurredAt = at,
        Source = new ExternalIdentifier("test", $"t-{key}"),
        Revenue = revenue,
        Cost = cost,
        Outcome = outcome,
        Satisfaction = satisfaction,
    };

    private async Task<CustomerId> PersonAsync(string marker, bool complete = true)
    {
        var customer = Customer.Register(Tenant, new PersonProfile($"{marker}given", $"{marker}family"), _clock);
        customer.AddContactPoint(EmailAddress.Parse($"{marker}@mail.example"));
        if (complete)
        {
            customer.ChangeHomeTimeZone(DateTimeZoneProviders.Tzdb["Europe/London"]);
            customer.AddExternalIdentifier(new ExternalIdentifier("shop", $"{marker}-key"));
        }

        await _services.GetRequiredService<CustomerRepository>().SaveAsync(customer);
        return customer.Id;
    }

    private async Task CommitAsync(ServiceCase serviceCase)
    {
        var commit = CaseCommit.Create(serviceCase);
        await _services.GetRequiredService<ICaseStore>().CommitAsync(commit, default);
        serviceCase.MarkCommitted(commit.Writes[0].NewVersion);
    }

    private async Task<string> ExportAsync(CustomerId id)
    {
        using var buffer = new MemoryStream();
        await _services.GetRequiredService<PersonalDataExporter>().ExportAsync(Tenant, id, buffer);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Strip(string export) => System.Text.RegularExpressions.Regex.Replace(export, "\"exportedAt\": \"[^\"]*\"", string.Empty);

    private sealed class DelegatingHold(ErasureServiceTests owner) : ILawfulHoldCheck
    {
        public async ValueTask<LawfulHold?> FindHoldAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken)
        {
            foreach (var hold in owner._holds)
            {
                if (await hold.FindHoldAsync(tenantId, customerId, cancellationToken) is { } found)
                {
                    return found;
                }
            }

            return null;
        }
    }

    private sealed class FixedHold(CustomerId customer, LawfulHold hold) : ILawfulHoldCheck
    {
        public ValueTask<LawfulHold?> FindHoldAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken)
            => ValueTask.FromResult(customerId == customer ? hold : null);
    }

    private sealed class RecordingParticipant : IErasureParticipant
    {
        public List<ErasureRecord> Calls { get; } = [];

        public bool FailNext { get; set; }

        public ValueTask EraseAsync(ErasureRecord record, CancellationToken cancellationToken)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new InvalidOperationException("The participant failed.");
            }

            Calls.Add(record);
            return ValueTask.CompletedTask;
        }
    }
}

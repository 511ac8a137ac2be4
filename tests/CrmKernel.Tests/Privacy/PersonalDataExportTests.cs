using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CrmKernel.Cases;
using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Relationships;
using CrmKernel.Sales;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Privacy;
using CrmKernel.Services.Relationships;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace CrmKernel.Tests.Privacy;

/// <summary>
/// The personal data export: its property paths are exactly the documented schema (docs/privacy.md), it holds every
/// value of the customer, it is written page by page for a long history, and it refuses bad input.
/// </summary>
public sealed partial class PersonalDataExportTests : IDisposable
{
    private static readonly TenantId Tenant = new("export");
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 3, 1, 8, 0), Duration.FromSeconds(1));
    private readonly ServiceProvider _services;

    public PersonalDataExportTests()
    {
        var services = new ServiceCollection();
        services.AddCrmKernel(b => b.UseInMemoryStores().UseClock(_clock));
        _services = services.BuildServiceProvider();
    }

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task PropertyPaths_AreExactlyTheDocumentedSchema()
    {
        var person = await RichCustomerAsync(new PersonProfile("Ada", "Lovelace", "Ada", "Countess", new LocalDate(1815, 12, 10), "en-GB", "Analyst"));
        var organisation = await RichCustomerAsync(new OrganizationProfile("Analytical Engines Ltd", "AEL", "123", "GB1", "computing", new Uri("https://ael.example"), 12));
        await _services.GetRequiredService<ErasureService>().EraseAsync(Tenant, organisation, "dpo");

        var paths = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var id in new[] { person, organisation })
        {
            using var document = JsonDocument.Parse(await ExportAsync(id));
            Collect(document.RootElement, string.Empty, paths);
        }

        var documented = DocumentedPaths();
        Assert.Equal(documented, paths);
    }

    [Fact]
    public async Task Export_HoldsEveryValueOfTheCustomer()
    {
        var id = await RichCustomerAsync(new PersonProfile("Grace", "Hopper", null, "Rear Admiral", new LocalDate(1906, 12, 9), "en-US", "Programmer"));
        var customer = (await _services.GetRequiredService<ICustomerStore>().FindAsync(Tenant, id, default))!;

        using var document = JsonDocument.Parse(await ExportAsync(id));
        var root = document.RootElement;
        Assert.Equal(PersonalDataExporter.Schema, root.GetProperty("schema").GetString());
        Assert.Equal(PersonalDataExporter.SchemaVersion, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(Tenant.Value, root.GetProperty("tenant").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("erasure").ValueKind);
        var c = root.GetProperty("customer");
        Assert.Equal(id.ToString(), c.GetProperty("id").GetString());
        Assert.Equal("Grace", c.GetProperty("profile").GetProperty("givenName").GetString());
        Assert.Equal("1906-12-09", c.GetProperty("profile").GetProperty("birthDate").GetString());
        Assert.Equal(customer.ContactPoints.Select(p => p.Value.NormalizedValue), c.GetProperty("contactPoints").EnumerateArray().Select(p => p.GetProperty("value").GetString()));
        Assert.Equal(customer.ExternalIdentifiers.Select(i => i.Key), c.GetProperty("externalIdentifiers").EnumerateArray().Select(p => p.GetProperty("key").GetString()));
        Assert.Equal(customer.Tags.Select(t => t.Value).Order(StringComparer.Ordinal), c.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("Europe/Paris", c.GetProperty("homeTimeZone").GetString());
        Assert.Equal("evidence: signed form 17", c.GetProperty("consents")[0].GetProperty("evidence").GetString());
        Assert.Equal(3, root.GetProperty("touchpoints").GetArrayLength()); // two purchases and the touchpoint the idea came through
        Assert.Equal("99.90 GBP", root.GetProperty("touchpoints")[0].GetProperty("revenue").GetString());
        Assert.Equal("Printer on fire", root.GetProperty("cases")[0].GetProperty("subject").GetString());
        Assert.Equal("Mainframe", root.GetProperty("opportunities")[0].GetProperty("name").GetString());
        Assert.Equal("employee", root.GetProperty("relationships")[0].GetProperty("role").GetString());
        Assert.Equal(("Dark mode", "I work at night"), (root.GetProperty("ideas")[0].GetProperty("title").GetString(), root.GetProperty("voices")[0].GetProperty("text").GetString()));
        Assert.Equal("Please hurry", root.GetProperty("ideaComments")[0].GetProperty("text").GetString());
        Assert.Equal("For", root.GetProperty("ideaVotes")[0].GetProperty("value").GetString());
        var merge = root.GetProperty("merges")[0];
        Assert.Equal(id.ToString(), merge.GetProperty("survivor").GetString());
        Assert.Equal("Grace", merge.GetProperty("mergedBefore").GetProperty("profile").GetProperty("givenName").GetString());
        Assert.Equal(JsonValueKind.Null, merge.GetProperty("unmergedAt").ValueKind);
    }

    [Fact]
    public async Task OtherPeoplesIdeasCommentsVotesAndFeedback_AreNotInTheExport()
    {
        var id = await RichCustomerAsync(new PersonProfile("Ida", "Own"));
        var otherId = await RichCustomerAsync(new PersonProfile("Oscar", "Else"));
        using var document = JsonDocument.Parse(await ExportAsync(id));
        var text = document.RootElement.ToString();
        Assert.Single(document.RootElement.GetProperty("ideas").EnumerateArray());
        Assert.Single(document.RootElement.GetProperty("ideaComments").EnumerateArray());
        Assert.Single(document.RootElement.GetProperty("ideaVotes").EnumerateArray());
        Assert.Single(document.RootElement.GetProperty("voices").EnumerateArray());
        Assert.Single(document.RootElement.GetProperty("merges").EnumerateArray());
        Assert.DoesNotContain("Oscar", text, StringComparison.Ordinal);
        Assert.DoesNotContain($"idea-{otherId}", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManyTouchpoints_AreWrittenPageByPage_InTimelineOrder()
    {
        var customer = Customer.Register(Tenant, new PersonProfile("Many", "Touches"), _clock);
        await _services.GetRequiredService<CustomerRepository>().SaveAsync(customer);
        var store = _services.GetRequiredService<ITouchpointStore>();
        const int Count = 2_345;
        for (var batch = 0; batch < Count; batch += 500)
        {
            var page = Enumerable.Range(batch, Math.Min(500, Count - batch)).Select(i => Touchpoint.Create(Tenant, TouchpointId.New(), _clock.GetCurrentInstant(), Touch(customer.Id, Instant.FromUtc(2025, 1, 1, 0, 0) + Duration.FromMinutes(i), i))).ToArray();
            await store.AppendAsync(Tenant, page, default);
        }

        var stream = new CountingStream();
        await _services.GetRequiredService<PersonalDataExporter>().ExportAsync(Tenant, customer.Id, stream);

        Assert.True(stream.Flushes >= Count / 500, $"{stream.Flushes} flushes");
        using var document = JsonDocument.Parse(stream.ToArray());
        var occurred = document.RootElement.GetProperty("touchpoints").EnumerateArray().Select(t => t.GetProperty("occurredAt").GetString()).ToArray();
        Assert.Equal(Count, occurred.Length);
        Assert.Equal(occurred.Order(StringComparer.Ordinal), occurred);
    }

    [Fact]
    public async Task BadInput_IsRefused()
    {
        var exporter = _services.GetRequiredService<PersonalDataExporter>();
        var id = await RichCustomerAsync(new PersonProfile("Bad", "Input"));
        await Assert.ThrowsAsync<ArgumentException>(async () => await exporter.ExportAsync(default, id, new MemoryStream()));
        await Assert.ThrowsAsync<ArgumentException>(async () => await exporter.ExportAsync(Tenant, default, new MemoryStream()));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await exporter.ExportAsync(Tenant, id, null!));
        await Assert.ThrowsAsync<ArgumentException>(async () => await exporter.ExportAsync(Tenant, id, new MemoryStream([], writable: false)));
        var missing = new MemoryStream();
        await Assert.ThrowsAsync<CustomerNotFoundException>(async () => await exporter.ExportAsync(Tenant, CustomerId.New(), missing));
        Assert.Equal(0, missing.Length);
    }

    private static void Collect(JsonElement element, string path, SortedSet<string> paths)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var child = path.Length == 0 ? property.Name : $"{path}.{property.Name}";

                    // A merge record's before-merge snapshots are customer records: documented once, as `customer`.
                    foreach (var nested in (string[])["merges[].survivorBefore.", "merges[].mergedBefore."])
                    {
                        child = child.StartsWith(nested, StringComparison.Ordinal) ? "customer." + child[nested.Length..] : child;
                    }

                    paths.Add(child);
                    Collect(property.Value, child, paths);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, path + "[]", paths);
                }

                break;
        }
    }

    private static SortedSet<string> DocumentedPaths()
    {
        var page = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "privacy.md"));
        var start = page.IndexOf("<!-- export-schema:start -->", StringComparison.Ordinal);
        var end = page.IndexOf("<!-- export-schema:end -->", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "docs/privacy.md has no export schema table");
        return new SortedSet<string>(SchemaRow().Matches(page[start..end]).Select(m => m.Groups[1].Value), StringComparer.Ordinal);
    }

    [GeneratedRegex(@"^\| `([^`]+)` \|", RegexOptions.Multiline)]
    private static partial Regex SchemaRow();

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CrmKernel.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No CrmKernel.sln above {AppContext.BaseDirectory}.");
    }

    private async Task<string> ExportAsync(CustomerId id)
    {
        using var buffer = new MemoryStream();
        await _services.GetRequiredService<PersonalDataExporter>().ExportAsync(Tenant, id, buffer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>A customer with every optional value: contact points, identifiers, tags, attributes, consent, lifecycle, touchpoints, a resolved escalated case, a deal with a contact role, a relationship.</summary>
    private async Task<CustomerId> RichCustomerAsync(PartyProfile profile)
    {
        var customer = Customer.Register(Tenant, profile, _clock);
        customer.AddContactPoint(EmailAddress.Parse($"c{Guid.NewGuid():N}@mail.example"), "work");
        customer.AddExternalIdentifier(new ExternalIdentifier("shop", Guid.NewGuid().ToString("N")));
        customer.Tag(new CustomerTag("vip"));
        customer.SetCustomAttribute("tier", CustomAttributeValue.FromNumber(3m));
        customer.ChangeHomeTimeZone(DateTimeZoneProviders.Tzdb["Europe/Paris"]);
        customer.RecordConsent(new ConsentEntry(ConsentPurpose.Marketing, new ChannelId("email"), customer.ContactPoints[0].Value, ConsentStatus.Granted, LawfulBasis.Consent, "web-form", _clock.GetCurrentInstant(), "evidence: signed form 17", validUntil: _clock.GetCurrentInstant() + Duration.FromDays(365)));
        var first = Touchpoint.Create(Tenant, TouchpointId.New(), _clock.GetCurrentInstant(), Touch(customer.Id, Instant.FromUtc(2026, 1, 5, 9, 0), 1));
        Assert.NotEmpty(customer.ApplyTouchpoint(global::CrmKernel.Lifecycle.DefaultLifecycleModel.Create(), first));
        await _services.GetRequiredService<CustomerRepository>().SaveAsync(customer);

        var other = Customer.Register(Tenant, new PersonProfile("Other", "Party"), _clock);
        await _services.GetRequiredService<CustomerRepository>().SaveAsync(other);
        await _services.GetRequiredService<RelationshipGraph>().EstablishAsync(Tenant, RelationshipType.Employment, other.Id, customer.Id, _clock.GetCurrentInstant());

        await _services.GetRequiredService<ITouchpointStore>().AppendAsync(Tenant, [first, Touchpoint.Create(Tenant, TouchpointId.New(), _clock.GetCurrentInstant(), Touch(customer.Id, Instant.FromUtc(2026, 1, 6, 9, 0), 2))], default);

        var serviceCase = ServiceCase.Open(Tenant, CaseId.New(), customer.Id, "Printer on fire", "hardware", CasePriority.High, first.Id, true, null, _clock.GetCurrentInstant(), "agent-1");
        serviceCase.Assign("agent-1", _clock.GetCurrentInstant());
        serviceCase.Start(_clock.GetCurrentInstant(), "agent-1", "looking");
        serviceCase.Escalate(_clock.GetCurrentInstant(), "agent-1", "smoke");
        serviceCase.Resolve(_clock.GetCurrentInstant(), "agent-1", "extinguished", new CsatScore(4));
        await _services.GetRequiredService<ICaseStore>().CommitAsync(CaseCommit.Create(serviceCase), default);

        var pipeline = SalesPipeline.Define(Tenant, SalesPipelineId.New(), "Deals", [new SalesStage("qualify", "Qualify", 0.2m, ForecastCategory.Pipeline)]);
        await _services.GetRequiredService<ISalesPipelineStore>().CommitAsync(pipeline, 0, default);
        var deal = Opportunity.Open(OpportunityId.New(), customer.Id, pipeline, "Mainframe", "rep-1", Currency.GBP, new LocalDate(2026, 5, 1), _clock.GetCurrentInstant(), "rep-1");
        deal.AddContactRole(new OpportunityContactRole(other.Id, "sponsor"), _clock.GetCurrentInstant());
        await _services.GetRequiredService<IOpportunityStore>().CommitAsync(OpportunityCommit.Create(deal), default);

        // Innovation: an idea the customer submitted (through a feedback record), their comment and vote on it.
        var innovation = _services.GetRequiredService<CrmKernel.Services.Innovation.InnovationService>();
        var voice = await innovation.IngestAsync(Tenant, new CrmKernel.Innovation.NewCustomerVoice
        {
            CustomerId = customer.Id,
            Kind = CrmKernel.Innovation.VoiceKind.Idea,
            Subject = CrmKernel.Innovation.SubjectArea.Product,
            Channel = new ChannelId("web"),
            OccurredAt = _clock.GetCurrentInstant(),
            Source = new ExternalIdentifier("portal", $"idea-{customer.Id}"),
            Title = "Dark mode",
            Text = "I work at night",
            RelatedParties = [other.Id],
        });
        await innovation.CommentAsync(Tenant, voice.Idea!.Value, customer.Id, "Please hurry");
        await innovation.VoteAsync(Tenant, voice.Idea.Value, customer.Id, CrmKernel.Innovation.IdeaVoteValue.For);

        // A second record of the same customer, merged into it.
        var duplicate = Customer.Register(Tenant, profile, _clock);
        duplicate.AddContactPoint(EmailAddress.Parse($"d{Guid.NewGuid():N}@mail.example"));
        await _services.GetRequiredService<CustomerRepository>().SaveAsync(duplicate);
        await _services.GetRequiredService<CrmKernel.Services.Identity.CustomerMergeService>().MergeAsync(Tenant, customer.Id, duplicate.Id);
        return customer.Id;
    }

    private static NewTouchpoint Touch(CustomerId id, Instant at, int key) => new()
    {
        CustomerId = id,
        Channel = new ChannelId("web"),
        Direction = InteractionDirection.Inbound,
        Function = CrmFunction.Sales,
        Kind = TouchpointKind.Purchase,
        OccurredAt = at,
        Source = new ExternalIdentifier("shop", $"order-{id}-{key}"),
        Participants = [TouchpointParticipant.Staff("agent-1", "agent")],
        Outcome = TouchpointOutcome.Completed,
        Satisfaction = new CsatScore(5),
        Sentiment = new Sentiment(0.5m),
        Cost = new Money(1m, Currency.GBP),
        Revenue = new Money(99.90m, Currency.GBP),
        ProductIds = ["sku-1"],
        CampaignId = "spring",
    };

    private sealed class CountingStream : MemoryStream
    {
        public int Flushes { get; private set; }

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            Flushes++;
            return base.FlushAsync(cancellationToken);
        }
    }
}

using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Identity;
using CrmKernel.Primitives;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Identity;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using CrmKernel.Touchpoints;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace CrmKernel.Tests.Identity;

/// <summary>Survivorship rules field by field, the merge's refusals, and its events' JSON form.</summary>
public sealed class CustomerMergeTests
{
    private static readonly TenantId Tenant = new("merge-tests");
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 3, 1, 9, 0), Duration.FromSeconds(1));

    private CustomerSnapshot Person(PersonProfile profile, Action<Customer>? change = null)
    {
        var customer = Customer.Register(Tenant, profile, _clock);
        change?.Invoke(customer);
        return customer.ToSnapshot(1);
    }

    private CustomerSnapshot Merge(CustomerSnapshot survivor, CustomerSnapshot merged, SurvivorshipPolicy? policy = null)
        => CustomerMerger.Merge(survivor, merged, policy ?? SurvivorshipPolicy.Default, CustomerMergeId.New(), _clock.GetCurrentInstant());

    private static SurvivorshipPolicy Rule(SurvivorshipField field, SurvivorshipRule rule, IReadOnlyList<string>? sources = null, Func<SurvivorshipField, CustomerSnapshot, CustomerSnapshot, MergeSide>? custom = null)
        => new(new Dictionary<SurvivorshipField, SurvivorshipRule> { [field] = rule }, sources, custom);

    [Fact]
    public void NonEmpty_KeepsTheSurvivorsValues_AndFillsTheEmptyOnesFromTheMerged()
    {
        var survivor = Person(new PersonProfile("Ada", "Lovelace"), c => c.SetCustomAttribute("tier", CustomAttributeValue.FromText("gold")));
        var merged = Person(new PersonProfile("Augusta", "King", honorific: "Countess", birthDate: new LocalDate(1815, 12, 10), preferredLanguage: "en-GB"), c =>
        {
            c.SetCustomAttribute("tier", CustomAttributeValue.FromText("silver"));
            c.SetCustomAttribute("city", CustomAttributeValue.FromText("London"));
            c.ChangeHomeTimeZone(DateTimeZoneProviders.Tzdb["Europe/London"]);
        });

        var result = Merge(survivor, merged);

        var profile = (PersonProfile)result.Profile;
        Assert.Equal(("Ada", "Lovelace"), (profile.GivenName, profile.FamilyName));
        Assert.Equal("Countess", profile.Honorific);
        Assert.Equal(new LocalDate(1815, 12, 10), profile.BirthDate);
        Assert.Equal("en-GB", profile.PreferredLanguage);
        Assert.Equal("gold", result.CustomAttributes["tier"].ToInvariantString());
        Assert.Equal("London", result.CustomAttributes["city"].ToInvariantString());
        Assert.Equal("Europe/London", result.HomeTimeZoneId);
        Assert.Equal(survivor.Id, result.Id);
        Assert.Equal(2, result.Version);
    }

    [Fact]
    public void MostRecent_TakesTheLaterChangedCustomersValue()
    {
        var survivor = Person(new PersonProfile("Ada", "Lovelace"));
        _clock.Advance(Duration.FromDays(1));
        var merged = Person(new PersonProfile("Augusta", "King"));

        Assert.Equal("Augusta", ((PersonProfile)Merge(survivor, merged, Rule(SurvivorshipField.Names, SurvivorshipRule.MostRecent)).Profile).GivenName);
        Assert.Equal("Augusta", ((PersonProfile)Merge(merged, survivor, Rule(SurvivorshipField.Names, SurvivorshipRule.MostRecent)).Profile).GivenName);
        Assert.Equal("Ada", ((PersonProfile)Merge(survivor, merged).Profile).GivenName);
    }

    [Fact]
    public void MostTrustedSource_TakesTheValueOfTheCustomerWithTheBestRankedIdentifier()
    {
        var survivor = Person(new PersonProfile("Ada", "Lovelace"), c => c.AddExternalIdentifier(new ExternalIdentifier("shop", "1")));
        var merged = Person(new PersonProfile("Augusta", "King", jobTitle: "Analyst"), c => c.AddExternalIdentifier(new ExternalIdentifier("erp", "9")));
        var policy = new SurvivorshipPolicy(
            new Dictionary<SurvivorshipField, SurvivorshipRule> { [SurvivorshipField.Names] = SurvivorshipRule.MostTrustedSource, [SurvivorshipField.Titles] = SurvivorshipRule.MostTrustedSource },
            ["ERP", "shop"]);

        var result = (PersonProfile)Merge(survivor, merged, policy).Profile;
        var reversed = (PersonProfile)Merge(merged, survivor, policy).Profile;

        Assert.Equal("Augusta", result.GivenName);
        Assert.Equal("Augusta", reversed.GivenName);
        Assert.Equal("Analyst", reversed.JobTitle);
        Assert.Equal("Ada", ((PersonProfile)Merge(survivor, merged, Rule(SurvivorshipField.Names, SurvivorshipRule.MostTrustedSource, ["crm"])).Profile).GivenName);
    }

    [Fact]
    public void MostRecent_FallsBackToTheOtherValueWhenThePreferredOneIsEmpty()
    {
        var survivor = Person(new PersonProfile("Ada", "Lovelace", birthDate: new LocalDate(1815, 12, 10)));
        _clock.Advance(Duration.FromDays(1));
        var merged = Person(new PersonProfile("Augusta", "King"));

        Assert.Equal(new LocalDate(1815, 12, 10), ((PersonProfile)Merge(survivor, merged, Rule(SurvivorshipField.BirthDate, SurvivorshipRule.MostRecent)).Profile).BirthDate);
    }

    [Fact]
    public void Custom_TakesTheChosenSide_EvenWhenEmpty()
    {
        var survivor = Person(new PersonProfile("Ada", "Lovelace", birthDate: new LocalDate(1815, 12, 10)), c => c.SetCustomAttribute("tier", CustomAttributeValue.FromText("gold")));
        var merged = Person(new PersonProfile("Augusta", "King"));
        var seen = new List<SurvivorshipField>();
        var policy = new SurvivorshipPolicy(
            new Dictionary<SurvivorshipField, SurvivorshipRule> { [SurvivorshipField.BirthDate] = SurvivorshipRule.Custom, [SurvivorshipField.CustomAttributes] = SurvivorshipRule.Custom },
            custom: (field, s, m) =>
            {
                seen.Add(field);
                Assert.Equal(survivor.Id, s.Id);
                Assert.Equal(merged.Id, m.Id);
                return MergeSide.Merged;
            });

        var result = Merge(survivor, merged, policy);

        Assert.Null(((PersonProfile)result.Profile).BirthDate);
        Assert.Empty(result.CustomAttributes);
        Assert.Equal([SurvivorshipField.CustomAttributes, SurvivorshipField.BirthDate], seen);
    }

    [Fact]
    public void Organisations_MergeNamesRegistrationAndFirmographicsAsGroups()
    {
        var survivor = Customer.Register(Tenant, new OrganizationProfile("Acme Ltd", registrationNumber: "123"), _clock).ToSnapshot(1);
        var merged = Customer.Register(Tenant, new OrganizationProfile("ACME Limited", "Acme", "999", "GB1", "Tools", new Uri("https://acme.example"), 50), _clock).ToSnapshot(1);

        var result = (OrganizationProfile)Merge(survivor, merged).Profile;

        Assert.Equal(("Acme Ltd", null), (result.LegalName, result.TradingName));
        Assert.Equal(("123", null), (result.RegistrationNumber, result.TaxId));
        Assert.Equal(("Tools", 50), (result.Industry, result.EmployeeCount));
    }

    [Fact]
    public void ContactPointsIdentifiersAndTags_AreTheUnion_AndOnlyOnePrimaryPerKind()
    {
        var shared = EmailAddress.Parse("ada@example.com");
        var survivor = Person(new PersonProfile("Ada", "Lovelace"), c =>
        {
            c.AddContactPoint(shared);
            c.AddExternalIdentifier(new ExternalIdentifier("crm", "1"));
            c.Tag(new CustomerTag("a"));
        });
        var merged = Person(new PersonProfile("Ada", "King"), c =>
        {
            c.AddContactPoint(EmailAddress.Parse("augusta@example.com"), makePrimary: true);
            c.AddContactPoint(shared);
            c.AddContactPoint(PhoneNumber.Parse("+442071234567"));
            c.AddExternalIdentifier(new ExternalIdentifier("shop", "2"));
            c.Tag(new CustomerTag("a"));
            c.Tag(new CustomerTag("b"));
        });

        var result = Merge(survivor, merged);

        Assert.Equal(["ada@example.com", "augusta@example.com", "+442071234567"], result.ContactPoints.Select(p => p.Value.NormalizedValue));
        Assert.Equal(1, result.ContactPoints.Count(p => p.IsPrimary && p.Kind == ContactPointKind.Email));
        Assert.True(result.ContactPoints[2].IsPrimary);
        Assert.Equal(["crm:1", "shop:2"], result.ExternalIdentifiers.Select(i => i.ToString()));
        Assert.Equal([new CustomerTag("a"), new CustomerTag("b")], result.Tags.Order());
        _ = Customer.Rehydrate(result, _clock);
    }

    [Fact]
    public void Consent_ARefusalOnEitherSideWins_AndDisagreementRecordsAMergeRefusal()
    {
        var email = EmailAddress.Parse("ada@example.com");
        var survivor = Person(new PersonProfile("Ada", "Lovelace"), c =>
        {
            c.AddContactPoint(email);
            c.GrantConsent(ConsentPurpose.Marketing, null, null, "web");
            c.GrantConsent(ConsentPurpose.Service, null, null, "web");
        });
        var merged = Person(new PersonProfile("Ada", "King"), c =>
        {
            c.AddContactPoint(email);
            c.GrantConsent(ConsentPurpose.Marketing, null, null, "shop");
            c.WithdrawConsent(ConsentPurpose.Marketing, null, null, "shop");
        });
        var result = Merge(survivor, merged);
        var customer = Customer.Rehydrate(result, _clock);
        var at = result.UpdatedAt;

        Assert.Equal(ContactAnswer.Refused, customer.MayContact(ConsentPurpose.Marketing, new ChannelId("email"), email, at).Answer);
        Assert.Equal(ContactAnswer.Refused, customer.MayContact(ConsentPurpose.Service, new ChannelId("email"), email, at).Answer);
        Assert.Contains(result.Consents, e => e.Source == CustomerMerger.ConsentSource && e.Purpose == ConsentPurpose.Service && e.Status == ConsentStatus.Declined);
        Assert.Equal(survivor.Consents.Concat(merged.Consents), result.Consents.Take(4));
    }

    [Fact]
    public void Consent_AgreeingGrantsStayGranted()
    {
        var survivor = Person(new PersonProfile("Ada", "Lovelace"), c => c.GrantConsent(ConsentPurpose.Marketing, null, null, "web"));
        var merged = Person(new PersonProfile("Ada", "King"), c => c.GrantConsent(ConsentPurpose.Marketing, null, null, "shop"));

        var result = Merge(survivor, merged);

        Assert.Equal(2, result.Consents.Count);
        Assert.Equal(ContactAnswer.Allowed, Customer.Rehydrate(result, _clock).MayContact(ConsentPurpose.Marketing, new ChannelId("sms"), PhoneNumber.Parse("+442071234567"), _clock.GetCurrentInstant()).Answer);
    }

    [Fact]
    public void Merger_RefusesTheSameCustomer_APersonWithAnOrganisation_AndTwoTenants()
    {
        var person = Person(new PersonProfile("Ada", "Lovelace"));
        var organisation = Customer.Register(Tenant, new OrganizationProfile("Acme"), _clock).ToSnapshot(1);
        var elsewhere = Customer.Register(new TenantId("other"), new PersonProfile("Ada", "Lovelace"), _clock).ToSnapshot(1);

        Assert.Equal(CrmErrorCodes.MergeWithItself, Assert.Throws<CustomerMergeException>(() => Merge(person, person)).ErrorCode);
        Assert.Equal(CrmErrorCodes.MergePartyKindMismatch, Assert.Throws<CustomerMergeException>(() => Merge(person, organisation)).ErrorCode);
        Assert.Throws<ArgumentException>(() => Merge(person, elsewhere));
    }

    [Fact]
    public void Policy_RejectsACustomRuleWithoutChooser_UndefinedValues_AndTooManySources()
    {
        Assert.Throws<ArgumentException>(() => Rule(SurvivorshipField.Names, SurvivorshipRule.Custom));
        Assert.ThrowsAny<ArgumentException>(() => Rule((SurvivorshipField)99, SurvivorshipRule.NonEmpty));
        Assert.ThrowsAny<ArgumentException>(() => Rule(SurvivorshipField.Names, (SurvivorshipRule)99));
        var e = Assert.Throws<InputLimitExceededException>(() => Rule(SurvivorshipField.Names, SurvivorshipRule.MostTrustedSource, [.. Enumerable.Range(0, SurvivorshipPolicy.MaxTrustedSources + 1).Select(i => $"s{i}")]));
        Assert.Equal(CrmErrorCodes.InputLimitExceeded, e.ErrorCode);
        Assert.Equal(SurvivorshipPolicy.MaxTrustedSources, Rule(SurvivorshipField.Names, SurvivorshipRule.MostTrustedSource, [.. Enumerable.Range(0, SurvivorshipPolicy.MaxTrustedSources).Select(i => $"s{i}")]).TrustedSources.Count);
    }

    private (CustomerMergeService Service, InMemoryCustomerMergeStore Store, CustomerRepository Repository, InMemoryCrmOutbox Outbox) Service()
    {
        var outbox = new InMemoryCrmOutbox();
        var customers = new InMemoryCustomerStore(outbox);
        var store = new InMemoryCustomerMergeStore(customers, new InMemoryTouchpointStore(), new InMemoryRelationshipStore());
        return (new CustomerMergeService(store, _clock), store, new CustomerRepository(customers, _clock, null, outbox), outbox);
    }

    [Fact]
    public async Task Service_RefusesBadInputs_AndChangesNothing()
    {
        var (service, store, repository, outbox) = Service();
        var person = Customer.Register(Tenant, new PersonProfile("Ada", "Lovelace"), _clock);
        var organisation = Customer.Register(Tenant, new OrganizationProfile("Acme"), _clock);
        var elsewhere = Customer.Register(new TenantId("other"), new PersonProfile("Ada", "Lovelace"), _clock);
        await repository.SaveAsync(person);
        await repository.SaveAsync(organisation);
        await repository.SaveAsync(elsewhere);
        var pending = (await outbox.ListPendingAsync(Tenant, 100, default)).Count;

        Assert.Equal(CrmErrorCodes.MergeWithItself, (await Assert.ThrowsAsync<CustomerMergeException>(async () => await service.MergeAsync(Tenant, person.Id, person.Id))).ErrorCode);
        var kind = await Assert.ThrowsAsync<CustomerMergeException>(async () => await service.MergeAsync(Tenant, person.Id, organisation.Id));
        Assert.Equal(CrmErrorCodes.MergePartyKindMismatch, kind.ErrorCode);
        Assert.DoesNotContain("Ada", kind.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<CustomerNotFoundException>(async () => await service.MergeAsync(Tenant, person.Id, CustomerId.New()));
        await Assert.ThrowsAsync<CustomerNotFoundException>(async () => await service.MergeAsync(Tenant, CustomerId.New(), person.Id));
        await Assert.ThrowsAsync<CustomerNotFoundException>(async () => await service.MergeAsync(Tenant, person.Id, elsewhere.Id));
        await Assert.ThrowsAsync<ArgumentException>(async () => await service.MergeAsync(default, person.Id, organisation.Id));
        await Assert.ThrowsAsync<ArgumentException>(async () => await service.MergeAsync(Tenant, default, organisation.Id));
        Assert.Equal(CrmErrorCodes.MergeNotFound, (await Assert.ThrowsAsync<CustomerMergeException>(async () => await service.UnmergeAsync(Tenant, CustomerMergeId.New()))).ErrorCode);

        Assert.Equal(pending, (await outbox.ListPendingAsync(Tenant, 100, default)).Count);
        Assert.Equal(2, await store.CountAsync(Tenant, default));
        Assert.Empty(await store.ListMergesByCustomerAsync(Tenant, person.Id, default));
    }

    [Fact]
    public async Task Service_MergesADetectedCandidate_OnlyIfNeitherChangedSinceDetection()
    {
        var (service, store, repository, _) = Service();
        var first = Customer.Register(Tenant, new PersonProfile("Ada", "Lovelace"), _clock);
        first.AddContactPoint(EmailAddress.Parse("ada@example.com"));
        var second = Customer.Register(Tenant, new PersonProfile("Ada", "Lovelace"), _clock);
        second.AddContactPoint(EmailAddress.Parse("ada@example.com"));
        await repository.SaveAsync(first);
        await repository.SaveAsync(second);
        var candidate = Assert.Single((await new DuplicateDetector(store).FindCandidatesForAsync(Tenant, first.Id)).Candidates);
        var changed = await repository.GetAsync(Tenant, second.Id);
        changed.Tag(new CustomerTag("changed"));
        await repository.SaveAsync(changed);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await service.MergeCandidateAsync(Tenant, candidate));
        Assert.NotNull(await store.FindAsync(Tenant, second.Id, default));

        var fresh = Assert.Single((await new DuplicateDetector(store).FindCandidatesForAsync(Tenant, first.Id)).Candidates);
        var record = await service.MergeCandidateAsync(Tenant, fresh);
        Assert.Equal(fresh.FirstId, record.SurvivorId);
        Assert.Equal(fresh.SecondId, record.MergedId);
    }

    [Fact]
    public void Events_RoundTripThroughTheirJsonForm()
    {
        var at = _clock.GetCurrentInstant();
        var (survivor, merged, merge) = (CustomerId.New(), CustomerId.New(), CustomerMergeId.New());

        var m = (CustomerMerged)CustomerEventJson.FromEnvelope(CustomerEventJson.ToEnvelope(new CustomerMerged(Tenant, survivor, at, merge, merged), 2));
        var u = (CustomerUnmerged)CustomerEventJson.FromEnvelope(CustomerEventJson.ToEnvelope(new CustomerUnmerged(Tenant, survivor, at, merge, merged), 3));

        Assert.Equal((survivor, merge, merged, at), (m.CustomerId, m.MergeId, m.MergedCustomerId, m.OccurredAt));
        Assert.Equal((survivor, merge, merged, at), (u.CustomerId, u.MergeId, u.RestoredCustomerId, u.OccurredAt));
    }
}

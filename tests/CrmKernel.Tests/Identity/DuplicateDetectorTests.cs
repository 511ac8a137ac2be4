using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Identity;
using CrmKernel.Primitives;
using CrmKernel.Services.Identity;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static CrmKernel.Tests.Identity.IdentityTestData;

namespace CrmKernel.Tests.Identity;

public sealed class DuplicateDetectorTests
{
    [Fact]
    public async Task Scan_FindsATypoDuplicate_OnceThoughItSharesSeveralKeys()
    {
        var ann = Person("Ann", "Lee", email: "ann@example.com", phone: "07911 123456", address: ("1 Mill Lane", "AB1 2CD"));
        var anne = Person("Anne", "Lee", email: "ANN@example.com ", phone: "+447911123456", address: ("1 Mill Ln", "ab12cd"));
        var other = Person("Bob", "Ray", email: "bob@example.com");
        var store = await StoreWith(ann, anne, other);

        var result = await new DuplicateDetector(store).FindCandidatesAsync(Tenant);

        var candidate = Assert.Single(result.Candidates);
        Assert.Equal(DuplicateDataSet.Pair(ann.Id, anne.Id), (candidate.FirstId, candidate.SecondId));
        Assert.Equal(MatchDecision.Definite, candidate.Decision);
        Assert.Equal(3, result.CustomersScanned);
        Assert.Equal(1, result.PairsScored);
        Assert.Empty(result.SkippedBlocks);
    }

    [Fact]
    public async Task Scan_NeverPairsAPersonWithAnOrganisation()
    {
        var person = Person("Acme", "Trading", email: "info@acme.example", phone: "020 7946 0000");
        var organization = Organization("Acme Trading", email: "info@acme.example", phone: "020 7946 0000");
        var result = await new DuplicateDetector(await StoreWith(person, organization)).FindCandidatesAsync(Tenant);
        Assert.Empty(result.Candidates);
        Assert.Equal(0, result.PairsScored);
    }

    [Fact]
    public async Task Scan_SkipsAndReportsABlockLargerThanTheCap()
    {
        // Five colleagues share the switchboard; two of them are also one person twice, sharing an email.
        var colleagues = Enumerable.Range(0, 5).Select(i => Person($"Given{(char)('a' + i)}", $"Family{(char)('a' + i)}", phone: "020 7946 0000")).ToList();
        var twin = Person("Givena", "Familya", email: "a@example.com");
        colleagues[0].AddContactPoint(global::CrmKernel.ContactPoints.EmailAddress.Parse("a@example.com"));
        var store = await StoreWith([.. colleagues, twin]);
        var detector = new DuplicateDetector(store, new DuplicateDetectionOptions { MaxBlockSize = 4 });

        var result = await detector.FindCandidatesAsync(Tenant);

        var skipped = Assert.Single(result.SkippedBlocks);
        Assert.Equal("phone", skipped.Kind);
        Assert.Equal(5, skipped.Size);
        Assert.Equal("phone: 5 customers", skipped.ToString());
        var candidate = Assert.Single(result.Candidates);
        Assert.Equal(DuplicateDataSet.Pair(colleagues[0].Id, twin.Id), (candidate.FirstId, candidate.SecondId));
        Assert.Equal(1, result.PairsScored);

        var uncapped = await new DuplicateDetector(store, new DuplicateDetectionOptions { MaxBlockSize = 5 }).FindCandidatesAsync(Tenant);
        Assert.Empty(uncapped.SkippedBlocks);
        Assert.Equal(11, uncapped.PairsScored); // the ten colleague pairs, and the one through the email
    }

    [Fact]
    public async Task Scan_OrdersByScore_AndReportsOnlyFromTheProbableThreshold()
    {
        var a = Person("Ann", "Lee", email: "ann@example.com", phone: "07911 123456");
        var b = Person("Ann", "Lee", email: "ann@example.com", phone: "07911 123456");
        var c = Person("Ann", "Lee", email: "ann@example.com");
        var stranger = Person("Zed", "Quay", phone: "07911 123456");
        var store = await StoreWith(a, b, c, stranger);

        var result = await new DuplicateDetector(store).FindCandidatesAsync(Tenant);

        Assert.Equal(3, result.Candidates.Count);
        Assert.True(result.Candidates.Zip(result.Candidates.Skip(1)).All(p => p.First.Score >= p.Second.Score));
        Assert.Equal(DuplicateDataSet.Pair(a.Id, b.Id), (result.Candidates[0].FirstId, result.Candidates[0].SecondId));
        Assert.DoesNotContain(result.Candidates, x => x.FirstId == stranger.Id || x.SecondId == stranger.Id);
        Assert.All(result.Candidates, x => Assert.NotEqual(MatchDecision.Unlikely, x.Decision));
    }

    [Fact]
    public async Task Scan_UsesCustomKeyBuildersAndRules()
    {
        var a = Person("Ann", "Lee");
        var b = Person("Ann", "Lee");
        var store = await StoreWith(a, b);
        Assert.Empty((await new DuplicateDetector(store).FindCandidatesAsync(Tenant)).Candidates);

        var options = new DuplicateDetectionOptions
        {
            KeyBuilders = [.. MatchKeyBuilders.Default, new FamilyNameKey()],
            PersonRule = MatchRule.DefaultPerson.WithThresholds(5, 20),
        };
        var candidate = Assert.Single((await new DuplicateDetector(store, options).FindCandidatesAsync(Tenant)).Candidates);
        Assert.Equal(MatchDecision.Probable, candidate.Decision);
    }

    [Fact]
    public async Task FindCandidatesFor_ChecksOneCustomerThroughTheStoreLookups()
    {
        var ann = Person("Ann", "Lee", email: "ann@example.com", externalId: new ExternalIdentifier("shop", "7"));
        var anne = Person("Anne", "Lee", email: "ann@example.com");
        var bob = Person("Bob", "Ray", email: "bob@example.com");
        var store = await StoreWith(ann, anne, bob);
        var detector = new DuplicateDetector(store);

        var result = await detector.FindCandidatesForAsync(Tenant, anne.Id);
        var candidate = Assert.Single(result.Candidates);
        Assert.Equal(DuplicateDataSet.Pair(ann.Id, anne.Id), (candidate.FirstId, candidate.SecondId));
        Assert.Equal(2, result.CustomersScanned); // Anne herself and Ann, through the email
        Assert.Equal(1, result.PairsScored);

        // Before it is stored: a new customer registered with the same email and external id.
        var draft = Person("Ann", "Lee", email: "ann@example.com", externalId: new ExternalIdentifier("shop", "7"));
        var beforeCreate = await detector.FindCandidatesForAsync(draft.ToSnapshot(), CancellationToken.None);
        Assert.Equal(2, beforeCreate.Candidates.Count);
        Assert.Equal(MatchDecision.Definite, beforeCreate.Candidates[0].Decision);

        Assert.Empty((await detector.FindCandidatesForAsync(Tenant, bob.Id)).Candidates);
        await Assert.ThrowsAsync<CustomerNotFoundException>(async () => await detector.FindCandidatesForAsync(Tenant, CustomerId.New()));
    }

    [Fact]
    public async Task FindCandidatesFor_SkipsALookupLargerThanTheCap()
    {
        var colleagues = Enumerable.Range(0, 4).Select(i => Person($"Given{(char)('a' + i)}", "Lee", phone: "020 7946 0000")).ToList();
        var detector = new DuplicateDetector(await StoreWith([.. colleagues]), new DuplicateDetectionOptions { MaxBlockSize = 3 });
        var result = await detector.FindCandidatesForAsync(Tenant, colleagues[0].Id);
        Assert.Empty(result.Candidates);
        Assert.Equal("phone", Assert.Single(result.SkippedBlocks).Kind);
    }

    [Fact]
    public async Task BadArguments_AreRefusedNamingTheParameter()
    {
        var store = new InMemoryCustomerStore(new InMemoryCrmOutbox());
        var detector = new DuplicateDetector(store);
        Assert.Throws<ArgumentNullException>("store", () => new DuplicateDetector(null!));
        Assert.Throws<ArgumentOutOfRangeException>("options", () => new DuplicateDetector(store, new DuplicateDetectionOptions { MaxBlockSize = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>("options", () => new DuplicateDetector(store, new DuplicateDetectionOptions { MaxBlockSize = 10_001 }));
        Assert.Throws<ArgumentException>("options", () => new DuplicateDetector(store, new DuplicateDetectionOptions { PersonRule = null! }));
        Assert.Throws<ArgumentException>("options", () => new DuplicateDetector(store, new DuplicateDetectionOptions { KeyBuilders = null! }));
        Assert.Throws<ArgumentException>("options", () => new DuplicateDetector(store, new DuplicateDetectionOptions { KeyBuilders = [null!] }));
        var limit = Assert.Throws<InputLimitExceededException>(() => new DuplicateDetector(store, new DuplicateDetectionOptions { KeyBuilders = [.. Enumerable.Repeat(MatchKeyBuilders.Email, DuplicateDetectionOptions.MaxKeyBuilders + 1)] }));
        Assert.Equal("options", limit.ParamName);
        await Assert.ThrowsAsync<ArgumentException>("tenantId", async () => await detector.FindCandidatesAsync(default));
        await Assert.ThrowsAsync<ArgumentException>("tenantId", async () => await detector.FindCandidatesForAsync(default, CustomerId.New()));
        await Assert.ThrowsAsync<ArgumentException>("customerId", async () => await detector.FindCandidatesForAsync(Tenant, default));
        await Assert.ThrowsAsync<ArgumentNullException>("customer", async () => await detector.FindCandidatesForAsync(null!, CancellationToken.None));
    }

    [Fact]
    public void AddCrmKernel_RegistersTheDetectorWithDefaultOptions()
    {
        using var provider = new ServiceCollection().AddCrmKernel(b => b.UseInMemoryStores()).BuildServiceProvider();
        var detector = provider.GetRequiredService<DuplicateDetector>();
        Assert.Same(detector, provider.GetRequiredService<DuplicateDetector>());
        Assert.Equal(DuplicateDetectionOptions.DefaultMaxBlockSize, detector.Options.MaxBlockSize);
        Assert.Same(MatchRule.DefaultPerson, detector.Options.PersonRule);
    }

    internal static async Task<InMemoryCustomerStore> StoreWith(params Customer[] customers)
    {
        var store = new InMemoryCustomerStore(new InMemoryCrmOutbox());
        foreach (var customer in customers)
        {
            await store.CommitAsync(CustomerCommit.Create(customer), CancellationToken.None);
        }

        return store;
    }

    private sealed class FamilyNameKey : IMatchKeyBuilder
    {
        public void AddKeys(MatchRecord record, ICollection<MatchKey> keys)
        {
            if (record.FamilyName is { } family)
            {
                keys.Add(new MatchKey("family", family));
            }
        }
    }
}

using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Identity;
using CrmKernel.Primitives;
using CrmKernel.Services.Identity;
using CrmKernel.Storage;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Identity;

/// <summary>A small generated tenant: its seed, size and share of duplicates.</summary>
public sealed record TenantCase(int Seed, int Count, double DuplicateShare)
{
    internal DuplicateDataSet Generate() => DuplicateDataSet.Generate(IdentityTestData.Tenant, Seed, Count, DuplicateShare, householdShare: 0.2);

    public override string ToString() => $"seed {Seed}, {Count} customers, {DuplicateShare:P0} duplicates";
}

public static class IdentityArbitraries
{
    private static readonly Gen<string> Text =
        Gen.Elements('A', 'B', 'C', 'D', 'E', ' ', ',').ArrayOf().Select(static chars => new string(chars.Take(12).ToArray()));

    public static Arbitrary<(string, string)> TextPairs() => Gen.Zip(Text, Text).ToArbitrary();

    public static Arbitrary<TenantCase> Tenants() =>
        (from seed in Gen.Choose(0, 1_000_000)
         from count in Gen.Choose(2, 40)
         from share in Gen.Elements(0.1, 0.3, 0.6)
         select new TenantCase(seed, count, share)).ToArbitrary();
}

/// <summary>The laws of similarity and scanning: symmetric measures in [0, 1], identical records at full agreement, a
/// scan equal to scoring every pair that shares a key (each once), whatever the store's page order.</summary>
public sealed class DuplicateDetectionProperties
{
    [Property(Arbitrary = new[] { typeof(IdentityArbitraries) }, MaxTest = 300)]
    public void Similarities_AreSymmetric_InZeroToOne_AndOneForEqualTexts((string, string) pair)
    {
        var (a, b) = pair;
        foreach (var measure in new Func<string, string, double>[] { static (x, y) => Similarity.JaroWinkler(x, y), static (x, y) => Similarity.Jaro(x, y), static (x, y) => Similarity.TokenSet(x, y) })
        {
            var forward = measure(a, b);
            Assert.Equal(forward, measure(b, a));
            Assert.InRange(forward, 0.0, 1.0);
            Assert.Equal(1.0, measure(a, a));
        }

        var d1 = new LocalDate(1980, 1 + (a.Length % 12), 1 + (b.Length % 28));
        var d2 = new LocalDate(1980 + (a.Length % 2), 1 + (b.Length % 12), 1 + (a.Length % 28));
        Assert.Equal(Similarity.BirthDate(d1, d2), Similarity.BirthDate(d2, d1));
        Assert.InRange(Similarity.BirthDate(d1, d2), 0.0, 1.0);
    }

    [Property(Arbitrary = new[] { typeof(IdentityArbitraries) }, MaxTest = 40)]
    public void IdenticalRecords_ScoreFullAgreementOnEveryPresentField(TenantCase tenant)
    {
        foreach (var customer in tenant.Generate().Customers.Take(10))
        {
            var snapshot = customer.ToSnapshot();
            var copy = new CustomerSnapshot
            {
                Id = CustomerId.New(), TenantId = snapshot.TenantId, Profile = snapshot.Profile, ContactPoints = snapshot.ContactPoints,
                ExternalIdentifiers = snapshot.ExternalIdentifiers, CreatedAt = snapshot.CreatedAt, UpdatedAt = snapshot.UpdatedAt, Version = 1,
            };
            var (a, b) = (MatchRecord.FromSnapshot(snapshot), MatchRecord.FromSnapshot(copy));
            var rule = a.Kind == PartyKind.Person ? MatchRule.DefaultPerson : MatchRule.DefaultOrganization;
            var candidate = rule.Evaluate(a, b);
            Assert.All(candidate.Comparisons, c => Assert.True(c.Similarity is null or 1.0, c.ToString()));
            Assert.Equal(rule.Fields.Where(f => f.Comparator.Compare(a, b) is not null).Sum(f => f.AgreementWeight), candidate.Score, 9);
            if (a.Emails.Count > 0)
            {
                Assert.Equal(MatchDecision.Definite, candidate.Decision);
            }
        }
    }

    [Property(Arbitrary = new[] { typeof(IdentityArbitraries) }, MaxTest = 40)]
    public async Task Scan_EqualsScoringEveryPairThatSharesAKey_EachOnce(TenantCase tenant)
    {
        var data = tenant.Generate();
        var store = await DuplicateDetectorTests.StoreWith([.. data.Customers]);
        var options = new DuplicateDetectionOptions();
        var result = await new DuplicateDetector(store, options).FindCandidatesAsync(IdentityTestData.Tenant);

        var records = data.Customers.Select(c => MatchRecord.FromSnapshot(c.ToSnapshot())).ToList();
        var keys = records.Select(r =>
        {
            var list = new List<MatchKey>();
            foreach (var builder in options.KeyBuilders)
            {
                builder.AddKeys(r, list);
            }

            return list.ToHashSet();
        }).ToList();
        var expected = new List<(CustomerId, CustomerId, double)>();
        var sharing = 0;
        for (var i = 0; i < records.Count; i++)
        {
            for (var j = i + 1; j < records.Count; j++)
            {
                if (records[i].Kind != records[j].Kind || !keys[i].Overlaps(keys[j]))
                {
                    continue;
                }

                sharing++;
                var rule = records[i].Kind == PartyKind.Person ? options.PersonRule : options.OrganizationRule;
                var candidate = rule.Evaluate(records[i], records[j]);
                if (candidate.Decision != MatchDecision.Unlikely)
                {
                    expected.Add((candidate.FirstId, candidate.SecondId, candidate.Score));
                }
            }
        }

        Assert.Equal(sharing, result.PairsScored);
        Assert.Equal(
            expected.OrderBy(x => x.Item1).ThenBy(x => x.Item2),
            result.Candidates.Select(c => (c.FirstId, c.SecondId, c.Score)).OrderBy(x => x.FirstId).ThenBy(x => x.SecondId));
        Assert.Equal(result.Candidates.Count, result.Candidates.Select(c => (c.FirstId, c.SecondId)).Distinct().Count());
    }

    [Property(Arbitrary = new[] { typeof(IdentityArbitraries) }, MaxTest = 40)]
    public async Task Scan_DoesNotDependOnThePageOrder(TenantCase tenant)
    {
        var data = tenant.Generate();
        var snapshots = data.Customers.Select(c => c.ToSnapshot()).ToList();
        var inIdOrder = await new DuplicateDetector(new ListedCustomerStore([.. snapshots.OrderBy(s => s.Id)])).FindCandidatesAsync(IdentityTestData.Tenant);
        var shuffled = snapshots.OrderBy(s => s.Id).ToArray();
        new Random(tenant.Seed).Shuffle(shuffled);
        var inOtherOrder = await new DuplicateDetector(new ListedCustomerStore(shuffled)).FindCandidatesAsync(IdentityTestData.Tenant);

        Assert.Equal(Describe(inIdOrder), Describe(inOtherOrder));
        Assert.Equal(inIdOrder.PairsScored, inOtherOrder.PairsScored);

        static IEnumerable<string> Describe(DuplicateScanResult result)
            => result.Candidates.Select(c => $"{c} {c.FirstVersion} {c.SecondVersion} {string.Join(',', c.Comparisons)}");
    }

    /// <summary>A store that pages a fixed list in the list's order, not in id order.</summary>
    private sealed class ListedCustomerStore(IReadOnlyList<CustomerSnapshot> customers) : ICustomerStore
    {
        public ValueTask<IReadOnlyList<CustomerSnapshot>> PageAsync(TenantId tenantId, CustomerId? after, int limit, CancellationToken cancellationToken)
        {
            var start = 0;
            if (after is { } id)
            {
                start = 1 + customers.Select((c, i) => (c, i)).Single(x => x.c.Id == id).i;
            }

            return ValueTask.FromResult<IReadOnlyList<CustomerSnapshot>>([.. customers.Skip(start).Take(limit)]);
        }

        public ValueTask<CustomerSnapshot?> FindAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<CustomerSnapshot?> FindByExternalIdentifierAsync(TenantId tenantId, ExternalIdentifier identifier, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<IReadOnlyList<CustomerSnapshot>> ListByContactPointAsync(TenantId tenantId, ContactPoint contactPoint, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<long> CountAsync(TenantId tenantId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask CommitAsync(CustomerCommit commit, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}

using System.Diagnostics;
using System.Globalization;
using CrmKernel.ContactPoints;
using CrmKernel.Identity;
using CrmKernel.Primitives;
using CrmKernel.Services.Identity;
using CrmKernel.Storage.InMemory;
using Xunit;
using Xunit.Abstractions;

namespace CrmKernel.Tests.Identity;

/// <summary>Precision and recall of the default rules on a generated tenant with known duplicates (docs/identity.md publishes them).</summary>
public sealed class DuplicateDetectionQualityTests(ITestOutputHelper output)
{
    private static readonly TenantId Tenant = new("acme");

    [Fact]
    public async Task DefaultRules_FindMostDuplicatesAndFewFalseOnes()
    {
        var data = DuplicateDataSet.Generate(Tenant, seed: 17, count: 2_000);
        var store = new InMemoryCustomerStore(new InMemoryCrmOutbox());
        await data.LoadAsync(store);
        var detector = new DuplicateDetector(store);

        var watch = Stopwatch.StartNew();
        var result = await detector.FindCandidatesAsync(Tenant);
        watch.Stop();

        var probable = data.Measure(result.Candidates, detector.Options.PersonRule.ProbableThreshold);
        var definite = data.Measure(result.Candidates, detector.Options.PersonRule.DefiniteThreshold);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.CustomersScanned} customers, {data.Duplicates.Count} true pairs, {result.PairsScored} pairs scored, {watch.ElapsedMilliseconds} ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"probable+: precision {probable.Precision:P1} recall {probable.Recall:P1} ({probable.Found} found)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"definite: precision {definite.Precision:P1} recall {definite.Recall:P1} ({definite.Found} found)"));
        var lowered = await new DuplicateDetector(store, new DuplicateDetectionOptions
        {
            PersonRule = MatchRule.DefaultPerson.WithThresholds(4, 15),
            OrganizationRule = MatchRule.DefaultOrganization.WithThresholds(4, 15),
        }).FindCandidatesAsync(Tenant);
        var exactEmail = data.Customers.SelectMany(c => c.ContactPoints.Where(p => p.Kind == ContactPointKind.Email).Select(p => (Email: p.Value.NormalizedValue, c.Id)))
            .GroupBy(x => x.Email)
            .SelectMany(g => g.SelectMany((x, i) => g.Skip(i + 1).Select(y => DuplicateDataSet.Pair(x.Id, y.Id))))
            .ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"exact email only: precision {(double)exactEmail.Count(data.Duplicates.Contains) / exactEmail.Count:P1} recall {(double)exactEmail.Count(data.Duplicates.Contains) / data.Duplicates.Count:P1}"));
        foreach (var threshold in new[] { 4.0, 8.0, 12.0, 15.0, 20.0 })
        {
            var at = data.Measure(lowered.Candidates, threshold);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"score >= {threshold}: precision {at.Precision:P1} recall {at.Recall:P1} ({at.Found} found)"));
        }

        Assert.Equal(2_000, result.CustomersScanned);
        Assert.InRange(data.Duplicates.Count, 150, 250);
        Assert.True(probable.Precision >= 0.95, $"precision at the probable threshold {probable.Precision:P1}");
        Assert.True(probable.Recall >= 0.90, $"recall at the probable threshold {probable.Recall:P1}");
        Assert.True(definite.Precision >= 0.99, $"precision at the definite threshold {definite.Precision:P1}");
        Assert.True(definite.Recall >= 0.60, $"recall at the definite threshold {definite.Recall:P1}");
    }
}

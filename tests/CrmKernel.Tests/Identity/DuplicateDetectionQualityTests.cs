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
        var watch = Stopwatch.StartNew();
        var data = DuplicateDataSet.Generate(Tenant, seed: 17, count: 2_000);
        var store = new InMemoryCustomerStore(new InMemoryCrmOutbox());
        await data.LoadAsync(store);
        var generated = watch.ElapsedMilliseconds;

        // One scan that reports from score 4, so that every threshold from 4 up can be measured on it; the default
        // report (probable, 8) and the definite pairs (15) are the pairs at or above those scores.
        var detector = new DuplicateDetector(store, new DuplicateDetectionOptions
        {
            PersonRule = MatchRule.DefaultPerson.WithThresholds(4, 15),
            OrganizationRule = MatchRule.DefaultOrganization.WithThresholds(4, 15),
        });
        watch.Restart();
        var result = await detector.FindCandidatesAsync(Tenant);
        var scanned = watch.ElapsedMilliseconds;

        var probable = data.Measure(result.Candidates, MatchRule.DefaultPerson.ProbableThreshold);
        var definite = data.Measure(result.Candidates, MatchRule.DefaultPerson.DefiniteThreshold);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.CustomersScanned} customers, {data.Duplicates.Count} true pairs, {result.PairsScored} pairs scored; generated and stored in {generated} ms, scanned in {scanned} ms"));
        var exactEmail = data.Customers.SelectMany(c => c.ContactPoints.Where(p => p.Kind == ContactPointKind.Email).Select(p => (Email: p.Value.NormalizedValue, c.Id)))
            .GroupBy(x => x.Email)
            .SelectMany(g => g.SelectMany((x, i) => g.Skip(i + 1).Select(y => DuplicateDataSet.Pair(x.Id, y.Id))))
            .ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"exact email only: precision {(double)exactEmail.Count(data.Duplicates.Contains) / exactEmail.Count:P1} recall {(double)exactEmail.Count(data.Duplicates.Contains) / data.Duplicates.Count:P1}"));
        foreach (var threshold in new[] { 4.0, 8.0, 12.0, 15.0, 20.0 })
        {
            var at = data.Measure(result.Candidates, threshold);
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

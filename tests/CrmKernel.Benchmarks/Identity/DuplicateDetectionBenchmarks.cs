using System.Globalization;
using BenchmarkDotNet.Attributes;
using CrmKernel.Benchmarks.Metrics;
using CrmKernel.ContactPoints;
using CrmKernel.Primitives;
using CrmKernel.Services.Identity;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using CrmKernel.Tests.Identity;

namespace CrmKernel.Benchmarks.Identity;

/// <summary>
/// A duplicate scan of a 100,000-customer tenant in the in-memory store (the generated set of the tests: about 8 %
/// duplicates with typos, swapped names, reformatted emails and phones, missing fields, and household members as hard
/// negatives), against the baseline a user might write: read every customer and pair those with the same normalised
/// email. Both read the tenant through the same paged store reads and return the pairs they report; the setup prints
/// each side's precision and recall.
/// </summary>
[Config(typeof(InProcessShortRunConfig))]
[MemoryDiagnoser]
[MedianColumn]
public class DuplicateDetectionBenchmarks
{
    private static readonly TenantId Tenant = new("bench");

    private InMemoryCustomerStore _store = null!;
    private DuplicateDetector _detector = null!;

    /// <summary>Customers in the tenant.</summary>
    [Params(100_000)]
    public int Customers { get; set; }

    [GlobalSetup]
    public void CreateTenant()
    {
        var data = DuplicateDataSet.Generate(Tenant, seed: 17, count: Customers);
        _store = new InMemoryCustomerStore(new InMemoryCrmOutbox());
        data.LoadAsync(_store).GetAwaiter().GetResult();
        _detector = new DuplicateDetector(_store);

        var scan = _detector.FindCandidatesAsync(Tenant).AsTask().GetAwaiter().GetResult();
        var naive = ExactEmailPairs();
        var naiveFound = naive.Count;
        var naiveCorrect = naive.Count(data.Duplicates.Contains);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// {scan.CustomersScanned:N0} customers, {data.Duplicates.Count:N0} true pairs, {scan.PairsScored:N0} pairs scored, {scan.SkippedBlocks.Count} blocks skipped"));
        var lowered = new DuplicateDetector(_store, new DuplicateDetectionOptions
        {
            PersonRule = CrmKernel.Identity.MatchRule.DefaultPerson.WithThresholds(4, 15),
            OrganizationRule = CrmKernel.Identity.MatchRule.DefaultOrganization.WithThresholds(4, 15),
        }).FindCandidatesAsync(Tenant).AsTask().GetAwaiter().GetResult();
        foreach (var threshold in new[] { 4.0, 8.0, 12.0, 15.0, 20.0 })
        {
            var (precision, recall, found, _) = data.Measure(lowered.Candidates, threshold);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// detector, score >= {threshold}: precision {precision:P1}, recall {recall:P1} ({found:N0} pairs)"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// exact email: precision {(double)naiveCorrect / naiveFound:P1}, recall {(double)naiveCorrect / data.Duplicates.Count:P1} ({naiveFound:N0} pairs)"));
        if (naive.Count == 0 || scan.Candidates.Count == 0)
        {
            throw new InvalidOperationException("Both sides must report pairs.");
        }
    }

    /// <summary>Group by exact normalised email: what a user might write first.</summary>
    [Benchmark(Baseline = true)]
    public int ExactEmail() => ExactEmailPairs().Count;

    /// <summary>Blocking keys and Fellegi-Sunter scoring.</summary>
    [Benchmark]
    public int BlockAndScore() => _detector.FindCandidatesAsync(Tenant).AsTask().GetAwaiter().GetResult().Candidates.Count;

    private List<(CustomerId, CustomerId)> ExactEmailPairs()
    {
        var byEmail = new Dictionary<string, List<CustomerId>>(StringComparer.Ordinal);
        CustomerId? after = null;
        while (true)
        {
            var page = _store.PageAsync(Tenant, after, DuplicateDetector.PageSize, default).AsTask().GetAwaiter().GetResult();
            foreach (var customer in page)
            {
                foreach (var contactPoint in customer.ContactPoints)
                {
                    if (contactPoint.Value is EmailAddress email)
                    {
                        if (!byEmail.TryGetValue(email.NormalizedValue, out var ids))
                        {
                            byEmail[email.NormalizedValue] = ids = new List<CustomerId>(1);
                        }

                        ids.Add(customer.Id);
                    }
                }
            }

            if (page.Count < DuplicateDetector.PageSize)
            {
                break;
            }

            after = page[^1].Id;
        }

        var pairs = new List<(CustomerId, CustomerId)>();
        foreach (var ids in byEmail.Values)
        {
            for (var i = 0; i < ids.Count; i++)
            {
                for (var j = i + 1; j < ids.Count; j++)
                {
                    pairs.Add(DuplicateDataSet.Pair(ids[i], ids[j]));
                }
            }
        }

        return pairs;
    }
}

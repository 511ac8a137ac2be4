using System.Globalization;
using BenchmarkDotNet.Attributes;
using CrmKernel.Cases;
using CrmKernel.Primitives;
using CrmKernel.Services.Cases;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Ingestion;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using NodaTime;

namespace CrmKernel.Benchmarks.Cases;

/// <summary>
/// The input of SLA monitoring: <see cref="CaseService.StreamActiveAsync"/> over a tenant of the in-memory store whose
/// cases are a third new, a third in progress (with a wait and a response) and a third resolved, so two thirds are read.
/// Every read rebuilds the case from the kernel's document and re-checks its history, as a database adapter's read does,
/// so the figure per case is the floor of any store's. Also one document read alone. Both sides count the same cases
/// (asserted in the setup).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class CaseStreamBenchmarks
{
    private static readonly TenantId Tenant = new("bench");
    private static readonly Instant Start = Instant.FromUtc(2026, 1, 5, 9, 0);

    private CaseService _service = null!;
    private string _document = null!;
    private CaseId _documentId;
    private int _active;

    /// <summary>Cases in the tenant.</summary>
    [Params(100_000)]
    public int Cases { get; set; }

    [GlobalSetup]
    public void CreateCases()
    {
        var clock = new FixedClock(Start);
        var outbox = new InMemoryCrmOutbox();
        var store = new InMemoryCaseStore(outbox);
        var touchpoints = new InMemoryTouchpointStore();
        var customer = CustomerId.New();
        var expected = 0;
        for (var i = 0; i < Cases; i++)
        {
            var at = Start + Duration.FromMinutes(i);
            var c = ServiceCase.Open(Tenant, CaseId.New(), customer, "Parcel arrived broken", "delivery/damage", CasePriority.Normal, TouchpointId.New(), true, "standard", at, "agent");
            if (i % 3 != 0)
            {
                c.Start(at + Duration.FromMinutes(5), "agent", "picked up");
                c.RecordResponse(at + Duration.FromMinutes(6));
                c.WaitOnCustomer(at + Duration.FromMinutes(7), "agent", "asked for a photo");
                c.Resume(at + Duration.FromHours(3), "agent", "photo received");
            }

            if (i % 3 == 2)
            {
                c.Resolve(at + Duration.FromHours(4), "agent", "replacement sent", null);
            }

            var commit = CaseCommit.Create(c);
            store.CommitAsync(commit, default).AsTask().GetAwaiter().GetResult();
            expected += c.IsActive ? 1 : 0;
            if (i == 1)
            {
                (_documentId, _document) = (c.Id, commit.Writes[0].Document);
            }
        }

        _service = new CaseService(store, touchpoints, new CustomerRepository(new InMemoryCustomerStore(outbox), clock), new TouchpointIngestion(touchpoints, clock), clock);
        _active = StreamActive().GetAwaiter().GetResult();
        if (_active != expected)
        {
            throw new InvalidOperationException($"{_active} active cases streamed, {expected} expected");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// setup: {Cases:N0} cases, {_active:N0} active"));
    }

    /// <summary>Streams every active case (new, in progress, waiting), counting them.</summary>
    [Benchmark]
    public Task<int> StreamActive() => CountAsync(_service.StreamActiveAsync(Tenant, pageSize: 1_000));

    /// <summary>Rebuilds one in-progress case (5 history entries) from its document.</summary>
    [Benchmark]
    public ServiceCase ReadDocument() => CaseDocuments.Read(Tenant, _documentId, _document);

    private static async Task<int> CountAsync(IAsyncEnumerable<ServiceCase> cases)
    {
        var count = 0;
        await foreach (var c in cases)
        {
            count += c.IsActive ? 1 : 0;
        }

        return count;
    }

    private sealed class FixedClock(Instant now) : IClock
    {
        public Instant GetCurrentInstant() => now;
    }
}

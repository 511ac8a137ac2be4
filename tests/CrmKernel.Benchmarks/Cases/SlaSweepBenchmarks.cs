using System.Globalization;
using BenchmarkDotNet.Attributes;
using CrmKernel.Calendars;
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
/// The SLA sweep as an application calls it: <see cref="CaseService.SweepSlaAsync"/> over a tenant of the in-memory
/// store whose cases are all active (a third new, a third in progress with a response and a completed wait, a third
/// waiting on the customer), opened over the 8 weeks before now under one London office policy. The setup runs one
/// sweep first, so every breach is already escalated and the timed sweeps are the steady state a periodic sweep sees
/// (stream, build clocks, bulk-evaluate, report; no writes). Split: <see cref="StreamActive"/> is the store streaming
/// alone; <see cref="ClocksAndBulkEvaluate"/> is the evaluation alone over the same cases already loaded. The setup
/// asserts that the sweep and the loaded evaluation find the same breached and at-risk cases.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class SlaSweepBenchmarks
{
    private const int Batch = 1_000;
    private static readonly TenantId Tenant = new("bench");
    private static readonly Instant Now = Instant.FromUtc(2026, 5, 1, 12, 0);

    private CaseService _service = null!;
    private SlaPolicy _policy = null!;
    private ServiceCase[] _loaded = null!;
    private SlaClock[] _clocks = null!;
    private SlaEvaluation[] _results = null!;

    /// <summary>Active cases in the tenant.</summary>
    [Params(100_000)]
    public int Cases { get; set; }

    [GlobalSetup]
    public void CreateCases()
    {
        var london = DateTimeZoneProviders.Tzdb["Europe/London"];
        var office = new BusinessCalendar(london, WorkingHours.MondayToFriday(new LocalTime(9, 0), new LocalTime(17, 0)), [new LocalDate(2026, 4, 3), new LocalDate(2026, 4, 6), new LocalDate(2026, 5, 4)]);
        _policy = new SlaPolicy("standard", office, new Dictionary<CasePriority, SlaTargets>
        {
            [CasePriority.Low] = new(Duration.FromHours(16), Duration.FromHours(400)),
            [CasePriority.Normal] = new(Duration.FromHours(4), Duration.FromHours(200)),
            [CasePriority.High] = new(Duration.FromHours(2), Duration.FromHours(80)),
            [CasePriority.Urgent] = new(Duration.FromHours(1), Duration.FromHours(40)),
        });
        var clock = new FixedClock(Now);
        var outbox = new InMemoryCrmOutbox();
        var store = new InMemoryCaseStore(outbox);
        var touchpoints = new InMemoryTouchpointStore();
        var customer = CustomerId.New();
        var span = Duration.FromDays(56) - Duration.FromHours(8);
        var priorities = Enum.GetValues<CasePriority>();
        for (var i = 0; i < Cases; i++)
        {
            var at = Now - Duration.FromDays(56) + (span * i / Cases);
            var c = ServiceCase.Open(Tenant, CaseId.New(), customer, "Parcel arrived broken", "delivery/damage", priorities[i % priorities.Length], null, false, "standard", at, "agent");
            if (i % 3 != 0)
            {
                c.Start(at + Duration.FromMinutes(5), "agent", "picked up");
                c.RecordResponse(at + Duration.FromMinutes(5 + (25 * (i % 7))));
                c.WaitOnCustomer(at + Duration.FromHours(3), "agent", "asked for a photo");
                if (i % 3 == 1)
                {
                    c.Resume(at + Duration.FromHours(5), "agent", "photo received");
                }
            }

            store.CommitAsync(CaseCommit.Create(c), default).AsTask().GetAwaiter().GetResult();
        }

        _service = new CaseService(store, touchpoints, new CustomerRepository(new InMemoryCustomerStore(outbox), clock), new TouchpointIngestion(touchpoints, clock), clock, new CaseServiceOptions { SlaPolicies = [_policy] });
        var escalated = CountAsync(_service.SweepSlaAsync(Tenant, Batch), a => a.Escalations.Count > 0).GetAwaiter().GetResult();

        _loaded = [.. _service.StreamActiveAsync(Tenant, Batch).ToBlockingEnumerable()];
        _clocks = new SlaClock[Batch];
        _results = new SlaEvaluation[Batch];
        var expected = ClocksAndBulkEvaluate();
        var swept = Sweep().GetAwaiter().GetResult();
        var breached = CountAsync(_service.SweepSlaAsync(Tenant, Batch), a => a.IsBreached).GetAwaiter().GetResult();
        if (_loaded.Length != Cases || swept != expected || escalated != breached)
        {
            throw new InvalidOperationException($"{_loaded.Length} loaded, {swept} alerts swept, {expected} evaluated, {escalated} escalated, {breached} breached");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// setup: {Cases:N0} active cases, {swept:N0} breached or at risk ({breached:N0} breached, escalated once by the first sweep)"));
    }

    /// <summary>The sweep through the service: stream, clocks, bulk evaluation, alerts (every breach already escalated).</summary>
    [Benchmark]
    public Task<int> Sweep() => CountAsync(_service.SweepSlaAsync(Tenant, Batch), static _ => true);

    /// <summary>The store part alone: streaming the active cases.</summary>
    [Benchmark]
    public async Task<int> StreamActive()
    {
        var count = 0;
        await foreach (var c in _service.StreamActiveAsync(Tenant, Batch))
        {
            count += c.IsActive ? 1 : 0;
        }

        return count;
    }

    /// <summary>The evaluation part alone, over the cases already loaded: build each clock from its history, evaluate in batches of 1,000, count breached or at risk.</summary>
    [Benchmark]
    public int ClocksAndBulkEvaluate()
    {
        var alerts = 0;
        for (var start = 0; start < _loaded.Length; start += Batch)
        {
            var count = Math.Min(Batch, _loaded.Length - start);
            for (var i = 0; i < count; i++)
            {
                _clocks[i] = _policy.CreateClock(_loaded[start + i]);
            }

            _policy.Evaluate(_clocks.AsSpan(0, count), _results.AsSpan(0, count), Now);
            for (var i = 0; i < count; i++)
            {
                var r = _results[i];
                alerts += r.IsBreached || r.FirstResponse.State == SlaState.AtRisk || r.Resolution.State == SlaState.AtRisk ? 1 : 0;
            }
        }

        return alerts;
    }

    private static async Task<int> CountAsync(IAsyncEnumerable<SlaAlert> alerts, Func<SlaAlert, bool> counted)
    {
        var count = 0;
        await foreach (var alert in alerts)
        {
            count += counted(alert) ? 1 : 0;
        }

        return count;
    }

    private sealed class FixedClock(Instant now) : IClock
    {
        public Instant GetCurrentInstant() => now;
    }
}

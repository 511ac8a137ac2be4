using BenchmarkDotNet.Attributes;
using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Benchmarks.Channels;

/// <summary>
/// One "may we contact?" question against a ledger of <see cref="Entries"/> entries: <see cref="ConsentLedger.Decide"/>
/// against the LINQ a user would otherwise write (filter, group by scope, last of each, least permissive).
/// </summary>
[MemoryDiagnoser]
public class ConsentDecisionBenchmarks
{
    private static readonly ChannelId Email = new("email");
    private Customer _customer = null!;
    private ContactPoint _point = null!;
    private Instant _at;

    [Params(4, 64)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var clock = new BenchClock(Instant.FromUtc(2026, 3, 1, 9, 0));
        _customer = Customer.Register(new TenantId("bench"), new PersonProfile("Ada", "Lovelace"), clock);
        var points = Enumerable.Range(0, 4).Select(i => (ContactPoint)EmailAddress.Parse($"a{i}@example.com")).ToArray();
        foreach (var p in points)
        {
            _customer.AddContactPoint(p);
        }

        ChannelId?[] channels = [null, Email, new ChannelId("sms")];
        ConsentPurpose[] purposes = [ConsentPurpose.Marketing, ConsentPurpose.Service];
        for (var i = 0; i < Entries; i++)
        {
            _customer.RecordConsent(new ConsentEntry(purposes[i % 2], channels[i % 3], i % 5 == 0 ? null : points[i % 4], ConsentStatus.Granted, (LawfulBasis)(1 + (i % 3)), "bench", clock.GetCurrentInstant()));
        }

        _point = points[0];
        _at = clock.GetCurrentInstant();
    }

    [Benchmark(Baseline = true, Description = "LINQ: group by scope, last, least permissive")]
    public bool Linq()
    {
        var inForce = _customer.Consent.Entries
            .Where(e => e.CapturedAt <= _at && e.ValidFrom <= _at && e.Covers(ConsentPurpose.Marketing, Email, _point))
            .GroupBy(e => (e.Channel, e.ContactPoint, e.Basis))
            .Select(g => g.Last())
            .Where(e => e.IsValidAt(_at))
            .ToList();
        return !inForce.Any(e => !e.Permits) && inForce.Any(e => e.Permits);
    }

    [Benchmark(Description = "ConsentLedger.Decide")]
    public bool Decide() => _customer.MayContact(ConsentPurpose.Marketing, Email, _point, _at).IsAllowed;
}

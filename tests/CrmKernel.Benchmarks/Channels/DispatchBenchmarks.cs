using BenchmarkDotNet.Attributes;
using CrmKernel.Channels;
using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Services.Channels;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Ingestion;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using CrmKernel.Storage.InMemory;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CrmKernel.Benchmarks.Channels;

/// <summary>
/// A campaign to <see cref="Customers"/> customers on the in-memory stores and a channel that does nothing: what the
/// dispatcher's checks and records cost per message (load the customer, consent, pending store, the
/// delivered touchpoint), against calling the adapter directly with no checks and no records, and against the same
/// checks and records written by hand on plain collections (<see cref="CampaignByHand"/>: the floor of the work).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PerCustomerColumns))]
public class DispatchBenchmarks
{
    private static readonly ChannelId Email = new("email");
    private ChannelDispatcher _dispatcher = null!;
    private ChannelDispatcher _registered = null!;
    private Microsoft.Extensions.DependencyInjection.ServiceProvider? _provider;
    private NullChannel _channel = null!;
    private CampaignAudience _audience = null!;
    private int _run;
    private Dictionary<CustomerId, Customer> _handCustomers = [];
    private readonly Dictionary<string, int> _handDelivered = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HandPending> _handPending = new(StringComparer.Ordinal);
    private readonly List<HandTouchpoint> _handTouchpoints = [];
    private BenchClock _clock = null!;

    [Params(1_000)]
    public int Customers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _channel = new NullChannel();
        var clock = new BenchClock(Instant.FromUtc(2026, 3, 2, 12, 0));
        var policy = new ContactPolicy(DateTimeZone.Utc);

        // The dispatcher as AddCrmKernel registers it on the in-memory stores: its attempts go through the lifecycle-applying
        // ingestion pipeline, so a recorded attempt commits with the customer. The plain one reads the same customers but
        // records through a pipeline without the lifecycle (the two-argument constructor) into a touchpoint store of its
        // own, so neither side's store holds the other's records (each grows by 1,000 touchpoints an invocation).
        _clock = clock;
        _provider = new ServiceCollection()
            .AddCrmKernel(b => b.UseInMemoryStores().UseClock(clock).AddChannel(_channel).UseContactPolicy(policy))
            .BuildServiceProvider();
        _registered = _provider.GetRequiredService<ChannelDispatcher>();
        var repository = _provider.GetRequiredService<CustomerRepository>();
        var touchpoints = _provider.GetRequiredService<ITouchpointStore>();
        var plainTouchpoints = new InMemoryTouchpointStore();
        _dispatcher = new ChannelDispatcher([_channel], repository, new TouchpointIngestion(plainTouchpoints, clock), plainTouchpoints, new InMemoryPendingDispatchStore(), policy, clock);
        _audience = CampaignAudience.Import(repository, clock, Email, Customers, DateTimeZoneProviders.Tzdb["Europe/London"]);
        _handCustomers = _audience.Customers.ToDictionary(c => c.Id);

        // Before timing: every side sends to every customer (the same work), and the two recording sides record one
        // delivered touchpoint a message and leave nothing pending.
        foreach (var sent in new[] { AdapterOnly().GetAwaiter().GetResult(), Campaign().GetAwaiter().GetResult(), CampaignAsRegistered().GetAwaiter().GetResult(), CampaignByHand().GetAwaiter().GetResult() })
        {
            if (sent != Customers)
            {
                throw new InvalidOperationException($"A side sent {sent} messages to {Customers} customers.");
            }
        }

        var registered = touchpoints.CountAsync(CampaignAudience.Tenant, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        var plain = plainTouchpoints.CountAsync(CampaignAudience.Tenant, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        if (registered != Customers || plain != Customers || _handTouchpoints.Count != Customers || _handPending.Count != 0)
        {
            throw new InvalidOperationException($"For {Customers} customers a campaign the dispatchers recorded {registered} and {plain} touchpoints, the hand-written side {_handTouchpoints.Count}.");
        }
    }

    [Benchmark(Baseline = true, Description = "Adapter.SendAsync per customer (no checks, no records)")]
    public Task<int> AdapterOnly() => _audience.SendDirectAsync(_channel, Email, $"direct-{_run++}", campaignId: null);

    [Benchmark(Description = "ChannelDispatcher.SendCampaignAsync")]
    public Task<int> Campaign() => _audience.SendCampaignAsync(_dispatcher, Email, $"campaign-{_run++}");

    /// <summary>The same campaign through the dispatcher <c>AddCrmKernel</c> registers (lifecycle-applying ingestion): what an application runs.</summary>
    [Benchmark(Description = "ChannelDispatcher.SendCampaignAsync as AddCrmKernel registers it")]
    public Task<int> CampaignAsRegistered() => _audience.SendCampaignAsync(_registered, Email, $"registered-{_run++}");

    /// <summary>
    /// The same checks and records written by hand, the floor of the work: the customers already in a dictionary
    /// (no store read, no rebuild), the delivered check, recipient and consent decision (<see cref="Customer.MayContact"/>),
    /// a pending entry written before the send and removed after it, and the delivered touchpoint appended to a list
    /// with its source key in a dictionary (a counter for its id). No lifecycle, no telemetry, no result objects.
    /// </summary>
    [Benchmark(Description = "The same checks and records by hand on dictionaries (the floor)")]
    public async Task<int> CampaignByHand()
    {
        var campaign = $"hand-{_run++}";
        var sent = 0;
        var ids = _audience.Ids;
        for (var i = 0; i < ids.Length; i++)
        {
            var customerId = ids[i];
            var now = _clock.GetCurrentInstant();
            var key = $"{campaign}/{Email}/{customerId}";
            if (_handDelivered.ContainsKey(key) || !_handCustomers.TryGetValue(customerId, out var customer))
            {
                continue;
            }

            // By index, as the dispatcher walks them (an enumerator behind the interface would be an allocation a message).
            ContactPoint? recipient = null;
            var points = customer.ContactPoints;
            for (var p = 0; p < points.Count; p++)
            {
                if (points[p].Kind == ContactPointKind.Email && points[p].IsPrimary)
                {
                    recipient = points[p].Value;
                    break;
                }
            }

            if (recipient is null || !customer.MayContact(ConsentPurpose.Marketing, Email, recipient, now).IsAllowed)
            {
                continue;
            }

            _handPending[key] = new HandPending(customerId, 1, now);
            var message = new OutboundMessage(CampaignAudience.Tenant, customerId, Email, recipient, ConsentPurpose.Marketing, CrmFunction.Marketing, CampaignAudience.Content, key, campaign);
            if ((await _channel.SendAsync(message, CancellationToken.None)).IsDelivered)
            {
                _handDelivered.Add(key, _handTouchpoints.Count);
                _handTouchpoints.Add(new HandTouchpoint(_handTouchpoints.Count, customerId, Email, now, key, _channel.Descriptor.CostPerContact, campaign));
                _handPending.Remove(key);
                sent++;
            }
        }

        return sent;
    }

    [GlobalCleanup]
    public void Cleanup() => _provider?.Dispose();

    private sealed record HandPending(CustomerId CustomerId, int Attempts, Instant At);

    private sealed record HandTouchpoint(long Id, CustomerId CustomerId, ChannelId Channel, Instant OccurredAt, string SourceKey, Money? Cost, string CampaignId);

    private sealed class NullChannel : IChannelAdapter
    {
        private static readonly DeliveryResult Ok = DeliveryResult.Delivered("null");

        public ChannelDescriptor Descriptor { get; } = new(Email, "Null email", ChannelCategory.Marketing, ChannelDirections.Outbound, ContactPointKind.Email, Money.Of(0.01m, "EUR"));

        public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken) => ValueTask.FromResult(Ok);
    }
}

using System.Net;
using BenchmarkDotNet.Attributes;
using CrmKernel.Primitives;
using CrmKernel.Samples.Channels.Webhook;
using CrmKernel.Services.Channels;
using CrmKernel.Services.Customers;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace CrmKernel.Benchmarks.Channels;

/// <summary>
/// A campaign to <see cref="Customers"/> customers through a real channel: the webhook sample's adapter POSTing each
/// message as JSON over HTTP to a receiver (Kestrel on 127.0.0.1, in this process, answering 200). What the dispatcher
/// adds to a real provider call (checks, pending entry, the delivered touchpoint on the in-memory stores), against
/// calling the same adapter directly. Both sides post one request a customer, one after the other (one client thread;
/// Kestrel answers on the thread pool, so the second core serves the receiver).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PerCustomerColumns))]
public class WebhookDispatchBenchmarks
{
    private static readonly ChannelId Webhook = new("webhook");
    private WebApplication? _receiver;
    private ServiceProvider? _provider;
    private ChannelDispatcher _dispatcher = null!;
    private WebhookChannel _channel = null!;
    private CampaignAudience _audience = null!;
    private long _received;
    private int _run;

    [Params(1_000)]
    public int Customers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _receiver = builder.Build();
        _receiver.MapPost("/hooks/crm/", () =>
        {
            Interlocked.Increment(ref _received);
            return Results.Ok();
        });
        _receiver.StartAsync().GetAwaiter().GetResult();
        var address = _receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var options = new WebhookChannelOptions { Endpoint = new Uri(new Uri(address), "/hooks/crm/"), Channel = Webhook, CostPerContact = Money.Of(0.001m, "EUR") };

        // The channel the baseline calls, and the same adapter registered the way an application registers it.
        _channel = new WebhookChannel(options);
        var clock = new BenchClock(Instant.FromUtc(2026, 3, 2, 12, 0));
        _provider = new ServiceCollection()
            .AddCrmKernel(b => b.UseInMemoryStores().UseClock(clock).AddWebhookChannel(options).UseContactPolicy(new ContactPolicy(DateTimeZone.Utc)))
            .BuildServiceProvider();
        _dispatcher = _provider.GetRequiredService<ChannelDispatcher>();
        _audience = CampaignAudience.Import(_provider.GetRequiredService<CustomerRepository>(), clock, Webhook, Customers);

        // Before timing: both sides deliver to every customer, the receiver gets one request a message, and the
        // dispatcher records one delivered touchpoint a message.
        foreach (var side in new Func<Task<int>>[] { AdapterOnly, CampaignAsRegistered })
        {
            var before = Interlocked.Read(ref _received);
            var sent = side().GetAwaiter().GetResult();
            var received = Interlocked.Read(ref _received) - before;
            if (sent != Customers || received != Customers)
            {
                throw new InvalidOperationException($"A side delivered {sent} messages and the receiver got {received} requests for {Customers} customers.");
            }
        }

        var recorded = _provider.GetRequiredService<ITouchpointStore>().CountAsync(CampaignAudience.Tenant, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        if (recorded != Customers)
        {
            throw new InvalidOperationException($"The dispatcher recorded {recorded} touchpoints for {Customers} messages.");
        }
    }

    /// <summary>The baseline; the message carries the campaign id, as the dispatcher's do, so both post the same JSON fields.</summary>
    [Benchmark(Baseline = true, Description = "WebhookChannel.SendAsync per customer (no checks, no records)")]
    public Task<int> AdapterOnly()
    {
        var campaign = $"direct-{_run++}";
        return _audience.SendDirectAsync(_channel, Webhook, campaign, campaign);
    }

    /// <summary>The same campaign through the dispatcher <c>AddCrmKernel</c> registers with <c>AddWebhookChannel</c>: what an application runs.</summary>
    [Benchmark(Description = "ChannelDispatcher.SendCampaignAsync through the webhook, as AddCrmKernel registers it")]
    public Task<int> CampaignAsRegistered() => _audience.SendCampaignAsync(_dispatcher, Webhook, $"registered-{_run++}");

    [GlobalCleanup]
    public void Cleanup()
    {
        _channel.Dispose();
        _provider?.Dispose();
        if (_receiver is not null)
        {
            _receiver.StopAsync().GetAwaiter().GetResult();
            _receiver.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}

using CrmKernel.Channels;
using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Services.Channels;
using CrmKernel.Services.Customers;
using CrmKernel.Storage;
using CrmKernel.Testing.Channels;
using CrmKernel.Touchpoints;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using NodaTime.Testing;

namespace CrmKernel.Tests.Channels;

/// <summary>A kernel on in-memory stores with a recording email channel, a fake clock and a chosen contact policy.</summary>
internal sealed class DispatchHarness : IAsyncDisposable
{
    public static readonly TenantId Tenant = new("dispatch");

    /// <summary>Monday 2 March 2026, 12:00 UTC: daytime in London and New York.</summary>
    public static readonly Instant Noon = Instant.FromUtc(2026, 3, 2, 12, 0);

    private readonly ServiceProvider _services;

    public DispatchHarness(ContactPolicy? policy = null, Instant? start = null, ITouchpointStore? touchpoints = null, params IChannelAdapter[] extraChannels)
    {
        Clock = new FakeClock(start ?? Noon);
        var services = new ServiceCollection().AddCrmKernel(b =>
        {
            b.UseInMemoryStores().UseClock(Clock).AddChannel(Channel).UseContactPolicy(policy ?? new ContactPolicy(DateTimeZone.Utc));
            foreach (var extra in extraChannels)
            {
                b.AddChannel(extra);
            }
        });
        if (touchpoints is not null)
        {
            services.AddSingleton(touchpoints);

            // The in-memory atomic capability writes to the in-memory touchpoints, not to this store: drop it, so that
            // every touchpoint goes through the store given (and customers are not moved through the lifecycle).
            services.RemoveAll<ICustomerTouchpointStore>();
        }

        _services = services.BuildServiceProvider();
        Dispatcher = _services.GetRequiredService<ChannelDispatcher>();
        Customers = _services.GetRequiredService<CustomerRepository>();
        Touchpoints = _services.GetRequiredService<ITouchpointStore>();
        Pending = _services.GetRequiredService<IPendingDispatchStore>();
    }

    public static ChannelId Email => new("test-email");

    public FakeClock Clock { get; }

    public RecordingChannel Channel { get; } = new();

    public ChannelDispatcher Dispatcher { get; }

    public CustomerRepository Customers { get; }

    public ITouchpointStore Touchpoints { get; }

    public IPendingDispatchStore Pending { get; }

    public static MessageContent Content => new("Spring offers are here.", "Spring");

    /// <summary>Registers and saves a customer with one email address, a zone, and the given consent.</summary>
    public async Task<Customer> CustomerAsync(string email = "ada@example.com", string? zone = "Europe/London", Action<Customer, EmailAddress>? consent = null)
    {
        var customer = Customer.Register(Tenant, new PersonProfile("Ada", "Lovelace"), Clock);
        var address = EmailAddress.Parse(email);
        customer.AddContactPoint(address);
        customer.ChangeHomeTimeZone(zone is null ? null : DateTimeZoneProviders.Tzdb[zone]);
        consent?.Invoke(customer, address);
        await Customers.SaveAsync(customer);
        return customer;
    }

    public static void GrantMarketing(Customer customer, EmailAddress address) => customer.GrantConsent(ConsentPurpose.Marketing, Email, address, "web-form");

    public DispatchRequest Request(Customer customer, string key = "msg-1", ConsentPurpose? purpose = null)
        => new(customer.Id, Email, purpose ?? ConsentPurpose.Marketing, CrmFunction.Marketing, Content, key);

    public async Task<List<Touchpoint>> TouchpointsOfAsync(CustomerId customer)
        => [.. await Touchpoints.PageTimelineAsync(Tenant, new TimelineFilter([customer]), null, 10_000, default)];

    public async Task<List<PendingDispatch>> PendingAsync()
    {
        var list = new List<PendingDispatch>();
        await foreach (var p in Pending.StreamAsync(Tenant, default))
        {
            list.Add(p);
        }

        return list;
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

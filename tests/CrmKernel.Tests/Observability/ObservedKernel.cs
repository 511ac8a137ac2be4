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
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Testing;

namespace CrmKernel.Tests.Observability;

/// <summary>
/// A kernel on in-memory stores with a recording channel whose loggers come from DI (<see cref="CollectingLogger{T}"/>),
/// as a host's would: one unique tenant per instance, and a customer whose name and email address must never be emitted.
/// </summary>
internal sealed class ObservedKernel : IAsyncDisposable
{
    public const string Email = "ada.lovelace@example.com";
    public const string GivenName = "Augusta";
    public const string FamilyName = "Byron-Lovelace";

    /// <summary>Monday 2 March 2026, 12:00 UTC: outside default quiet hours.</summary>
    public static readonly Instant Noon = Instant.FromUtc(2026, 3, 2, 12, 0);

    private readonly ServiceProvider _services;

    public ObservedKernel(Action<CrmKernelBuilder>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(Logs);
        services.AddSingleton(typeof(ILogger<>), typeof(CollectingLogger<>));
        services.AddCrmKernel(b =>
        {
            b.UseInMemoryStores().UseClock(Clock).AddChannel(Channel).UseContactPolicy(new ContactPolicy(DateTimeZone.Utc));
            configure?.Invoke(b);
        });
        _services = services.BuildServiceProvider();
    }

    public TenantId Tenant { get; } = new($"obs-{Guid.NewGuid():N}");

    public FakeClock Clock { get; } = new(Noon);

    public LogSink Logs { get; } = new();

    public RecordingChannel Channel { get; } = new();

    public ChannelId ChannelId => Channel.Descriptor.Id;

    public IServiceProvider Services => _services;

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Registers and saves a customer with a name and an email address, optionally granting marketing consent.</summary>
    public async Task<Customer> CustomerAsync(bool consent)
    {
        var customer = Customer.Register(Tenant, new PersonProfile(GivenName, FamilyName), Clock);
        var address = EmailAddress.Parse(Email);
        customer.AddContactPoint(address);
        if (consent)
        {
            customer.GrantConsent(ConsentPurpose.Marketing, ChannelId, address, "web-form");
        }

        await Get<CustomerRepository>().SaveAsync(customer);
        return customer;
    }

    public DispatchRequest Request(Customer customer, string key)
        => new(customer.Id, ChannelId, ConsentPurpose.Marketing, CrmFunction.Marketing, new MessageContent($"Dear {GivenName}, write to {Email}", "Hello"), key);

    public NewTouchpoint Contact(CustomerId customer, string key) => new()
    {
        CustomerId = customer,
        Channel = new ChannelId("phone"),
        Direction = InteractionDirection.Inbound,
        Function = CrmFunction.Service,
        Kind = TouchpointKind.Enquiry,
        OccurredAt = Clock.GetCurrentInstant() - Duration.FromHours(1),
        Source = new ExternalIdentifier("helpdesk", key),
    };

    /// <summary>Asserts that no span tag and no log message or value quotes the customer's name or email address.</summary>
    public void AssertNoPersonalData(SpanCollector spans)
    {
        foreach (var text in spans.AllTagValues.Concat(Logs.AllText))
        {
            Xunit.Assert.DoesNotContain(Email, text, StringComparison.OrdinalIgnoreCase);
            Xunit.Assert.DoesNotContain(GivenName, text, StringComparison.OrdinalIgnoreCase);
            Xunit.Assert.DoesNotContain(FamilyName, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

using CrmKernel.Channels;
using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Services.Channels;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Innovation;
using CrmKernel.Storage;
using CrmKernel.Testing.Channels;
using CrmKernel.Touchpoints;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;

namespace CrmKernel.Tests.Innovation;

/// <summary>A kernel on in-memory stores with a recording email channel, a fake clock at noon and the innovation service.</summary>
internal sealed class InnovationHarness : IAsyncDisposable
{
    public static readonly TenantId Tenant = new("innovation");

    public static readonly Instant Noon = Instant.FromUtc(2026, 3, 2, 12, 0);

    private readonly ServiceProvider _services;

    public InnovationHarness(IIdeaParticipantSource? extraSource = null)
    {
        var services = new ServiceCollection().AddCrmKernel(b => b.UseInMemoryStores().UseClock(Clock).AddChannel(Channel).UseContactPolicy(new ContactPolicy(DateTimeZone.Utc)));
        if (extraSource is not null)
        {
            services.AddSingleton(extraSource);
        }

        _services = services.BuildServiceProvider();
        Service = _services.GetRequiredService<InnovationService>();
        Customers = _services.GetRequiredService<CustomerRepository>();
        Touchpoints = _services.GetRequiredService<ITouchpointStore>();
        Ideas = _services.GetRequiredService<IIdeaStore>();
    }

    public static ChannelId Email => new("test-email");

    public static MessageContent Content => new("Your idea shipped in release 2.1. Thank you!", "Your idea shipped");

    public FakeClock Clock { get; } = new(Noon, Duration.FromSeconds(1));

    public RecordingChannel Channel { get; } = new();

    public InnovationService Service { get; }

    public CustomerRepository Customers { get; }

    public ITouchpointStore Touchpoints { get; }

    public IIdeaStore Ideas { get; }

    /// <summary>Registers and saves a customer with one email address, consenting to feedback messages when asked.</summary>
    public async Task<Customer> CustomerAsync(bool consents = true, string? email = null)
    {
        var customer = Customer.Register(Tenant, new PersonProfile("Ida", "Tester"), Clock);
        var address = EmailAddress.Parse(email ?? $"c{Guid.NewGuid():N}@example.com");
        customer.AddContactPoint(address);
        if (consents)
        {
            customer.GrantConsent(ConsentPurpose.Feedback, Email, address, "idea-portal");
        }

        await Customers.SaveAsync(customer);
        return customer;
    }

    public async Task<List<Touchpoint>> TimelineAsync(CustomerId customer)
        => [.. await Touchpoints.PageTimelineAsync(Tenant, new TimelineFilter([customer]), null, 10_000, default)];

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

/// <summary>A participant source that yields a fixed list (e.g. a market's traders).</summary>
internal sealed class FixedParticipants(params CustomerId[] customers) : IIdeaParticipantSource
{
    public List<CustomerId> Customers { get; } = [.. customers];

    public async IAsyncEnumerable<CustomerId> StreamParticipantsAsync(TenantId tenantId, IdeaId idea, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var customer in Customers)
        {
            await Task.Yield();
            yield return customer;
        }
    }
}

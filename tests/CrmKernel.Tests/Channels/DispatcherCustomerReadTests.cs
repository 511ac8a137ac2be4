using CrmKernel.Channels;
using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Services.Channels;
using CrmKernel.Services.Customers;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using CrmKernel.Testing.Channels;
using CrmKernel.Touchpoints;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using NodaTime.Testing;
using Xunit;
using static CrmKernel.Tests.Channels.DispatchHarness;

namespace CrmKernel.Tests.Channels;

/// <summary>
/// The dispatcher reads each customer once per dispatch: the recipient, the consent decision, the quiet-hours zone and
/// the lifecycle applied when the attempt is recorded all come from that one load. Reads are counted by a decorator
/// registered as the <see cref="ICustomerStore"/> every service reads through.
/// </summary>
public sealed class DispatcherCustomerReadTests
{
    private static readonly QuietHours Night = new(new LocalTime(21, 0), new LocalTime(8, 0));

    [Theory]
    [InlineData(true, 12)]  // sent: recipient, consent, quiet hours and the cap all checked
    [InlineData(false, 12)] // refused: no consent
    [InlineData(true, 22)]  // refused: quiet hours
    public async Task Dispatch_ReadsTheCustomerOnce(bool consent, int hour)
    {
        await using var kernel = Kernel.Create(Instant.FromUtc(2026, 3, 2, hour, 0));
        var customer = await kernel.CustomerAsync(consent);
        kernel.Reads.Reset();

        await kernel.Dispatcher.DispatchAsync(Tenant, new DispatchRequest(customer.Id, Email, ConsentPurpose.Marketing, CrmFunction.Marketing, Content, "msg-1"));

        Assert.Equal(1, kernel.Reads.Count);
    }

    [Fact]
    public async Task SendCampaign_ReadsEachCustomerOnce()
    {
        await using var kernel = Kernel.Create(Noon);
        var customers = new List<CustomerId>();
        for (var i = 0; i < 5; i++)
        {
            customers.Add((await kernel.CustomerAsync(consent: i % 2 == 0, email: $"c{i}@example.com")).Id);
        }

        kernel.Reads.Reset();

        await foreach (var _ in kernel.Dispatcher.SendCampaignAsync(Tenant, "spring", Email, ConsentPurpose.Marketing, Content, customers))
        {
        }

        Assert.Equal(customers.Count, kernel.Reads.Count);
    }

    private sealed class Kernel : IAsyncDisposable
    {
        private readonly ServiceProvider _provider;

        private Kernel(ServiceProvider provider)
        {
            _provider = provider;
            Reads = provider.GetRequiredService<CountingCustomerStore>();
            Dispatcher = provider.GetRequiredService<ChannelDispatcher>();
            Customers = provider.GetRequiredService<CustomerRepository>();
        }

        public CountingCustomerStore Reads { get; }

        public ChannelDispatcher Dispatcher { get; }

        public CustomerRepository Customers { get; }

        public FakeClock Clock { get; private init; } = null!;

        public static Kernel Create(Instant now)
        {
            var clock = new FakeClock(now);
            var channel = new RecordingChannel();
            var policy = new ContactPolicy(DateTimeZone.Utc, Night, [new FrequencyCap(channel.Descriptor.Id, 3, Duration.FromDays(7))]);
            var services = new ServiceCollection().AddCrmKernel(b => b.UseInMemoryStores().UseClock(clock).AddChannel(channel).UseContactPolicy(policy));
            // Every reader of ICustomerStore (the dispatcher's repository and the ingestion pipeline that records the attempt) counts.
            services.AddSingleton(static sp => new CountingCustomerStore(sp.GetRequiredService<InMemoryCustomerStore>()));
            services.Replace(ServiceDescriptor.Singleton<ICustomerStore>(static sp => sp.GetRequiredService<CountingCustomerStore>()));
            return new Kernel(services.BuildServiceProvider()) { Clock = clock };
        }

        public async Task<Customer> CustomerAsync(bool consent, string email = "ada@example.com")
        {
            var customer = Customer.Register(Tenant, new PersonProfile("Ada", "Lovelace"), Clock);
            var address = EmailAddress.Parse(email);
            customer.AddContactPoint(address);
            if (consent)
            {
                GrantMarketing(customer, address);
            }

            await Customers.SaveAsync(customer);
            return customer;
        }

        public ValueTask DisposeAsync() => _provider.DisposeAsync();
    }

    /// <summary>Counts every read of the store it wraps; writes pass through uncounted.</summary>
    private sealed class CountingCustomerStore(ICustomerStore inner) : ICustomerStore
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Reset() => Volatile.Write(ref _count, 0);

        public ValueTask<CustomerSnapshot?> FindAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return inner.FindAsync(tenantId, customerId, cancellationToken);
        }

        public ValueTask<CustomerSnapshot?> FindByExternalIdentifierAsync(TenantId tenantId, ExternalIdentifier identifier, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return inner.FindByExternalIdentifierAsync(tenantId, identifier, cancellationToken);
        }

        public ValueTask<IReadOnlyList<CustomerSnapshot>> ListByContactPointAsync(TenantId tenantId, ContactPoint contactPoint, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return inner.ListByContactPointAsync(tenantId, contactPoint, cancellationToken);
        }

        public ValueTask<long> CountAsync(TenantId tenantId, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return inner.CountAsync(tenantId, cancellationToken);
        }

        public ValueTask<IReadOnlyList<CustomerSnapshot>> PageAsync(TenantId tenantId, CustomerId? after, int limit, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return inner.PageAsync(tenantId, after, limit, cancellationToken);
        }

        public ValueTask CommitAsync(CustomerCommit commit, CancellationToken cancellationToken) => inner.CommitAsync(commit, cancellationToken);
    }
}

using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Events;
using CrmKernel.Primitives;
using CrmKernel.Services.Customers;
using CrmKernel.Storage;
using FsCheck.Fluent;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace CrmKernel.Testing.Storage;

/// <summary>
/// What every storage conformance kit class shares: the factory an adapter supplies, a fake clock, fresh
/// tenants, generated customers and a deep comparison of stored state. Derive from one of the kit classes
/// (<see cref="CustomerStoreConformanceTests"/>, <see cref="CustomerBulkStoreConformanceTests"/>,
/// <see cref="CrmOutboxConformanceTests"/>), not from this one.
/// </summary>
public abstract class StoreConformanceTests
{
    /// <summary>The instant the kit's clock starts at.</summary>
    protected static readonly Instant Start = Instant.FromUtc(2026, 3, 1, 9, 0);

    /// <summary>A clock that moves one millisecond per reading, so every change has its own instant.</summary>
    protected FakeClock Clock { get; } = new(Start, Duration.FromMilliseconds(1));

    /// <summary>Creates fresh, empty stores for one test. The only member an adapter's test class must supply.</summary>
    protected abstract ValueTask<CrmStores> CreateStoresAsync();

    /// <summary>A tenant no other test uses.</summary>
    protected static TenantId NewTenant() => new("kit-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>A new person customer of <paramref name="tenant"/> with one email address.</summary>
    protected Customer NewCustomer(TenantId tenant, string? email = null)
    {
        var customer = Customer.Register(tenant, new PersonProfile("Kit", "Customer"), Clock);
        customer.AddContactPoint(EmailAddress.Parse(email ?? $"c{Guid.NewGuid():N}@kit.example"));
        return customer;
    }

    /// <summary>Generated customers of <paramref name="tenant"/> with every field exercised.</summary>
    protected static Customer[] GeneratedCustomers(TenantId tenant, int count) => CrmGenerators.CustomerOf(tenant).Sample(size: 20, numberOfSamples: count);

    /// <summary>A repository over the stores under test, publishing to <paramref name="publisher"/>.</summary>
    protected CustomerRepository Repository(CrmStores stores, ICrmEventPublisher? publisher = null)
        => new(stores.Customers, Clock, publisher, stores.Outbox);

    /// <summary>Asserts that two snapshots hold the same state, field by field, naming the first difference.</summary>
    protected static void AssertSameState(CustomerSnapshot expected, CustomerSnapshot? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.TenantId, actual.TenantId);
        Assert.Equal(expected.Profile, actual.Profile);
        Assert.Equal(expected.ContactPoints, actual.ContactPoints);
        Assert.Equal(expected.ExternalIdentifiers, actual.ExternalIdentifiers);
        Assert.Equal(expected.Tags.Order(), actual.Tags.Order());
        Assert.Equal(expected.CustomAttributes.OrderBy(a => a.Key, StringComparer.Ordinal), actual.CustomAttributes.OrderBy(a => a.Key, StringComparer.Ordinal));
        Assert.Equal(expected.HomeTimeZoneId, actual.HomeTimeZoneId);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.UpdatedAt, actual.UpdatedAt);
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.LifecycleStage, actual.LifecycleStage);
        Assert.Equal(expected.LifecycleHistory, actual.LifecycleHistory);
        Assert.Equal(expected.LifecycleFacts ?? Lifecycle.LifecycleFacts.Empty, actual.LifecycleFacts ?? Lifecycle.LifecycleFacts.Empty);
        Assert.Equal(expected.Consents, actual.Consents);
    }

    /// <summary>A publisher that records what it receives, and can be told to fail.</summary>
    protected sealed class RecordingPublisher : ICrmEventPublisher
    {
        private readonly Lock _gate = new();
        private readonly List<ICrmEvent> _published = [];

        /// <summary>When true, every publish throws.</summary>
        public bool Fail { get; set; }

        /// <summary>What was published, in order.</summary>
        public IReadOnlyList<ICrmEvent> Published
        {
            get
            {
                lock (_gate)
                {
                    return [.. _published];
                }
            }
        }

        /// <inheritdoc />
        public ValueTask PublishAsync(IReadOnlyList<ICrmEvent> events, CancellationToken cancellationToken)
        {
            if (Fail)
            {
                throw new InvalidOperationException("The recording publisher was told to fail.");
            }

            lock (_gate)
            {
                _published.AddRange(events);
            }

            return ValueTask.CompletedTask;
        }
    }
}

using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Ingestion;
using CrmKernel.Touchpoints;
using NodaTime;
using Xunit;

namespace CrmKernel.Samples.Storage.Sqlite.Tests;

/// <content>Schema version 3: the customer lifecycle columns.</content>
public sealed partial class SqliteCrmStoreTests
{
    [Fact]
    public async Task Version1File_IsMigratedToTheLifecycleColumns_AndItsCustomersStartWithNoLifecycle()
    {
        var customerId = CreateVersion1File();
        await using var store = new SqliteCrmStore(_database.ConnectionString);

        var customer = await store.FindAsync(Tenant, customerId, default);
        Assert.NotNull(customer);
        Assert.Null(customer.LifecycleStage);
        Assert.Empty(customer.LifecycleHistory);
        Assert.Null(customer.LifecycleFacts);
        Assert.Equal(3L, _database.Scalar("SELECT count(*) FROM pragma_table_info('customers') WHERE name LIKE 'lifecycle_%'"));

        // The migrated customer moves through its lifecycle like a new one.
        var ingestion = new TouchpointIngestion(store.Touchpoints, _clock, DefaultLifecycleModel.Create(), store, store, null, store);
        var result = await ingestion.RecordAsync(Tenant, Purchase(customerId, "order-1"));
        Assert.Equal(DefaultLifecycleModel.FirstTimeCustomer, Assert.Single(result.Transitions).Transition.To);
        Assert.Equal("first-time-customer", _database.Scalar($"SELECT lifecycle_stage FROM customers WHERE id = '{customerId}'"));
    }

    [Fact]
    public async Task CorruptLifecycleJson_FailsLoudly_WithInvalidStoredState()
    {
        await using var store = new SqliteCrmStore(_database.ConnectionString);
        var customer = Customer.Register(Tenant, new PersonProfile("Ada", "Lovelace"), _clock);
        await new CustomerRepository(store, _clock, null, store).SaveAsync(customer);
        var ingestion = new TouchpointIngestion(store.Touchpoints, _clock, DefaultLifecycleModel.Create(), store, store, null, store);
        await ingestion.RecordAsync(Tenant, Purchase(customer.Id, "order-1"));

        _database.Execute($"UPDATE customers SET lifecycle_history = '[{{\"from\":\"prospect\"}}]' WHERE id = '{customer.Id}'");
        var e = await Assert.ThrowsAsync<InvalidStoredStateException>(async () => await store.FindAsync(Tenant, customer.Id, default));
        Assert.Equal(CrmErrorCodes.InvalidStoredState, e.ErrorCode);

        _database.Execute($"UPDATE customers SET lifecycle_history = '[]', lifecycle_stage = 'lapsed' WHERE id = '{customer.Id}'");
        await Assert.ThrowsAsync<InvalidStoredStateException>(async () => await new CustomerRepository(store, _clock).GetAsync(Tenant, customer.Id));
    }

    private static NewTouchpoint Purchase(CustomerId customer, string key) => new()
    {
        CustomerId = customer,
        Channel = new ChannelId("web"),
        Direction = InteractionDirection.Inbound,
        Function = CrmFunction.Sales,
        Kind = TouchpointKind.Purchase,
        OccurredAt = Instant.FromUtc(2026, 3, 14, 10, 30),
        Source = new ExternalIdentifier("webshop", key),
    };
}

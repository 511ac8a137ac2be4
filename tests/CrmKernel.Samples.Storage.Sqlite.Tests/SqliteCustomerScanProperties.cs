using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Services.Customers;
using CrmKernel.Storage;
using CrmKernel.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace CrmKernel.Samples.Storage.Sqlite.Tests;

/// <summary>
/// The SQLite adapter's compact customer scan (its own statement and byte reader) against its snapshot path: for any
/// generated customers (every field exercised, lifecycle walks included) each scanned row equals
/// <see cref="CustomerScanRow.From"/> of the snapshot the adapter rebuilds. One database file for the class; each case
/// writes to a tenant of its own.
/// </summary>
public sealed class SqliteCustomerScanProperties : IDisposable
{
    private readonly TempDatabase _database = new();
    private readonly SqliteCrmStore _store;

    public SqliteCustomerScanProperties() => _store = new SqliteCrmStore(_database.ConnectionString);

    public void Dispose()
    {
        _store.Dispose();
        _database.Dispose();
    }

    [Property(MaxTest = 40)]
    public Property ScannedRows_EqualTheRowsOfTheSnapshots()
        => Prop.ForAll(Gen.Choose(1, 6).ToArbitrary(), count => Run(async () =>
        {
            var tenant = new TenantId("scan-" + Guid.NewGuid().ToString("N")[..12]);
            var repository = new CustomerRepository(_store, new FakeClock(Instant.FromUtc(2026, 3, 1, 9, 0)), null, _store);
            var customers = CrmGenerators.CustomerOf(tenant).Sample(size: 20, numberOfSamples: count);
            foreach (var customer in customers)
            {
                await repository.SaveAsync(customer);
            }

            var rows = await _store.PageRowsAsync(tenant, null, 1_000, default);
            var snapshots = await _store.PageAsync(tenant, null, 1_000, default);

            Assert.Equal(customers.Select(c => c.Id).Order(), rows.Select(r => r.Id));
            Assert.Equal(snapshots.Select(CustomerScanRow.From), rows);
            Assert.Equal(customers.OrderBy(c => c.Id).Select(c => CustomerScanRow.From(c.ToSnapshot())), rows);
        }));

    /// <summary>A lifecycle history document that is not an array of transitions fails loudly, naming the table and customer.</summary>
    [Fact]
    public async Task ACorruptLifecycleHistory_IsInvalidStoredState()
    {
        var tenant = new TenantId("scan-corrupt");
        var customer = Customer.Register(tenant, new PersonProfile("Ada", null), new FakeClock(Instant.FromUtc(2026, 3, 1, 9, 0)));
        await new CustomerRepository(_store, new FakeClock(Instant.FromUtc(2026, 3, 1, 9, 0)), null, _store).SaveAsync(customer);
        Assert.Equal(1, _database.Execute($"UPDATE customers SET lifecycle_history = '[{{\"to\":\"prospect\"}}]' WHERE id = '{customer.Id}'"));

        var e = await Assert.ThrowsAsync<Diagnostics.InvalidStoredStateException>(async () => await _store.PageRowsAsync(tenant, null, 10, default));
        Assert.Contains(customer.Id.ToString(), e.Message, StringComparison.Ordinal);
    }

    private static bool Run(Func<Task> body)
    {
        Task.Run(body).GetAwaiter().GetResult();
        return true;
    }
}

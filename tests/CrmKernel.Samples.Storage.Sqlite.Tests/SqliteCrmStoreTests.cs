using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Relationships;
using CrmKernel.Services.Customers;
using CrmKernel.Storage;
using CrmKernel.Testing;
using CrmKernel.Testing.Storage;
using FsCheck.Fluent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace CrmKernel.Samples.Storage.Sqlite.Tests;

/// <summary>What the SQLite adapter does beyond the conformance kit: its file, schema, migrations and error translation.</summary>
public sealed partial class SqliteCrmStoreTests : IDisposable
{
    private static readonly TenantId Tenant = new("acme");

    private readonly TempDatabase _database = new();
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 3, 1, 9, 0), Duration.FromMilliseconds(1));

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task FirstUse_CreatesTheSchemaAtTheCurrentVersion_AndReopeningDoesNotReapplyIt()
    {
        await using (var store = new SqliteCrmStore(_database.ConnectionString))
        {
            await store.InitializeAsync(default);
        }

        Assert.Equal((long)SqliteCrmStore.SupportedSchemaVersion, _database.Scalar("SELECT max(version) FROM crm_schema"));
        Assert.Equal((long)SqliteCrmStore.SupportedSchemaVersion, _database.Scalar("SELECT count(*) FROM crm_schema"));
        var appliedAt = _database.Scalar("SELECT group_concat(applied_at) FROM crm_schema");
        foreach (var table in new[]
        {
            "customers", "customer_contact_points", "customer_identifiers", "customer_tags", "customer_attributes", "outbox",
            "touchpoints", "touchpoint_participants", "touchpoint_products", "relationships",
            "customer_consents",
        })
        {
            Assert.Equal(1L, _database.Scalar($"SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '{table}'"));
        }

        await using (var reopened = new SqliteCrmStore(_database.ConnectionString))
        {
            Assert.Equal(0, await reopened.CountAsync(Tenant, default));
        }

        Assert.Equal((long)SqliteCrmStore.SupportedSchemaVersion, _database.Scalar("SELECT count(*) FROM crm_schema"));
        Assert.Equal(appliedAt, _database.Scalar("SELECT group_concat(applied_at) FROM crm_schema"));
    }

    [Fact]
    public async Task FirstUse_PutsTheFileInWalMode()
    {
        await using var store = new SqliteCrmStore(_database.ConnectionString);
        await store.InitializeAsync(default);

        Assert.Equal("wal", _database.Scalar("PRAGMA journal_mode"));
    }

    [Fact]
    public async Task ReadConnections_MapTheFile_AndTheWriteConnectionDoesNot()
    {
        using var reader = await SqliteSession.OpenAsync(_database.ConnectionString, 1_000, readOnly: true, default);
        using var writer = await SqliteSession.OpenAsync(_database.ConnectionString, 1_000, readOnly: false, default);

        Assert.Equal(SqliteSession.ReaderMemoryMapBytes, Pragma(reader, "mmap_size"));
        Assert.Equal(0L, Pragma(writer, "mmap_size"));
        Assert.Equal(1L, Pragma(reader, "query_only"));

        static long Pragma(SqliteSession session, string name)
        {
            using var command = session.Connection.CreateCommand();
            command.CommandText = "PRAGMA " + name;
            return (long)command.ExecuteScalar()!;
        }
    }

    /// <summary>
    /// A read connection that has mapped the file sees what is written after it, before and after a checkpoint moves the
    /// write-ahead log into the file (pages the map already covers change underneath it).
    /// </summary>
    [Fact]
    public async Task AMappedReader_SeesLaterWrites_BeforeAndAfterACheckpoint()
    {
        await using var store = new SqliteCrmStore(_database.ConnectionString);
        var customers = CrmGenerators.CustomerOf(Tenant).Sample(20, 30).DistinctBy(c => c.Id).ToList();
        foreach (var customer in customers[..10])
        {
            await store.CommitAsync(CustomerCommit.Create(customer), default);
        }

        Assert.Equal(10, (await store.PageRowsAsync(Tenant, null, 1_000, default)).Count);
        Checkpoint();
        Assert.Equal(10, (await store.PageRowsAsync(Tenant, null, 1_000, default)).Count);

        foreach (var customer in customers[10..])
        {
            await store.CommitAsync(CustomerCommit.Create(customer), default);
        }

        Assert.Equal(customers.Count, (await store.PageRowsAsync(Tenant, null, 1_000, default)).Count);
        Checkpoint();
        var rows = await store.PageRowsAsync(Tenant, null, 1_000, default);
        Assert.Equal(customers.Select(c => c.Id).Order(), rows.Select(r => r.Id));
        Assert.Equal(customers.OrderBy(c => c.Id).Select(c => CustomerScanRow.From(c.ToSnapshot())), rows);

        // Not blocked: every page of the write-ahead log was moved into the file (the first column is 'busy').
        void Checkpoint() => Assert.Equal(0L, _database.Scalar("PRAGMA wal_checkpoint(TRUNCATE)"));
    }

    [Fact]
    public async Task Data_SurvivesClosingAndReopeningTheStore()
    {
        var customers = CrmGenerators.CustomerOf(Tenant).Sample(20, 12);
        var committed = new List<CustomerCommit>();
        await using (var store = new SqliteCrmStore(_database.ConnectionString))
        {
            foreach (var customer in customers)
            {
                var commit = CustomerCommit.Create(customer);
                await store.CommitAsync(commit, default);
                committed.Add(commit);
            }
        }

        await using var reopened = new SqliteCrmStore(_database.ConnectionString);
        foreach (var commit in committed)
        {
            AssertSameState(commit.Customer, await reopened.FindAsync(Tenant, commit.Customer.Id, default));
        }

        Assert.Equal(committed.Count, await reopened.CountAsync(Tenant, default));
        Assert.Equal(committed.SelectMany(c => c.Events), await reopened.ListPendingAsync(Tenant, 10_000, default));
    }

    [Fact]
    public async Task StoredValues_AreExactAndReadableText()
    {
        var created = Instant.FromUtc(2026, 3, 1, 9, 0).PlusNanoseconds(123_456_789);
        var customer = Customer.Register(Tenant, new PersonProfile("Ada", "Lovelace"), new FakeClock(created));
        customer.SetCustomAttribute("limit", CustomAttributeValue.FromNumber(79228162514264337593543950335m));
        customer.SetCustomAttribute("ratio", CustomAttributeValue.FromNumber(-0.0000000001m));
        await using var store = new SqliteCrmStore(_database.ConnectionString);
        await store.CommitAsync(CustomerCommit.Create(customer), default);

        Assert.Equal(customer.Id.Value.ToString("D").ToLowerInvariant(), _database.Scalar("SELECT id FROM customers"));
        Assert.Equal("2026-03-01T09:00:00.123456789Z", _database.Scalar("SELECT created_at FROM customers"));
        Assert.Equal("79228162514264337593543950335", _database.Scalar("SELECT value FROM customer_attributes WHERE name = 'limit'"));
        Assert.Equal("-0.0000000001", _database.Scalar("SELECT value FROM customer_attributes WHERE name = 'ratio'"));
        var stored = await store.FindAsync(Tenant, customer.Id, default);
        Assert.Equal(created, stored!.CreatedAt);
        Assert.Equal(79228162514264337593543950335m, stored.CustomAttributes["limit"].AsNumber());
    }

    [Fact]
    public async Task Pages_FollowCustomerIdOrder_ForIdsOfAnyShape()
    {
        // Keyset paging sorts the id text; that must be CustomerId order for any GUID, not only version-7 ones
        // (random GUIDs set the high bits that a signed comparison would order differently).
        await using var store = new SqliteCrmStore(_database.ConnectionString);
        var ids = new List<CustomerId>
        {
            new(Guid.Parse("ffffffff-ffff-ffff-ffff-ffffffffffff")),
            new(Guid.Parse("80000000-8000-8000-8000-800000000000")),
            new(Guid.Parse("7fffffff-7fff-7fff-7fff-7fffffffffff")),
            new(Guid.Parse("00000000-0000-0000-0000-000000000001")),
        };
        ids.AddRange(Enumerable.Range(0, 60).Select(_ => new CustomerId(Guid.NewGuid())));
        foreach (var id in ids)
        {
            var customer = Customer.Register(Tenant, id, new PersonProfile("Ada", "Lovelace"), _clock);
            await store.CommitAsync(CustomerCommit.Create(customer), default);
        }

        var paged = new List<CustomerId>();
        CustomerId? after = null;
        IReadOnlyList<CustomerSnapshot> page;
        do
        {
            page = await store.PageAsync(Tenant, after, 7, default);
            paged.AddRange(page.Select(s => s.Id));
            after = page.Count > 0 ? page[^1].Id : after;
        }
        while (page.Count == 7);

        Assert.Equal(ids.Order(), paged);
    }

    [Fact]
    public async Task NewerSchemaVersion_IsRefused_NamingTheFile_AndChangingNothing()
    {
        await using (var store = new SqliteCrmStore(_database.ConnectionString))
        {
            await store.InitializeAsync(default);
        }

        var newer = SqliteCrmStore.SupportedSchemaVersion + 1;
        _database.Execute($"INSERT INTO crm_schema (version) VALUES ({newer})");

        await using var old = new SqliteCrmStore(_database.ConnectionString);
        var error = await Assert.ThrowsAsync<UnsupportedSchemaVersionException>(async () => await old.CountAsync(Tenant, default));
        Assert.Equal(CrmErrorCodes.UnsupportedSchemaVersion, error.ErrorCode);
        Assert.Equal(newer, error.StoredVersion);
        Assert.Equal(SqliteCrmStore.SupportedSchemaVersion, error.SupportedVersion);
        Assert.Contains(_database.FilePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);

        // Every later call is refused the same way, and the file is left as it was.
        await Assert.ThrowsAsync<UnsupportedSchemaVersionException>(async () => await old.InitializeAsync(default));
        await Assert.ThrowsAsync<UnsupportedSchemaVersionException>(async () => await old.CommitAsync(CustomerCommit.Create(NewCustomer()), default));
        Assert.Equal((long)newer, _database.Scalar("SELECT max(version) FROM crm_schema"));
        Assert.Equal(0L, _database.Scalar("SELECT count(*) FROM customers"));
    }

    [Fact]
    public async Task NewerSchemaVersion_IsRefused_BeforeTheFileIsTouched()
    {
        // A file from a future adapter that still uses the default rollback journal: refusing it must not switch it to WAL.
        var newer = SqliteCrmStore.SupportedSchemaVersion + 1;
        _database.Execute($"CREATE TABLE crm_schema (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL); INSERT INTO crm_schema VALUES ({newer}, '2030-01-01T00:00:00Z')");

        await using var old = new SqliteCrmStore(_database.ConnectionString);
        await Assert.ThrowsAsync<UnsupportedSchemaVersionException>(async () => await old.InitializeAsync(default));

        Assert.Equal("delete", _database.Scalar("PRAGMA journal_mode"));
        Assert.Equal(1L, _database.Scalar("SELECT count(*) FROM sqlite_schema"));
    }

    /// <summary>A row edited by hand (or by another tool) fails loudly, naming the table and the customer, never the value.</summary>
    [Theory]
    [InlineData("customers", "UPDATE customers SET home_time_zone = 'Mars/Olympus_Mons'", "Mars/Olympus_Mons")]
    [InlineData("customers", "UPDATE customers SET kind = 'robot'", "robot")]
    [InlineData("customers", "UPDATE customers SET created_at = 'yesterday'", "yesterday")]
    [InlineData("customers", "UPDATE customers SET birth_date = '1815-02-30'", "1815-02-30")]
    [InlineData("customers", "UPDATE customers SET given_name = NULL, family_name = NULL", null)]
    [InlineData("customer_contact_points", "UPDATE customer_contact_points SET kind = 'fax'", "fax")]
    [InlineData("customer_contact_points", "UPDATE customer_contact_points SET is_primary = 7", null)]
    [InlineData("customer_identifiers", "UPDATE customer_identifiers SET source = 'Not A Source!'", "Not A Source!")]
    [InlineData("customer_tags", "UPDATE customer_tags SET tag = 'not a tag!'", "not a tag!")]
    [InlineData("customer_attributes", "UPDATE customer_attributes SET value = 'twelve'", "twelve")]
    [InlineData("customer_attributes", "UPDATE customer_attributes SET type = 'colour'", "colour")]
    public async Task HandEditedRow_IsInvalidStoredState_NamingTableAndCustomer(string table, string edit, string? editedValue)
    {
        var customer = await StoreEditableCustomerAsync(edit);
        await using var store = new SqliteCrmStore(_database.ConnectionString);

        await AssertInvalidAsync(store, customer, table, editedValue);
    }

    [Fact]
    public async Task HandEditedEmail_IsInvalidStoredState_NamingTheContactPointTable()
    {
        var customer = await StoreEditableCustomerAsync("UPDATE customer_contact_points SET value = 'not-an-email' WHERE kind = 'email'");
        await using var store = new SqliteCrmStore(_database.ConnectionString);

        await AssertInvalidAsync(store, customer, "customer_contact_points", "not-an-email");
    }

    [Fact]
    public async Task HandEditedInvariant_IsLeftToTheKernelsRehydration()
    {
        var customer = NewCustomer();
        customer.AddContactPoint(EmailAddress.Parse("second@example.test"));
        await using var store = new SqliteCrmStore(_database.ConnectionString);
        await store.CommitAsync(CustomerCommit.Create(customer), default);
        _database.Execute("UPDATE customer_contact_points SET is_primary = 1");

        // Every value parses, so the store returns the snapshot; Customer.Rehydrate refuses two primary emails.
        Assert.NotNull(await store.FindAsync(Tenant, customer.Id, default));
        var repository = new CustomerRepository(store, _clock, null, store);
        var error = await Assert.ThrowsAsync<InvalidStoredStateException>(async () => await repository.GetAsync(Tenant, customer.Id));
        Assert.Equal(customer.Id.Value.ToString(), error.Key);
    }

    /// <summary>
    /// Two stores stand for two processes sharing the file: they serialise on SQLite's write lock, not in memory. The
    /// kit's forced race runs over them (its writers alternate between the two stores): in every round all writers read
    /// before any commits, then all commits are released together, so every round has exactly one winner and the losers
    /// fail with the concurrency code. A store whose version check is not inside the write transaction lets two win, on
    /// every run.
    /// </summary>
    [Fact]
    public Task TwoStoresOnOneFile_WriteConcurrently_WithoutLosingAnUpdate()
        => new TwoStoresOnOneFileRace(_database.ConnectionString).ConcurrentWriters_WithRetry_LoseNoUpdate();

    [Fact]
    public async Task UseSqlite_RegistersOneStore_AsEveryStorageInterface()
    {
        var services = new ServiceCollection();
        services.AddCrmKernel(b => b.UseInMemoryStores().UseSqlite(_database.ConnectionString));
        SqliteCrmStore store;
        await using (var provider = services.BuildServiceProvider())
        {
            store = provider.GetRequiredService<SqliteCrmStore>();
            Assert.Same(store, provider.GetRequiredService<ICustomerStore>());
            Assert.True(provider.GetRequiredService<CustomerRepository>().SupportsBulkImport);
            Assert.Same(store, provider.GetRequiredService<ICrmOutbox>());
            Assert.Same(store.Touchpoints, provider.GetRequiredService<ITouchpointStore>());
            Assert.Same(store.Relationships, provider.GetRequiredService<IRelationshipStore>());
            Assert.Same(store.PendingDispatches, provider.GetRequiredService<CrmKernel.Channels.IPendingDispatchStore>());

            var customer = NewCustomer();
            await provider.GetRequiredService<CustomerRepository>().SaveAsync(customer);
            Assert.Equal(1L, _database.Scalar("SELECT count(*) FROM customers"));
        }

        // The container owns the store and closed it with the provider.
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.CountAsync(Tenant, default));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.Touchpoints.CountAsync(Tenant, default));
    }

    [Fact]
    public void UseSqlite_RejectsUnusableConnectionStrings_WhenRegistered()
    {
        var services = new ServiceCollection();
        Assert.Equal("builder", Assert.Throws<ArgumentNullException>(() => SqliteCrmKernelBuilderExtensions.UseSqlite(null!, "Data Source=crm.db")).ParamName);
        services.AddCrmKernel(b =>
        {
            Assert.Equal("connectionString", Assert.Throws<ArgumentNullException>(() => b.UseSqlite(null!)).ParamName);
            foreach (var bad in new[] { "", "  ", "Data Source=", "Data Source=:memory:", "Data Source=crm.db;Mode=Memory", "Data Source=crm.db;Mode=ReadOnly", "Colour=blue" })
            {
                Assert.Equal("connectionString", Assert.ThrowsAny<ArgumentException>(() => b.UseSqlite(bad)).ParamName);
            }
        });
    }

    [Fact]
    public async Task DisposedStore_RefusesEveryCall()
    {
        var store = new SqliteCrmStore(_database.ConnectionString);
        await store.CommitAsync(CustomerCommit.Create(NewCustomer()), default);
        await store.DisposeAsync();
        store.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.CountAsync(Tenant, default));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.CommitAsync(CustomerCommit.Create(NewCustomer()), default));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.ListPendingAsync(Tenant, 10, default));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.InitializeAsync(default));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.Touchpoints.FindAsync(Tenant, TouchpointId.New(), default));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.Relationships.ListByPartyAsync(Tenant, CustomerId.New(), default));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.Relationships.CommitAsync(
            Relationship.Create(Tenant, RelationshipId.New(), RelationshipType.Colleague, CustomerId.New(), CustomerId.New(), false, _clock.GetCurrentInstant(), null, 1), 0, default));
    }

    [Fact]
    public async Task CancelledInitialization_Throws_AndLeavesTheFileUntouched()
    {
        await using var store = new SqliteCrmStore(_database.ConnectionString);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.InitializeAsync(cancelled.Token));
        Assert.False(File.Exists(_database.FilePath));
    }

    private Customer NewCustomer()
    {
        var customer = Customer.Register(Tenant, new PersonProfile("Ada", "Lovelace", birthDate: new LocalDate(1815, 12, 10)), _clock);
        customer.AddContactPoint(EmailAddress.Parse($"c{Guid.NewGuid():N}@example.test"));
        return customer;
    }

    /// <summary>Stores a customer with a row in every table, then applies <paramref name="edit"/> to the file directly.</summary>
    private async Task<Customer> StoreEditableCustomerAsync(string edit)
    {
        var customer = NewCustomer();
        customer.AddExternalIdentifier(new ExternalIdentifier("erp", "E-1"));
        customer.Tag(new CustomerTag("vip"));
        customer.SetCustomAttribute("limit", CustomAttributeValue.FromNumber(12.5m));
        customer.ChangeHomeTimeZone(DateTimeZoneProviders.Tzdb["Europe/London"]);
        await using (var store = new SqliteCrmStore(_database.ConnectionString))
        {
            await store.CommitAsync(CustomerCommit.Create(customer), default);
        }

        Assert.True(_database.Execute(edit) > 0);
        return customer;
    }

    private async Task AssertInvalidAsync(SqliteCrmStore store, Customer customer, string table, string? editedValue)
    {
        var repository = new CustomerRepository(store, _clock, null, store);
        var reads = new Func<Task>[]
        {
            async () => await store.FindAsync(Tenant, customer.Id, default),
            async () => await store.PageAsync(Tenant, null, 10, default),
            async () => await repository.GetAsync(Tenant, customer.Id),
        };
        foreach (var read in reads)
        {
            var error = await Assert.ThrowsAsync<InvalidStoredStateException>(read);
            Assert.Equal(CrmErrorCodes.InvalidStoredState, error.ErrorCode);
            Assert.Equal(table, error.Origin);
            Assert.Equal(customer.Id.ToString(), error.Key);
            if (editedValue is not null)
            {
                Assert.DoesNotContain(editedValue, error.Message, StringComparison.Ordinal);
            }
        }
    }

    private static void AssertSameState(CustomerSnapshot expected, CustomerSnapshot? actual)
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
    }

    /// <summary>The kit's customer race on one file, its writers alternating between two stores (not discovered as a test class).</summary>
    private sealed class TwoStoresOnOneFileRace(string connectionString) : CustomerStoreConformanceTests
    {
        private readonly SqliteCrmStore _second = new(connectionString);
        private int _opened;

        protected override int UpdatesPerWriter => 25;

        protected override ValueTask<CrmStores> CreateStoresAsync()
        {
            var first = new SqliteCrmStore(connectionString);
            return ValueTask.FromResult(new CrmStores(first, first, dispose: async () =>
            {
                await first.DisposeAsync();
                await _second.DisposeAsync();
            }));
        }

        // Even writers use the test's first store, odd ones the second; the kit disposes only what is not the first.
        protected override ValueTask<CrmStores> OpenAnotherConnectionAsync(CrmStores stores)
            => ValueTask.FromResult(Interlocked.Increment(ref _opened) % 2 == 1 ? stores : new CrmStores(_second, _second));
    }
}

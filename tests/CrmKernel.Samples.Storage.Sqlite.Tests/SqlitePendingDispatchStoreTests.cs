using CrmKernel.Channels;
using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Services.Channels;
using CrmKernel.Services.Customers;
using CrmKernel.Testing.Channels;
using CrmKernel.Touchpoints;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace CrmKernel.Samples.Storage.Sqlite.Tests;

/// <summary>The SQLite pending-dispatch store passes the pending-dispatch conformance kit, each test on a fresh database file.</summary>
public sealed class SqlitePendingDispatchStoreConformanceTests : PendingDispatchStoreConformanceTests, IDisposable
{
    private readonly List<(SqliteCrmStore Store, TempDatabase Database)> _opened = [];

    public void Dispose()
    {
        foreach (var (store, database) in _opened)
        {
            store.Dispose();
            database.Dispose();
        }
    }

    protected override ValueTask<IPendingDispatchStore> CreateStoreAsync()
    {
        var database = new TempDatabase();
        var store = new SqliteCrmStore(database.ConnectionString);
        _opened.Add((store, database));
        return ValueTask.FromResult<IPendingDispatchStore>(store.PendingDispatches);
    }
}

/// <summary>Pending dispatches in SQLite: they survive a restart, read in order past one page, and a hand-edited row fails loudly.</summary>
public sealed class SqlitePendingDispatchStoreTests : IDisposable
{
    private static readonly TenantId Tenant = new("pending");
    private static readonly Instant Noon = Instant.FromUtc(2026, 3, 2, 12, 0);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task AMessageKeptAfterAnAdapterFailure_SurvivesReopening_AndIsDeliveredExactlyOnceByRetry()
    {
        var clock = new FakeClock(Noon);
        var firstChannel = new RecordingChannel();
        firstChannel.FailNext(DeliveryResult.Retryable("HTTP 503"));
        CustomerId customerId;
        await using (var first = Kernel(clock, firstChannel))
        {
            Assert.IsType<SqlitePendingDispatchStore>(first.GetRequiredService<IPendingDispatchStore>());
            var customer = Customer.Register(Tenant, new PersonProfile("Ada", "Lovelace"), clock);
            customer.AddContactPoint(EmailAddress.Parse("ada@example.com"));
            customer.RecordConsent(new ConsentEntry(ConsentPurpose.Service, null, null, ConsentStatus.Granted, LawfulBasis.Contract, "order", customer.CreatedAt, "order 1001"));
            await first.GetRequiredService<CustomerRepository>().SaveAsync(customer);
            customerId = customer.Id;

            var failed = await first.GetRequiredService<ChannelDispatcher>().DispatchAsync(Tenant, Request(customerId));
            Assert.Equal(DispatchOutcome.Failed, failed.Outcome);
            Assert.True(failed.KeptForRetry);
            Assert.Empty(firstChannel.Delivered);
        }

        // The first process is gone: only the file remains.
        Assert.Equal(1L, _database.Scalar("SELECT count(*) FROM pending_dispatches"));
        clock.Advance(Duration.FromMinutes(10));
        var secondChannel = new RecordingChannel();
        await using (var second = Kernel(clock, secondChannel))
        {
            var dispatcher = second.GetRequiredService<ChannelDispatcher>();
            var kept = Assert.Single(await ListAsync(second.GetRequiredService<IPendingDispatchStore>()));
            Assert.Equal(1, kept.Attempts);
            Assert.Equal("HTTP 503", kept.LastReason);
            Assert.Equal(new TouchpointKind("order-update"), kept.Request.Kind);

            var retried = await ToListAsync(dispatcher.RetryPendingAsync(Tenant));
            Assert.Equal(DispatchOutcome.Sent, Assert.Single(retried).Outcome);
            Assert.Empty(await ToListAsync(dispatcher.RetryPendingAsync(Tenant)));
            Assert.Equal(DispatchOutcome.AlreadySent, (await dispatcher.DispatchAsync(Tenant, Request(customerId))).Outcome);

            var delivered = Assert.Single(secondChannel.Calls);
            Assert.Equal("order-1001/shipped", delivered.IdempotencyKey);
            Assert.Equal("Your order has shipped.", delivered.Content.Body);
            Assert.Equal(EmailAddress.Parse("ada@example.com"), delivered.Recipient);
            Assert.Empty(await ListAsync(second.GetRequiredService<IPendingDispatchStore>()));
        }

        Assert.Equal(0L, _database.Scalar("SELECT count(*) FROM pending_dispatches"));
        Assert.Equal(1L, _database.Scalar("SELECT count(*) FROM touchpoints WHERE source = 'dispatch' AND outcome = 'delivered'"));
    }

    [Fact]
    public async Task ReadAll_StreamsPastOnePage_OldestFirst_ThenKeyOrder()
    {
        await using var store = new SqliteCrmStore(_database.ConnectionString);
        var pending = store.PendingDispatches;
        const int count = 600; // more than two pages of the store's reads
        for (var i = count - 1; i >= 0; i--)
        {
            // Pairs of entries share an instant, so the order inside a pair (and across a page boundary) is the key's.
            await pending.SaveAsync(Pending($"k{i:D4}", Noon + Duration.FromSeconds(i / 2)), default);
        }

        var keys = (await ListAsync(pending)).Select(p => p.DispatchKey).ToList();
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"k{i:D4}"), keys);
    }

    [Fact]
    public async Task ARecipientAndNoSubject_RoundTrip()
    {
        await using var store = new SqliteCrmStore(_database.ConnectionString);
        var request = new DispatchRequest(CustomerId.New(), new ChannelId("sms"), ConsentPurpose.Marketing, CrmFunction.Marketing, new MessageContent("Hi"), "k", PhoneNumber.Parse("+442079460958"));
        await store.PendingDispatches.SaveAsync(new PendingDispatch(Tenant, request, 4, Noon), default);

        var found = await store.PendingDispatches.FindAsync(Tenant, "k", default);
        Assert.Equal(PhoneNumber.Parse("+442079460958"), found!.Request.Recipient);
        Assert.Null(found.Request.Content.Subject);
        Assert.Null(found.Request.CampaignId);
        Assert.Equal(TouchpointKind.CampaignContact, found.Request.Kind);
        Assert.Null(found.LastReason);
        Assert.Equal(4, found.Attempts);
    }

    [Theory]
    [InlineData("UPDATE pending_dispatches SET attempts = 0", "attempts")]
    [InlineData("UPDATE pending_dispatches SET function = 'support'", "function")]
    [InlineData("UPDATE pending_dispatches SET last_attempt_at = '2026-03-02T12:00:00Z'", "last_attempt_at")]
    [InlineData("UPDATE pending_dispatches SET recipient_value = NULL", "recipient_kind")]
    public async Task AHandEditedRow_FailsLoudly_NamingTheTableAndKey(string edit, string column)
    {
        await using var store = new SqliteCrmStore(_database.ConnectionString);
        var request = new DispatchRequest(CustomerId.New(), new ChannelId("sms"), ConsentPurpose.Marketing, CrmFunction.Marketing, new MessageContent("Hi"), "order-7", PhoneNumber.Parse("+442079460958"));
        await store.PendingDispatches.SaveAsync(new PendingDispatch(Tenant, request, 1, Noon), default);
        Assert.Equal(1, _database.Execute(edit));

        var error = await Assert.ThrowsAsync<InvalidStoredStateException>(async () => await store.PendingDispatches.FindAsync(Tenant, "order-7", default));
        Assert.Contains("pending_dispatches", error.Message, StringComparison.Ordinal);
        Assert.Contains("order-7", error.Message, StringComparison.Ordinal);
        Assert.Contains(column, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("2079460958", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAttemptBeforeYearZero_IsRefused_AndADisposedStoreThrows()
    {
        var store = new SqliteCrmStore(_database.ConnectionString);
        var early = Pending("k", Instant.FromUtc(-1, 12, 31, 0, 0));
        Assert.Equal("dispatch", (await Assert.ThrowsAsync<ArgumentException>(async () => await store.PendingDispatches.SaveAsync(early, default))).ParamName);

        await store.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.PendingDispatches.SaveAsync(Pending("k", Noon), default));
    }

    private ServiceProvider Kernel(FakeClock clock, RecordingChannel channel)
        => new ServiceCollection()
            .AddCrmKernel(b => b.AddChannel(channel).UseSqlite(_database.ConnectionString).UseClock(clock))
            .BuildServiceProvider();

    private static DispatchRequest Request(CustomerId customer)
        => new(customer, new ChannelId("test-email"), ConsentPurpose.Service, CrmFunction.Service, new MessageContent("Your order has shipped.", "Shipped"), "order-1001/shipped", kind: new TouchpointKind("order-update"));

    private static PendingDispatch Pending(string key, Instant at)
        => new(Tenant, new DispatchRequest(CustomerId.New(), new ChannelId("test-email"), ConsentPurpose.Service, CrmFunction.Service, new MessageContent("Body"), key), 1, at);

    private static async Task<List<PendingDispatch>> ListAsync(IPendingDispatchStore store)
        => await ToListAsync(store.StreamAsync(Tenant, default));

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }
}

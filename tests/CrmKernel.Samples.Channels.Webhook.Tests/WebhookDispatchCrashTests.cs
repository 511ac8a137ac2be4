using CrmKernel.Channels;
using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Services.Channels;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Ingestion;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using CrmKernel.Testing.Channels;
using CrmKernel.Touchpoints;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace CrmKernel.Samples.Channels.Webhook.Tests;

/// <summary>
/// The dispatcher over the webhook channel when the process dies after the receiver accepted a message and before the
/// dispatcher recorded it (docs/reliability.md): the retry of a fresh dispatcher carries the same <c>Idempotency-Key</c>
/// header, so a receiver that deduplicates by it acts once; and a withdrawal of consent before the retry stops the resend.
/// </summary>
public sealed class WebhookDispatchCrashTests : IAsyncLifetime
{
    private const string Key = "order-1001/shipped";
    private readonly WebhookServer _server = new();
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 3, 2, 10, 0));
    private readonly TenantId _tenant = new("acme");
    private readonly CrashingTouchpointStore _touchpoints = new(new InMemoryTouchpointStore());
    private readonly InMemoryPendingDispatchStore _pending = new();
    private WebhookChannel _channel = null!;
    private CustomerRepository _customers = null!;
    private DispatchRequest _request = null!;

    public async Task InitializeAsync()
    {
        _channel = new WebhookChannel(WebhookChannelTests.Options(_server.Endpoint));
        var outbox = new InMemoryCrmOutbox();
        _customers = new CustomerRepository(new InMemoryCustomerStore(outbox), _clock, null, outbox);
        var ada = Customer.Register(_tenant, new PersonProfile("Ada", "Lovelace"), _clock);
        ada.AddContactPoint(EmailAddress.Parse("ada@example.com"));
        ada.GrantConsent(ConsentPurpose.Marketing, _channel.Descriptor.Id, null, "web-form:signup");
        await _customers.SaveAsync(ada);
        _request = new DispatchRequest(ada.Id, _channel.Descriptor.Id, ConsentPurpose.Marketing, CrmFunction.Marketing, new MessageContent("Spring sale.", "Spring"), dispatchKey: Key);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task CrashAfterTheReceiverAccepted_RetrySendsTheSameKeyHeader_AndTheReceiverActsOnce()
    {
        _touchpoints.CrashOnDeliveredRecord = true;
        await Assert.ThrowsAsync<SimulatedCrashException>(async () => await Dispatcher().DispatchAsync(_tenant, _request));
        Assert.Single(_server.Requests);

        var results = new List<DispatchResult>();
        await foreach (var result in Dispatcher().RetryPendingAsync(_tenant))
        {
            results.Add(result);
        }

        Assert.Equal(DispatchOutcome.Sent, Assert.Single(results).Outcome);
        Assert.Equal(2, _server.Requests.Count);
        Assert.All(_server.Requests, r => Assert.Equal(Key, r.IdempotencyKey));
        Assert.Equal(Key, WebhookServer.Json(Assert.Single(_server.Processed)).GetProperty("idempotencyKey").GetString());
        Assert.Null(await _pending.FindAsync(_tenant, Key, CancellationToken.None));
    }

    [Fact]
    public async Task CrashAfterTheReceiverAccepted_ConsentWithdrawnBeforeRetry_NoSecondRequest()
    {
        _touchpoints.CrashOnDeliveredRecord = true;
        await Assert.ThrowsAsync<SimulatedCrashException>(async () => await Dispatcher().DispatchAsync(_tenant, _request));
        var ada = await _customers.GetAsync(_tenant, _request.CustomerId);
        ada.WithdrawConsent(ConsentPurpose.Marketing, _channel.Descriptor.Id, null, "unsubscribe-link");
        await _customers.SaveAsync(ada);

        var results = new List<DispatchResult>();
        await foreach (var result in Dispatcher().RetryPendingAsync(_tenant))
        {
            results.Add(result);
        }

        Assert.Equal(DispatchRefusal.ConsentRefused, Assert.Single(results).Refusal);
        Assert.Single(_server.Requests);
        Assert.Null(await _pending.FindAsync(_tenant, Key, CancellationToken.None));
    }

    /// <summary>A dispatcher as a freshly started process builds it, over the same stores and receiver.</summary>
    private ChannelDispatcher Dispatcher()
        => new([_channel], _customers, new TouchpointIngestion(_touchpoints, _clock), _touchpoints, _pending, ContactPolicy.Default, _clock);
}

using System.Diagnostics.Metrics;
using CrmKernel.Channels;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Events;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Services.Channels;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Events;
using CrmKernel.Services.Ingestion;
using CrmKernel.Services.Lifecycle;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using CrmKernel.Touchpoints;
using Microsoft.Extensions.Logging;
using Xunit;

namespace CrmKernel.Tests.Observability;

public sealed class LoggingTests
{
    [Fact]
    public async Task DispatchRefused_IsLoggedThroughDi_AsInformation1001_WithReasonCodeCustomerAndChannel()
    {
        await using var kernel = new ObservedKernel();
        var customer = await kernel.CustomerAsync(consent: false);

        await kernel.Get<ChannelDispatcher>().DispatchAsync(kernel.Tenant, kernel.Request(customer, "m-1"));

        var entry = Assert.Single(kernel.Logs.WithId(1001));
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Equal("DispatchRefused", entry.EventId.Name);
        Assert.Equal(typeof(ChannelDispatcher).FullName, entry.Category);
        Assert.Equal(DispatchRefusal.NoLawfulBasis, entry["Refusal"]);
        Assert.Equal(customer.Id, entry["CustomerId"]);
        Assert.Equal(kernel.ChannelId, entry["ChannelId"]);
        Assert.Contains(nameof(DispatchRefusal.NoLawfulBasis), entry.Message, StringComparison.Ordinal);
        using var spans = new SpanCollector();
        kernel.AssertNoPersonalData(spans);
    }

    [Fact]
    public async Task FailedSend_IsAWarning1002_AndItsRetry_IsInformation1003()
    {
        await using var kernel = new ObservedKernel();
        var customer = await kernel.CustomerAsync(consent: true);
        var dispatcher = kernel.Get<ChannelDispatcher>();
        kernel.Channel.FailNext(DeliveryResult.Retryable($"mailbox {ObservedKernel.Email} is full"));

        await dispatcher.DispatchAsync(kernel.Tenant, kernel.Request(customer, "m-1"));
        await foreach (var _ in dispatcher.RetryPendingAsync(kernel.Tenant))
        {
        }

        var failed = Assert.Single(kernel.Logs.WithId(1002));
        Assert.Equal(LogLevel.Warning, failed.Level);
        Assert.Equal(DeliveryStatus.FailedRetryable, failed["DeliveryStatus"]);
        Assert.Equal(true, failed["KeptForRetry"]);
        var retry = Assert.Single(kernel.Logs.WithId(1003));
        Assert.Equal(LogLevel.Information, retry.Level);
        Assert.Equal(1, retry["Attempts"]);
        using var spans = new SpanCollector();
        kernel.AssertNoPersonalData(spans);
    }

    [Fact]
    public async Task PublishFailureAfterCommit_IsAWarning1201_WithTheExceptionAndEventCount_AndIsCounted()
    {
        await using var kernel = new ObservedKernel(b => b.UseEventPublisher<ThrowingPublisher>());
        long counted = 0;
        using var meter = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == CrmDiagnostics.MeterName && instrument.Name == "crmkernel.events.publish_failures")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        // Other tests may fail publishes at the same time: the count is at least this test's events.
        meter.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref counted, value));
        meter.Start();

        await kernel.CustomerAsync(consent: false);

        var entry = Assert.Single(kernel.Logs.WithId(1201));
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.IsType<InvalidOperationException>(entry.Exception);
        Assert.True((int)entry["EventCount"]! >= 1);
        Assert.Equal(kernel.Tenant, entry["TenantId"]);
        Assert.True(Interlocked.Read(ref counted) >= (int)entry["EventCount"]!);
    }

    [Fact]
    public async Task RelayFailure_IsAnError1202_AndTheExceptionStillReachesTheCaller()
    {
        await using var kernel = new ObservedKernel(b => b.UseEventPublisher<ThrowingPublisher>());
        await kernel.CustomerAsync(consent: false);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await kernel.Get<CrmEventRelay>().PublishPendingAsync(kernel.Tenant));

        var entry = Assert.Single(kernel.Logs.WithId(1202));
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Equal(typeof(CrmEventRelay).FullName, entry.Category);
        Assert.IsType<InvalidOperationException>(entry.Exception);
    }

    [Fact]
    public async Task LostConcurrencyRace_IsRetried_AndLoggedAsInformation1101()
    {
        var logs = new LogSink();
        await using var kernel = new ObservedKernel();
        var customer = await kernel.CustomerAsync(consent: false);
        var customers = kernel.Get<InMemoryCustomerStore>();
        var touchpoints = kernel.Get<InMemoryTouchpointStore>();
        var atomic = new ConflictOnce(new InMemoryCustomerTouchpointStore(customers, touchpoints));
        var ingestion = new TouchpointIngestion(touchpoints, kernel.Clock, DefaultLifecycleModel.Create(), customers, atomic, logger: logs.For<TouchpointIngestion>());

        await ingestion.RecordAsync(kernel.Tenant, kernel.Contact(customer.Id, "T-1"));

        var entry = Assert.Single(logs.WithId(1101));
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Equal(customer.Id, entry["CustomerId"]);
        Assert.Equal(2, entry["Attempt"]);
        Assert.Equal(LifecycleService.MaxAttempts, entry["MaxAttempts"]);
    }

    [Fact]
    public async Task ServicesBuiltWithoutALogger_StillWork()
    {
        var outbox = new InMemoryCrmOutbox();
        var repository = new CustomerRepository(new InMemoryCustomerStore(outbox), NodaTime.SystemClock.Instance, new ThrowingPublisher(), outbox);
        var customer = Customer.Register(new TenantId("no-logger"), new PersonProfile("A", "B"), NodaTime.SystemClock.Instance);

        await repository.SaveAsync(customer);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await new CrmEventRelay(outbox, new ThrowingPublisher()).PublishPendingAsync(customer.TenantId));
    }

    private sealed class ThrowingPublisher : ICrmEventPublisher
    {
        public ValueTask PublishAsync(IReadOnlyList<ICrmEvent> events, CancellationToken cancellationToken)
            => throw new InvalidOperationException("the bus is down");
    }

    private sealed class ConflictOnce(ICustomerTouchpointStore inner) : ICustomerTouchpointStore
    {
        private int _calls;

        public ValueTask<TouchpointAppendResult> AppendWithCustomerAsync(TenantId tenantId, Touchpoint touchpoint, CustomerCommit? commit, CancellationToken cancellationToken)
            => Interlocked.Increment(ref _calls) == 1
                ? throw new ConcurrencyConflictException("customer", touchpoint.CustomerId.ToString(), 1, 2)
                : inner.AppendWithCustomerAsync(tenantId, touchpoint, commit, cancellationToken);

        public ValueTask<TouchpointAppendResult> AppendManyWithCustomerAsync(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, CustomerCommit? commit, CancellationToken cancellationToken)
            => inner.AppendManyWithCustomerAsync(tenantId, touchpoints, commit, cancellationToken);
    }
}

using System.Diagnostics;
using CrmKernel.Channels;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Services.Channels;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Ingestion;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using Xunit;

namespace CrmKernel.Tests.Observability;

public sealed class TracingTests
{
    [Fact]
    public async Task SaveAsync_EmitsACommitSpan_WithTenantCustomerVersionAndEventCount()
    {
        await using var kernel = new ObservedKernel();
        using var spans = new SpanCollector();

        var customer = await kernel.CustomerAsync(consent: true);

        var commit = Assert.Single(spans.Named("crm.customer.commit"));
        Assert.Equal(kernel.Tenant.Value, commit.GetTagItem("crm.tenant.id"));
        Assert.Equal(customer.Id.ToString(), commit.GetTagItem("crm.customer.id"));
        Assert.Equal(1L, commit.GetTagItem("crm.customer.version"));
        Assert.Equal(true, commit.GetTagItem("crm.customer.insert"));
        Assert.True((int)commit.GetTagItem("crm.event.count")! >= 2);
        Assert.Equal(ActivityStatusCode.Unset, commit.Status);
        kernel.AssertNoPersonalData(spans);
    }

    [Fact]
    public async Task SaveAsync_OfAStaleCopy_EndsTheCommitSpanWithErrorStatusAndCode()
    {
        await using var kernel = new ObservedKernel();
        var customer = await kernel.CustomerAsync(consent: false);
        var repository = kernel.Get<CustomerRepository>();
        var first = await repository.GetAsync(kernel.Tenant, customer.Id);
        var stale = await repository.GetAsync(kernel.Tenant, customer.Id);
        first.Tag(new CustomerTag("vip"));
        await repository.SaveAsync(first);
        stale.Tag(new CustomerTag("churn-risk"));
        using var spans = new SpanCollector();

        var error = await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await repository.SaveAsync(stale));

        var commit = Assert.Single(spans.Named("crm.customer.commit"));
        Assert.Equal(ActivityStatusCode.Error, commit.Status);
        Assert.Equal(nameof(ConcurrencyConflictException), commit.StatusDescription);
        Assert.Equal(typeof(ConcurrencyConflictException).FullName, commit.GetTagItem("error.type"));
        Assert.Equal(error.ErrorCode, commit.GetTagItem("crm.error.code"));
    }

    [Fact]
    public async Task Ingestion_EmitsOneSpanPerRecordingAndPerBatch_WithCounts()
    {
        await using var kernel = new ObservedKernel();
        var customer = await kernel.CustomerAsync(consent: false);
        var ingestion = kernel.Get<TouchpointIngestion>();
        using var spans = new SpanCollector();

        await ingestion.RecordAsync(kernel.Tenant, kernel.Contact(customer.Id, "T-1"));
        var report = await ingestion.RecordManyAsync(kernel.Tenant, [kernel.Contact(customer.Id, "T-1"), kernel.Contact(customer.Id, "T-2"), kernel.Contact(customer.Id, "T-3")]);

        var ingests = spans.Named("crm.touchpoints.ingest");
        Assert.Equal(2, ingests.Count);
        Assert.Equal(1, ingests[0].GetTagItem("crm.touchpoint.count"));
        Assert.Equal(1, ingests[0].GetTagItem("crm.touchpoint.recorded"));
        Assert.Equal(3, ingests[1].GetTagItem("crm.touchpoint.count"));
        Assert.Equal(report.Recorded, ingests[1].GetTagItem("crm.touchpoint.recorded"));
        Assert.Equal(2, report.Recorded);
        Assert.Equal(1, ingests[1].GetTagItem("crm.touchpoint.already_present"));
        Assert.All(ingests, s => Assert.Equal(kernel.Tenant.Value, s.GetTagItem("crm.tenant.id")));
        kernel.AssertNoPersonalData(spans);
    }

    [Fact]
    public async Task Dispatch_EmitsASpanPerMessage_WithChannelOutcomeAndRefusal_NeverTheRecipientOrContent()
    {
        await using var kernel = new ObservedKernel();
        var allowed = await kernel.CustomerAsync(consent: true);
        var refused = await kernel.CustomerAsync(consent: false);
        var dispatcher = kernel.Get<ChannelDispatcher>();
        using var spans = new SpanCollector();

        await dispatcher.DispatchAsync(kernel.Tenant, kernel.Request(allowed, "m-1"));
        await dispatcher.DispatchAsync(kernel.Tenant, kernel.Request(refused, "m-2"));
        kernel.Channel.FailNext(DeliveryResult.Retryable("provider said no"));
        await dispatcher.DispatchAsync(kernel.Tenant, kernel.Request(allowed, "m-3"));

        var dispatches = spans.Named("crm.dispatch");
        Assert.Equal(3, dispatches.Count);
        Assert.All(dispatches, s => Assert.Equal(kernel.ChannelId.Value, s.GetTagItem("crm.channel.id")));
        Assert.Equal(nameof(DispatchOutcome.Sent), dispatches[0].GetTagItem("crm.dispatch.outcome"));
        Assert.Equal(allowed.Id.ToString(), dispatches[0].GetTagItem("crm.customer.id"));
        Assert.Equal(ActivityStatusCode.Unset, dispatches[0].Status);
        Assert.Equal(nameof(DispatchOutcome.Refused), dispatches[1].GetTagItem("crm.dispatch.outcome"));
        Assert.Equal(nameof(DispatchRefusal.NoLawfulBasis), dispatches[1].GetTagItem("crm.dispatch.refusal"));
        Assert.Equal(nameof(DispatchOutcome.Failed), dispatches[2].GetTagItem("crm.dispatch.outcome"));
        Assert.Equal(ActivityStatusCode.Error, dispatches[2].Status);

        // The attempts' touchpoints are recorded inside the dispatch span.
        Assert.Contains(spans.Named("crm.touchpoints.ingest"), s => s.ParentSpanId == dispatches[0].SpanId);
        kernel.AssertNoPersonalData(spans);
        Assert.DoesNotContain(spans.AllTagValues, v => v.Contains("provider said no", StringComparison.Ordinal));
    }

    [Fact]
    public void StartActivity_WithoutAListener_CreatesNothing()
    {
        // No listener samples the kernel's source for this name-less check: a source nobody listens to returns null.
        using var lonely = new ActivitySource("CrmKernel.Tests.Unobserved");
        Assert.Null(lonely.StartActivity("crm.dispatch"));
        Assert.Equal(CrmDiagnostics.ActivitySourceName, CrmTelemetry.Source.Name);
        Assert.Equal(CrmDiagnostics.MeterName, CrmTelemetry.Meter.Name);
    }
}

using CrmKernel.Channels;
using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Services.Channels;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using CrmKernel.Testing.Channels;
using CrmKernel.Touchpoints;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Xunit;
using static CrmKernel.Tests.Channels.DispatchHarness;

namespace CrmKernel.Tests.Channels;

public sealed class ChannelDispatcherTests
{
    [Fact]
    public async Task Dispatch_WithAGrant_SendsOnce_AndRecordsTheDeliveredTouchpointWithItsCost()
    {
        await using var h = new DispatchHarness();
        var customer = await h.CustomerAsync(consent: GrantMarketing);

        var result = await h.Dispatcher.DispatchAsync(Tenant, h.Request(customer, "spring/ada"));

        Assert.Equal(DispatchOutcome.Sent, result.Outcome);
        Assert.True(result.Permission!.IsAllowed);
        // The reason (written when first read): the channel, the provider's id, the attempt and the consent, no personal data.
        Assert.Equal($"delivered on {h.Channel.Descriptor.Id} as {result.Delivery!.ProviderMessageId} (attempt 1); {result.Permission}", result.Reason);
        Assert.Same(result.Reason, result.Reason);
        Assert.Equal($"Sent: {result.Reason}", result.ToString());
        Assert.DoesNotContain("ada@", result.Reason, StringComparison.Ordinal);
        var sent = Assert.Single(h.Channel.Delivered);
        Assert.Equal("spring/ada", sent.IdempotencyKey);
        Assert.Equal(EmailAddress.Parse("ada@example.com"), sent.Recipient);
        var touchpoint = Assert.Single(await h.TouchpointsOfAsync(customer.Id));
        // The store rebuilds what it returns: the result's touchpoint is the stored one by id and by content.
        Assert.Equal(result.Touchpoint!.Id, touchpoint.Id);
        Assert.True(result.Touchpoint.HasSameContent(touchpoint));
        Assert.Equal(TouchpointOutcome.Delivered, touchpoint.Outcome);
        Assert.Equal(InteractionDirection.Outbound, touchpoint.Direction);
        Assert.Equal(h.Channel.Descriptor.CostPerContact, touchpoint.Cost);
        Assert.Equal(new ExternalIdentifier(ChannelDispatcher.DeliveredSource, "spring/ada"), touchpoint.Source);
        Assert.Equal(Noon, touchpoint.OccurredAt);
        Assert.Empty(await h.PendingAsync());
    }

    [Fact]
    public async Task Dispatch_AgainUnderTheSameKey_IsAlreadySent_AndSendsNothing()
    {
        await using var h = new DispatchHarness();
        var customer = await h.CustomerAsync(consent: GrantMarketing);
        await h.Dispatcher.DispatchAsync(Tenant, h.Request(customer));

        var again = await h.Dispatcher.DispatchAsync(Tenant, h.Request(customer));

        Assert.Equal(DispatchOutcome.AlreadySent, again.Outcome);
        Assert.Single(h.Channel.Calls);
        Assert.Single(await h.TouchpointsOfAsync(customer.Id));
    }

    [Fact]
    public async Task Dispatch_NeverAsked_IsRefusedForLackOfBasis_RecordsTheRefusal_AndSendsNothing()
    {
        await using var h = new DispatchHarness();
        var customer = await h.CustomerAsync();

        var result = await h.Dispatcher.DispatchAsync(Tenant, h.Request(customer));

        Assert.Equal(DispatchOutcome.Refused, result.Outcome);
        Assert.Equal(DispatchRefusal.NoLawfulBasis, result.Refusal);
        Assert.Equal(ContactAnswer.NoBasis, result.Permission!.Answer);
        Assert.Empty(h.Channel.Calls);
        var refused = Assert.Single(await h.TouchpointsOfAsync(customer.Id));
        Assert.Equal(TouchpointOutcome.Refused, refused.Outcome);
        Assert.Equal(ChannelDispatcher.RefusedSource, refused.Source.Source);
        Assert.Null(refused.Cost);
        Assert.DoesNotContain("ada@", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispatch_MarketingDeclined_IsRefused_ButAServiceMessageUnderContractIsSent()
    {
        await using var h = new DispatchHarness();
        var customer = await h.CustomerAsync(consent: (c, a) =>
        {
            c.DeclineConsent(ConsentPurpose.Marketing, null, null, "web-form");
            c.RecordConsent(new ConsentEntry(ConsentPurpose.Service, null, null, ConsentStatus.Granted, LawfulBasis.Contract, "order", c.CreatedAt, "order 1001"));
        });

        var marketing = await h.Dispatcher.DispatchAsync(Tenant, h.Request(customer, "m"));
        var service = await h.Dispatcher.DispatchAsync(Tenant, new DispatchRequest(customer.Id, Email, ConsentPurpose.Service, CrmFunction.Service, Content, "order-1001/shipped", kind: new TouchpointKind("order-update")));

        Assert.Equal(DispatchRefusal.ConsentRefused, marketing.Refusal);
        Assert.Equal(DispatchOutcome.Sent, service.Outcome);
        Assert.Equal("order-1001/shipped", Assert.Single(h.Channel.Delivered).IdempotencyKey);
        Assert.Equal(CrmFunction.Service, service.Touchpoint!.Function);
        Assert.Equal(new TouchpointKind("order-update"), service.Touchpoint.Kind);
    }

    [Fact]
    public async Task Dispatch_InQuietHours_IsRefusedUntilTheyEnd_InTheCustomersZone()
    {
        var policy = new ContactPolicy(DateTimeZone.Utc, new QuietHours(new LocalTime(21, 0), new LocalTime(8, 0)));
        await using var h = new DispatchHarness(policy, Instant.FromUtc(2026, 3, 2, 3, 0)); // 03:00 London, 22:00 New York (the day before), 12:00 Tokyo
        var london = await h.CustomerAsync("l@example.com", "Europe/London", GrantMarketing);
        var newYork = await h.CustomerAsync("n@example.com", "America/New_York", GrantMarketing);
        var tokyo = await h.CustomerAsync("t@example.com", "Asia/Tokyo", GrantMarketing);

        var l = await h.Dispatcher.DispatchAsync(Tenant, h.Request(london, "l"));
        var n = await h.Dispatcher.DispatchAsync(Tenant, h.Request(newYork, "n"));
        var t = await h.Dispatcher.DispatchAsync(Tenant, h.Request(tokyo, "t"));

        Assert.Equal(DispatchRefusal.QuietHours, l.Refusal);
        Assert.Equal(Instant.FromUtc(2026, 3, 2, 8, 0), l.NotBefore);
        Assert.Contains("Europe/London", l.Reason, StringComparison.Ordinal);
        Assert.Equal(DispatchRefusal.QuietHours, n.Refusal);
        Assert.Equal(Instant.FromUtc(2026, 3, 2, 13, 0), n.NotBefore);
        Assert.Equal(DispatchOutcome.Sent, t.Outcome);
        Assert.Equal("t", Assert.Single(h.Channel.Delivered).IdempotencyKey);
    }

    [Fact]
    public async Task Dispatch_ToACustomerWithoutAZone_ReadsQuietHoursInThePolicysDefaultZone()
    {
        var policy = new ContactPolicy(DateTimeZoneProviders.Tzdb["Asia/Tokyo"], new QuietHours(new LocalTime(21, 0), new LocalTime(8, 0)));
        await using var h = new DispatchHarness(policy, Instant.FromUtc(2026, 3, 2, 13, 0)); // 13:00 UTC, 22:00 Tokyo
        var customer = await h.CustomerAsync(zone: null, consent: GrantMarketing);

        var result = await h.Dispatcher.DispatchAsync(Tenant, h.Request(customer));

        Assert.Equal(DispatchRefusal.QuietHours, result.Refusal);
        Assert.Contains("default zone", result.Reason, StringComparison.Ordinal);
        Assert.Equal(Instant.FromUtc(2026, 3, 2, 23, 0), result.NotBefore);

        // 13:00 would be daytime in UTC: the customer without a zone is not read in UTC but in the stated default.
        h.Clock.Reset(Instant.FromUtc(2026, 3, 2, 23, 0));
        Assert.Equal(DispatchOutcome.Sent, (await h.Dispatcher.DispatchAsync(Tenant, h.Request(customer, "morning"))).Outcome);
    }

    [Fact]
    public async Task ContactPolicyDefault_IsUtcWithQuietHoursFromNineToEight()
    {
        var policy = ContactPolicy.Default;

        Assert.Equal(DateTimeZone.Utc, policy.DefaultTimeZone);
        Assert.Equal(new LocalTime(21, 0), policy.QuietHours!.Start);
        Assert.Equal(new LocalTime(8, 0), policy.QuietHours.End);
        Assert.Empty(policy.FrequencyCaps);
        await using var services = new ServiceCollection().AddCrmKernel(b => b.UseInMemoryStores().AddChannel<RecordingChannel>()).BuildServiceProvider();
        Assert.Same(ContactPolicy.Default, services.GetRequiredService<ContactPolicy>());
        Assert.IsType<InMemoryPendingDispatchStore>(services.GetRequiredService<IPendingDispatchStore>());
        Assert.Equal(new ChannelId("test-email"), Assert.Single(services.GetRequiredService<ChannelDispatcher>().Channels).Id);
    }

    [Fact]
    public async Task Dispatch_OverTheFrequencyCap_IsRefused_UntilTheWindowMovesOn()
    {
        var policy = new ContactPolicy(DateTimeZone.Utc, frequencyCaps: [new FrequencyCap(Email, 2, Duration.FromDays(7))]);
        await using var h = new DispatchHarness(policy);
        var customer = await h.CustomerAsync(consent: GrantMarketing);

        var first = Noon;
        Assert.Equal(DispatchOutcome.Sent, (await h.Dispatcher.DispatchAsync(Tenant, h.Request(customer, "1"))).Outcome);
        h.Clock.AdvanceDays(1);
        Assert.Equal(DispatchOutcome.Sent, (await h.Dispatcher.DispatchAsync(Tenant, h.Request(customer, "2"))).Outcome);
        h.Clock.AdvanceDays(1);
        var third = await h.Dispatcher.DispatchAsync(Tenant, h.Request(customer, "3"));

        Assert.Equal(DispatchRefusal.FrequencyCap, third.Refusal);
        Assert.Equal(first + Duration.FromDays(7), third.NotBefore);
        h.Clock.Reset(third.NotBefore!.Value);
        Assert.Equal(DispatchOutcome.Sent, (await h.Dispatcher.DispatchAsync(Tenant, h.Request(customer, "3"))).Outcome);
        Assert.Equal(3, h.Channel.Delivered.Count);
    }

    [Fact]
    public async Task RetryableFailure_IsRecorded_KeptPending_AndDeliveredOnRetry()
    {
        await using var h = new DispatchHarness();
        var customer = await h.CustomerAsync(consent: GrantMarketing);
        h.Channel.FailNext(DeliveryResult.Retryable("HTTP 503"));

        var failed = await h.Dispatcher.DispatchAsync(Tenant, h.Request(customer));

        Assert.Equal(DispatchOutcome.Failed, failed.Outcome);
        Assert.True(failed.KeptForRetry);
        Assert.Equal(TouchpointOutcome.Failed, failed.Touchpoint!.Outcome);
        var pending = Assert.Single(await h.PendingAsync());
        Assert.Equal(1, pending.Attempts);
        Assert.Equal("HTTP 503", pending.LastReason);
        Assert.Empty(h.Channel.Delivered);

        h.Clock.AdvanceMinutes(5);
        var retried = Assert.Single(await h.Dispatcher.RetryPendingAsync(Tenant).ToListAsync());

        Assert.Equal(DispatchOutcome.Sent, retried.Outcome);
        Assert.Contains("attempt 2", retried.Reason, StringComparison.Ordinal);
        Assert.Single(h.Channel.Delivered);
        Assert.Empty(await h.PendingAsync());
        Assert.Equal([TouchpointOutcome.Failed, TouchpointOutcome.Delivered], (await h.TouchpointsOfAsync(customer.Id)).Select(t => t.Outcome!.Value));
    }

    [Fact]
    public async Task PermanentFailure_IsRecorded_AndNotKept()
    {
        await using var h = new DispatchHarness();
        var customer = await h.CustomerAsync(consent: GrantMarketing);
        h.Channel.FailNext(DeliveryResult.Permanent("HTTP 400"));

        var failed = await h.Dispatcher.DispatchAsync(Tenant, h.Request(customer));

        Assert.Equal(DispatchOutcome.Failed, failed.Outcome);
        Assert.False(failed.KeptForRetry);
        Assert.Empty(await h.PendingAsync());
        Assert.Empty(await h.Dispatcher.RetryPendingAsync(Tenant).ToListAsync());
    }

    [Fact]
    public async Task AdapterThatThrows_LosesNothing_TheMessageIsKeptForRetry()
    {
        await using var h = new DispatchHarness();
        var customer = await h.CustomerAsync(consent: GrantMarketing);
        h.Channel.Respond = _ => throw new InvalidOperationException("provider SDK bug");

        var failed = await h.Dispatcher.DispatchAsync(Tenant, h.Request(customer));

        Assert.True(failed.KeptForRetry);
        Assert.Contains(nameof(InvalidOperationException), failed.Delivery!.Reason, StringComparison.Ordinal);
        h.Channel.Respond = null;
        Assert.Equal(DispatchOutcome.Sent, Assert.Single(await h.Dispatcher.RetryPendingAsync(Tenant).ToListAsync()).Outcome);
    }

    [Fact]
    public async Task Retry_AfterConsentWasWithdrawn_IsRefused_SendsNothing_AndDropsTheMessage()
    {
        await using var h = new DispatchHarness();
        var customer = await h.CustomerAsync(consent: GrantMarketing);
        h.Channel.FailNext(DeliveryResult.Retryable("timeout"));
        await h.Dispatcher.DispatchAsync(Tenant, h.Request(customer));

        var loaded = await h.Customers.GetAsync(Tenant, customer.Id);
        loaded.WithdrawConsent(ConsentPurpose.Marketing, Email, EmailAddress.Parse("ada@example.com"), "unsubscribe-link");
        await h.Customers.SaveAsync(loaded);
        h.Clock.AdvanceMinutes(1);
        var retried = Assert.Single(await h.Dispatcher.RetryPendingAsync(Tenant).ToListAsync());

        Assert.Equal(DispatchRefusal.ConsentRefused, retried.Refusal);
        Assert.Empty(h.Channel.Delivered);
        Assert.Empty(await h.PendingAsync());
    }

    [Fact]
    public async Task Retry_InQuietHours_KeepsTheMessagePending_UntilTheyEnd()
    {
        var policy = new ContactPolicy(DateTimeZone.Utc, new QuietHours(new LocalTime(21, 0), new LocalTime(8, 0)));
        await using var h = new DispatchHarness(policy, Instant.FromUtc(2026, 3, 2, 20, 59));
        var customer = await h.CustomerAsync(zone: null, consent: GrantMarketing);
        h.Channel.FailNext(DeliveryResult.Retryable("timeout"));
        await h.Dispatcher.DispatchAsync(Tenant, h.Request(customer));

        h.Clock.AdvanceMinutes(2);
        var quiet = Assert.Single(await h.Dispatcher.RetryPendingAsync(Tenant).ToListAsync());
        Assert.Equal(DispatchRefusal.QuietHours, quiet.Refusal);
        Assert.True(quiet.KeptForRetry);
        Assert.Single(await h.PendingAsync());

        h.Clock.Reset(quiet.NotBefore!.Value);
        Assert.Equal(DispatchOutcome.Sent, Assert.Single(await h.Dispatcher.RetryPendingAsync(Tenant).ToListAsync()).Outcome);
        Assert.Single(h.Channel.Delivered);
    }

    [Fact]
    public async Task CrashBetweenSendAndRecord_LeavesTheMessagePending_AndTheRetryReachesTheCustomerOnce()
    {
        var touchpoints = new FailingTouchpointStore();
        await using var h = new DispatchHarness(touchpoints: touchpoints);
        var customer = await h.CustomerAsync(consent: GrantMarketing);
        touchpoints.FailAppends = true;

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await h.Dispatcher.DispatchAsync(Tenant, h.Request(customer)));
        Assert.Single(await h.PendingAsync());

        touchpoints.FailAppends = false;
        var retried = Assert.Single(await h.Dispatcher.RetryPendingAsync(Tenant).ToListAsync());

        Assert.Equal(DispatchOutcome.Sent, retried.Outcome);
        Assert.Equal(2, h.Channel.Calls.Count);
        Assert.Single(h.Channel.Delivered);
        Assert.All(h.Channel.Calls, m => Assert.Equal("msg-1", m.IdempotencyKey));
        Assert.Empty(await h.PendingAsync());
    }

    [Fact]
    public async Task Dispatch_ToAnUnknownCustomer_IsRefused_WithoutATouchpoint()
    {
        await using var h = new DispatchHarness();
        var missing = CustomerId.New();

        var result = await h.Dispatcher.DispatchAsync(Tenant, new DispatchRequest(missing, Email, ConsentPurpose.Marketing, CrmFunction.Marketing, Content, "k"));

        Assert.Equal(DispatchRefusal.CustomerNotFound, result.Refusal);
        Assert.Null(result.Touchpoint);
        Assert.Empty(await h.TouchpointsOfAsync(missing));
    }

    [Fact]
    public async Task Dispatch_WithoutAContactPointOfTheChannelsKind_OrToOneNotHeld_IsRefused()
    {
        await using var h = new DispatchHarness();
        var customer = Customer.Register(Tenant, new PersonProfile("No", "Email"), h.Clock);
        customer.AddContactPoint(PhoneNumber.Parse("+442079460958"));
        customer.GrantConsent(ConsentPurpose.Marketing, null, null, "web-form");
        await h.Customers.SaveAsync(customer);
        var withEmail = await h.CustomerAsync(consent: (c, _) => c.GrantConsent(ConsentPurpose.Marketing, null, null, "web-form"));

        var noKind = await h.Dispatcher.DispatchAsync(Tenant, h.Request(customer));
        var notHeld = await h.Dispatcher.DispatchAsync(Tenant, new DispatchRequest(withEmail.Id, Email, ConsentPurpose.Marketing, CrmFunction.Marketing, Content, "k2", recipient: EmailAddress.Parse("other@example.com")));

        Assert.Equal(DispatchRefusal.NoContactPoint, noKind.Refusal);
        Assert.Equal(DispatchRefusal.NoContactPoint, notHeld.Refusal);
        Assert.Empty(h.Channel.Calls);
    }

    [Fact]
    public async Task UnknownDuplicateAndInboundOnlyChannels_AreConfigurationErrors()
    {
        await using var h = new DispatchHarness();
        var customer = await h.CustomerAsync(consent: GrantMarketing);
        var unknown = new DispatchRequest(customer.Id, new ChannelId("pigeon"), ConsentPurpose.Marketing, CrmFunction.Marketing, Content, "k");
        Assert.Equal(CrmErrorCodes.ChannelNotRegistered, (await Assert.ThrowsAsync<ChannelException>(async () => await h.Dispatcher.DispatchAsync(Tenant, unknown))).ErrorCode);

        var duplicate = Assert.Throws<ChannelException>(() => new ServiceCollection()
            .AddCrmKernel(b => b.UseInMemoryStores().AddChannel(new RecordingChannel()).AddChannel(new RecordingChannel()))
            .BuildServiceProvider().GetRequiredService<ChannelDispatcher>());
        Assert.Equal(CrmErrorCodes.DuplicateChannel, duplicate.ErrorCode);

        var inbound = new RecordingChannel(new ChannelDescriptor(new ChannelId("web-chat"), "Chat", ChannelCategory.Service, ChannelDirections.Inbound, ContactPointKind.Email, Money.Of(0m, "EUR")));
        await using var withInbound = new DispatchHarness(extraChannels: inbound);
        var chat = new DispatchRequest(customer.Id, inbound.Descriptor.Id, ConsentPurpose.Service, CrmFunction.Service, Content, "k");
        Assert.Equal(CrmErrorCodes.ChannelCannotSend, (await Assert.ThrowsAsync<ChannelException>(async () => await withInbound.Dispatcher.DispatchAsync(Tenant, chat))).ErrorCode);
    }

    [Fact]
    public async Task Campaign_ReportsPerCustomerWhatHappenedAndWhy_AndRerunningItSendsNothingTwice()
    {
        var policy = new ContactPolicy(DateTimeZone.Utc, new QuietHours(new LocalTime(21, 0), new LocalTime(8, 0)));
        await using var h = new DispatchHarness(policy);
        var granted = await h.CustomerAsync("a@example.com", consent: GrantMarketing);
        var declined = await h.CustomerAsync("b@example.com", consent: (c, _) => c.DeclineConsent(ConsentPurpose.Marketing, null, null, "web-form"));
        var asleep = await h.CustomerAsync("c@example.com", "Pacific/Auckland", GrantMarketing); // 01:00 in Auckland
        var missing = CustomerId.New();
        CustomerId[] audience = [granted.Id, declined.Id, asleep.Id, missing];

        var results = await h.Dispatcher.SendCampaignAsync(Tenant, "spring-2026", Email, ConsentPurpose.Marketing, Content, audience).ToListAsync();

        Assert.Equal(audience, results.Select(r => r.CustomerId));
        Assert.Equal([DispatchOutcome.Sent, DispatchOutcome.Refused, DispatchOutcome.Refused, DispatchOutcome.Refused], results.Select(r => r.Outcome));
        Assert.Equal([null, DispatchRefusal.ConsentRefused, DispatchRefusal.QuietHours, DispatchRefusal.CustomerNotFound], results.Select(r => r.Refusal));
        Assert.Equal($"spring-2026/test-email/{granted.Id}", results[0].DispatchKey);
        Assert.Equal("spring-2026", results[0].Touchpoint!.CampaignId);

        var rerun = await h.Dispatcher.SendCampaignAsync(Tenant, "spring-2026", Email, ConsentPurpose.Marketing, Content, [granted.Id]).ToListAsync();
        Assert.Equal(DispatchOutcome.AlreadySent, Assert.Single(rerun).Outcome);
        Assert.Single(h.Channel.Delivered);
    }

    [Fact]
    public async Task Campaign_ToASegment_SendsToItsMembersInIdOrder_StillCheckingConsentAtSend()
    {
        await using var h = new DispatchHarness();
        var granted = await h.CustomerAsync("a@example.com", consent: GrantMarketing);
        var withdrawn = await h.CustomerAsync("b@example.com", consent: GrantMarketing);
        var outsider = await h.CustomerAsync("c@example.com", consent: GrantMarketing);
        var audience = new SegmentSnapshot(Tenant, new SegmentId("spring-audience"), 1, Instant.FromUtc(2026, 3, 1, 0, 0), Instant.FromUtc(2026, 3, 1, 0, 0), [withdrawn.Id, granted.Id]);

        // Consent withdrawn after the snapshot was frozen: the member is refused at send, not contacted.
        var customer = await h.Customers.GetAsync(Tenant, withdrawn.Id);
        customer.WithdrawConsent(ConsentPurpose.Marketing, Email, EmailAddress.Parse("b@example.com"), "preference-centre");
        await h.Customers.SaveAsync(customer);

        var results = await h.Dispatcher.SendCampaignToSegmentAsync("spring-2026", Email, ConsentPurpose.Marketing, Content, audience).ToListAsync();

        Assert.Equal(audience.Members, results.Select(r => r.CustomerId));
        Assert.Equal(
            audience.Members.Select(id => id == granted.Id ? (DispatchOutcome.Sent, (DispatchRefusal?)null) : (DispatchOutcome.Refused, DispatchRefusal.ConsentRefused)),
            results.Select(r => (r.Outcome, r.Refusal)));
        Assert.DoesNotContain(results, r => r.CustomerId == outsider.Id);
        Assert.Single(h.Channel.Delivered);
        Assert.Throws<ArgumentNullException>("audience", () => h.Dispatcher.SendCampaignToSegmentAsync("c", Email, ConsentPurpose.Marketing, Content, null!));
    }

    [Fact]
    public async Task Campaign_RejectsBadArgumentsEagerly()
    {
        await using var h = new DispatchHarness();
        Assert.Throws<ArgumentException>(() => h.Dispatcher.SendCampaignAsync(Tenant, " padded ", Email, ConsentPurpose.Marketing, Content, []));
        var tooLong = Assert.Throws<InputLimitExceededException>(() => h.Dispatcher.SendCampaignAsync(Tenant, new string('c', ChannelDispatcher.MaxCampaignIdLength + 1), Email, ConsentPurpose.Marketing, Content, []));
        Assert.Equal((CrmErrorCodes.InputLimitExceeded, "campaignId", ChannelDispatcher.MaxCampaignIdLength), (tooLong.ErrorCode, tooLong.ParamName, tooLong.Limit));
        Assert.Throws<ChannelException>(() => h.Dispatcher.SendCampaignAsync(Tenant, "c", new ChannelId("pigeon"), ConsentPurpose.Marketing, Content, []));
        Assert.Throws<ArgumentException>(() => h.Dispatcher.RetryPendingAsync(default));
    }

    /// <summary>The in-memory touchpoint store, with appends that can be made to fail.</summary>
    private sealed class FailingTouchpointStore : ITouchpointStore
    {
        private readonly InMemoryTouchpointStore _inner = new();

        public bool FailAppends { get; set; }

        public ValueTask<TouchpointAppendResult> AppendAsync(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, CancellationToken cancellationToken)
            => FailAppends ? throw new InvalidOperationException("the database is down") : _inner.AppendAsync(tenantId, touchpoints, cancellationToken);

        public ValueTask<Touchpoint?> FindAsync(TenantId tenantId, TouchpointId touchpointId, CancellationToken cancellationToken) => _inner.FindAsync(tenantId, touchpointId, cancellationToken);

        public ValueTask<Touchpoint?> FindBySourceAsync(TenantId tenantId, ExternalIdentifier source, CancellationToken cancellationToken) => _inner.FindBySourceAsync(tenantId, source, cancellationToken);

        public ValueTask<long> CountAsync(TenantId tenantId, CancellationToken cancellationToken) => _inner.CountAsync(tenantId, cancellationToken);

        public ValueTask<IReadOnlyList<Touchpoint>> PageTimelineAsync(TenantId tenantId, TimelineFilter filter, TimelinePosition? after, int limit, CancellationToken cancellationToken)
            => _inner.PageTimelineAsync(tenantId, filter, after, limit, cancellationToken);
    }
}

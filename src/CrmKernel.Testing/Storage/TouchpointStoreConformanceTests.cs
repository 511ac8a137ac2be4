using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Services.Ingestion;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using FsCheck.Fluent;
using NodaTime;
using Xunit;

namespace CrmKernel.Testing.Storage;

/// <summary>
/// The conformance kit for <see cref="ITouchpointStore"/>: inherit it and return stores whose
/// <see cref="CrmStores.Touchpoints"/> is set. Covers idempotent append, conflicts, every field round-tripping,
/// timeline order and filters, paging, tenant isolation, cancellation and bad arguments.
/// </summary>
public abstract class TouchpointStoreConformanceTests : StoreConformanceTests
{
    /// <summary>The touchpoint store under test.</summary>
    protected static ITouchpointStore Touchpoints(CrmStores stores)
    {
        Preconditions.NotNull(stores);
        return stores.Touchpoints ?? throw new InvalidOperationException("CreateStoresAsync must set CrmStores.Touchpoints for the touchpoint kit.");
    }

    /// <summary>Generated touchpoints of a few customers, recorded as of the kit clock.</summary>
    protected Touchpoint[] GeneratedTouchpoints(TenantId tenant, IReadOnlyList<CustomerId> customers, int count)
        => [.. CrmGenerators.NewTouchpointFor(customers).Sample(size: 20, numberOfSamples: count).Select(d => Touchpoint.Create(tenant, TouchpointId.New(), Clock.GetCurrentInstant(), d))];

    /// <summary>Every field of generated touchpoints survives an append and a read by id and by source.</summary>
    [Fact]
    public virtual async Task Append_ThenFind_RoundTripsEveryField()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var touchpoints = GeneratedTouchpoints(tenant, [CustomerId.New(), CustomerId.New()], 80);

        var result = await Touchpoints(stores).AppendAsync(tenant, touchpoints, default);

        Assert.Equal(touchpoints.Length, result.Appended);
        foreach (var touchpoint in touchpoints)
        {
            AssertSame(touchpoint, await Touchpoints(stores).FindAsync(tenant, touchpoint.Id, default));
            AssertSame(touchpoint, await Touchpoints(stores).FindBySourceAsync(tenant, touchpoint.Source, default));
        }

        Assert.Equal(touchpoints.Length, await Touchpoints(stores).CountAsync(tenant, default));
    }

    /// <summary>Appending the same batch twice equals appending it once; the second run reports every position as already present.</summary>
    [Fact]
    public virtual async Task Append_SameBatchTwice_EqualsOnce()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var customer = CustomerId.New();
        var batch = GeneratedTouchpoints(tenant, [customer], 50);
        var redelivered = batch.Select(t => Touchpoint.Create(tenant, TouchpointId.New(), Clock.GetCurrentInstant(), t.ToDetails())).ToArray();

        await Touchpoints(stores).AppendAsync(tenant, batch, default);
        var again = await Touchpoints(stores).AppendAsync(tenant, redelivered, default);

        Assert.Equal(0, again.Appended);
        Assert.Equal(Enumerable.Range(0, batch.Length), again.AlreadyPresent);
        Assert.Empty(again.Conflicts);
        Assert.Equal(batch.Length, await Touchpoints(stores).CountAsync(tenant, default));
        var timeline = await Touchpoints(stores).PageTimelineAsync(tenant, new TimelineFilter([customer]), null, 10_000, default);
        Assert.Equal(batch.OrderBy(t => t.Position).Select(t => t.Id), timeline.Select(t => t.Id));
    }

    /// <summary>A different contact under a stored source key, or a reused id, is a conflict and is not stored; the rest of the batch is.</summary>
    [Fact]
    public virtual async Task Append_ConflictingContent_IsReported_AndNotStored()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var customer = CustomerId.New();
        var original = GeneratedTouchpoints(tenant, [customer], 1)[0];
        await Touchpoints(stores).AppendAsync(tenant, [original], default);

        var changed = original.ToDetails();
        var conflicting = Touchpoint.Create(tenant, TouchpointId.New(), Clock.GetCurrentInstant(), new NewTouchpoint
        {
            CustomerId = changed.CustomerId,
            Channel = changed.Channel,
            Direction = changed.Direction,
            Function = changed.Function,
            Kind = changed.Kind,
            OccurredAt = changed.OccurredAt + Duration.FromSeconds(1),
            Source = changed.Source,
        });
        var reusedId = Touchpoint.Create(tenant, original.Id, Clock.GetCurrentInstant(), GeneratedTouchpoints(tenant, [customer], 1)[0].ToDetails());
        var fresh = GeneratedTouchpoints(tenant, [customer], 1)[0];

        var result = await Touchpoints(stores).AppendAsync(tenant, [conflicting, fresh, reusedId], default);

        Assert.Equal(1, result.Appended);
        Assert.Equal([0, 2], result.Conflicts);
        AssertSame(original, await Touchpoints(stores).FindBySourceAsync(tenant, original.Source, default));
        AssertSame(original, await Touchpoints(stores).FindAsync(tenant, original.Id, default));
        Assert.Null(await Touchpoints(stores).FindBySourceAsync(tenant, reusedId.Source, default));
        Assert.Equal(2, await Touchpoints(stores).CountAsync(tenant, default));
    }

    /// <summary>
    /// A touchpoint re-sent under its stored source key with any one content field changed (revenue, cost, outcome,
    /// satisfaction, sentiment, participants, products, campaign, channel, direction, function, kind, occurred-at,
    /// customer) is a conflict, not a re-delivery: nothing is stored and the stored touchpoint keeps its content. The
    /// expected answer comes from the list of changed fields, not from the kernel's own content comparison.
    /// </summary>
    [Fact]
    public virtual async Task Append_ReSentUnderItsSourceKey_WithAnyOneFieldChanged_IsAConflict()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var ingestion = new TouchpointIngestion(Touchpoints(stores), Clock);
        var original = GeneratedTouchpoints(tenant, [CustomerId.New()], 1)[0];
        await Touchpoints(stores).AppendAsync(tenant, [original], default);
        var d = original.ToDetails();
        var currency = (d.Revenue ?? d.Cost)?.Currency.ToString() ?? "EUR";
        var variants = new (string Field, NewTouchpoint Details)[]
        {
            ("revenue", Copy(d, revenue: Money.Of((d.Revenue?.Amount ?? 0m) + 1m, currency))),
            ("cost", Copy(d, cost: Money.Of((d.Cost?.Amount ?? 0m) + 1m, currency))),
            ("outcome", Copy(d, outcome: d.Outcome == TouchpointOutcome.Converted ? TouchpointOutcome.NoResponse : TouchpointOutcome.Converted)),
            ("satisfaction", Copy(d, satisfaction: d.Satisfaction is { Scale: SatisfactionScale.Nps, Value: 10 } ? SatisfactionScore.Create(SatisfactionScale.Nps, 9) : SatisfactionScore.Create(SatisfactionScale.Nps, 10))),
            ("sentiment", Copy(d, sentiment: new Sentiment(d.Sentiment?.Value == 0.5m ? -0.5m : 0.5m))),
            ("participants", Copy(d, participants: [.. d.Participants, TouchpointParticipant.Staff("kit-other-agent", "agent")])),
            ("products", Copy(d, products: [.. d.ProductIds, "kit-other-product"])),
            ("campaign", Copy(d, campaign: d.CampaignId == "kit-other-campaign" ? "kit-campaign" : "kit-other-campaign")),
            ("channel", Copy(d, channel: new ChannelId(d.Channel.Value == "kit-other-channel" ? "kit-channel" : "kit-other-channel"))),
            ("direction", Copy(d, direction: d.Direction == InteractionDirection.Inbound ? InteractionDirection.Outbound : InteractionDirection.Inbound)),
            ("function", Copy(d, function: d.Function == CrmFunction.Sales ? CrmFunction.Service : CrmFunction.Sales)),
            ("kind", Copy(d, kind: new TouchpointKind(d.Kind.Value == "kit-other-kind" ? "kit-kind" : "kit-other-kind"))),
            ("occurred-at", Copy(d, occurredAt: d.OccurredAt + Duration.Epsilon)),
            ("customer", Copy(d, customer: CustomerId.New())),
        };

        foreach (var (field, details) in variants)
        {
            var resent = Touchpoint.Create(tenant, TouchpointId.New(), Clock.GetCurrentInstant(), details);
            var result = await Touchpoints(stores).AppendAsync(tenant, [resent], default);
            Assert.True(result.Appended == 0 && result.AlreadyPresent.Count == 0 && result.Conflicts.SequenceEqual([0]), $"A re-send with another {field} was not reported as a conflict.");
            var conflict = await Assert.ThrowsAsync<TouchpointConflictException>(async () => await ingestion.RecordAsync(tenant, details));
            Assert.Equal(original.Id, conflict.ExistingId);
        }

        var identical = await Touchpoints(stores).AppendAsync(tenant, [Touchpoint.Create(tenant, TouchpointId.New(), Clock.GetCurrentInstant(), d)], default);
        Assert.Equal([0], identical.AlreadyPresent);
        AssertSame(original, await Touchpoints(stores).FindBySourceAsync(tenant, original.Source, default));
        Assert.Equal(1, await Touchpoints(stores).CountAsync(tenant, default));
    }

    /// <summary>The same source key twice in one batch: the first is stored, the second is a re-delivery or a conflict.</summary>
    [Fact]
    public virtual async Task Append_DuplicatesWithinOneBatch_AreDetected()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var first = GeneratedTouchpoints(tenant, [CustomerId.New()], 1)[0];
        var copy = Touchpoint.Create(tenant, TouchpointId.New(), Clock.GetCurrentInstant(), first.ToDetails());

        var result = await Touchpoints(stores).AppendAsync(tenant, [first, copy], default);

        Assert.Equal(1, result.Appended);
        Assert.Equal([1], result.AlreadyPresent);
        Assert.Equal(1, await Touchpoints(stores).CountAsync(tenant, default));
    }

    /// <summary>Timeline order is (occurred-at, id): total, stable across page sizes, and equal to a brute-force sort, ties included.</summary>
    [Fact]
    public virtual async Task Timeline_OrderIsTotalAndStable_AcrossPageSizes()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var customers = new[] { CustomerId.New(), CustomerId.New(), CustomerId.New() };
        var generated = GeneratedTouchpoints(tenant, customers, 150);
        var tied = generated.Take(40).Select(t => Touchpoint.Create(tenant, TouchpointId.New(), t.RecordedAt, WithOccurred(t.ToDetails(), generated[0].OccurredAt))).ToArray();
        var all = generated.Skip(40).Concat(tied).ToArray();
        await Touchpoints(stores).AppendAsync(tenant, all.Reverse().ToArray(), default);
        var filter = new TimelineFilter(customers.Take(2));
        var expected = all.Where(filter.Matches).OrderBy(t => t.OccurredAt).ThenBy(t => t.Id).Select(t => t.Id).ToList();

        foreach (var pageSize in new[] { 1, 7, 50, 10_000 })
        {
            Assert.Equal(expected, await ReadAllAsync(Touchpoints(stores), tenant, filter, pageSize));
        }
    }

    /// <summary>Period, channel, function and kind filters agree with a brute-force filter.</summary>
    [Fact]
    public virtual async Task Timeline_Filters_AgreeWithBruteForce()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var customers = new[] { CustomerId.New(), CustomerId.New() };
        var all = GeneratedTouchpoints(tenant, customers, 200);
        await Touchpoints(stores).AppendAsync(tenant, all, default);
        var median = all.Select(t => t.OccurredAt).Order().ElementAt(100);
        var filters = new[]
        {
            new TimelineFilter(customers, from: median),
            new TimelineFilter(customers, to: median),
            new TimelineFilter(customers, from: median - Duration.FromDays(300), to: median + Duration.FromDays(300)),
            new TimelineFilter([customers[0]], channels: [new ChannelId("email"), new ChannelId("web")]),
            new TimelineFilter(customers, functions: [CrmFunction.Service]),
            new TimelineFilter(customers, kinds: [TouchpointKind.Purchase, TouchpointKind.Complaint], functions: [CrmFunction.Sales, CrmFunction.Service]),
        };

        foreach (var filter in filters)
        {
            var expected = all.Where(filter.Matches).OrderBy(t => t.Position).Select(t => t.Id).ToList();
            Assert.Equal(expected, await ReadAllAsync(Touchpoints(stores), tenant, filter, 13));
        }
    }

    /// <summary>Nothing of tenant A is visible from tenant B, and the same source key may exist in both.</summary>
    [Fact]
    public virtual async Task Tenants_AreIsolated()
    {
        await using var stores = await CreateStoresAsync();
        var a = NewTenant();
        var b = NewTenant();
        var customer = CustomerId.New();
        var touchpoint = GeneratedTouchpoints(a, [customer], 1)[0];
        await Touchpoints(stores).AppendAsync(a, [touchpoint], default);

        Assert.Null(await Touchpoints(stores).FindAsync(b, touchpoint.Id, default));
        Assert.Null(await Touchpoints(stores).FindBySourceAsync(b, touchpoint.Source, default));
        Assert.Equal(0, await Touchpoints(stores).CountAsync(b, default));
        Assert.Empty(await Touchpoints(stores).PageTimelineAsync(b, new TimelineFilter([customer]), null, 100, default));

        var twin = Touchpoint.Create(b, touchpoint.Id, touchpoint.RecordedAt, touchpoint.ToDetails());
        Assert.Equal(1, (await Touchpoints(stores).AppendAsync(b, [twin], default)).Appended);
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Touchpoints(stores).AppendAsync(a, [twin], default));
    }

    /// <summary>The ingestion pipeline returns the stored touchpoint on re-delivery, refuses a conflicting one, and reports invalid rows.</summary>
    [Fact]
    public virtual async Task Ingestion_IsIdempotent_AndReportsConflictsAndInvalidRows()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var ingestion = new TouchpointIngestion(Touchpoints(stores), Clock);
        var details = CrmGenerators.NewTouchpointFor([CustomerId.New()]).Sample(size: 10, numberOfSamples: 1)[0];

        var first = await ingestion.RecordAsync(tenant, details);
        var again = await ingestion.RecordAsync(tenant, details);
        Assert.Equal(first.Touchpoint!.Id, again.Touchpoint!.Id);
        Assert.True(again.AlreadyRecorded);

        var conflict = await Assert.ThrowsAsync<TouchpointConflictException>(async () => await ingestion.RecordAsync(tenant, WithOccurred(details, details.OccurredAt + Duration.FromMinutes(1))));
        Assert.Equal(CrmErrorCodes.TouchpointConflict, conflict.ErrorCode);
        Assert.Equal(first.Touchpoint.Id, conflict.ExistingId);
        Assert.Equal(details.Source, conflict.SourceKey);

        var good = CrmGenerators.NewTouchpointFor([CustomerId.New()]).Sample(size: 10, numberOfSamples: 3);
        var invalid = WithOccurred(good[0], good[0].OccurredAt);
        var negativeCost = new NewTouchpoint
        {
            CustomerId = invalid.CustomerId,
            Channel = invalid.Channel,
            Direction = invalid.Direction,
            Function = invalid.Function,
            Kind = invalid.Kind,
            OccurredAt = invalid.OccurredAt,
            Source = new ExternalIdentifier("gen", "negative-cost"),
            Cost = Money.Of(-1m, "EUR"),
        };
        var report = await ingestion.RecordManyAsync(tenant, [good[0], negativeCost, good[1], details, good[2]]);

        Assert.Equal(3, report.Recorded);
        Assert.Equal([3], report.AlreadyPresent);
        Assert.Equal(1, Assert.Single(report.Invalid).Index);
        Assert.Contains("Cost", report.Invalid[0].Reason, StringComparison.Ordinal);
        Assert.Equal(4, await Touchpoints(stores).CountAsync(tenant, default));
    }

    /// <summary>Every call honours a cancelled token, and a cancelled append stores nothing.</summary>
    [Fact]
    public virtual async Task CancelledCalls_Throw_AndStoreNothing()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var touchpoint = GeneratedTouchpoints(tenant, [CustomerId.New()], 1)[0];
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Touchpoints(stores).AppendAsync(tenant, [touchpoint], cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Touchpoints(stores).FindAsync(tenant, touchpoint.Id, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Touchpoints(stores).FindBySourceAsync(tenant, touchpoint.Source, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Touchpoints(stores).CountAsync(tenant, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Touchpoints(stores).PageTimelineAsync(tenant, new TimelineFilter([touchpoint.CustomerId]), null, 10, cancelled.Token));
        Assert.Equal(0, await Touchpoints(stores).CountAsync(tenant, default));
    }

    /// <summary>Default tenants and ids, and page sizes out of range, are argument errors.</summary>
    [Fact]
    public virtual async Task BadArguments_AreRejected()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var filter = new TimelineFilter([CustomerId.New()]);
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Touchpoints(stores).AppendAsync(default, [], default));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Touchpoints(stores).FindAsync(tenant, default, default));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Touchpoints(stores).CountAsync(default, default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Touchpoints(stores).PageTimelineAsync(tenant, filter, null, 0, default));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await Touchpoints(stores).PageTimelineAsync(tenant, null!, null, 10, default));
    }

    /// <summary>
    /// A touchpoint with every text at its documented length limit and every list at its count limit (docs/limits.md)
    /// round-trips unchanged, by id, by source key and on the timeline.
    /// </summary>
    [Fact]
    public virtual async Task TouchpointAtEveryLimit_RoundTripsUnchanged()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = new TenantId(("kit-" + Guid.NewGuid().ToString("N")).PadRight(TenantId.MaxLength, 't'));
        var customer = CustomerId.New();
        var role = new string('r', TouchpointParticipant.MaxRoleLength - 2);
        var user = new string('u', TouchpointParticipant.MaxUserIdLength - 2);
        var reference = new string('p', Touchpoint.MaxReferenceLength - 2);
        var touchpoint = Touchpoint.Create(tenant, TouchpointId.New(), Clock.GetCurrentInstant(), new NewTouchpoint
        {
            CustomerId = customer,
            Channel = new ChannelId(new string('c', ChannelId.MaxLength)),
            Direction = InteractionDirection.Inbound,
            Function = CrmFunction.Service,
            Kind = new TouchpointKind(new string('k', TouchpointKind.MaxLength)),
            OccurredAt = Start,
            Source = new ExternalIdentifier(new string('s', ExternalIdentifier.MaxSourceLength), new string('k', ExternalIdentifier.MaxKeyLength)),
            Participants = [.. Enumerable.Range(0, Touchpoint.MaxParticipants).Select(i => i % 2 == 0
                ? TouchpointParticipant.Staff($"{user}{i:00}", $"{role}{i:00}")
                : TouchpointParticipant.Customer(CustomerId.New(), $"{role}{i:00}"))],
            Outcome = new TouchpointOutcome(new string('o', TouchpointOutcome.MaxLength)),
            ProductIds = [.. Enumerable.Range(0, Touchpoint.MaxProducts).Select(i => $"{reference}{i:00}")],
            CampaignId = new string('m', Touchpoint.MaxReferenceLength),
        });

        var result = await Touchpoints(stores).AppendAsync(tenant, [touchpoint], default);

        Assert.Equal(1, result.Appended);
        AssertSame(touchpoint, await Touchpoints(stores).FindAsync(tenant, touchpoint.Id, default));
        AssertSame(touchpoint, await Touchpoints(stores).FindBySourceAsync(tenant, touchpoint.Source, default));
        var page = await Touchpoints(stores).PageTimelineAsync(tenant, new TimelineFilter([customer]), null, 10, default);
        AssertSame(touchpoint, Assert.Single(page));
    }

    /// <summary>
    /// An append of more than <see cref="StoreLimits.MaxAppendBatch"/> touchpoints, and a timeline page larger than
    /// <see cref="StoreLimits.MaxPageSize"/>, are refused with <c>CRM-INPUT-001</c> naming the parameter; nothing is stored.
    /// </summary>
    [Fact]
    public virtual async Task CallsOverTheStoreLimits_AreRefusedWithTheInputLimitCode()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var one = GeneratedTouchpoints(tenant, [CustomerId.New()], 1)[0];

        var append = await Assert.ThrowsAsync<InputLimitExceededException>(async () =>
            await Touchpoints(stores).AppendAsync(tenant, [.. Enumerable.Repeat(one, StoreLimits.MaxAppendBatch + 1)], default));
        var page = await Assert.ThrowsAsync<InputLimitExceededException>(async () =>
            await Touchpoints(stores).PageTimelineAsync(tenant, new TimelineFilter([one.CustomerId]), null, StoreLimits.MaxPageSize + 1, default));

        Assert.Equal((CrmErrorCodes.InputLimitExceeded, "touchpoints", StoreLimits.MaxAppendBatch, StoreLimits.MaxAppendBatch + 1), (append.ErrorCode, append.ParamName, append.Limit, append.Actual));
        Assert.Equal((CrmErrorCodes.InputLimitExceeded, "limit", StoreLimits.MaxPageSize), (page.ErrorCode, page.ParamName, page.Limit));
        Assert.Equal(0, await Touchpoints(stores).CountAsync(tenant, default));
    }

    /// <summary>Asserts that a stored touchpoint equals the appended one in every field.</summary>
    protected static void AssertSame(Touchpoint expected, Touchpoint? actual)
    {
        Preconditions.NotNull(expected);
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.RecordedAt, actual.RecordedAt);

        // Field by field, not through Touchpoint.HasSameContent: the kit must not use the code under test as its oracle.
        Assert.Equal(expected.TenantId, actual.TenantId);
        Assert.Equal(expected.CustomerId, actual.CustomerId);
        Assert.Equal(expected.Channel, actual.Channel);
        Assert.Equal(expected.Direction, actual.Direction);
        Assert.Equal(expected.Function, actual.Function);
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.OccurredAt, actual.OccurredAt);
        Assert.Equal(expected.Source, actual.Source);
        Assert.Equal(expected.Participants.Select(p => (p.Role, p.CustomerId, p.UserId)), actual.Participants.Select(p => (p.Role, p.CustomerId, p.UserId)));
        Assert.Equal(expected.Outcome, actual.Outcome);
        Assert.Equal((expected.Satisfaction?.Scale, expected.Satisfaction?.Value), (actual.Satisfaction?.Scale, actual.Satisfaction?.Value));
        Assert.Equal(expected.Sentiment, actual.Sentiment);
        Assert.Equal((expected.Cost?.Amount, expected.Cost?.Currency), (actual.Cost?.Amount, actual.Cost?.Currency));
        Assert.Equal((expected.Revenue?.Amount, expected.Revenue?.Currency), (actual.Revenue?.Amount, actual.Revenue?.Currency));
        Assert.Equal(expected.ProductIds, actual.ProductIds);
        Assert.Equal(expected.CampaignId, actual.CampaignId);
    }

    private static NewTouchpoint Copy(
        NewTouchpoint d,
        CustomerId? customer = null,
        ChannelId? channel = null,
        InteractionDirection? direction = null,
        CrmFunction? function = null,
        TouchpointKind? kind = null,
        Instant? occurredAt = null,
        IReadOnlyList<TouchpointParticipant>? participants = null,
        TouchpointOutcome? outcome = null,
        SatisfactionScore? satisfaction = null,
        Sentiment? sentiment = null,
        Money? cost = null,
        Money? revenue = null,
        IReadOnlyList<string>? products = null,
        string? campaign = null) => new()
    {
        CustomerId = customer ?? d.CustomerId,
        Channel = channel ?? d.Channel,
        Direction = direction ?? d.Direction,
        Function = function ?? d.Function,
        Kind = kind ?? d.Kind,
        OccurredAt = occurredAt ?? d.OccurredAt,
        Source = d.Source,
        Participants = participants ?? d.Participants,
        Outcome = outcome ?? d.Outcome,
        Satisfaction = satisfaction ?? d.Satisfaction,
        Sentiment = sentiment ?? d.Sentiment,
        Cost = cost ?? d.Cost,
        Revenue = revenue ?? d.Revenue,
        ProductIds = products ?? d.ProductIds,
        CampaignId = campaign ?? d.CampaignId,
    };

    private static NewTouchpoint WithOccurred(NewTouchpoint d, Instant occurred) => new()
    {
        CustomerId = d.CustomerId,
        Channel = d.Channel,
        Direction = d.Direction,
        Function = d.Function,
        Kind = d.Kind,
        OccurredAt = occurred,
        Source = d.Source,
        Participants = d.Participants,
        Outcome = d.Outcome,
        Satisfaction = d.Satisfaction,
        Sentiment = d.Sentiment,
        Cost = d.Cost,
        Revenue = d.Revenue,
        ProductIds = d.ProductIds,
        CampaignId = d.CampaignId,
    };

    private static async Task<List<TouchpointId>> ReadAllAsync(ITouchpointStore store, TenantId tenant, TimelineFilter filter, int pageSize)
    {
        var ids = new List<TouchpointId>();
        await foreach (var page in store.TimelinePagesAsync(tenant, filter, pageSize, default))
        {
            ids.AddRange(page.Select(t => t.Id));
        }

        return ids;
    }
}

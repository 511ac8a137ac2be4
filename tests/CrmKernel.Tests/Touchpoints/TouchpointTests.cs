using CrmKernel.Diagnostics;
using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Services.Ingestion;
using CrmKernel.Services.Timeline;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using CrmKernel.Touchpoints;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace CrmKernel.Tests.Touchpoints;

public sealed class TouchpointTests
{
    private static readonly TenantId Tenant = new("acme");
    private static readonly Instant At = Instant.FromUtc(2026, 5, 1, 12, 0);

    internal static NewTouchpoint Purchase(CustomerId customer, Instant occurred, string key, decimal? revenue = 20m, string channel = "web", decimal? cost = null) => new()
    {
        CustomerId = customer,
        Channel = new ChannelId(channel),
        Direction = InteractionDirection.Inbound,
        Function = CrmFunction.Sales,
        Kind = TouchpointKind.Purchase,
        OccurredAt = occurred,
        Source = new ExternalIdentifier("webshop", key),
        Revenue = revenue is null ? null : Money.Of(revenue.Value, "EUR"),
        Cost = cost is null ? null : Money.Of(cost.Value, "EUR"),
    };

    [Fact]
    public void Create_KeepsEveryField()
    {
        var customer = CustomerId.New();
        var details = new NewTouchpoint
        {
            CustomerId = customer,
            Channel = new ChannelId(" Phone "),
            Direction = InteractionDirection.Outbound,
            Function = CrmFunction.Service,
            Kind = TouchpointKind.Resolution,
            OccurredAt = At,
            Source = new ExternalIdentifier("helpdesk", "T-1"),
            Participants = [TouchpointParticipant.Staff("u-7", "Agent")],
            Outcome = TouchpointOutcome.Resolved,
            Satisfaction = new CsatScore(5),
            Sentiment = new Sentiment(0.5m),
            Cost = Money.Of(3.20m, "GBP"),
            ProductIds = [" router-x "],
            CampaignId = "care",
        };

        var touchpoint = Touchpoint.Create(Tenant, TouchpointId.New(), At + Duration.FromMinutes(1), details);

        Assert.Equal("phone", touchpoint.Channel.Value);
        Assert.Equal("agent", Assert.Single(touchpoint.Participants).Role);
        Assert.Equal("router-x", Assert.Single(touchpoint.ProductIds));
        Assert.Equal(new CsatScore(5), touchpoint.Satisfaction);
        Assert.Equal(At + Duration.FromMinutes(1), touchpoint.RecordedAt);
        Assert.Equal(new TimelinePosition(At, touchpoint.Id), touchpoint.Position);
        Assert.True(touchpoint.HasSameContent(Touchpoint.Create(Tenant, TouchpointId.New(), At, touchpoint.ToDetails())));
    }

    public static TheoryData<string, Func<NewTouchpoint, NewTouchpoint>> Invalid => new()
    {
        { "CustomerId", d => Copy(d, customer: default(CustomerId)) },
        { "Channel", d => Copy(d, channel: default(ChannelId)) },
        { "Direction", d => Copy(d, direction: (InteractionDirection)9) },
        { "Function", d => Copy(d, function: (CrmFunction)0) },
        { "Kind", d => Copy(d, kind: default(TouchpointKind)) },
        { "Cost", d => Copy(d, cost: Money.Of(-0.01m, "EUR")) },
        { "Cost and Revenue", d => Copy(d, cost: Money.Of(1m, "USD")) },
        { "ProductIds", d => Copy(d, products: [" "]) },
        { "ProductIds", d => Copy(d, products: [.. Enumerable.Range(0, 51).Select(i => $"p{i}")]) },
        { "CampaignId", d => Copy(d, campaign: new string('c', 129)) },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Create_Invalid_IsRejectedNamingTheField(string field, Func<NewTouchpoint, NewTouchpoint> corrupt)
    {
        var error = Assert.IsAssignableFrom<ArgumentException>(Record.Exception(() => Touchpoint.Create(Tenant, TouchpointId.New(), At, corrupt(Purchase(CustomerId.New(), At, "k")))));
        if (error is InputLimitExceededException overLimit)
        {
            // A list or reference over its limit names the field itself (CRM-INPUT-001).
            Assert.Equal($"details.{field}", overLimit.ParamName);
        }
        else
        {
            Assert.Equal(typeof(ArgumentException), error.GetType());
            Assert.Equal("details", error.ParamName);
        }

        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_DefaultTenantOrId_IsRejected()
    {
        Assert.Equal("tenantId", Assert.Throws<ArgumentException>(() => Touchpoint.Create(default, TouchpointId.New(), At, Purchase(CustomerId.New(), At, "k"))).ParamName);
        Assert.Equal("id", Assert.Throws<ArgumentException>(() => Touchpoint.Create(Tenant, default, At, Purchase(CustomerId.New(), At, "k"))).ParamName);
    }

    [Fact]
    public void HasSameContent_IgnoresIdAndRecordedAt_ButNothingElse()
    {
        var details = Purchase(CustomerId.New(), At, "k");
        var a = Touchpoint.Create(Tenant, TouchpointId.New(), At, details);
        Assert.True(a.HasSameContent(Touchpoint.Create(Tenant, TouchpointId.New(), At + Duration.FromDays(1), details)));
        Assert.False(a.HasSameContent(Touchpoint.Create(Tenant, TouchpointId.New(), At, Copy(details, cost: Money.Of(1m, "EUR")))));
    }

    [Theory]
    [InlineData(SatisfactionScale.Csat, 0)]
    [InlineData(SatisfactionScale.Csat, 6)]
    [InlineData(SatisfactionScale.Nps, -1)]
    [InlineData(SatisfactionScale.Nps, 11)]
    [InlineData(SatisfactionScale.Ces, 6)]
    [InlineData(SatisfactionScale.Ces2, 0)]
    [InlineData(SatisfactionScale.Ces2, 8)]
    public void SatisfactionScore_OutsideItsScale_IsRejected(SatisfactionScale scale, int value)
        => Assert.Equal("value", Assert.Throws<ArgumentOutOfRangeException>(() => SatisfactionScore.Create(scale, value)).ParamName);

    [Theory]
    [InlineData(SatisfactionScale.Csat, 5, SatisfactionPolarity.Positive)]
    [InlineData(SatisfactionScale.Csat, 4, SatisfactionPolarity.Positive)]
    [InlineData(SatisfactionScale.Csat, 3, SatisfactionPolarity.Neutral)]
    [InlineData(SatisfactionScale.Csat, 2, SatisfactionPolarity.Negative)]
    [InlineData(SatisfactionScale.Nps, 9, SatisfactionPolarity.Positive)]
    [InlineData(SatisfactionScale.Nps, 8, SatisfactionPolarity.Neutral)]
    [InlineData(SatisfactionScale.Nps, 7, SatisfactionPolarity.Neutral)]
    [InlineData(SatisfactionScale.Nps, 6, SatisfactionPolarity.Negative)]
    [InlineData(SatisfactionScale.Nps, 0, SatisfactionPolarity.Negative)]
    [InlineData(SatisfactionScale.Ces, 1, SatisfactionPolarity.Positive)]
    [InlineData(SatisfactionScale.Ces, 2, SatisfactionPolarity.Positive)]
    [InlineData(SatisfactionScale.Ces, 3, SatisfactionPolarity.Neutral)]
    [InlineData(SatisfactionScale.Ces, 5, SatisfactionPolarity.Negative)]
    [InlineData(SatisfactionScale.Ces2, 7, SatisfactionPolarity.Positive)]
    [InlineData(SatisfactionScale.Ces2, 5, SatisfactionPolarity.Positive)]
    [InlineData(SatisfactionScale.Ces2, 4, SatisfactionPolarity.Neutral)]
    [InlineData(SatisfactionScale.Ces2, 3, SatisfactionPolarity.Negative)]
    public void SatisfactionScore_Polarity_FollowsEachScalesCutOffs(SatisfactionScale scale, int value, SatisfactionPolarity expected)
        => Assert.Equal(expected, SatisfactionScore.Create(scale, value).Polarity);

    [Fact]
    public void SatisfactionScores_OnDifferentScales_AreNeverEqual()
    {
        Assert.NotEqual<SatisfactionScore>(new CesScore(3), new Ces2Score(3));
        Assert.NotEqual<SatisfactionScore>(new CsatScore(5), new NpsScore(5));
        Assert.Equal<SatisfactionScore>(new NpsScore(9), SatisfactionScore.Create(SatisfactionScale.Nps, 9));
        Assert.True(new NpsScore(10).IsPromoter && new NpsScore(6).IsDetractor && new CsatScore(4).IsTopTwoBox);
    }

    [Theory]
    [InlineData(-1.01)]
    [InlineData(1.01)]
    public void Sentiment_OutsideMinusOneToOne_IsRejected(double value)
        => Assert.Equal("value", Assert.Throws<ArgumentOutOfRangeException>(() => new Sentiment((decimal)value)).ParamName);

    [Fact]
    public void Slugs_NormaliseAndRejectBadText()
    {
        Assert.Equal("store:london", new ChannelId(" Store:London ").Value);
        Assert.Equal("warranty-claim", new TouchpointKind("Warranty Claim").Value);
        Assert.Equal("left-voicemail", new TouchpointOutcome("left voicemail").Value);
        Assert.Equal("value", Assert.Throws<ArgumentException>(() => new ChannelId("e-mail!")).ParamName);
        Assert.Equal("value", Assert.Throws<ArgumentException>(() => new TouchpointKind("")).ParamName);
        Assert.False(ChannelId.TryParse("no way", out _) && ChannelId.TryParse("bad!", out _));
        Assert.True(ChannelId.TryParse("web", out var web) && web == new ChannelId("WEB"));
    }

    [Fact]
    public void Participants_ValidateTheirParts()
    {
        Assert.Equal("role", Assert.Throws<ArgumentException>(() => TouchpointParticipant.Staff("u1", "")).ParamName);
        Assert.Equal("userId", Assert.Throws<ArgumentException>(() => TouchpointParticipant.Staff(" ", "agent")).ParamName);
        Assert.Equal("customerId", Assert.Throws<ArgumentException>(() => TouchpointParticipant.Customer(default, "referred")).ParamName);
        var referred = CustomerId.New();
        Assert.Equal(referred, TouchpointParticipant.Customer(referred, "Referred").CustomerId);
    }

    [Fact]
    public void TimelineFilter_ValidatesItsParts()
    {
        Assert.Equal("customerIds", Assert.Throws<ArgumentException>(() => new TimelineFilter([])).ParamName);
        Assert.Equal("customerIds", Assert.Throws<ArgumentException>(() => new TimelineFilter([default(CustomerId)])).ParamName);
        Assert.Equal("customerIds", Assert.Throws<InputLimitExceededException>(() => new TimelineFilter(Enumerable.Range(0, 1_001).Select(_ => CustomerId.New()))).ParamName);
        Assert.Equal("to", Assert.Throws<ArgumentException>(() => new TimelineFilter([CustomerId.New()], At, At - Duration.Epsilon)).ParamName);
        Assert.Equal("channels", Assert.Throws<ArgumentException>(() => new TimelineFilter([CustomerId.New()], channels: [])).ParamName);
    }

    [Property]
    public Property TimelinePosition_IsATotalOrder()
    {
        var positions = Gen.Choose(0, 3).Select(s => new TimelinePosition(At + Duration.FromSeconds(s), TouchpointId.New())).ArrayOf();
        return Prop.ForAll(positions.ToArbitrary(), ps =>
        {
            var sorted = ps.Order().ToArray();
            var total = ps.All(a => ps.All(b => a == b || (a < b) != (b < a)));
            var consistent = sorted.Zip(sorted.Skip(1)).All(p => p.First.OccurredAt < p.Second.OccurredAt || (p.First.OccurredAt == p.Second.OccurredAt && p.First.Id.CompareTo(p.Second.Id) < 0));
            return total && consistent;
        });
    }

    [Fact]
    public async Task ChannelMix_SumsContactsCostAndRevenue_ByChannelAndFunction()
    {
        var store = new InMemoryTouchpointStore();
        var ingestion = new TouchpointIngestion(store, new FakeClock(At));
        var customer = CustomerId.New();
        await ingestion.RecordAsync(Tenant, Purchase(customer, At, "1", revenue: 100m, channel: "web", cost: 2m));
        await ingestion.RecordAsync(Tenant, Purchase(customer, At + Duration.FromDays(1), "2", revenue: 50m, channel: "web", cost: 1m));
        await ingestion.RecordAsync(Tenant, Purchase(customer, At + Duration.FromDays(2), "3", revenue: 30m, channel: "store", cost: 5m));
        await ingestion.RecordAsync(Tenant, Copy(Purchase(customer, At + Duration.FromDays(3), "4", revenue: null, channel: "phone", cost: 4m), function: CrmFunction.Service, kind: TouchpointKind.Complaint));

        var mix = await new CustomerTimeline(store).ChannelMixAsync(Tenant, new TimelineFilter([customer]));

        Assert.Equal(["phone", "store", "web"], mix.ByChannel.Select(r => r.Key));
        var web = mix.ByChannel[2];
        Assert.Equal(2, web.Contacts);
        Assert.Equal(Money.Of(3m, "EUR"), web.Cost);
        Assert.Equal(Money.Of(150m, "EUR"), web.Revenue);
        Assert.Null(mix.ByChannel[0].Revenue);
        Assert.Equal(["Sales", "Service"], mix.ByFunction.Select(r => r.Key));
        Assert.Equal(3, mix.ByFunction[0].Contacts);
    }

    [Fact]
    public async Task ChannelMix_InMixedCurrencies_IsAnErrorNotASilentSum()
    {
        var store = new InMemoryTouchpointStore();
        var ingestion = new TouchpointIngestion(store, new FakeClock(At));
        var customer = CustomerId.New();
        await ingestion.RecordAsync(Tenant, Purchase(customer, At, "1"));
        await ingestion.RecordAsync(Tenant, Copy(Purchase(customer, At, "2"), revenue: Money.Of(5m, "USD")));
        await Assert.ThrowsAsync<CurrencyMismatchException>(async () => await new CustomerTimeline(store).ChannelMixAsync(Tenant, new TimelineFilter([customer])));
    }

    [Fact]
    public async Task Timeline_StreamsAcrossPages_InOrder()
    {
        var store = new InMemoryTouchpointStore();
        var ingestion = new TouchpointIngestion(store, new FakeClock(At));
        var customer = CustomerId.New();
        var report = await ingestion.RecordManyAsync(Tenant, Enumerable.Range(0, 1_234).Select(i => Purchase(customer, At - Duration.FromMinutes(i), $"o{i}")));
        Assert.Equal(1_234, report.Recorded);

        var streamed = new List<Touchpoint>();
        await foreach (var touchpoint in new CustomerTimeline(store).StreamCustomerAsync(Tenant, customer))
        {
            streamed.Add(touchpoint);
        }

        Assert.Equal(1_234, streamed.Count);
        Assert.Equal(streamed.OrderBy(t => t.Position), streamed);
    }

    internal static NewTouchpoint Copy(
        NewTouchpoint d,
        CustomerId? customer = null,
        ChannelId? channel = null,
        InteractionDirection? direction = null,
        CrmFunction? function = null,
        TouchpointKind? kind = null,
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
        OccurredAt = d.OccurredAt,
        Source = d.Source,
        Participants = d.Participants,
        Outcome = d.Outcome,
        Satisfaction = d.Satisfaction,
        Sentiment = d.Sentiment,
        Cost = cost ?? d.Cost,
        Revenue = revenue ?? d.Revenue,
        ProductIds = products ?? d.ProductIds,
        CampaignId = campaign ?? d.CampaignId,
    };

    [Fact]
    public void Create_Valid_AllocatesOnlyTheRecordAndItsProductList()
    {
        var details = Copy(Purchase(CustomerId.New(), At, "k"), products: ["sku-1", "sku-2"], campaign: "spring");
        var id = TouchpointId.New();
        _ = Touchpoint.Create(Tenant, id, At, details);

        // Measured a few times, as CurrencyTests does: the runtime may allocate on this thread once in a while.
        var fewest = long.MaxValue;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            _ = Touchpoint.Create(Tenant, id, At, details);
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        // The record (about 250 B) and a two-element array (40 B); the rule messages used to be formatted on every call.
        Assert.InRange(fewest, 1, 320);
    }

    [Fact]
    public void Create_TooManyParticipants_NamesTheLimit()
    {
        var participants = Enumerable.Range(0, Touchpoint.MaxParticipants + 1).Select(i => TouchpointParticipant.Staff($"u-{i}", "cc")).ToList();
        var d = Purchase(CustomerId.New(), At, "k");
        var crowded = new NewTouchpoint
        {
            CustomerId = d.CustomerId,
            Channel = d.Channel,
            Direction = d.Direction,
            Function = d.Function,
            Kind = d.Kind,
            OccurredAt = d.OccurredAt,
            Source = d.Source,
            Participants = participants,
        };
        var error = Assert.Throws<InputLimitExceededException>(() => Touchpoint.Create(Tenant, TouchpointId.New(), At, crowded));
        Assert.Equal(("details.Participants", Touchpoint.MaxParticipants, Touchpoint.MaxParticipants + 1), (error.ParamName, error.Limit, error.Actual));
    }
}

using CrmKernel.Consent;
using CrmKernel.ExchangeRates;
using CrmKernel.Innovation;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Metrics.Hierarchy;
using CrmKernel.Metrics.Innovation;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Storage;
using CrmKernel.Tests.Innovation;
using CrmKernel.Touchpoints;
using NodaTime;
using Xunit;
using static CrmKernel.Tests.Innovation.InnovationHarness;

namespace CrmKernel.Tests.Metrics.Innovation;

/// <summary>
/// The innovation metrics on hand-computed March 2026 data. A submits idea I1 (website) at noon − 1 h on 2 March; the company
/// proposes I2 (billing) at noon. B votes on I1, C comments on it. I1 is planned at noon + 2 d and shipped at noon + 10 d;
/// I2 is declined at noon + 3 d. The loop is closed on I1: A and B consent, C does not. A and D (who never takes part) buy
/// in March.
/// </summary>
public sealed class InnovationMetricsTests
{
    private static readonly DateInterval March = new(new LocalDate(2026, 3, 1), new LocalDate(2026, 3, 31));

    [Fact]
    public async Task CatalogueEntries_PinEveryFigure_AndPerSegment()
    {
        await using var h = new InnovationHarness();
        var (a, b, c, d) = (await h.CustomerAsync(), await h.CustomerAsync(), await h.CustomerAsync(consents: false), await h.CustomerAsync());
        var voice = await h.Service.IngestAsync(Tenant, new NewCustomerVoice
        {
            CustomerId = a.Id,
            Kind = VoiceKind.Idea,
            Subject = SubjectArea.Website,
            Channel = new ChannelId("web"),
            OccurredAt = Noon - Duration.FromHours(1),
            Source = new ExternalIdentifier("portal", "1"),
            Title = "Dark mode",
        });
        var i1 = voice.Idea!.Value;
        h.Clock.Reset(Noon);
        var i2 = (await h.Service.ProposeAsync(Tenant, "Paperless invoices", null, SubjectArea.Billing)).Id;
        await h.Service.VoteAsync(Tenant, i1, b.Id, IdeaVoteValue.For);
        await h.Service.CommentAsync(Tenant, i1, c.Id, "yes");
        await h.Service.MoveAsync(Tenant, i1, IdeaStatus.UnderReview, "triage");
        h.Clock.Reset(Noon + Duration.FromDays(2));
        await h.Service.MoveAsync(Tenant, i1, IdeaStatus.Planned, "roadmap");
        h.Clock.Reset(Noon + Duration.FromDays(3));
        await h.Service.MoveAsync(Tenant, i2, IdeaStatus.Declined, "not now");
        await h.Service.MoveAsync(Tenant, i1, IdeaStatus.InProgress, "started");
        h.Clock.Reset(Noon + Duration.FromDays(10));
        await h.Service.MoveAsync(Tenant, i1, IdeaStatus.Shipped, "released");
        await h.Service.CloseTheLoopAsync(Tenant, i1, Email, ConsentPurpose.Feedback, Content).ToListAsync();
        foreach (var buyer in new[] { a, d })
        {
            await h.Touchpoints.AppendAsync(Tenant, [Touchpoint.Create(Tenant, TouchpointId.New(), Noon, new NewTouchpoint { CustomerId = buyer.Id, Channel = new ChannelId("web"), Direction = InteractionDirection.Inbound, Function = CrmFunction.Sales, Kind = TouchpointKind.Purchase, OccurredAt = Noon + Duration.FromDays(5), Source = new ExternalIdentifier("shop", buyer.Id.ToString()), Revenue = new Money(10m, Currency.EUR) })], default);
        }

        var source = new InnovationMetricSource(h.Ideas, h.Get<ICustomerStore>(), h.Touchpoints);
        var evaluator = new MetricEvaluator(h.Get<ICustomerStore>(), h.Touchpoints, new FixedExchangeRateProvider([]), sources: [source]);
        var hierarchy = MetricHierarchy.Create(InnovationMetrics.All, [], []);

        var all = await evaluator.EvaluateAsync(Tenant, hierarchy, new MetricEvaluationRequest(March, DateTimeZone.Utc, Currency.EUR));

        var received = all[InnovationMetrics.Received.Id].Value;
        Assert.Equal(2m, received.Value);
        Assert.Equal([("billing", 1m), ("website", 1m)], received.Breakdown.Select(r => (r.Key, r.Value.Value!.Value)));
        Assert.Equal(1m, all[InnovationMetrics.DecidedWithinTarget.Id].Value.Value);
        Assert.Equal(0.5m, all[InnovationMetrics.ShippedShare.Id].Value.Value);
        Assert.Equal((2m + (1m / 24m) + 3m) / 2m, all[InnovationMetrics.TimeToDecision.Id].Value.Value);
        Assert.Equal(10m + (1m / 24m), all[InnovationMetrics.TimeToShipment.Id].Value.Value);
        Assert.Equal(2m, all[InnovationMetrics.Told.Id].Value.Value);
        Assert.Equal(0.75m, all[InnovationMetrics.ParticipationRate.Id].Value.Value);
        Assert.Equal(1m / 3m, all[InnovationMetrics.ParticipantPurchaseLift.Id].Value.Value);
        Assert.Contains("NOT CAUSAL", InnovationMetrics.ParticipantPurchaseLift.Description, StringComparison.Ordinal);
        Assert.Equal(0m, all.PreviousFigures!.Values[InnovationMetrics.IdeasReceived]);

        var segment = new SegmentSnapshot(Tenant, new SegmentId("a-and-d"), 1, Noon, Noon, [a.Id, d.Id]);
        var perSegment = await evaluator.EvaluateAsync(Tenant, hierarchy, new MetricEvaluationRequest(March, DateTimeZone.Utc, Currency.EUR) { Segment = segment });

        Assert.Equal(1m, perSegment[InnovationMetrics.Received.Id].Value.Value);
        Assert.Equal(0.5m, perSegment[InnovationMetrics.ParticipationRate.Id].Value.Value);
        Assert.Equal(1m, perSegment[InnovationMetrics.Told.Id].Value.Value);
        Assert.Equal(MetricLevel.CustomerStrategic, InnovationMetrics.ParticipationRate.Level);
    }

    [Fact]
    public void Source_RefusesABadTarget()
    {
        var store = new CrmKernel.Storage.InMemory.InMemoryIdeaStore();
        Assert.Throws<ArgumentOutOfRangeException>(() => new InnovationMetricSource(store, new CrmKernel.Storage.InMemory.InMemoryCustomerStore(new CrmKernel.Storage.InMemory.InMemoryCrmOutbox()), new CrmKernel.Storage.InMemory.InMemoryTouchpointStore(), 0));
    }
}

using CrmKernel.Metrics.WinBack;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Tests.Metrics.Profitability;
using CrmKernel.Touchpoints;
using NodaTime;
using Xunit;
using static CrmKernel.Tests.Metrics.Profitability.MixWorld;
using L = CrmKernel.Lifecycle.DefaultLifecycleModel;

namespace CrmKernel.Tests.Metrics.WinBack;

/// <summary>
/// The win-back view on hand-made histories, as of 1 March 2026:
/// <list type="bullet">
/// <item>P: dissatisfied 1 Jan, recovered 11 Jan (10 days); a phone resolution on 3 Jan and the "sorry" email campaign on 5 Jan in between.</item>
/// <item>Q: dissatisfied 2 Jan, recovered 6 Jan (4 days); a phone resolution on 4 Jan.</item>
/// <item>R: dissatisfied 3 Jan, lapsed 1 Feb (not recovered); the "sorry" email on 10 Jan. Lapsed as of March: a candidate.</item>
/// <item>S: dissatisfied 20 Feb: a candidate (open episode, not in the rates).</item>
/// <item>T: lapsed 1 Jan, former 15 Jan, won back 1 Feb (31 days); the "come-back" email on 20 Jan.</item>
/// <item>U: lapsed 1 Jan, won back 5 Jan by the purchase at that instant (the outcome, not an action); dissatisfied on 5 March (after the view).</item>
/// </list>
/// Recovery: 2 of 3 (P, Q of P, Q, R); phone 2/2 with median 7 days, email 1/2, "sorry" 1/2. Win-back: 2 of 2; email 1/1 in 31 days.
/// </summary>
public sealed class WinBackViewTests
{
    private static readonly Instant AsOf = Instant.FromUtc(2026, 3, 1, 0, 0);

    [Fact]
    public async Task View_PinsCandidatesRatesAndActions_PerSegment()
    {
        var (world, p, q, r, s, t, u) = await CreateAsync();
        var segment = Segment("complainers", p, r, s);
        var view = new WinBackView(world.Customers, world.Touchpoints);

        var result = await view.AnalyseAsync(Tenant, new WinBackRequest(AsOf, [segment]));

        var all = result.All;
        Assert.Equal((1L, 1L), (all.Dissatisfied, all.Lapsed));
        Assert.Equal((3L, 2L, 2m / 3m), (all.Episodes(WinBackPath.Recovery), all.Recovered(WinBackPath.Recovery), all.RecoveryRate(WinBackPath.Recovery)));
        Assert.Equal((2L, 2L, 1m), (all.Episodes(WinBackPath.WinBack), all.Recovered(WinBackPath.WinBack), all.RecoveryRate(WinBackPath.WinBack)));
        var channels = all.BestActions(WinBackPath.Recovery, WinBackActionKind.Channel);
        Assert.Equal(["phone", "email"], channels.Select(a => a.Key));
        Assert.Equal((2L, 2L, 1m, Duration.FromDays(7)), (channels[0].Episodes, channels[0].Recovered, channels[0].RecoveryRate, channels[0].MedianTimeToRecover));
        Assert.Equal((2L, 1L, 0.5m, Duration.FromDays(10)), (channels[1].Episodes, channels[1].Recovered, channels[1].RecoveryRate, channels[1].MedianTimeToRecover));
        Assert.Equal([("resolution", 1m), ("campaign-contact", 0.5m)], all.BestActions(WinBackPath.Recovery, WinBackActionKind.Kind).Select(a => (a.Key, a.RecoveryRate)));
        Assert.Equal([("sorry", 2L, 1L)], all.BestActions(WinBackPath.Recovery, WinBackActionKind.Campaign).Select(a => (a.Key, a.Episodes, a.Recovered)));
        Assert.Equal(["phone"], all.BestActions(WinBackPath.Recovery, WinBackActionKind.Channel, minimumEpisodes: 2).Where(a => a.RecoveryRate == 1m).Select(a => a.Key));
        var winBack = Assert.Single(all.BestActions(WinBackPath.WinBack, WinBackActionKind.Campaign));
        Assert.Equal(("come-back", 1L, Duration.FromDays(31)), (winBack.Key, winBack.Recovered, winBack.MedianTimeToRecover));
        Assert.Equal(3, all.Actions.Count(a => a.Path == WinBackPath.WinBack));

        var row = result[segment.Segment];
        Assert.Equal((1L, 1L, 2L, 1L), (row.Dissatisfied, row.Lapsed, row.Episodes(WinBackPath.Recovery), row.Recovered(WinBackPath.Recovery)));
        Assert.Null(row.RecoveryRate(WinBackPath.WinBack));

        var candidates = new List<WinBackCandidate>();
        await foreach (var candidate in view.StreamCandidatesAsync(Tenant, new WinBackRequest(AsOf, [segment]), segment.Segment))
        {
            candidates.Add(candidate);
        }

        Assert.Equal(new[] { (r, WinBackPath.WinBack, L.Lapsed, Day(2, 1)), (s, WinBackPath.Recovery, L.Dissatisfied, Day(2, 20)) }.OrderBy(c => c.Item1), candidates.Select(c => (c.Customer, c.Path, c.Stage, c.Since)).OrderBy(c => c.Customer));

        var episodes = new List<WinBackEpisode>();
        await foreach (var episode in view.StreamEpisodesAsync(Tenant, new WinBackRequest(AsOf)))
        {
            episodes.Add(episode);
        }

        Assert.Equal(5, episodes.Count);
        var ofU = Assert.Single(episodes, e => e.Customer == u);
        Assert.Equal((WinBackPath.WinBack, true, Duration.FromDays(4)), (ofU.Path, ofU.Recovered, ofU.Duration));
        Assert.Empty(ofU.Channels);
        var ofP = Assert.Single(episodes, e => e.Customer == p);
        Assert.Equal(["email", "phone"], ofP.Channels);
        Assert.Equal(["campaign-contact", "resolution"], ofP.Kinds);
        Assert.Equal(["sorry"], ofP.Campaigns);
        Assert.Contains(episodes, e => e.Customer == t && e.Recovered && e.Duration == Duration.FromDays(31));
        Assert.Contains(episodes, e => e.Customer == q);
    }

    [Fact]
    public async Task View_LearnsOnlyFromEpisodesStartingInTheHistoryWindow_AndSeesNothingAfterItsInstant()
    {
        var (world, _, q, r, _, _, u) = await CreateAsync();
        var view = new WinBackView(world.Customers, world.Touchpoints);

        var result = await view.AnalyseAsync(Tenant, new WinBackRequest(AsOf, historyFrom: Day(1, 2)));
        Assert.Equal((2L, 1L, 0L), (result.All.Episodes(WinBackPath.Recovery), result.All.Recovered(WinBackPath.Recovery), result.All.Episodes(WinBackPath.WinBack)));
        Assert.Equal((1L, 1L), (result.All.Dissatisfied, result.All.Lapsed));

        // As of 10 January, P, Q, R are dissatisfied and T lapsed (former); U was won back on 5 January; nobody has recovered yet but Q.
        var early = await view.AnalyseAsync(Tenant, new WinBackRequest(Day(1, 10)));
        Assert.Equal((2L, 1L), (early.All.Dissatisfied, early.All.Lapsed));
        Assert.Equal((1L, 1L), (early.All.Episodes(WinBackPath.Recovery), early.All.Recovered(WinBackPath.Recovery)));
        _ = (q, r, u);
    }

    [Fact]
    public async Task View_RefusesBadInputs_NamingTheParameter()
    {
        var world = new MixWorld();
        var view = new WinBackView(world.Customers, world.Touchpoints);
        var segment = Segment("x");
        Assert.Equal("segments", Assert.Throws<ArgumentException>(() => new WinBackRequest(AsOf, [segment, segment])).ParamName);
        Assert.Equal("historyFrom", Assert.Throws<ArgumentException>(() => new WinBackRequest(AsOf, historyFrom: AsOf + Duration.FromDays(1))).ParamName);
        Assert.Equal("segment", Assert.Throws<ArgumentException>(() => view.StreamCandidatesAsync(Tenant, new WinBackRequest(AsOf), new SegmentId("y"))).ParamName);
        var foreign = new SegmentSnapshot(new TenantId("other"), new SegmentId("x"), 1, AsOf, AsOf, []);
        Assert.Equal("request", (await Assert.ThrowsAsync<ArgumentException>(async () => await view.AnalyseAsync(Tenant, new WinBackRequest(AsOf, [foreign])))).ParamName);
        var empty = await view.AnalyseAsync(Tenant, new WinBackRequest(AsOf));
        Assert.Equal("minimumEpisodes", Assert.Throws<ArgumentOutOfRangeException>(() => empty.All.BestActions(WinBackPath.Recovery, WinBackActionKind.Channel, 0)).ParamName);
    }

    private static async Task<(MixWorld, CustomerId P, CustomerId Q, CustomerId R, CustomerId S, CustomerId T, CustomerId U)> CreateAsync()
    {
        var world = new MixWorld();
        var p = await world.CustomerAsync(Move(L.RepeatCustomer, L.Dissatisfied, Day(1, 1)), Move(L.Dissatisfied, L.Recovered, Day(1, 11)));
        var q = await world.CustomerAsync(Move(L.RepeatCustomer, L.Dissatisfied, Day(1, 2)), Move(L.Dissatisfied, L.Recovered, Day(1, 6)));
        var r = await world.CustomerAsync(Move(L.RepeatCustomer, L.Dissatisfied, Day(1, 3)), Move(L.Dissatisfied, L.Lapsed, Day(2, 1)));
        var s = await world.CustomerAsync(Move(L.RepeatCustomer, L.Dissatisfied, Day(2, 20)));
        var t = await world.CustomerAsync(Move(L.RepeatCustomer, L.Lapsed, Day(1, 1)), Move(L.Lapsed, L.Former, Day(1, 15)), Move(L.Former, L.WonBack, Day(2, 1)));
        var u = await world.CustomerAsync(Move(L.RepeatCustomer, L.Lapsed, Day(1, 1)), Move(L.Lapsed, L.WonBack, Day(1, 5)), Move(L.WonBack, L.Dissatisfied, Day(3, 5)));
        await world.RecordAsync(p, Day(1, 3), "phone", direction: InteractionDirection.Outbound, kind: TouchpointKind.Resolution);
        await world.RecordAsync(p, Day(1, 5), "email", CrmFunction.Marketing, InteractionDirection.Outbound, TouchpointKind.CampaignContact, campaign: "sorry");
        await world.RecordAsync(p, Day(1, 11), "web", kind: TouchpointKind.Feedback);
        await world.RecordAsync(q, Day(1, 4), "phone", direction: InteractionDirection.Outbound, kind: TouchpointKind.Resolution);
        await world.RecordAsync(r, Day(1, 10), "email", CrmFunction.Marketing, InteractionDirection.Outbound, TouchpointKind.CampaignContact, campaign: "sorry");
        await world.RecordAsync(t, Day(1, 20), "email", CrmFunction.Marketing, InteractionDirection.Outbound, TouchpointKind.CampaignContact, campaign: "come-back");
        await world.PurchaseAsync(u, Day(1, 5), Money.Of(10m, "GBP"));
        await world.RecordAsync(u, Day(2, 10), "phone");
        return (world, p, q, r, s, t, u);
    }
}

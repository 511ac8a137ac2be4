using CrmKernel.Diagnostics;
using CrmKernel.Innovation;
using CrmKernel.Primitives;
using CrmKernel.Services.Innovation;
using CrmKernel.Storage;
using NodaTime;
using Xunit;

namespace CrmKernel.Testing.Storage;

/// <summary>
/// The conformance kit for <see cref="IPredictionMarketStore"/>, and for <see cref="PredictionMarketService"/> running on
/// it: a market and its trades round-trip to the last decimal, a stale or duplicate write conflicts without storing
/// anything, concurrent trades on one market each commit or conflict (never a lost update), a trade key is stored once,
/// trades page in sequence order and markets in id order (all, or an idea's), tenants are isolated, and a generated
/// sequence of commands gives the same market as the same commands applied to a market never stored. Return stores whose
/// <see cref="CrmStores.PredictionMarkets"/> is set.
/// </summary>
public abstract class PredictionMarketStoreConformanceTests : StoreConformanceTests
{
    /// <summary>The prediction market store under test.</summary>
    protected static IPredictionMarketStore Markets(CrmStores stores)
        => Preconditions.NotNull(stores).PredictionMarkets ?? throw new InvalidOperationException("CreateStoresAsync must set CrmStores.PredictionMarkets for the prediction market kit.");

    /// <summary>The service over the store under test, on the kit's clock.</summary>
    protected PredictionMarketService Service(CrmStores stores) => new(Markets(stores), Clock);

    private PredictionMarket NewMarket(TenantId tenant, IdeaId? idea = null, int outcomes = 2)
        => PredictionMarket.Open(tenant, PredictionMarketId.New(), idea, "Adopted by at least 20% of customers within 90 days?", [.. Enumerable.Range(0, outcomes).Select(i => $"outcome {i}")], 50m, Clock.GetCurrentInstant(), Start + Duration.FromDays(90));

    private static async Task CommitAsync(IPredictionMarketStore store, PredictionMarket market)
    {
        var commit = PredictionMarketCommit.Create(market);
        await store.CommitAsync(commit, default);
        market.MarkCommitted(commit.NewVersion);
    }

    private static async Task<List<MarketTrade>> AllTradesAsync(IPredictionMarketStore store, TenantId tenant, PredictionMarketId market, int pageSize = 1_000)
    {
        var trades = new List<MarketTrade>();
        var after = 0L;
        while (true)
        {
            var page = await store.PageTradesAsync(tenant, market, after, pageSize, default);
            trades.AddRange(page);
            if (page.Count < pageSize)
            {
                return trades;
            }

            after = page[^1].Sequence;
        }
    }

    /// <summary>Status, quantities, prices, settlement and every account, with decimals printed without trailing zeros.</summary>
    protected static string Describe(PredictionMarket market)
    {
        Preconditions.NotNull(market);
        static string N(decimal d) => (d / 1.0000000000000000000000000000m).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"{market.Id} {market.IdeaId} {market.Status} {market.ClosedAt} {market.WinningOutcome} {market.SettledAt} q=[{string.Join(",", market.Quantities.Select(N))}] "
            + $"p=[{string.Join(",", market.Prices.Select(p => p.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}] c={N(market.Collected)} paid={N(market.PaidOut)} n={market.TradeCount} "
            + string.Join(" ", market.Participants.Select(a => $"{a.CustomerId}:{N(a.Granted)}/{N(a.Balance)}/{N(a.NetPaid)}/{N(a.Payout)}/[{string.Join(",", a.Shares.Select(N))}]/{a.Trades}"));
    }

    private static void AssertSameTrade(MarketTrade expected, MarketTrade? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal((expected.MarketId, expected.Sequence, expected.IdempotencyKey, expected.CustomerId, expected.Outcome, expected.Shares, expected.Cost, expected.At), (actual.MarketId, actual.Sequence, actual.IdempotencyKey, actual.CustomerId, actual.Outcome, actual.Shares, actual.Cost, actual.At));
        Assert.Equal(expected.PricesAfter, actual.PricesAfter);
    }

    /// <summary>Every field of a market, its accounts and its trades come back exactly (decimals to the last digit, prices bit for bit).</summary>
    [Fact]
    public virtual async Task Market_AndTrades_RoundTrip()
    {
        await using var stores = await CreateStoresAsync();
        var (store, tenant) = (Markets(stores), NewTenant());
        var market = NewMarket(tenant, IdeaId.New(), outcomes: 3);
        var (ann, bob) = (CustomerId.New(), CustomerId.New());
        market.Grant(ann, 100.5m, Clock.GetCurrentInstant());
        market.Grant(bob, 40m, Clock.GetCurrentInstant());
        market.Trade(ann, 2, 12.3456m, "ann-1", Clock.GetCurrentInstant());
        market.Trade(bob, 0, 7m, "bob-1", Clock.GetCurrentInstant());
        market.Trade(ann, 2, -2.0001m, "ann-2", Clock.GetCurrentInstant());
        var trades = market.PendingTrades.ToArray();
        await CommitAsync(store, market);

        var read = await store.FindAsync(tenant, market.Id, default);

        Assert.NotNull(read);
        Assert.Equal(Describe(market), Describe(read));
        Assert.Equal((market.Question, market.Liquidity, market.OpenedAt, market.ClosesAt, 1L), (read.Question, read.Liquidity, read.OpenedAt, read.ClosesAt, read.Version));
        Assert.Equal(market.Outcomes, read.Outcomes);
        Assert.Empty(read.PendingTrades);
        var stored = await AllTradesAsync(store, tenant, market.Id);
        Assert.Equal(trades.Length, stored.Count);
        for (var i = 0; i < trades.Length; i++)
        {
            AssertSameTrade(trades[i], stored[i]);
        }

        AssertSameTrade(trades[1], await store.FindTradeAsync(tenant, market.Id, "bob-1", default));
        Assert.Null(await store.FindTradeAsync(tenant, market.Id, "nobody", default));
        Assert.Null(await store.FindAsync(tenant, PredictionMarketId.New(), default));
    }

    /// <summary>Resolved and voided markets come back settled, with their payouts.</summary>
    [Fact]
    public virtual async Task SettledMarkets_RoundTrip()
    {
        await using var stores = await CreateStoresAsync();
        var (store, tenant) = (Markets(stores), NewTenant());
        foreach (var resolve in new[] { true, false })
        {
            var market = NewMarket(tenant);
            var ann = CustomerId.New();
            market.Grant(ann, 100m, Clock.GetCurrentInstant());
            market.Trade(ann, 1, 20m, "t1", Clock.GetCurrentInstant());
            await CommitAsync(store, market);
            if (resolve)
            {
                market.Resolve(1, Clock.GetCurrentInstant());
            }
            else
            {
                market.Close(Clock.GetCurrentInstant());
                await CommitAsync(store, market);
                Assert.Equal(PredictionMarketStatus.Closed, (await store.FindAsync(tenant, market.Id, default))!.Status);
                market.Void(Clock.GetCurrentInstant());
            }

            await CommitAsync(store, market);
            var read = await store.FindAsync(tenant, market.Id, default);
            Assert.Equal(Describe(market), Describe(read!));
        }
    }

    /// <summary>The version moves by one on every write; a write from a stale version, an insert of an existing id and an update of a missing one conflict and store nothing.</summary>
    [Fact]
    public virtual async Task StaleOrDuplicateWrites_Conflict_AndStoreNothing()
    {
        await using var stores = await CreateStoresAsync();
        var (store, tenant) = (Markets(stores), NewTenant());
        var market = NewMarket(tenant);
        await CommitAsync(store, market);
        Assert.Equal(1L, market.Version);
        var ann = CustomerId.New();
        market.Grant(ann, 10m, Clock.GetCurrentInstant());
        await CommitAsync(store, market);
        Assert.Equal(2L, (await store.FindAsync(tenant, market.Id, default))!.Version);

        var stale = (await store.FindAsync(tenant, market.Id, default))!;
        market.Trade(ann, 0, 1m, "t1", Clock.GetCurrentInstant());
        await CommitAsync(store, market);
        stale.Trade(ann, 1, 1m, "t-stale", Clock.GetCurrentInstant());
        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await store.CommitAsync(PredictionMarketCommit.Create(stale), default));
        Assert.Equal(2L, conflict.ExpectedVersion);
        Assert.Equal(3L, conflict.ActualVersion);

        var again = NewMarket(tenant);
        await CommitAsync(store, again);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await store.CommitAsync(PredictionMarketCommit.Create(PredictionMarket.Open(tenant, again.Id, null, "q", ["a", "b"], 1m, Start)), default));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await store.CommitAsync(PredictionMarketCommit.Create(PredictionMarket.Rehydrate(tenant, PredictionMarketId.New(), null, "q", ["a", "b"], 1m, Start, null, PredictionMarketStatus.Open, null, null, null, [0m, 0m], 0m, 0m, [], 0, 1)), default));
        Assert.Equal(Describe(again), Describe((await store.FindAsync(tenant, again.Id, default))!));

        var read = (await store.FindAsync(tenant, market.Id, default))!;
        Assert.Equal(Describe(market), Describe(read));
        Assert.Single(await AllTradesAsync(store, tenant, market.Id));
        Assert.Null(await store.FindTradeAsync(tenant, market.Id, "t-stale", default));
    }

    /// <summary>A trade under a key the market already stores is refused by the store, even when the writer did not know the key.</summary>
    [Fact]
    public virtual async Task StoredTradeKey_IsNeverStoredTwice()
    {
        await using var stores = await CreateStoresAsync();
        var (store, tenant) = (Markets(stores), NewTenant());
        var market = NewMarket(tenant);
        var ann = CustomerId.New();
        market.Grant(ann, 100m, Clock.GetCurrentInstant());
        market.Trade(ann, 0, 3m, "same-key", Clock.GetCurrentInstant());
        await CommitAsync(store, market);

        var reread = (await store.FindAsync(tenant, market.Id, default))!;
        reread.Trade(ann, 0, 3m, "same-key", Clock.GetCurrentInstant());

        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await store.CommitAsync(PredictionMarketCommit.Create(reread), default));
        Assert.Equal(Describe(market), Describe((await store.FindAsync(tenant, market.Id, default))!));
        Assert.Single(await AllTradesAsync(store, tenant, market.Id));
    }

    /// <summary>Writers racing on one market from the same version: exactly one commits, every other gets the conflict, and the stored trades are the winner's.</summary>
    [Fact]
    public virtual async Task ConcurrentTrades_EachCommitOrConflict_NeverALostUpdate()
    {
        await using var stores = await CreateStoresAsync();
        var (store, tenant) = (Markets(stores), NewTenant());
        var market = NewMarket(tenant);
        var traders = Enumerable.Range(0, 6).Select(_ => CustomerId.New()).ToArray();
        foreach (var trader in traders)
        {
            market.Grant(trader, 100m, Clock.GetCurrentInstant());
        }

        await CommitAsync(store, market);
        var copies = new List<PredictionMarket>();
        foreach (var trader in traders)
        {
            var copy = (await store.FindAsync(tenant, market.Id, default))!;
            copy.Trade(trader, 0, 5m, $"race-{trader}", Clock.GetCurrentInstant());
            copies.Add(copy);
        }

        var results = await Task.WhenAll(copies.Select(copy => Task.Run(async () =>
        {
            try
            {
                await store.CommitAsync(PredictionMarketCommit.Create(copy), default);
                return copy;
            }
            catch (ConcurrencyConflictException)
            {
                return null;
            }
        })));

        var winner = Assert.Single(results, r => r is not null)!;
        var stored = (await store.FindAsync(tenant, market.Id, default))!;
        Assert.Equal(Describe(winner), Describe(stored));
        Assert.Equal(2L, stored.Version);
        Assert.Equal(winner.PendingTrades[0].IdempotencyKey, Assert.Single(await AllTradesAsync(store, tenant, market.Id)).IdempotencyKey);
    }

    /// <summary>Concurrent trades through the service all succeed (each lost race is retried from a fresh read) and none is lost.</summary>
    [Fact]
    public virtual async Task ConcurrentTrades_ThroughTheService_AreAllKept()
    {
        await using var stores = await CreateStoresAsync();
        var (service, tenant) = (Service(stores), NewTenant());
        var market = await service.OpenAsync(tenant, null, "Will it ship this quarter?", ["yes", "no"], 20m);
        var traders = Enumerable.Range(0, 6).Select(_ => CustomerId.New()).ToArray();
        foreach (var trader in traders)
        {
            await service.GrantAsync(tenant, market.Id, trader, 50m);
        }

        var trades = await Task.WhenAll(traders.Select((trader, i) => Task.Run(async () => await service.TradeAsync(tenant, market.Id, trader, i % 2, 3m, $"t-{i}"))));

        var stored = await service.GetAsync(tenant, market.Id);
        Assert.Equal(traders.Length, stored.TradeCount);
        Assert.Equal(trades.Sum(t => t.Cost), stored.Collected);
        Assert.Equal([9m, 9m], stored.Quantities);
        Assert.Equal(Enumerable.Range(1, traders.Length).Select(i => (long)i), (await AllTradesAsync(Markets(stores), tenant, market.Id)).Select(t => t.Sequence));
        Assert.All(traders, t => Assert.Equal(1, stored.FindParticipant(t)!.Trades));
    }

    /// <summary>The service makes a trade once per key: a repeat returns the stored trade; the key reused for another trade is refused.</summary>
    [Fact]
    public virtual async Task Service_TradeIsIdempotentByKey()
    {
        await using var stores = await CreateStoresAsync();
        var (service, tenant) = (Service(stores), NewTenant());
        var market = await service.OpenAsync(tenant, IdeaId.New(), "Adopted within 90 days?", ["yes", "no"], 10m);
        var ann = CustomerId.New();
        await service.GrantAsync(tenant, market.Id, ann, 20m);

        var first = await service.TradeAsync(tenant, market.Id, ann, 0, 4m, "order-1");
        var repeat = await service.TradeAsync(tenant, market.Id, ann, 0, 4m, "order-1");
        var refused = await Assert.ThrowsAsync<PredictionMarketRuleException>(async () => await service.TradeAsync(tenant, market.Id, ann, 1, 4m, "order-1"));

        Assert.Equal(CrmErrorCodes.MarketTradeKeyConflict, refused.ErrorCode);
        AssertSameTrade(first, repeat);
        var stored = await service.GetAsync(tenant, market.Id);
        Assert.Equal(1L, stored.TradeCount);
        Assert.Equal(20m - first.Cost, (await service.GetPositionAsync(tenant, market.Id, ann))!.Balance);
        Assert.Equal(CrmErrorCodes.MarketNotFound, (await Assert.ThrowsAsync<PredictionMarketRuleException>(async () => await service.GetAsync(tenant, PredictionMarketId.New()))).ErrorCode);
    }

    /// <summary>Trades page in sequence order across pages without skipping or repeating.</summary>
    [Fact]
    public virtual async Task Trades_PageInSequenceOrder()
    {
        await using var stores = await CreateStoresAsync();
        var (store, tenant) = (Markets(stores), NewTenant());
        var market = NewMarket(tenant);
        var ann = CustomerId.New();
        market.Grant(ann, 1_000m, Clock.GetCurrentInstant());
        await CommitAsync(store, market);
        for (var batch = 0; batch < 3; batch++)
        {
            for (var i = 0; i < 4; i++)
            {
                market.Trade(ann, i % 2, 1.5m, $"b{batch}-t{i}", Clock.GetCurrentInstant());
            }

            await CommitAsync(store, market);
        }

        var paged = await AllTradesAsync(store, tenant, market.Id, pageSize: 5);

        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), paged.Select(t => t.Sequence));
        Assert.Equal(paged.Select(t => t.IdempotencyKey).Distinct().Count(), paged.Count);
        Assert.Empty(await store.PageTradesAsync(tenant, market.Id, 12, 5, default));
        Assert.Empty(await store.PageTradesAsync(tenant, PredictionMarketId.New(), 0, 5, default));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.PageTradesAsync(tenant, market.Id, -1, 5, default));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.PageTradesAsync(tenant, market.Id, 0, 0, default));
    }

    /// <summary>Markets page in id order (all of the tenant's, or an idea's) and tenants never see each other's; the service lists an idea's traders once each.</summary>
    [Fact]
    public virtual async Task Markets_PageInIdOrder_PerIdea_AndPerTenant()
    {
        await using var stores = await CreateStoresAsync();
        var (store, tenant, other) = (Markets(stores), NewTenant(), NewTenant());
        var idea = IdeaId.New();
        var ids = new List<PredictionMarketId>();
        var ofIdea = new List<PredictionMarketId>();
        for (var i = 0; i < 7; i++)
        {
            var market = NewMarket(tenant, i % 2 == 0 ? idea : null);
            await CommitAsync(store, market);
            ids.Add(market.Id);
            if (i % 2 == 0)
            {
                ofIdea.Add(market.Id);
            }
        }

        await CommitAsync(store, NewMarket(other, idea));
        var all = new List<PredictionMarketId>();
        PredictionMarketId? after = null;
        while (true)
        {
            var page = await store.PageAsync(tenant, after, 3, default);
            all.AddRange(page.Select(m => m.Id));
            if (page.Count < 3)
            {
                break;
            }

            after = page[^1].Id;
        }

        Assert.Equal(ids.Order(), all);
        Assert.Equal(ofIdea.Order(), (await store.PageByIdeaAsync(tenant, idea, null, 100, default)).Select(m => m.Id));
        Assert.Equal(ofIdea.Order().Skip(1), (await store.PageByIdeaAsync(tenant, idea, ofIdea.Order().First(), 100, default)).Select(m => m.Id));
        Assert.Empty(await store.PageByIdeaAsync(tenant, IdeaId.New(), null, 100, default));
        Assert.Null(await store.FindAsync(other, ids[0], default));
        Assert.Single(await store.PageAsync(other, null, 100, default));

        var service = Service(stores);
        var (ann, bob, cat) = (CustomerId.New(), CustomerId.New(), CustomerId.New());
        foreach (var (id, trader) in new[] { (ofIdea[0], ann), (ofIdea[1], ann), (ofIdea[1], bob) })
        {
            await service.GrantAsync(tenant, id, trader, 10m);
            await service.TradeAsync(tenant, id, trader, 0, 1m, $"{id}-{trader}");
        }

        await service.GrantAsync(tenant, ofIdea[2], cat, 10m);
        Assert.Equal(new[] { ann, bob }.Order(), await service.ListTradersAsync(tenant, idea));
    }

    /// <summary>
    /// A generated sequence of service commands (grants, buys, sells, repeats, close, resolve or void), some refused,
    /// gives after every command the same market as the same commands applied to a market that is never stored.
    /// </summary>
    [Fact]
    public virtual async Task GeneratedCommands_MatchAMarketNeverStored()
    {
        await using var stores = await CreateStoresAsync();
        var (service, tenant) = (Service(stores), NewTenant());
        var random = new Random(1919);
        Clock.AutoAdvance = Duration.Zero;
        for (var round = 0; round < 4; round++)
        {
            var stored = await service.OpenAsync(tenant, IdeaId.New(), "Which outcome?", ["a", "b", "c"], 5m + round);
            var model = PredictionMarket.Rehydrate(tenant, stored.Id, stored.IdeaId, stored.Question, stored.Outcomes, stored.Liquidity, stored.OpenedAt, stored.ClosesAt, stored.Status, null, null, null, [0m, 0m, 0m], 0m, 0m, [], 0, 1);
            var traders = new[] { CustomerId.New(), CustomerId.New(), CustomerId.New() };
            for (var step = 0; step < 40; step++)
            {
                var trader = traders[random.Next(3)];
                var roll = random.Next(100);
                Clock.Advance(Duration.FromSeconds(1));
                var now = Clock.GetCurrentInstant();
                Func<Task> command;
                Action reference;
                if (roll < 15)
                {
                    var points = random.Next(1, 3_000) / 100m;
                    command = () => service.GrantAsync(tenant, stored.Id, trader, points).AsTask();
                    reference = () => model.Grant(trader, points, now);
                }
                else if (roll < 94)
                {
                    var (outcome, shares, key) = (random.Next(4) % 3, (random.Next(1, 4_000) / 100m) * (random.Next(3) == 0 ? -1 : 1), $"r{round}-s{step % 30}");
                    command = () => service.TradeAsync(tenant, stored.Id, trader, outcome, shares, key).AsTask();
                    reference = () =>
                    {
                        // The model market holds every trade as pending, so it sees repeated keys as the store does.
                        model.Trade(trader, outcome, shares, key, now);
                    };
                }
                else if (roll < 96)
                {
                    command = () => service.CloseAsync(tenant, stored.Id).AsTask();
                    reference = () => model.Close(now);
                }
                else if (roll < 98)
                {
                    var outcome = random.Next(4);
                    command = () => service.ResolveAsync(tenant, stored.Id, outcome).AsTask();
                    reference = () => model.Resolve(outcome, now);
                }
                else
                {
                    command = () => service.VoidAsync(tenant, stored.Id).AsTask();
                    reference = () => model.Void(now);
                }

                var expected = await Verdict(() => { reference(); return Task.CompletedTask; });
                var actual = await Verdict(command);
                Assert.True(expected == actual, $"round {round} step {step}: the model says {expected}, the store-backed service did {actual}");
                var read = await service.GetAsync(tenant, stored.Id);
                Assert.Equal(Describe(model), Describe(read));
            }
        }

        static async Task<string> Verdict(Func<Task> command)
        {
            try
            {
                await command();
                return "ok";
            }
            catch (CrmException e)
            {
                return e.ErrorCode;
            }
        }
    }
}

using CrmKernel.Diagnostics;
using CrmKernel.Innovation;
using CrmKernel.Storage;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using Xunit;
using static CrmKernel.Tests.Innovation.PredictionMarketTestData;

namespace CrmKernel.Tests.Innovation;

/// <summary>One generated command against a market.</summary>
public abstract record MarketOp;

/// <summary>Grant customer <paramref name="Trader"/> points.</summary>
public sealed record GrantOp(int Trader, decimal Points) : MarketOp;

/// <summary>Trade (negative shares sell); outcome 2 of a binary market does not exist.</summary>
public sealed record TradeOp(int Trader, int Outcome, decimal Shares) : MarketOp;

/// <summary>Repeat the last trade under its key (must return it and change nothing).</summary>
public sealed record RepeatOp : MarketOp;

/// <summary>Let an hour pass (the market closes by itself after ten).</summary>
public sealed record WaitOp : MarketOp;

/// <summary>Close explicitly.</summary>
public sealed record CloseOp : MarketOp;

/// <summary>Resolve to an outcome (2 does not exist).</summary>
public sealed record ResolveOp(int Outcome) : MarketOp;

/// <summary>Void.</summary>
public sealed record VoidOp : MarketOp;

/// <summary>A generated command sequence on a binary market of liquidity <paramref name="Liquidity"/>.</summary>
public sealed record MarketScript(decimal Liquidity, IReadOnlyList<MarketOp> Ops)
{
    public override string ToString() => $"b={Liquidity}: " + string.Join(" | ", Ops);
}

public static class MarketScriptArbitraries
{
    private static readonly Gen<int> Trader = Gen.Choose(0, 2);

    private static readonly Gen<decimal> Amount = from units in Gen.Choose(1, 400_000) from scale in Gen.Elements(1m, 0.01m, 0.0001m) select Math.Max(0.0001m, Math.Min(200m, units * scale));

    public static readonly Gen<MarketOp> Op = Gen.Frequency(
        (3, from t in Trader from p in Amount select (MarketOp)new GrantOp(t, p)),
        (12, from t in Trader from o in Gen.Frequency((10, Gen.Choose(0, 1)), (1, Gen.Constant(2))) from s in Amount from sell in Gen.Elements(false, false, true) select (MarketOp)new TradeOp(t, o, sell ? -s : s)),
        (1, Gen.Constant((MarketOp)new RepeatOp())),
        (2, Gen.Constant((MarketOp)new WaitOp())),
        (1, Gen.Constant((MarketOp)new CloseOp())),
        (1, Gen.Choose(0, 2).Select(o => (MarketOp)new ResolveOp(o))),
        (1, Gen.Constant((MarketOp)new VoidOp())));

    public static Arbitrary<MarketScript> Script()
        => (from b in Gen.Elements(1m, 5m, 20m, 100m) from n in Gen.Choose(1, 40) from ops in Op.ListOf(n) select new MarketScript(b, [.. ops])).ToArbitrary();
}

/// <summary>
/// Runs generated open/grant/trade/wait/close/resolve/void sequences against the <see cref="PredictionMarket"/> aggregate
/// and a plain model of the rules written out here, and checks after every command: the model's verdict (accepted, or
/// the error code) is the aggregate's; a refused command changes nothing; the accounts, quantities and settlement agree;
/// no balance is ever below zero; the points add up exactly. Trade prices are checked against an independent LMSR
/// computation within the rounding to points.
/// </summary>
public sealed class PredictionMarketModelBasedProperties
{
    private static readonly Instant ClosesAt = Start + Duration.FromHours(10);

    [Property(Arbitrary = new[] { typeof(MarketScriptArbitraries) }, MaxTest = 1_000)]
    public void Aggregate_AgreesWithTheModel_AndNoBalanceGoesBelowZero(MarketScript script)
    {
        Assert.Equal(script.Ops.Count, Run(script).Count);
    }

    /// <summary>The generator reaches every verdict, so the property cannot pass vacuously.</summary>
    [Fact]
    public void Generator_ReachesEveryVerdict()
    {
        var seen = new HashSet<string>();
        foreach (var script in MarketScriptArbitraries.Script().Generator.Sample(1_000, 1_000))
        {
            seen.UnionWith(Run(script));
        }

        string[] expected =
        [
            "ok", CrmErrorCodes.MarketNotOpen, CrmErrorCodes.MarketInsufficientPoints, CrmErrorCodes.MarketInsufficientShares,
            CrmErrorCodes.MarketSettled, CrmErrorCodes.MarketUnknownOutcome, CrmErrorCodes.MarketBoundExceeded,
        ];
        Assert.Empty(expected.Except(seen));
    }

    private static List<string> Run(MarketScript script)
    {
        var market = Binary(script.Liquidity, ClosesAt);
        var model = new Model(script.Liquidity);
        var verdicts = new List<string>();
        var now = Start;
        var step = 0;
        var keys = 0;
        MarketTrade? last = null;
        foreach (var op in script.Ops)
        {
            step++;
            var before = Describe(market);
            var expected = model.Expect(op, now, market);
            string actual;
            MarketTrade? made = null;
            try
            {
                switch (op)
                {
                    case GrantOp g:
                        market.Grant(Traders[g.Trader], g.Points, now);
                        break;
                    case TradeOp t:
                        made = market.Trade(Traders[t.Trader], t.Outcome, t.Shares, $"k{++keys}", now);
                        break;
                    case RepeatOp when last is not null:
                        Assert.Same(last, market.Trade(last.CustomerId, last.Outcome, last.Shares, last.IdempotencyKey, now));
                        break;
                    case WaitOp:
                        now += Duration.FromHours(1);
                        break;
                    case CloseOp:
                        market.Close(now);
                        break;
                    case ResolveOp r:
                        market.Resolve(r.Outcome, now);
                        break;
                    case VoidOp:
                        market.Void(now);
                        break;
                }

                actual = "ok";
            }
            catch (CrmException e)
            {
                actual = e.ErrorCode;
            }

            Assert.True(expected == actual, $"step {step} ({op}): model says {expected}, aggregate did {actual}; {script}");
            if (actual == "ok")
            {
                model.Apply(op, made);
                last = made ?? last;
            }
            else
            {
                Assert.Equal(before, Describe(market));
            }

            if (op is RepeatOp)
            {
                Assert.Equal(before, Describe(market));
            }

            Assert.True(model.Describe() == Accounts(market), $"step {step} ({op}): model {model.Describe()}, aggregate {Accounts(market)}; {script}");
            Assert.All(market.Participants, p => Assert.True(p.Balance >= 0m));
            Assert.Equal(market.Participants.Sum(p => p.Granted) - market.Collected + market.PaidOut, market.Participants.Sum(p => p.Balance));
            verdicts.Add(actual);
        }

        // The stored form holds the same market.
        Assert.Equal(Describe(market), Describe(PredictionMarketDocuments.ReadMarket(market.TenantId, market.Id, 1, PredictionMarketCommit.Create(market).Document)));
        return verdicts;
    }

    private static string Accounts(PredictionMarket m)
        => $"{m.Status} w={m.WinningOutcome} q=[{N(m.Quantities[0])},{N(m.Quantities[1])}] paid={N(m.PaidOut)} "
           + string.Join(" ", m.Participants.Select(p => $"{Array.IndexOf(Traders, p.CustomerId)}:{N(p.Granted)}/{N(p.Balance)}/{N(p.Shares[0])},{N(p.Shares[1])}/{p.Trades}"));

    /// <summary>The rules as stated on the docs page, on plain values.</summary>
    private sealed class Model(decimal b)
    {
        private string _status = "Open";
        private int? _winner;
        private readonly decimal[] _q = new decimal[2];
        private decimal _paid;
        private readonly SortedDictionary<int, (decimal Granted, decimal Balance, decimal NetPaid, decimal[] Shares, int Trades)> _accounts = [];

        private static readonly Dictionary<int, int> Order = Traders.Select((c, i) => (c, i)).OrderBy(x => x.c).Select((x, rank) => (x.i, rank)).ToDictionary(x => x.i, x => x.rank);

        public string Expect(MarketOp op, Instant now, PredictionMarket market)
        {
            var open = _status == "Open" && now < ClosesAt;
            var settled = _status is "Resolved" or "Voided";
            switch (op)
            {
                case GrantOp:
                    return open ? "ok" : CrmErrorCodes.MarketNotOpen;
                case TradeOp t:
                    if (t.Outcome is < 0 or > 1)
                    {
                        return CrmErrorCodes.MarketUnknownOutcome;
                    }

                    if (!open)
                    {
                        return CrmErrorCodes.MarketNotOpen;
                    }

                    var account = Account(t.Trader);
                    if (t.Shares < 0m && account.Shares[t.Outcome] < -t.Shares)
                    {
                        return CrmErrorCodes.MarketInsufficientShares;
                    }

                    var after = _q.ToArray();
                    after[t.Outcome] += t.Shares;
                    if (Math.Abs(after[0] - after[1]) > PredictionMarket.MaxSpread * b)
                    {
                        return CrmErrorCodes.MarketBoundExceeded;
                    }

                    // The price, checked against an independent computation within the two roundings to points.
                    var cost = market.Quote(t.Outcome, t.Shares);
                    var reference = ReferenceCost(after, b) - ReferenceCost(_q, b);
                    Assert.True(Math.Abs((double)cost - reference) <= 0.0001 + 1e-9, $"quote {cost}, C(q′) − C(q) = {reference:R}");
                    return account.Balance - cost < 0m ? CrmErrorCodes.MarketInsufficientPoints : "ok";
                case RepeatOp:
                    return "ok";
                case WaitOp:
                    return "ok";
                case CloseOp:
                    return _status == "Open" ? "ok" : CrmErrorCodes.MarketNotOpen;
                case ResolveOp r:
                    return settled ? CrmErrorCodes.MarketSettled : r.Outcome is < 0 or > 1 ? CrmErrorCodes.MarketUnknownOutcome : "ok";
                case VoidOp:
                    return settled ? CrmErrorCodes.MarketSettled : "ok";
                default:
                    throw new InvalidOperationException(op.ToString());
            }
        }

        public void Apply(MarketOp op, MarketTrade? made)
        {
            switch (op)
            {
                case GrantOp g:
                    var a = Account(g.Trader);
                    _accounts[g.Trader] = (a.Granted + g.Points, a.Balance + g.Points, a.NetPaid, a.Shares, a.Trades);
                    break;
                case TradeOp t:
                    var account = Account(t.Trader);
                    var shares = account.Shares.ToArray();
                    shares[t.Outcome] += t.Shares;
                    _accounts[t.Trader] = (account.Granted, account.Balance - made!.Cost, account.NetPaid + made.Cost, shares, account.Trades + 1);
                    _q[t.Outcome] += t.Shares;
                    break;
                case CloseOp:
                    _status = "Closed";
                    break;
                case ResolveOp r:
                    foreach (var (trader, x) in _accounts.ToArray())
                    {
                        _accounts[trader] = (x.Granted, x.Balance + x.Shares[r.Outcome], x.NetPaid, x.Shares, x.Trades);
                    }

                    (_status, _winner, _paid) = ("Resolved", r.Outcome, _q[r.Outcome]);
                    break;
                case VoidOp:
                    foreach (var (trader, x) in _accounts.ToArray())
                    {
                        _accounts[trader] = (x.Granted, x.Balance + x.NetPaid, x.NetPaid, x.Shares, x.Trades);
                        _paid += x.NetPaid;
                    }

                    _status = "Voided";
                    break;
            }

        }

        public string Describe()
            => $"{_status} w={_winner} q=[{N(_q[0])},{N(_q[1])}] paid={N(_paid)} "
               + string.Join(" ", _accounts.OrderBy(a => Order[a.Key]).Select(a => $"{a.Key}:{N(a.Value.Granted)}/{N(a.Value.Balance)}/{N(a.Value.Shares[0])},{N(a.Value.Shares[1])}/{a.Value.Trades}"));

        private (decimal Granted, decimal Balance, decimal NetPaid, decimal[] Shares, int Trades) Account(int trader)
            => _accounts.TryGetValue(trader, out var a) ? a : (0m, 0m, 0m, new decimal[2], 0);
    }
}

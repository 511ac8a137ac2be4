using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Innovation;

/// <summary>
/// A prediction market on the outcome of an idea or a proposed change (e.g. "adopted by ≥ 20% of customers within 90
/// days": yes / no), made by Hanson's logarithmic market scoring rule (<see cref="Lmsr"/>): customers trade shares of
/// the outcomes with points, the prices are the crowd's probabilities, and when the market resolves every share of the
/// outcome that happened pays 1 point. Open one with <see cref="Open"/> (applications use <c>PredictionMarketService</c>);
/// storage adapters rebuild stored ones with <see cref="Rehydrate"/>.
/// </summary>
/// <remarks>
/// <para><b>Numbers.</b> Points and shares are <see cref="decimal"/> with at most <see cref="PointDecimals"/> decimals, so
/// balances, payouts and refunds add up exactly. The LMSR functions are computed in <see cref="double"/> and the cost
/// function is rounded to points: a trade costs R(C(q′)) − R(C(q)), R rounding half away from zero to
/// <see cref="PointDecimals"/> decimals. Trade costs therefore telescope: the points collected are exactly
/// R(C(q)) − R(C(0)), a trade and its reverse cancel to the last decimal, and the market maker loses at most
/// b·ln n + 0.0001 points.</para>
/// <para><b>Rules.</b> A balance never goes below zero (<c>CRM-MARKET-002</c>); nobody sells shares they do not hold
/// (<c>CRM-MARKET-003</c>); only an open market, before its closing time, takes trades and grants (<c>CRM-MARKET-001</c>);
/// a market settles once (<c>CRM-MARKET-004</c>); quantities stay within <see cref="MaxQuantity"/> and no two outcomes'
/// quantities differ by more than <see cref="MaxSpread"/>·b, so every price stays strictly between 0 and 1
/// (<c>CRM-MARKET-006</c>). A refused request changes nothing.</para>
/// </remarks>
public sealed class PredictionMarket
{
    /// <summary>The most outcomes a market has.</summary>
    public const int MaxOutcomes = 16;

    /// <summary>The longest question (what the market forecasts).</summary>
    public const int MaxQuestionLength = 500;

    /// <summary>The longest outcome label.</summary>
    public const int MaxOutcomeLabelLength = 100;

    /// <summary>The longest idempotency key of a trade.</summary>
    public const int MaxTradeKeyLength = 128;

    /// <summary>The most participants (customers granted points or trading) one market holds.</summary>
    public const int MaxParticipants = 10_000;

    /// <summary>Points and shares have at most this many decimals.</summary>
    public const int PointDecimals = 4;

    /// <summary>The largest liquidity parameter b.</summary>
    public const decimal MaxLiquidity = 1_000_000m;

    /// <summary>The most shares one trade buys or sells.</summary>
    public const decimal MaxTradeShares = 1_000_000m;

    /// <summary>The most points one grant gives.</summary>
    public const decimal MaxGrantPoints = 1_000_000_000m;

    /// <summary>The most shares of one outcome a market has outstanding.</summary>
    public const decimal MaxQuantity = 1_000_000_000m;

    /// <summary>How far apart, in units of b, two outcomes' quantities may be: at 30 the cheapest price is above e⁻³⁰/n (≈ 10⁻¹⁴), still strictly positive in <see cref="double"/>.</summary>
    public const int MaxSpread = 30;

    private readonly string[] _outcomes;
    private readonly decimal[] _quantities;
    private readonly double[] _prices;
    private readonly SortedDictionary<CustomerId, MarketParticipant> _participants;
    private readonly List<MarketTrade> _pendingTrades = [];
    private decimal _roundedCost;

    private PredictionMarket(TenantId tenantId, PredictionMarketId id, IdeaId? ideaId, string question, string[] outcomes, decimal liquidity, Instant openedAt, Instant? closesAt, decimal[] quantities, SortedDictionary<CustomerId, MarketParticipant> participants)
    {
        TenantId = tenantId;
        Id = id;
        IdeaId = ideaId;
        Question = question;
        _outcomes = outcomes;
        Liquidity = liquidity;
        OpenedAt = openedAt;
        ClosesAt = closesAt;
        _quantities = quantities;
        _participants = participants;
        _prices = new double[outcomes.Length];
        Reprice();
    }

    /// <summary>The tenant.</summary>
    public TenantId TenantId { get; }

    /// <summary>The market's id.</summary>
    public PredictionMarketId Id { get; }

    /// <summary>The idea the market forecasts, or null for a proposed change described only by <see cref="Question"/>.</summary>
    public IdeaId? IdeaId { get; }

    /// <summary>What the market forecasts, e.g. "Will self-service returns be adopted by ≥ 20% of customers within 90 days of launch?".</summary>
    public string Question { get; }

    /// <summary>The mutually exclusive outcomes' labels (at least two); outcomes are referred to by their zero-based index.</summary>
    public IReadOnlyList<string> Outcomes => _outcomes;

    /// <summary>The LMSR liquidity parameter b: the larger, the more points it takes to move a price (and the more the market maker can lose, b·ln n).</summary>
    public decimal Liquidity { get; }

    /// <summary>When the market opened.</summary>
    public Instant OpenedAt { get; }

    /// <summary>When trading ends by itself, or null when only an explicit close ends it.</summary>
    public Instant? ClosesAt { get; }

    /// <summary>The stored status; an open market past <see cref="ClosesAt"/> takes no trades (see <see cref="IsOpenAt"/>).</summary>
    public PredictionMarketStatus Status { get; private set; }

    /// <summary>When trading ended (explicit close, or the closing time if it passed first), or null while open.</summary>
    public Instant? ClosedAt { get; private set; }

    /// <summary>The outcome that happened, once <see cref="PredictionMarketStatus.Resolved"/>.</summary>
    public int? WinningOutcome { get; private set; }

    /// <summary>When the market was resolved or voided.</summary>
    public Instant? SettledAt { get; private set; }

    /// <summary>The outstanding shares of each outcome (q), in the order of <see cref="Outcomes"/>.</summary>
    public IReadOnlyList<decimal> Quantities => _quantities;

    /// <summary>
    /// The current price (probability) of each outcome, softmax(q/b): each strictly between 0 and 1, summing to 1 within
    /// 1e-12. Quantities freeze when trading ends, so after closing these are the closing prices.
    /// </summary>
    public IReadOnlyList<double> Prices => _prices;

    /// <summary>Net points the market maker collected from trades: exactly R(C(q)) − R(C(0)).</summary>
    public decimal Collected { get; private set; }

    /// <summary>Points paid out at settlement (winning shares, or refunds when voided); 0 before.</summary>
    public decimal PaidOut { get; private set; }

    /// <summary>How many trades the market has recorded.</summary>
    public long TradeCount { get; private set; }

    /// <summary>The participants' accounts, in customer id order.</summary>
    public IReadOnlyCollection<MarketParticipant> Participants => _participants.Values;

    /// <summary>The stored version (0 for a market not yet stored); stores compare it for optimistic concurrency.</summary>
    public long Version { get; private set; }

    /// <summary>The trades made since the market was read or last committed; stored with the next commit.</summary>
    public IReadOnlyList<MarketTrade> PendingTrades => _pendingTrades;

    /// <summary>Opens a market.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="id">The new market's id.</param>
    /// <param name="ideaId">The idea it forecasts, or null for a change described only by the question.</param>
    /// <param name="question">What it forecasts.</param>
    /// <param name="outcomes">2 to <see cref="MaxOutcomes"/> distinct labels (ordinal, case-insensitive), e.g. <c>["yes", "no"]</c>.</param>
    /// <param name="liquidity">The LMSR liquidity parameter b: greater than zero, at most <see cref="MaxLiquidity"/>, at most <see cref="PointDecimals"/> decimals.</param>
    /// <param name="openedAt">Now.</param>
    /// <param name="closesAt">When trading ends by itself (after <paramref name="openedAt"/>), or null.</param>
    /// <exception cref="ArgumentNullException">An argument is null, or an outcome label is.</exception>
    /// <exception cref="ArgumentException">An id is the default, the question or a label is blank, labels repeat, fewer than two outcomes, or the closing time is not after the opening.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="liquidity"/> is not greater than zero, above <see cref="MaxLiquidity"/> or has too many decimals.</exception>
    /// <exception cref="InputLimitExceededException">The question, a label or the outcome count is over its limit.</exception>
    public static PredictionMarket Open(TenantId tenantId, PredictionMarketId id, IdeaId? ideaId, string question, IEnumerable<string> outcomes, decimal liquidity, Instant openedAt, Instant? closesAt = null)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(id);
        if (ideaId is { } idea)
        {
            Preconditions.NotDefault(idea, nameof(ideaId));
        }

        Preconditions.MaxLength(Preconditions.NotBlank(question), MaxQuestionLength, nameof(question));
        var labels = Labels(outcomes);
        CheckLiquidity(liquidity);
        Preconditions.Check(closesAt is null || closesAt.Value > openedAt, "A market closes after it opens.", nameof(closesAt));
        return new PredictionMarket(tenantId, id, ideaId, question, labels, liquidity, openedAt, closesAt, new decimal[labels.Length], []);
    }

    /// <summary>Rebuilds a stored market, re-checking its invariants (a corrupt record fails loudly).</summary>
    /// <exception cref="ArgumentException">The state breaks an invariant (see the class remarks), e.g. quantities that are not the participants' shares summed, a balance that does not add up, or settlement fields that do not match the status.</exception>
    public static PredictionMarket Rehydrate(
        TenantId tenantId,
        PredictionMarketId id,
        IdeaId? ideaId,
        string question,
        IReadOnlyList<string> outcomes,
        decimal liquidity,
        Instant openedAt,
        Instant? closesAt,
        PredictionMarketStatus status,
        Instant? closedAt,
        int? winningOutcome,
        Instant? settledAt,
        IReadOnlyList<decimal> quantities,
        decimal collected,
        decimal paidOut,
        IEnumerable<MarketParticipant> participants,
        long tradeCount,
        long version)
    {
        Preconditions.NotNull(quantities);
        Preconditions.NotNull(participants);
        var market = Open(tenantId, id, ideaId, question, outcomes, liquidity, openedAt, closesAt);
        var n = market._outcomes.Length;
        Preconditions.Defined(status);
        Preconditions.Check(quantities.Count == n, "There is one quantity per outcome.", nameof(quantities));
        Preconditions.Check(version >= 1 && tradeCount >= 0, "A stored market has a version of 1 or more and a trade count of 0 or more.", nameof(version));
        Preconditions.Check((status == PredictionMarketStatus.Open) == (closedAt is null), "Only an open market has no closing instant.", nameof(closedAt));
        Preconditions.Check((status is PredictionMarketStatus.Resolved or PredictionMarketStatus.Voided) == (settledAt is not null), "Only a settled market has a settlement instant.", nameof(settledAt));
        Preconditions.Check((status == PredictionMarketStatus.Resolved) == (winningOutcome is not null) && (winningOutcome is null || (winningOutcome >= 0 && winningOutcome < n)), "Only a resolved market has a winning outcome, one of its outcomes.", nameof(winningOutcome));
        var sums = new decimal[n];
        decimal netPaid = 0m, payouts = 0m;
        foreach (var participant in participants)
        {
            Preconditions.NotNull(participant, nameof(participants));
            Preconditions.Check(participant.Shares.Count == n, "A participant holds a count of shares per outcome.", nameof(participants));
            Preconditions.Check(market._participants.TryAdd(participant.CustomerId, participant), "A customer has one account per market.", nameof(participants));
            Preconditions.MaxCount(market._participants.Count, MaxParticipants, "participants", nameof(participants));
            for (var i = 0; i < n; i++)
            {
                sums[i] += participant.Shares[i];
            }

            netPaid += participant.NetPaid;
            payouts += participant.Payout;
        }

        for (var i = 0; i < n; i++)
        {
            Preconditions.Check(quantities[i] == sums[i] && quantities[i] <= MaxQuantity, "Each quantity is the participants' shares of the outcome summed.", nameof(quantities));
            market._quantities[i] = quantities[i];
        }

        Preconditions.Check(collected == netPaid, "The points collected are the participants' net payments summed.", nameof(collected));
        Preconditions.Check(paidOut == payouts, "The points paid out are the participants' payouts summed.", nameof(paidOut));
        var expectedPaidOut = status switch
        {
            PredictionMarketStatus.Resolved => quantities[winningOutcome!.Value],
            PredictionMarketStatus.Voided => collected,
            _ => 0m,
        };
        Preconditions.Check(paidOut == expectedPaidOut, "Settlement pays the winning shares (resolved), the net payments (voided) or nothing (unsettled).", nameof(paidOut));
        market.Status = status;
        market.ClosedAt = closedAt;
        market.WinningOutcome = winningOutcome;
        market.SettledAt = settledAt;
        market.Collected = collected;
        market.PaidOut = paidOut;
        market.TradeCount = tradeCount;
        market.Version = version;
        market.Reprice();
        return market;
    }

    /// <summary>True when the market takes trades and grants at <paramref name="instant"/>: open, not before it opened and before its closing time.</summary>
    public bool IsOpenAt(Instant instant)
        => Status == PredictionMarketStatus.Open && instant >= OpenedAt && (ClosesAt is null || instant < ClosesAt.Value);

    /// <summary>The customer's account, or null when the customer was never granted points nor traded here.</summary>
    public MarketParticipant? FindParticipant(CustomerId customerId) => _participants.GetValueOrDefault(customerId);

    /// <summary>Grants a customer points to trade with (the endowment), opening the customer's account on first use.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="points">Greater than zero, at most <see cref="MaxGrantPoints"/>, at most <see cref="PointDecimals"/> decimals.</param>
    /// <param name="at">Now.</param>
    /// <returns>The customer's account after the grant.</returns>
    /// <exception cref="ArgumentException"><paramref name="customerId"/> is the default.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="points"/> is out of range or has too many decimals.</exception>
    /// <exception cref="PredictionMarketRuleException"><c>CRM-MARKET-001</c>: not open at <paramref name="at"/>; <c>CRM-MARKET-009</c>: the market has <see cref="MaxParticipants"/> participants already.</exception>
    public MarketParticipant Grant(CustomerId customerId, decimal points, Instant at)
    {
        Preconditions.NotDefault(customerId);
        CheckPoints(points, MaxGrantPoints, nameof(points));
        RequireOpen(at);
        var account = Account(customerId);
        var granted = new MarketParticipant(customerId, account.Granted + points, account.Balance + points, account.NetPaid, account.Payout, account.Shares, account.Trades);
        _participants[customerId] = granted;
        return granted;
    }

    /// <summary>What buying (positive) or selling (negative) <paramref name="shares"/> of an outcome would cost now, in points (negative: what a sale pays), without trading.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shares"/> is zero, above <see cref="MaxTradeShares"/> in size or has too many decimals.</exception>
    /// <exception cref="PredictionMarketRuleException"><c>CRM-MARKET-005</c>: no such outcome; <c>CRM-MARKET-006</c>: the trade would take the market beyond its bounds.</exception>
    public decimal Quote(int outcome, decimal shares)
    {
        CheckShares(shares);
        RequireOutcome(outcome);
        Span<decimal> after = stackalloc decimal[_quantities.Length];
        return QuoteInto(outcome, shares, after) - _roundedCost;
    }

    /// <summary>
    /// Buys (positive <paramref name="shares"/>) or sells (negative) shares of an outcome for the customer at the LMSR
    /// price, C(q + Δeᵢ) − C(q) rounded as the class remarks say, and records the trade. A trade repeated with the same
    /// <paramref name="idempotencyKey"/> before the market is committed returns the first one and changes nothing
    /// (the service also finds keys already stored).
    /// </summary>
    /// <returns>The recorded trade.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="idempotencyKey"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="customerId"/> is the default or the key is blank.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shares"/> is zero, above <see cref="MaxTradeShares"/> in size or has too many decimals.</exception>
    /// <exception cref="InputLimitExceededException">The key is longer than <see cref="MaxTradeKeyLength"/>.</exception>
    /// <exception cref="PredictionMarketRuleException">
    /// <c>CRM-MARKET-001</c> not open at <paramref name="at"/>; <c>-002</c> the cost exceeds the balance; <c>-003</c> selling
    /// more than held; <c>-005</c> no such outcome; <c>-006</c> beyond the market's bounds; <c>-007</c> the key was used for
    /// another trade; <c>-009</c> too many participants.
    /// </exception>
    public MarketTrade Trade(CustomerId customerId, int outcome, decimal shares, string idempotencyKey, Instant at)
    {
        Preconditions.NotDefault(customerId);
        Preconditions.MaxLength(Preconditions.NotBlank(idempotencyKey), MaxTradeKeyLength, nameof(idempotencyKey));
        CheckShares(shares);
        RequireOutcome(outcome);
        foreach (var pending in _pendingTrades)
        {
            if (pending.IdempotencyKey == idempotencyKey)
            {
                return Replay(pending, customerId, outcome, shares);
            }
        }

        RequireOpen(at);
        var account = Account(customerId);
        if (shares < 0m && account.Shares[outcome] < -shares)
        {
            throw new PredictionMarketRuleException(CrmErrorCodes.MarketInsufficientShares, $"Customer {customerId} holds fewer than {-shares} shares of outcome {outcome} of market {Id}.");
        }

        Span<decimal> after = stackalloc decimal[_quantities.Length];
        var roundedAfter = QuoteInto(outcome, shares, after);
        var cost = roundedAfter - _roundedCost;
        if (account.Balance - cost < 0m)
        {
            throw new PredictionMarketRuleException(CrmErrorCodes.MarketInsufficientPoints, $"Customer {customerId} has fewer points than the trade's cost of {cost} in market {Id}.");
        }

        var held = account.Shares.ToArray();
        held[outcome] += shares;
        _participants[customerId] = new MarketParticipant(customerId, account.Granted, account.Balance - cost, account.NetPaid + cost, account.Payout, held, account.Trades + 1);
        after.CopyTo(_quantities);
        _roundedCost = roundedAfter;
        Collected += cost;
        TradeCount++;
        Reprice();
        var trade = new MarketTrade(Id, TradeCount, idempotencyKey, customerId, outcome, shares, cost, at, _prices);
        _pendingTrades.Add(trade);
        return trade;
    }

    /// <summary>Ends trading now (prices freeze); the market then waits to be resolved or voided. Past its closing time the closing instant recorded is the closing time.</summary>
    /// <exception cref="PredictionMarketRuleException"><c>CRM-MARKET-001</c>: the market is not open (closed or settled already).</exception>
    public void Close(Instant at)
    {
        if (Status != PredictionMarketStatus.Open)
        {
            throw new PredictionMarketRuleException(CrmErrorCodes.MarketNotOpen, $"Market {Id} is {Status}, not open.");
        }

        EndTrading(at);
        Status = PredictionMarketStatus.Closed;
    }

    /// <summary>Settles the market on the outcome that happened: every share of it pays 1 point to its holder. An open market is closed first.</summary>
    /// <exception cref="PredictionMarketRuleException"><c>CRM-MARKET-004</c>: already resolved or voided; <c>CRM-MARKET-005</c>: no such outcome.</exception>
    public void Resolve(int outcome, Instant at)
    {
        RequireUnsettled();
        RequireOutcome(outcome);
        EndTrading(at);
        foreach (var account in _participants.Values.ToArray())
        {
            var payout = account.Shares[outcome];
            _participants[account.CustomerId] = new MarketParticipant(account.CustomerId, account.Granted, account.Balance + payout, account.NetPaid, payout, account.Shares, account.Trades);
        }

        PaidOut = _quantities[outcome];
        WinningOutcome = outcome;
        Status = PredictionMarketStatus.Resolved;
        SettledAt = at;
    }

    /// <summary>Settles the market without an outcome (the question became moot): every participant gets back the net points paid for shares, so each balance returns to the points granted.</summary>
    /// <exception cref="PredictionMarketRuleException"><c>CRM-MARKET-004</c>: already resolved or voided.</exception>
    public void Void(Instant at)
    {
        RequireUnsettled();
        EndTrading(at);
        foreach (var account in _participants.Values.ToArray())
        {
            _participants[account.CustomerId] = new MarketParticipant(account.CustomerId, account.Granted, account.Balance + account.NetPaid, account.NetPaid, account.NetPaid, account.Shares, account.Trades);
        }

        PaidOut = Collected;
        Status = PredictionMarketStatus.Voided;
        SettledAt = at;
    }

    /// <summary>After a successful commit: the stored version and no pending trades.</summary>
    internal void MarkCommitted(long version)
    {
        Version = version;
        _pendingTrades.Clear();
    }

    private static string[] Labels(IEnumerable<string> outcomes)
    {
        Preconditions.NotNull(outcomes);
        var labels = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var label in outcomes)
        {
            Preconditions.MaxLength(Preconditions.NotBlank(label, nameof(outcomes)), MaxOutcomeLabelLength, nameof(outcomes));
            Preconditions.Check(seen.Add(label), "Outcome labels are distinct.", nameof(outcomes));
            labels.Add(label);
            Preconditions.MaxCount(labels.Count, MaxOutcomes, "outcomes", nameof(outcomes));
        }

        Preconditions.Check(labels.Count >= 2, "A market has at least two outcomes.", nameof(outcomes));
        return [.. labels];
    }

    private static void CheckLiquidity(decimal liquidity)
    {
        if (liquidity <= 0m || liquidity > MaxLiquidity || decimal.Round(liquidity, PointDecimals) != liquidity)
        {
            throw new ArgumentOutOfRangeException(nameof(liquidity), liquidity, $"The liquidity b must be greater than zero, at most {MaxLiquidity} and have at most {PointDecimals} decimals.");
        }
    }

    private static void CheckPoints(decimal value, decimal max, string parameterName)
    {
        if (value <= 0m || value > max || decimal.Round(value, PointDecimals) != value)
        {
            throw new ArgumentOutOfRangeException(parameterName, value, $"The value must be greater than zero, at most {max} and have at most {PointDecimals} decimals.");
        }
    }

    private static void CheckShares(decimal shares)
    {
        if (shares == 0m || Math.Abs(shares) > MaxTradeShares || decimal.Round(shares, PointDecimals) != shares)
        {
            throw new ArgumentOutOfRangeException(nameof(shares), shares, $"A trade buys (positive) or sells (negative) a non-zero number of shares, at most {MaxTradeShares} in size with at most {PointDecimals} decimals.");
        }
    }

    private MarketTrade Replay(MarketTrade pending, CustomerId customerId, int outcome, decimal shares)
        => pending.CustomerId == customerId && pending.Outcome == outcome && pending.Shares == shares
            ? pending
            : throw new PredictionMarketRuleException(CrmErrorCodes.MarketTradeKeyConflict, $"Trade key of market {Id} was already used for another trade (sequence {pending.Sequence}).");

    private MarketParticipant Account(CustomerId customerId)
    {
        if (_participants.TryGetValue(customerId, out var account))
        {
            return account;
        }

        if (_participants.Count >= MaxParticipants)
        {
            throw new PredictionMarketRuleException(CrmErrorCodes.MarketLimitExceeded, $"Market {Id} has {MaxParticipants} participants already.");
        }

        return new MarketParticipant(customerId, 0m, 0m, 0m, 0m, new decimal[_outcomes.Length], 0);
    }

    /// <summary>Writes the quantities after the trade into <paramref name="after"/> and returns R(C(after)), refusing a trade beyond the bounds.</summary>
    private decimal QuoteInto(int outcome, decimal shares, Span<decimal> after)
    {
        _quantities.CopyTo(after);
        after[outcome] += shares;
        decimal min = after[0], max = after[0];
        foreach (var q in after)
        {
            (min, max) = (Math.Min(min, q), Math.Max(max, q));
        }

        if (min < 0m)
        {
            throw new PredictionMarketRuleException(CrmErrorCodes.MarketInsufficientShares, $"Market {Id} has fewer than {-shares} shares of outcome {outcome} outstanding.");
        }

        if (max > MaxQuantity || max - min > MaxSpread * Liquidity)
        {
            throw new PredictionMarketRuleException(CrmErrorCodes.MarketBoundExceeded, $"The trade would take market {Id} beyond its bounds (at most {MaxQuantity} shares of an outcome, at most {MaxSpread}·b between two outcomes).");
        }

        return RoundedCost(after);
    }

    private decimal RoundedCost(ReadOnlySpan<decimal> quantities)
    {
        Span<double> q = stackalloc double[quantities.Length];
        for (var i = 0; i < q.Length; i++)
        {
            q[i] = (double)quantities[i];
        }

        return decimal.Round((decimal)Lmsr.Cost(q, (double)Liquidity), PointDecimals, MidpointRounding.AwayFromZero);
    }

    private void Reprice()
    {
        Span<double> q = stackalloc double[_quantities.Length];
        for (var i = 0; i < q.Length; i++)
        {
            q[i] = (double)_quantities[i];
        }

        Lmsr.Prices(q, (double)Liquidity, _prices);
        _roundedCost = RoundedCost(_quantities);
    }

    private void RequireOpen(Instant at)
    {
        if (!IsOpenAt(at))
        {
            throw new PredictionMarketRuleException(CrmErrorCodes.MarketNotOpen, $"Market {Id} is not open for trading at {at}.");
        }
    }

    private void RequireUnsettled()
    {
        if (Status is PredictionMarketStatus.Resolved or PredictionMarketStatus.Voided)
        {
            throw new PredictionMarketRuleException(CrmErrorCodes.MarketSettled, $"Market {Id} is {Status} already.");
        }
    }

    private void RequireOutcome(int outcome)
    {
        if (outcome < 0 || outcome >= _outcomes.Length)
        {
            throw new PredictionMarketRuleException(CrmErrorCodes.MarketUnknownOutcome, $"Market {Id} has no outcome {outcome}; its outcomes are 0 to {_outcomes.Length - 1}.");
        }
    }

    private void EndTrading(Instant at)
    {
        if (ClosedAt is null)
        {
            ClosedAt = ClosesAt is { } closesAt && closesAt < at ? closesAt : at;
        }
    }
}

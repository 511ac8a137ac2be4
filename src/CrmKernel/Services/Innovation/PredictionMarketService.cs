using System.Runtime.CompilerServices;
using CrmKernel.Diagnostics;
using CrmKernel.Innovation;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using NodaTime;

namespace CrmKernel.Services.Innovation;

/// <summary>
/// Prediction markets as application code drives them: open a market on an idea or a proposed change, grant customers
/// points, take their trades (idempotently), close, resolve or void it, and read prices, positions, the trade history
/// and an idea's traders. Resolve it from DI after <c>services.AddCrmKernel(b => b.UseInMemoryStores())</c> (or the
/// SQLite or PostgreSQL store).
/// </summary>
/// <remarks>
/// Each command reads the market, applies the change through the <see cref="PredictionMarket"/> aggregate (which
/// enforces the rules, see <c>docs/prediction-markets.md</c>) at the clock's instant, and commits it in one store call.
/// A command that loses an optimistic-concurrency race is retried from a fresh read, up to <see cref="MaxAttempts"/>
/// times; a refused command changes nothing. A trade carries the caller's idempotency key: a trade repeated with a key
/// the market already holds returns the stored trade and changes nothing, even when the first call's answer was lost.
/// Participants are customer ids; the service does not check that the customers exist.
/// </remarks>
public sealed class PredictionMarketService
{
    /// <summary>How many times a command is tried when the market keeps changing under it.</summary>
    public const int MaxAttempts = 8;

    private readonly IPredictionMarketStore _store;
    private readonly IClock _clock;

    /// <summary>Creates the service (DI does this for you).</summary>
    /// <param name="store">The prediction market store.</param>
    /// <param name="clock">Stamps every change and decides whether a market with a closing time is still open.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public PredictionMarketService(IPredictionMarketStore store, IClock clock)
    {
        _store = Preconditions.NotNull(store);
        _clock = Preconditions.NotNull(clock);
    }

    /// <summary>Opens a market (see <see cref="PredictionMarket.Open"/> for the arguments) and stores it.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">See <see cref="PredictionMarket.Open"/>.</exception>
    public async ValueTask<PredictionMarket> OpenAsync(TenantId tenantId, IdeaId? ideaId, string question, IEnumerable<string> outcomes, decimal liquidity, Instant? closesAt = null, CancellationToken cancellationToken = default)
    {
        var market = PredictionMarket.Open(tenantId, PredictionMarketId.New(), ideaId, question, outcomes, liquidity, _clock.GetCurrentInstant(), closesAt);
        await CommitAsync(market, cancellationToken).ConfigureAwait(false);
        return market;
    }

    /// <summary>Reads a market: its status, prices (<see cref="PredictionMarket.Prices"/>) and every participant's position.</summary>
    /// <exception cref="PredictionMarketRuleException"><c>CRM-MARKET-008</c>: the tenant has no such market.</exception>
    public async ValueTask<PredictionMarket> GetAsync(TenantId tenantId, PredictionMarketId marketId, CancellationToken cancellationToken = default)
        => await _store.FindAsync(tenantId, marketId, cancellationToken).ConfigureAwait(false)
            ?? throw new PredictionMarketRuleException(CrmErrorCodes.MarketNotFound, $"Tenant {tenantId} has no prediction market {marketId}.");

    /// <summary>Reads the current price (probability) of each outcome.</summary>
    /// <exception cref="PredictionMarketRuleException"><c>CRM-MARKET-008</c>: the tenant has no such market.</exception>
    public async ValueTask<IReadOnlyList<double>> GetPricesAsync(TenantId tenantId, PredictionMarketId marketId, CancellationToken cancellationToken = default)
        => (await GetAsync(tenantId, marketId, cancellationToken).ConfigureAwait(false)).Prices;

    /// <summary>Reads a customer's position (balance and shares held); null when the customer has none in the market.</summary>
    /// <exception cref="PredictionMarketRuleException"><c>CRM-MARKET-008</c>: the tenant has no such market.</exception>
    public async ValueTask<MarketParticipant?> GetPositionAsync(TenantId tenantId, PredictionMarketId marketId, CustomerId customerId, CancellationToken cancellationToken = default)
        => (await GetAsync(tenantId, marketId, cancellationToken).ConfigureAwait(false)).FindParticipant(customerId);

    /// <summary>Grants a customer points to trade with in the market (see <see cref="PredictionMarket.Grant"/>).</summary>
    /// <exception cref="ArgumentException">See <see cref="PredictionMarket.Grant"/>.</exception>
    /// <exception cref="PredictionMarketRuleException"><c>CRM-MARKET-008</c> no such market; otherwise see <see cref="PredictionMarket.Grant"/>.</exception>
    /// <exception cref="ConcurrencyConflictException">The market kept changing for <see cref="MaxAttempts"/> attempts.</exception>
    public ValueTask<MarketParticipant> GrantAsync(TenantId tenantId, PredictionMarketId marketId, CustomerId customerId, decimal points, CancellationToken cancellationToken = default)
        => ChangeAsync(tenantId, marketId, (market, now) => market.Grant(customerId, points, now), cancellationToken);

    /// <summary>
    /// Buys (positive <paramref name="shares"/>) or sells (negative) shares of an outcome for a customer at the market's
    /// price (see <see cref="PredictionMarket.Trade"/>). Idempotent by <paramref name="idempotencyKey"/>: when the market
    /// already holds a trade under the key, that trade is returned and nothing changes.
    /// </summary>
    /// <returns>The trade made (or the one made before under the key), with its cost and the prices after it.</returns>
    /// <exception cref="ArgumentException">See <see cref="PredictionMarket.Trade"/>.</exception>
    /// <exception cref="PredictionMarketRuleException"><c>CRM-MARKET-008</c> no such market; <c>CRM-MARKET-007</c> the key was used for another trade; otherwise see <see cref="PredictionMarket.Trade"/>.</exception>
    /// <exception cref="ConcurrencyConflictException">The market kept changing for <see cref="MaxAttempts"/> attempts.</exception>
    public async ValueTask<MarketTrade> TradeAsync(TenantId tenantId, PredictionMarketId marketId, CustomerId customerId, int outcome, decimal shares, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        Preconditions.MaxLength(Preconditions.NotBlank(idempotencyKey), PredictionMarket.MaxTradeKeyLength, nameof(idempotencyKey));
        for (var attempt = 1; ; attempt++)
        {
            var market = await GetAsync(tenantId, marketId, cancellationToken).ConfigureAwait(false);
            if (await _store.FindTradeAsync(tenantId, marketId, idempotencyKey, cancellationToken).ConfigureAwait(false) is { } earlier)
            {
                return earlier.CustomerId == customerId && earlier.Outcome == outcome && earlier.Shares == shares
                    ? earlier
                    : throw new PredictionMarketRuleException(CrmErrorCodes.MarketTradeKeyConflict, $"Trade key of market {marketId} was already used for another trade (sequence {earlier.Sequence}).");
            }

            var trade = market.Trade(customerId, outcome, shares, idempotencyKey, _clock.GetCurrentInstant());
            try
            {
                await CommitAsync(market, cancellationToken).ConfigureAwait(false);
                return trade;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    /// <summary>Ends trading now; prices freeze (see <see cref="PredictionMarket.Close"/>).</summary>
    /// <exception cref="PredictionMarketRuleException"><c>CRM-MARKET-008</c> no such market; <c>CRM-MARKET-001</c> not open.</exception>
    /// <exception cref="ConcurrencyConflictException">The market kept changing for <see cref="MaxAttempts"/> attempts.</exception>
    public async ValueTask<PredictionMarket> CloseAsync(TenantId tenantId, PredictionMarketId marketId, CancellationToken cancellationToken = default)
        => await ChangeAsync(tenantId, marketId, (market, now) => { market.Close(now); return market; }, cancellationToken).ConfigureAwait(false);

    /// <summary>Settles the market on the outcome that happened and pays 1 point per winning share (see <see cref="PredictionMarket.Resolve"/>).</summary>
    /// <exception cref="PredictionMarketRuleException"><c>CRM-MARKET-008</c> no such market; <c>CRM-MARKET-004</c> already settled; <c>CRM-MARKET-005</c> no such outcome.</exception>
    /// <exception cref="ConcurrencyConflictException">The market kept changing for <see cref="MaxAttempts"/> attempts.</exception>
    public async ValueTask<PredictionMarket> ResolveAsync(TenantId tenantId, PredictionMarketId marketId, int outcome, CancellationToken cancellationToken = default)
        => await ChangeAsync(tenantId, marketId, (market, now) => { market.Resolve(outcome, now); return market; }, cancellationToken).ConfigureAwait(false);

    /// <summary>Settles the market without an outcome and refunds every participant's net payments (see <see cref="PredictionMarket.Void"/>).</summary>
    /// <exception cref="PredictionMarketRuleException"><c>CRM-MARKET-008</c> no such market; <c>CRM-MARKET-004</c> already settled.</exception>
    /// <exception cref="ConcurrencyConflictException">The market kept changing for <see cref="MaxAttempts"/> attempts.</exception>
    public async ValueTask<PredictionMarket> VoidAsync(TenantId tenantId, PredictionMarketId marketId, CancellationToken cancellationToken = default)
        => await ChangeAsync(tenantId, marketId, (market, now) => { market.Void(now); return market; }, cancellationToken).ConfigureAwait(false);

    /// <summary>Streams a market's trades in the order they were made: its trade and price history.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pageSize"/> is not 1 to <see cref="StoreLimits.MaxPageSize"/>.</exception>
    public async IAsyncEnumerable<MarketTrade> ReadTradesAsync(TenantId tenantId, PredictionMarketId marketId, int pageSize = 500, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StoreArguments.CheckLimit(pageSize, nameof(pageSize));
        var after = 0L;
        while (true)
        {
            var page = await _store.PageTradesAsync(tenantId, marketId, after, pageSize, cancellationToken).ConfigureAwait(false);
            foreach (var trade in page)
            {
                yield return trade;
            }

            if (page.Count < pageSize)
            {
                yield break;
            }

            after = page[^1].Sequence;
        }
    }

    /// <summary>Streams the markets on an idea, in id order.</summary>
    public async IAsyncEnumerable<PredictionMarket> ReadMarketsOfIdeaAsync(TenantId tenantId, IdeaId ideaId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var page in StorePaging.MarketPagesAsync((after, ct) => _store.PageByIdeaAsync(tenantId, ideaId, after, 100, ct), 100, cancellationToken).ConfigureAwait(false))
        {
            foreach (var market in page)
            {
                yield return market;
            }
        }
    }

    /// <summary>
    /// The customers who traded in any market on an idea (at least one trade; a customer only granted points is not a
    /// trader), each once, in id order: whom to include when the idea's outcome is told to its participants.
    /// </summary>
    public async ValueTask<IReadOnlyList<CustomerId>> ListTradersAsync(TenantId tenantId, IdeaId ideaId, CancellationToken cancellationToken = default)
    {
        var traders = new SortedSet<CustomerId>();
        await foreach (var market in ReadMarketsOfIdeaAsync(tenantId, ideaId, cancellationToken).ConfigureAwait(false))
        {
            foreach (var participant in market.Participants)
            {
                if (participant.Trades > 0)
                {
                    traders.Add(participant.CustomerId);
                }
            }
        }

        return [.. traders];
    }

    private async ValueTask<T> ChangeAsync<T>(TenantId tenantId, PredictionMarketId marketId, Func<PredictionMarket, Instant, T> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var market = await GetAsync(tenantId, marketId, cancellationToken).ConfigureAwait(false);
            var result = change(market, _clock.GetCurrentInstant());
            try
            {
                await CommitAsync(market, cancellationToken).ConfigureAwait(false);
                return result;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    private async ValueTask CommitAsync(PredictionMarket market, CancellationToken cancellationToken)
    {
        var commit = PredictionMarketCommit.Create(market);
        await _store.CommitAsync(commit, cancellationToken).ConfigureAwait(false);
        market.MarkCommitted(commit.NewVersion);
    }
}

using CrmKernel.Channels;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;

namespace CrmKernel.Metrics.Profitability;

/// <summary>
/// What one contact costs on each channel, in one currency, beyond what the touchpoints record: a rate per direction
/// (inbound, outbound) and optionally a rate per CRM function (a service contact on the phone costs more than a marketing
/// one). Use it for the cost to serve of <see cref="ChannelProfitabilityReport"/> and, with other rates, as the rates of a
/// <see cref="ChannelMixScenario"/>. Immutable: <see cref="WithRate"/> and <see cref="WithFunctionRate"/> return a new model.
/// </summary>
/// <remarks>
/// A function rate, when given, replaces the direction rate for that channel and function in both directions. A channel
/// the model does not know costs nothing per contact (its recorded costs still count). The model holds the cost the
/// touchpoints do not record (agent time, platform fees); a dispatcher that records each message's cost on its touchpoint
/// already counts it, so give such a channel an outbound rate of zero to avoid counting it twice.
/// </remarks>
public sealed class ChannelCostModel
{
    /// <summary>The most channels one model prices.</summary>
    public const int MaxChannels = 1000;

    private const int Functions = 4;
    private readonly Dictionary<ChannelId, Rates> _rates;

    /// <summary>Creates a model that prices no channel.</summary>
    /// <param name="currency">The currency of every rate: the reporting currency of the reports that use it; not XXX.</param>
    /// <exception cref="ArgumentException"><paramref name="currency"/> is XXX or the default.</exception>
    public ChannelCostModel(Currency currency)
    {
        Preconditions.Check(currency != default && currency != Currency.XXX, "Rates are in a real currency.", nameof(currency));
        Currency = currency;
        _rates = [];
    }

    private ChannelCostModel(Currency currency, Dictionary<ChannelId, Rates> rates)
    {
        Currency = currency;
        _rates = rates;
    }

    /// <summary>The currency of every rate.</summary>
    public Currency Currency { get; }

    /// <summary>The channels the model prices, in id order.</summary>
    public IReadOnlyList<ChannelId> Channels => [.. _rates.Keys.Order()];

    /// <summary>
    /// A model with each descriptor's <see cref="ChannelDescriptor.CostPerContact"/> as the rate of both directions of its
    /// channel: the default cost model when the channel adapters are registered.
    /// </summary>
    /// <param name="currency">The currency of every rate.</param>
    /// <param name="descriptors">The channels' descriptors; each cost in <paramref name="currency"/>; up to <see cref="MaxChannels"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="descriptors"/> is null.</exception>
    /// <exception cref="ArgumentException">The currency is XXX, a descriptor is null, two share a channel, or a cost is in another currency.</exception>
    /// <exception cref="InputLimitExceededException">More than <see cref="MaxChannels"/> descriptors (<c>CRM-INPUT-001</c>).</exception>
    public static ChannelCostModel FromDescriptors(Currency currency, IEnumerable<ChannelDescriptor> descriptors)
    {
        Preconditions.NotNull(descriptors);
        var list = descriptors.ToList();
        Preconditions.MaxCount(list.Count, MaxChannels, "channels", nameof(descriptors));
        Preconditions.Check(list.TrueForAll(d => d is not null), "The descriptors hold null.", nameof(descriptors));
        Preconditions.Check(list.Select(d => d.Id).Distinct().Count() == list.Count, "Two descriptors share a channel.", nameof(descriptors));
        var model = new ChannelCostModel(currency);
        foreach (var descriptor in list)
        {
            Preconditions.Check(descriptor.CostPerContact.Currency == currency, $"The cost per contact of channel '{descriptor.Id}' is not in {currency.Code}.", nameof(descriptors));
            model._rates[descriptor.Id] = new Rates(descriptor.CostPerContact.Amount, descriptor.CostPerContact.Amount, new decimal?[Functions]);
        }

        return model;
    }

    /// <summary>A model with the per-contact rates of <paramref name="channel"/> by direction set (its function rates kept).</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="inbound">What one inbound contact costs (zero or more).</param>
    /// <param name="outbound">What one outbound contact costs (zero or more).</param>
    /// <exception cref="ArgumentException">The channel is the default.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A rate is negative.</exception>
    /// <exception cref="InputLimitExceededException">The model would price more than <see cref="MaxChannels"/> channels (<c>CRM-INPUT-001</c>).</exception>
    public ChannelCostModel WithRate(ChannelId channel, decimal inbound, decimal outbound)
    {
        Preconditions.NotDefault(channel);
        NonNegative(inbound, nameof(inbound));
        NonNegative(outbound, nameof(outbound));
        var functions = _rates.TryGetValue(channel, out var rates) ? (decimal?[])rates.ByFunction.Clone() : new decimal?[Functions];
        return With(channel, new Rates(inbound, outbound, functions));
    }

    /// <summary>A model where one contact of <paramref name="function"/> on <paramref name="channel"/> costs <paramref name="perContact"/> in either direction.</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="function">The CRM function.</param>
    /// <param name="perContact">What one contact of that function costs (zero or more).</param>
    /// <exception cref="ArgumentException">The channel is the default or the function undefined.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The rate is negative.</exception>
    /// <exception cref="InputLimitExceededException">The model would price more than <see cref="MaxChannels"/> channels (<c>CRM-INPUT-001</c>).</exception>
    public ChannelCostModel WithFunctionRate(ChannelId channel, CrmFunction function, decimal perContact)
    {
        Preconditions.NotDefault(channel);
        Preconditions.Defined(function);
        NonNegative(perContact, nameof(perContact));
        var rates = _rates.TryGetValue(channel, out var known) ? known : new Rates(0m, 0m, new decimal?[Functions]);
        var functions = (decimal?[])rates.ByFunction.Clone();
        functions[(int)function - 1] = perContact;
        return With(channel, rates with { ByFunction = functions });
    }

    /// <summary>Whether the model prices <paramref name="channel"/>.</summary>
    public bool Prices(ChannelId channel) => _rates.ContainsKey(channel);

    /// <summary>What one contact costs: the function rate when given, else the direction rate; zero for a channel the model does not price.</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="function">The contact's CRM function.</param>
    /// <param name="direction">The contact's direction.</param>
    public decimal RateOf(ChannelId channel, CrmFunction function, InteractionDirection direction)
    {
        if (!_rates.TryGetValue(channel, out var rates))
        {
            return 0m;
        }

        var index = (int)function - 1;
        if (index is >= 0 and < Functions && rates.ByFunction[index] is { } byFunction)
        {
            return byFunction;
        }

        return direction == InteractionDirection.Outbound ? rates.Outbound : rates.Inbound;
    }

    internal static decimal NonNegative(decimal value, string parameterName)
        => value >= 0m ? value : throw new ArgumentOutOfRangeException(parameterName, value, "A cost per contact is zero or more.");

    private ChannelCostModel With(ChannelId channel, Rates rates)
    {
        var copy = new Dictionary<ChannelId, Rates>(_rates) { [channel] = rates };
        Preconditions.MaxCount(copy.Count, MaxChannels, "channels", "channel");
        return new ChannelCostModel(Currency, copy);
    }

    private sealed record Rates(decimal Inbound, decimal Outbound, decimal?[] ByFunction);
}

using CrmKernel.Primitives;
using CrmKernel.Touchpoints;

namespace CrmKernel.Services.Timeline;

/// <summary>Contacts, cost and revenue of one channel or function.</summary>
public sealed class ChannelMixRow
{
    private ChannelMixRow(string key, int contacts, Money? cost, Money? revenue)
    {
        Key = key;
        Contacts = contacts;
        Cost = cost;
        Revenue = revenue;
    }

    /// <summary>The channel id or function name.</summary>
    public string Key { get; }

    /// <summary>How many touchpoints.</summary>
    public int Contacts { get; }

    /// <summary>Their total cost, or null when none carried a cost.</summary>
    public Money? Cost { get; }

    /// <summary>Their total revenue, or null when none carried revenue.</summary>
    public Money? Revenue { get; }

    internal sealed class Builder
    {
        private int _contacts;
        private Money? _cost;
        private Money? _revenue;

        public void Add(Touchpoint touchpoint)
        {
            _contacts++;
            _cost = Sum(_cost, touchpoint.Cost);
            _revenue = Sum(_revenue, touchpoint.Revenue);
        }

        public ChannelMixRow Build(string key) => new(key, _contacts, _cost, _revenue);

        private static Money? Sum(Money? total, Money? value) => value is null ? total : total is null ? value : total.Value + value.Value;
    }
}

using CrmKernel.Diagnostics;
using CrmKernel.Touchpoints;

namespace CrmKernel.Metrics.Profitability;

/// <summary>
/// One change of a <see cref="ChannelMixScenario"/>: a share of the contacts on one channel (of one CRM function, or of
/// all) made on another channel instead, e.g. "80 % of service contacts from phone to web chat". Each moved contact keeps
/// its function and direction and is priced at the scenario's rate of the target channel.
/// </summary>
public sealed class ChannelMove
{
    /// <summary>Creates a move.</summary>
    /// <param name="from">The channel the contacts leave.</param>
    /// <param name="to">The channel they are made on instead; not <paramref name="from"/>.</param>
    /// <param name="share">The share of <paramref name="from"/>'s contacts that move, 0 to 1.</param>
    /// <param name="function">The function whose contacts move, or null for every function.</param>
    /// <exception cref="ArgumentException">A channel is the default, the two are the same, or the function is undefined.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="share"/> is outside 0 to 1.</exception>
    public ChannelMove(ChannelId from, ChannelId to, decimal share, CrmFunction? function = null)
    {
        From = Preconditions.NotDefault(from);
        To = Preconditions.NotDefault(to);
        Preconditions.Check(from != to, "A move goes to another channel.", nameof(to));
        if (share is < 0m or > 1m)
        {
            throw new ArgumentOutOfRangeException(nameof(share), share, "A share is 0 to 1.");
        }

        if (function is { } f)
        {
            Preconditions.Defined(f, nameof(function));
        }

        Share = share;
        Function = function;
    }

    /// <summary>The channel the contacts leave.</summary>
    public ChannelId From { get; }

    /// <summary>The channel they are made on instead.</summary>
    public ChannelId To { get; }

    /// <summary>The share of the source channel's contacts that move.</summary>
    public decimal Share { get; }

    /// <summary>The function whose contacts move, or null for every function.</summary>
    public CrmFunction? Function { get; }

    /// <summary>Whether the move applies to a contact of <paramref name="function"/> on <paramref name="channel"/>.</summary>
    public bool AppliesTo(ChannelId channel, CrmFunction function) => channel == From && (Function is null || Function == function);

    /// <summary>The move, e.g. <c>80% of service phone -> web-chat</c>.</summary>
    public override string ToString() => $"{Share:P0} of {(Function is { } f ? f + " " : "")}{From} -> {To}";
}

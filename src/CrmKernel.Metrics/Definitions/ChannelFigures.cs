using CrmKernel.Diagnostics;
using CrmKernel.Touchpoints;

namespace CrmKernel.Metrics.Definitions;

/// <summary>Contacts, cost and revenue of one channel in one period, in the reporting currency.</summary>
public sealed class ChannelFigures
{
    /// <summary>Creates the figures of one channel.</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="contacts">Touchpoints on the channel in the period.</param>
    /// <param name="costedContacts">Those of them that carry a cost.</param>
    /// <param name="cost">Their total cost.</param>
    /// <param name="revenue">Their total attributed revenue.</param>
    /// <exception cref="ArgumentException"><paramref name="channel"/> is the default, or a count is negative or inconsistent.</exception>
    public ChannelFigures(ChannelId channel, long contacts, long costedContacts, decimal cost, decimal revenue)
    {
        Preconditions.Check(channel != default, "The channel is the default.", nameof(channel));
        Preconditions.Check(contacts >= 0 && costedContacts >= 0 && costedContacts <= contacts, "Contacts are zero or more and at least the costed contacts.", nameof(contacts));
        Channel = channel;
        Contacts = contacts;
        CostedContacts = costedContacts;
        Cost = cost;
        Revenue = revenue;
    }

    /// <summary>The channel.</summary>
    public ChannelId Channel { get; }

    /// <summary>Touchpoints on the channel in the period.</summary>
    public long Contacts { get; }

    /// <summary>Touchpoints on the channel that carry a cost.</summary>
    public long CostedContacts { get; }

    /// <summary>Total recorded cost.</summary>
    public decimal Cost { get; }

    /// <summary>Total attributed revenue (the revenue recorded on the channel's touchpoints).</summary>
    public decimal Revenue { get; }
}

namespace CrmKernel.Services.Timeline;

/// <summary>A customer's (or a group's) contacts, cost and revenue by channel and by CRM function.</summary>
public sealed class ChannelMix
{
    internal ChannelMix(IReadOnlyList<ChannelMixRow> byChannel, IReadOnlyList<ChannelMixRow> byFunction)
    {
        ByChannel = byChannel;
        ByFunction = byFunction;
    }

    /// <summary>One row per channel, ordered by channel id.</summary>
    public IReadOnlyList<ChannelMixRow> ByChannel { get; }

    /// <summary>One row per CRM function, in function order.</summary>
    public IReadOnlyList<ChannelMixRow> ByFunction { get; }
}

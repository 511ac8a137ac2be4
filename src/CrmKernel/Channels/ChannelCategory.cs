namespace CrmKernel.Channels;

/// <summary>What a channel is for: how customers hear from the enterprise, buy from it, or get help.</summary>
public enum ChannelCategory
{
    /// <summary>How customers hear from the enterprise: email campaigns, newsletters, ads.</summary>
    Marketing = 1,

    /// <summary>How customers buy: web shop, sales calls, stores.</summary>
    Sales = 2,

    /// <summary>How customers get help: support desk, service messages, chat.</summary>
    Service = 3,
}

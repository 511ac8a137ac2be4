namespace CrmKernel.Channels;

/// <summary>Which ways a channel carries contacts.</summary>
[Flags]
public enum ChannelDirections
{
    /// <summary>Neither; not a valid declaration, only the empty value of the flags.</summary>
    None = 0,

    /// <summary>Customers reach the enterprise on it; inbound contacts enter through <c>TouchpointIngestion</c>.</summary>
    Inbound = 1,

    /// <summary>The enterprise sends messages on it through <see cref="IChannelAdapter.SendAsync"/>.</summary>
    Outbound = 2,

    /// <summary>Both ways.</summary>
    Both = Inbound | Outbound,
}

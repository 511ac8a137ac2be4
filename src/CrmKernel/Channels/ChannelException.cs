using CrmKernel.Diagnostics;
using CrmKernel.Touchpoints;

namespace CrmKernel.Channels;

/// <summary>
/// The channel set-up refused an operation: no adapter for a channel, two adapters for one, or a send on a channel
/// that only carries inbound contacts. <see cref="CrmException.ErrorCode"/> says which (<c>CRM-CHANNEL-*</c>). These
/// are configuration errors, so nothing was sent or recorded.
/// </summary>
public sealed class ChannelException : CrmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">A <c>CRM-CHANNEL-*</c> code from <see cref="CrmErrorCodes"/>.</param>
    /// <param name="channel">The channel concerned.</param>
    /// <param name="message">What was refused, naming ids only.</param>
    /// <exception cref="ArgumentNullException"><paramref name="errorCode"/> or <paramref name="message"/> is null.</exception>
    public ChannelException(string errorCode, ChannelId channel, string message)
        : base(errorCode, $"Channel {channel}: {Preconditions.NotNull(message)}")
    {
        Channel = channel;
    }

    /// <summary>The channel concerned.</summary>
    public ChannelId Channel { get; }
}

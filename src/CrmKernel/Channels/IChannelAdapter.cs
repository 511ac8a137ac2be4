namespace CrmKernel.Channels;

/// <summary>
/// The extension point for channels: implement it to let the kernel send messages on a channel (an email platform,
/// an SMS gateway, a webhook, a print house). Register it with <see cref="CrmKernelBuilder.AddChannel{TAdapter}"/>;
/// application code sends through <c>ChannelDispatcher</c>, which checks consent and contact preferences first
/// and records what happened. Inbound contacts do not come through here: they enter through
/// <c>TouchpointIngestion</c> like any touchpoint.
/// </summary>
/// <remarks>
/// <para>The contract, proven by <c>CrmKernel.Testing</c>'s <c>ChannelConformanceTests</c>:</para>
/// <list type="bullet">
/// <item><see cref="Descriptor"/> is fixed for the adapter's lifetime.</item>
/// <item><see cref="SendAsync"/> passes <see cref="OutboundMessage.IdempotencyKey"/> to the provider so that a message
/// sent twice under the same key reaches the customer at most once.</item>
/// <item>Provider failures are returned as a <see cref="DeliveryResult"/> (retryable or permanent), not thrown; a
/// message for another channel, or to a contact point of another kind, is an <see cref="ArgumentException"/>.</item>
/// <item>A cancelled token throws <see cref="OperationCanceledException"/>.</item>
/// <item>Adapters are singletons and may be called concurrently.</item>
/// </list>
/// </remarks>
public interface IChannelAdapter
{
    /// <summary>What the channel is: id, name, category, directions, contact point kind and cost.</summary>
    ChannelDescriptor Descriptor { get; }

    /// <summary>Sends one message and reports whether it was delivered.</summary>
    /// <param name="message">The message, with its recipient and idempotency key.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>Delivered (with the provider's message id), failed but worth retrying, or failed for good.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is null.</exception>
    /// <exception cref="ArgumentException">The message is for another channel or another kind of contact point.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken);
}

using CrmKernel.Channels;
using CrmKernel.ContactPoints;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;

namespace CrmKernel.Samples.WebApi.Hosting;

/// <summary>
/// The sample's email channel: it accepts every message and delivers nothing (a real host registers its provider's
/// adapter, e.g. the webhook channel sample). Deliveries are idempotent by the dispatcher's key.
/// </summary>
internal sealed class SampleEmailChannel : IChannelAdapter
{
    public ChannelDescriptor Descriptor { get; } = new(new ChannelId("email"), "Email (sample, delivers nothing)", ChannelCategory.Marketing, ChannelDirections.Outbound, ContactPointKind.Email, Money.Of(0.02m, "GBP"));

    public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(DeliveryResult.Delivered("sample-" + message.IdempotencyKey));
    }
}

using CrmKernel.Channels;
using CrmKernel.ContactPoints;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;

namespace CrmKernel.Samples.Quickstart;

/// <summary>
/// A channel adapter that "sends" email by printing it: the smallest real <see cref="IChannelAdapter"/>. It prints the
/// recipient masked (a contact point is personal data) and delivers each idempotency key once.
/// </summary>
internal sealed class ConsoleChannel : IChannelAdapter
{
    private readonly HashSet<string> _sent = new(StringComparer.Ordinal);

    public ChannelDescriptor Descriptor { get; } = new(new ChannelId("email"), "Email (console)", ChannelCategory.Marketing, ChannelDirections.Outbound, ContactPointKind.Email, Money.Of(0.01m, "GBP"));

    public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Channel != Descriptor.Id || message.Recipient.Kind != ContactPointKind.Email)
        {
            throw new ArgumentException("The console channel sends email only.", nameof(message));
        }

        cancellationToken.ThrowIfCancellationRequested();
        lock (_sent)
        {
            if (_sent.Add(message.IdempotencyKey))
            {
                Console.WriteLine($"    ✉  to {Mask(message.Recipient)}: \"{message.Content.Subject}\"");
            }
        }

        return ValueTask.FromResult(DeliveryResult.Delivered("console-" + message.IdempotencyKey));
    }

    private static string Mask(ContactPoint point) => point.NormalizedValue[0] + "***" + point.NormalizedValue[point.NormalizedValue.IndexOf('@', StringComparison.Ordinal)..];
}

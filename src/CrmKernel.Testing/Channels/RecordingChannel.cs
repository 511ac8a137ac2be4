using CrmKernel.Channels;
using CrmKernel.ContactPoints;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;

namespace CrmKernel.Testing.Channels;

/// <summary>
/// A channel adapter for tests: it sends nothing, records every call, delivers each idempotency key once (a resend
/// under a delivered key reports the first delivery again), and can be told to fail. Register it with
/// <c>builder.AddChannel(new RecordingChannel())</c> and assert on <see cref="Delivered"/> and <see cref="Calls"/>.
/// Thread-safe.
/// </summary>
public sealed class RecordingChannel : IChannelAdapter
{
    private readonly Lock _gate = new();
    private readonly List<OutboundMessage> _calls = [];
    private readonly List<OutboundMessage> _delivered = [];
    private readonly Dictionary<string, string> _providerIds = new(StringComparer.Ordinal);
    private readonly Queue<DeliveryResult> _scripted = new();

    /// <summary>Creates a recording email channel <c>test-email</c> costing 0.01 EUR per contact.</summary>
    public RecordingChannel()
        : this(new ChannelDescriptor(new ChannelId("test-email"), "Recording email", ChannelCategory.Marketing, ChannelDirections.Both, ContactPointKind.Email, Money.Of(0.01m, "EUR")))
    {
    }

    /// <summary>Creates a recording channel with the given descriptor.</summary>
    /// <param name="descriptor">What the channel declares.</param>
    /// <exception cref="ArgumentNullException"><paramref name="descriptor"/> is null.</exception>
    public RecordingChannel(ChannelDescriptor descriptor)
        => Descriptor = Preconditions.NotNull(descriptor);

    /// <inheritdoc />
    public ChannelDescriptor Descriptor { get; }

    /// <summary>
    /// Answers every send, before the channel delivers: return a failure to make the send fail, or null to deliver.
    /// Null (the default) delivers everything.
    /// </summary>
    public Func<OutboundMessage, DeliveryResult?>? Respond { get; set; }

    /// <summary>Every message passed to <see cref="SendAsync"/>, in call order, including failed and repeated ones.</summary>
    public IReadOnlyList<OutboundMessage> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>The messages delivered, one per idempotency key, in delivery order: what customers would have received.</summary>
    public IReadOnlyList<OutboundMessage> Delivered
    {
        get
        {
            lock (_gate)
            {
                return [.. _delivered];
            }
        }
    }

    /// <summary>Makes the next send (after those already scripted) return <paramref name="result"/> instead of delivering.</summary>
    /// <param name="result">A failure to report.</param>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is null.</exception>
    public void FailNext(DeliveryResult result)
    {
        Preconditions.NotNull(result);
        lock (_gate)
        {
            _scripted.Enqueue(result);
        }
    }

    /// <inheritdoc />
    public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(message);
        Preconditions.Check(message.Channel == Descriptor.Id, $"The message is for channel {message.Channel}, not {Descriptor.Id}.", nameof(message));
        Preconditions.Check(message.Recipient.Kind == Descriptor.ContactPointKind, $"Channel {Descriptor.Id} sends to {Descriptor.ContactPointKind} contact points, not {message.Recipient.Kind}.", nameof(message));

        cancellationToken.ThrowIfCancellationRequested();
        var response = Respond?.Invoke(message);
        lock (_gate)
        {
            _calls.Add(message);
            if (_scripted.TryDequeue(out var scripted))
            {
                return ValueTask.FromResult(scripted);
            }

            if (response is not null)
            {
                return ValueTask.FromResult(response);
            }

            if (!_providerIds.TryGetValue(message.IdempotencyKey, out var id))
            {
                id = $"rec-{_providerIds.Count + 1}";
                _providerIds.Add(message.IdempotencyKey, id);
                _delivered.Add(message);
            }

            return ValueTask.FromResult(DeliveryResult.Delivered(id));
        }
    }
}

using CrmKernel.Channels;
using CrmKernel.ContactPoints;
using CrmKernel.Testing.Channels;

namespace CrmKernel.Tests.Channels;

/// <summary>The recording test channel passes the whole channel conformance kit.</summary>
public sealed class RecordingChannelConformanceTests : ChannelConformanceTests
{
    protected override ValueTask<ChannelTestFixture> CreateFixtureAsync() => ValueTask.FromResult<ChannelTestFixture>(new Fixture());

    private sealed class Fixture : ChannelTestFixture
    {
        private readonly RecordingChannel _channel = new();

        public override IChannelAdapter Adapter => _channel;

        public override ContactPoint Recipient { get; } = EmailAddress.Parse("kit@example.com");

        public override IReadOnlyList<ReceivedMessage> Received => [.. _channel.Delivered.Select(m => new ReceivedMessage(m.IdempotencyKey, m.Content.Body))];

        public override void SetFarEnd(FarEndBehavior behavior) => _channel.Respond = behavior switch
        {
            FarEndBehavior.FailTransiently => _ => DeliveryResult.Retryable("far end unavailable"),
            FarEndBehavior.Reject => _ => DeliveryResult.Permanent("far end rejected the message"),
            _ => null,
        };
    }
}

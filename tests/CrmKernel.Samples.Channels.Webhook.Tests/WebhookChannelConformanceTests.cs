using System.Text.Json;
using CrmKernel.Channels;
using CrmKernel.ContactPoints;
using CrmKernel.Testing.Channels;

namespace CrmKernel.Samples.Channels.Webhook.Tests;

/// <summary>The webhook channel, against a real HTTP listener, passes the whole channel conformance kit.</summary>
public sealed class WebhookChannelConformanceTests : ChannelConformanceTests
{
    protected override ValueTask<ChannelTestFixture> CreateFixtureAsync() => ValueTask.FromResult<ChannelTestFixture>(new Fixture());

    private sealed class Fixture : ChannelTestFixture
    {
        private readonly WebhookServer _server = new();
        private readonly WebhookChannel _channel;

        public Fixture() => _channel = new WebhookChannel(WebhookChannelTests.Options(_server.Endpoint));

        public override IChannelAdapter Adapter => _channel;

        public override ContactPoint Recipient { get; } = EmailAddress.Parse("kit@example.com");

        public override IReadOnlyList<ReceivedMessage> Received =>
        [
            .. _server.Processed.Select(r => new ReceivedMessage(r.IdempotencyKey ?? string.Empty, WebhookServer.Json(r).GetProperty("body").GetString() ?? string.Empty)),
        ];

        public override void SetFarEnd(FarEndBehavior behavior) => _server.Default = behavior switch
        {
            FarEndBehavior.FailTransiently => new Answer(503),
            FarEndBehavior.Reject => new Answer(400),
            _ => new Answer(200),
        };

        public override async ValueTask DisposeAsync()
        {
            _channel.Dispose();
            await _server.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}

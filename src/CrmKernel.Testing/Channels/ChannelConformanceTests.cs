using CrmKernel.Channels;
using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using FsCheck.Fluent;
using Xunit;

namespace CrmKernel.Testing.Channels;

/// <summary>
/// The conformance kit for <see cref="IChannelAdapter"/>: inherit it in your adapter's test project and supply
/// <see cref="CreateFixtureAsync"/>. An adapter is correct when it passes every test here. Tests are virtual so that
/// new kit versions reach every adapter; override one only to add to it.
/// </summary>
public abstract class ChannelConformanceTests
{
    /// <summary>The tenant the kit's messages are sent for.</summary>
    protected static readonly TenantId Tenant = new("channel-kit");

    /// <summary>Creates a fresh fixture, far end accepting, for one test. The only member an adapter's test class must supply.</summary>
    /// <returns>The fixture.</returns>
    protected abstract ValueTask<ChannelTestFixture> CreateFixtureAsync();

    /// <summary>A message for the fixture's channel and recipient under <paramref name="key"/>.</summary>
    /// <param name="fixture">The fixture.</param>
    /// <param name="key">The idempotency key.</param>
    /// <param name="body">The body; a text naming the key when null.</param>
    /// <returns>The message.</returns>
    protected static OutboundMessage Message(ChannelTestFixture fixture, string key, string? body = null)
    {
        Preconditions.NotNull(fixture);
        return new OutboundMessage(
            Tenant,
            CustomerId.New(),
            fixture.Adapter.Descriptor.Id,
            fixture.Recipient,
            ConsentPurpose.Service,
            CrmFunction.Service,
            new MessageContent(body ?? $"Kit message {key} — ünïcödé ✓", "Kit subject"),
            key);
    }

    /// <summary>The descriptor is fixed, sends outbound, and its contact point kind matches the fixture's recipient.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Descriptor_IsStable_AndMatchesTheRecipient()
    {
        await using var fixture = await CreateFixtureAsync();
        var descriptor = fixture.Adapter.Descriptor;
        Assert.NotNull(descriptor);
        Assert.Same(descriptor, fixture.Adapter.Descriptor);
        Assert.True(descriptor.CanSend, "A channel adapter under the kit must send outbound messages.");
        Assert.Equal(descriptor.ContactPointKind, fixture.Recipient.Kind);
        Assert.False(descriptor.CostPerContact.IsNegative);
    }

    /// <summary>A send is delivered with a provider id, and the far end receives the body under the key, once.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Send_Delivers_AndTheFarEndReceivesItOnce()
    {
        await using var fixture = await CreateFixtureAsync();
        var message = Message(fixture, "kit-deliver-1");

        var result = await fixture.Adapter.SendAsync(message, CancellationToken.None);

        Assert.Equal(DeliveryStatus.Delivered, result.Status);
        Assert.False(string.IsNullOrWhiteSpace(result.ProviderMessageId));
        var received = Assert.Single(fixture.Received);
        Assert.Equal("kit-deliver-1", received.IdempotencyKey);
        Assert.Equal(message.Content.Body, received.Body);
    }

    /// <summary>Sending one key twice reports delivered both times and reaches the far end under that key only.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Send_SameKeyTwice_ReachesTheFarEndUnderThatKeyOnly()
    {
        await using var fixture = await CreateFixtureAsync();
        var message = Message(fixture, "kit-same-key");

        var first = await fixture.Adapter.SendAsync(message, CancellationToken.None);
        var second = await fixture.Adapter.SendAsync(message, CancellationToken.None);

        Assert.True(first.IsDelivered);
        Assert.True(second.IsDelivered);
        Assert.NotEmpty(fixture.Received);
        Assert.All(fixture.Received, r => Assert.Equal("kit-same-key", r.IdempotencyKey));
        Assert.Single(fixture.Received.Select(r => r.IdempotencyKey).Distinct());
    }

    /// <summary>Messages under different keys are each delivered, even when sent concurrently.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Send_DifferentKeys_Concurrently_DeliversEach()
    {
        await using var fixture = await CreateFixtureAsync();
        var messages = Enumerable.Range(1, 8).Select(i => Message(fixture, $"kit-many-{i}")).ToArray();

        var results = await Task.WhenAll(messages.Select(m => fixture.Adapter.SendAsync(m, CancellationToken.None).AsTask()));

        Assert.All(results, r => Assert.True(r.IsDelivered, r.ToString()));
        Assert.Equal(messages.Select(m => m.IdempotencyKey).Order(StringComparer.Ordinal), fixture.Received.Select(r => r.IdempotencyKey).Distinct().Order(StringComparer.Ordinal));
    }

    /// <summary>A transient far-end failure is reported as retryable, not thrown; once the far end recovers, the same message is delivered.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Send_FarEndFailsTransiently_IsRetryable_ThenDeliversOnRetry()
    {
        await using var fixture = await CreateFixtureAsync();
        var message = Message(fixture, "kit-transient");
        fixture.SetFarEnd(FarEndBehavior.FailTransiently);

        var failed = await fixture.Adapter.SendAsync(message, CancellationToken.None);
        Assert.Equal(DeliveryStatus.FailedRetryable, failed.Status);
        Assert.False(string.IsNullOrWhiteSpace(failed.Reason));
        Assert.Empty(fixture.Received);

        fixture.SetFarEnd(FarEndBehavior.Accept);
        var retried = await fixture.Adapter.SendAsync(message, CancellationToken.None);
        Assert.True(retried.IsDelivered, retried.ToString());
        Assert.Equal("kit-transient", Assert.Single(fixture.Received).IdempotencyKey);
    }

    /// <summary>A far end that rejects the message is reported as a permanent failure, not thrown.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Send_FarEndRejects_IsPermanent()
    {
        await using var fixture = await CreateFixtureAsync();
        fixture.SetFarEnd(FarEndBehavior.Reject);

        var result = await fixture.Adapter.SendAsync(Message(fixture, "kit-reject"), CancellationToken.None);

        Assert.Equal(DeliveryStatus.FailedPermanent, result.Status);
        Assert.False(string.IsNullOrWhiteSpace(result.Reason));
        Assert.Empty(fixture.Received);
    }

    /// <summary>A null message, a message for another channel and one to another kind of contact point are argument errors; nothing reaches the far end.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Send_BadMessages_AreArgumentErrors()
    {
        await using var fixture = await CreateFixtureAsync();
        var adapter = fixture.Adapter;
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await adapter.SendAsync(null!, CancellationToken.None));

        var otherChannel = new OutboundMessage(Tenant, CustomerId.New(), new ChannelId(adapter.Descriptor.Id.Value == "kit-other" ? "kit-other-2" : "kit-other"), fixture.Recipient, ConsentPurpose.Service, CrmFunction.Service, new MessageContent("x"), "kit-other-channel");
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await adapter.SendAsync(otherChannel, CancellationToken.None));

        ContactPoint otherKind = fixture.Recipient.Kind == ContactPointKind.Phone ? EmailAddress.Parse("kit@kit.example") : PhoneNumber.Parse("+442079460958");
        var wrongKind = new OutboundMessage(Tenant, CustomerId.New(), adapter.Descriptor.Id, otherKind, ConsentPurpose.Service, CrmFunction.Service, new MessageContent("x"), "kit-other-kind");
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await adapter.SendAsync(wrongKind, CancellationToken.None));

        Assert.Empty(fixture.Received);
    }

    /// <summary>
    /// A generated sequence of far-end changes and sends over a few keys, checked against a model: an accepting far
    /// end delivers, a failing one reports retryable, a rejecting one permanent; the far end ends up holding exactly
    /// the keys some accepted send carried. Failures name the step.
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Send_GeneratedSequence_MatchesTheModel()
    {
        var steps = Gen.Zip(Gen.Elements(FarEndBehavior.Accept, FarEndBehavior.Accept, FarEndBehavior.FailTransiently, FarEndBehavior.Reject), Gen.Choose(0, 3))
            .ArrayOf()
            .Select(a => a.Take(SequenceLength).ToArray())
            .Sample(size: 40, numberOfSamples: 1)[0];
        await using var fixture = await CreateFixtureAsync();
        var accepted = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < steps.Length; i++)
        {
            var (behavior, key) = steps[i];
            fixture.SetFarEnd(behavior);
            var message = Message(fixture, $"kit-seq-{key}");
            var result = await fixture.Adapter.SendAsync(message, CancellationToken.None);
            var expected = behavior switch
            {
                FarEndBehavior.Accept => DeliveryStatus.Delivered,
                FarEndBehavior.FailTransiently => DeliveryStatus.FailedRetryable,
                _ => DeliveryStatus.FailedPermanent,
            };
            Assert.True(expected == result.Status, $"step {i} ({behavior}, key {message.IdempotencyKey}): expected {expected}, got {result}");
            if (result.IsDelivered)
            {
                accepted.Add(message.IdempotencyKey);
            }
        }

        Assert.Equal(accepted.Order(StringComparer.Ordinal), fixture.Received.Select(r => r.IdempotencyKey).Distinct().Order(StringComparer.Ordinal));
    }

    /// <summary>How many steps <see cref="Send_GeneratedSequence_MatchesTheModel"/> runs at most; lower it for slow far ends.</summary>
    protected virtual int SequenceLength => 24;

    /// <summary>A cancelled token throws <see cref="OperationCanceledException"/> and nothing reaches the far end.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Send_CancelledToken_Throws()
    {
        await using var fixture = await CreateFixtureAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await fixture.Adapter.SendAsync(Message(fixture, "kit-cancelled"), cancelled.Token));
        Assert.Empty(fixture.Received);
    }
}

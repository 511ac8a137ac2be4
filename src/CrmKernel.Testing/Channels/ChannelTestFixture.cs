using CrmKernel.Channels;
using CrmKernel.ContactPoints;

namespace CrmKernel.Testing.Channels;

/// <summary>
/// What a channel adapter's test class gives <see cref="ChannelConformanceTests"/>: the adapter, wired to a far end
/// the test controls (a recording provider, a local HTTP listener), a contact point it can send to, and what the far
/// end accepted. One fixture per test; <see cref="DisposeAsync"/> tears it down.
/// </summary>
public abstract class ChannelTestFixture : IAsyncDisposable
{
    /// <summary>The adapter under test.</summary>
    public abstract IChannelAdapter Adapter { get; }

    /// <summary>A contact point of the channel's kind the adapter can send to.</summary>
    public abstract ContactPoint Recipient { get; }

    /// <summary>
    /// The messages the far end accepted, in arrival order. A far end that drops resends by idempotency key (as a
    /// receiver should) lists each key once; one that does not lists every accepted copy. The kit only requires that
    /// every copy of a message carries its key.
    /// </summary>
    public abstract IReadOnlyList<ReceivedMessage> Received { get; }

    /// <summary>Makes the far end accept, fail transiently, or reject from now on.</summary>
    /// <param name="behavior">The behaviour.</param>
    public abstract void SetFarEnd(FarEndBehavior behavior);

    /// <summary>Tears the far end down; the default does nothing.</summary>
    /// <returns>A task that completes when torn down.</returns>
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}

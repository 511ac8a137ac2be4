namespace CrmKernel.Testing.Channels;

/// <summary>How the far end of a channel under test behaves, set with <see cref="ChannelTestFixture.SetFarEnd"/>.</summary>
public enum FarEndBehavior
{
    /// <summary>It accepts every message.</summary>
    Accept = 1,

    /// <summary>It fails in a way that may pass (e.g. HTTP 503, a timeout); the adapter should report a retryable failure.</summary>
    FailTransiently = 2,

    /// <summary>It rejects messages for good (e.g. HTTP 400); the adapter should report a permanent failure.</summary>
    Reject = 3,
}

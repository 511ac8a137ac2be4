namespace CrmKernel.Services.Channels;

/// <summary>What became of one dispatch.</summary>
public enum DispatchOutcome
{
    /// <summary>The adapter delivered the message; a touchpoint with its cost was recorded.</summary>
    Sent = 1,

    /// <summary>The message had been delivered before under the same dispatch key; nothing was sent again.</summary>
    AlreadySent = 2,

    /// <summary>A check refused the send (see <see cref="DispatchResult.Refusal"/>); nothing was sent.</summary>
    Refused = 3,

    /// <summary>The adapter failed; the failure was recorded, and a retryable one is kept for retry.</summary>
    Failed = 4,
}

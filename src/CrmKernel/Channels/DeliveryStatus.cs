namespace CrmKernel.Channels;

/// <summary>How a send ended.</summary>
public enum DeliveryStatus
{
    /// <summary>The provider accepted the message.</summary>
    Delivered = 1,

    /// <summary>It failed for a reason that may pass (a timeout, a 5xx, throttling): the dispatcher keeps it for retry.</summary>
    FailedRetryable = 2,

    /// <summary>It failed for good (an invalid address, a rejected message): retrying will not help.</summary>
    FailedPermanent = 3,
}

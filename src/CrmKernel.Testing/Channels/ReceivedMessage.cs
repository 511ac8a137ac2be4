using CrmKernel.Diagnostics;

namespace CrmKernel.Testing.Channels;

/// <summary>A message as the far end of a channel accepted it.</summary>
public sealed class ReceivedMessage
{
    /// <summary>Creates a received message.</summary>
    /// <param name="idempotencyKey">The idempotency key it carried.</param>
    /// <param name="body">Its body.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public ReceivedMessage(string idempotencyKey, string body)
    {
        IdempotencyKey = Preconditions.NotNull(idempotencyKey);
        Body = Preconditions.NotNull(body);
    }

    /// <summary>The idempotency key it carried.</summary>
    public string IdempotencyKey { get; }

    /// <summary>Its body.</summary>
    public string Body { get; }
}

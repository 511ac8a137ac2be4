using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Channels;

/// <summary>
/// A message the dispatcher is sending or must send again: the request, how many attempts were made and what the last
/// one reported. <c>ChannelDispatcher</c> writes one before every send and removes it once the message is
/// delivered or failed for good, so a crash or a provider outage loses nothing.
/// </summary>
public sealed class PendingDispatch
{
    /// <summary>Creates a pending dispatch (stores rebuild stored ones with it).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="request">The message.</param>
    /// <param name="attempts">How many sends were started (1 or more).</param>
    /// <param name="lastAttemptAt">When the last one started.</param>
    /// <param name="lastReason">What the last one reported, or null while it runs; at most <see cref="DeliveryResult.MaxReasonLength"/> characters.</param>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="attempts"/> is below 1.</exception>
    /// <exception cref="InputLimitExceededException"><paramref name="lastReason"/> is longer than <see cref="DeliveryResult.MaxReasonLength"/> (<c>CRM-INPUT-001</c>).</exception>
    public PendingDispatch(TenantId tenantId, DispatchRequest request, int attempts, Instant lastAttemptAt, string? lastReason = null)
    {
        TenantId = Preconditions.NotDefault(tenantId);
        Request = Preconditions.NotNull(request);
        Attempts = Preconditions.Positive(attempts, "A pending dispatch has had at least one attempt.");
        LastAttemptAt = lastAttemptAt;
        LastReason = lastReason is null ? null : Preconditions.MaxLength(lastReason, DeliveryResult.MaxReasonLength);
    }

    /// <summary>The tenant.</summary>
    public TenantId TenantId { get; }

    /// <summary>The message.</summary>
    public DispatchRequest Request { get; }

    /// <summary>The message's dispatch key (the store's key, with the tenant).</summary>
    public string DispatchKey => Request.DispatchKey;

    /// <summary>How many sends were started.</summary>
    public int Attempts { get; }

    /// <summary>When the last one started.</summary>
    public Instant LastAttemptAt { get; }

    /// <summary>What the last one reported, or null while it runs.</summary>
    public string? LastReason { get; }
}

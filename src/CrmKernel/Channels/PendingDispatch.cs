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
    /// <param name="lastReason">What the last one reported, or null while it runs.</param>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="attempts"/> is below 1.</exception>
    public PendingDispatch(TenantId tenantId, DispatchRequest request, int attempts, Instant lastAttemptAt, string? lastReason = null)
    {
        TenantId = Preconditions.NotDefault(tenantId);
        Request = Preconditions.NotNull(request);
        Attempts = Preconditions.Positive(attempts, "A pending dispatch has had at least one attempt.");
        LastAttemptAt = lastAttemptAt;
        LastReason = lastReason;
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

/// <summary>
/// Where the dispatcher keeps messages between a send's start and its end, and failed ones until they are retried:
/// implement it on durable storage so that nothing is lost when the process stops. <see cref="InMemoryPendingDispatchStore"/>
/// is the reference implementation. Every call is tenant-scoped; entries are keyed by dispatch key.
/// </summary>
public interface IPendingDispatchStore
{
    /// <summary>Inserts or replaces the entry for the dispatch's key.</summary>
    /// <param name="dispatch">The entry.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the entry is stored.</returns>
    ValueTask SaveAsync(PendingDispatch dispatch, CancellationToken cancellationToken);

    /// <summary>Reads the entry for a dispatch key; null when there is none.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="dispatchKey">The key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entry or null.</returns>
    ValueTask<PendingDispatch?> FindAsync(TenantId tenantId, string dispatchKey, CancellationToken cancellationToken);

    /// <summary>Removes the entry for a dispatch key; false when there was none.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="dispatchKey">The key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether an entry was removed.</returns>
    ValueTask<bool> RemoveAsync(TenantId tenantId, string dispatchKey, CancellationToken cancellationToken);

    /// <summary>Streams the tenant's entries, oldest last attempt first.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the stream.</param>
    /// <returns>The entries.</returns>
    IAsyncEnumerable<PendingDispatch> ReadAllAsync(TenantId tenantId, CancellationToken cancellationToken);
}

using CrmKernel.Primitives;
using CrmKernel.Services.Channels;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;

namespace CrmKernel.Testing.Channels;

/// <summary>
/// A touchpoint store that simulates the process dying after a channel accepted a message and before the dispatcher
/// recorded the delivery: armed with <see cref="CrashOnDeliveredRecord"/>, the next append of a delivery touchpoint
/// (source <see cref="ChannelDispatcher.DeliveredSource"/>) throws <see cref="SimulatedCrashException"/> and stores nothing.
/// Use it to prove that a channel adapter, or the far end behind it, turns the dispatcher's retry under the same
/// idempotency key into one effect. Every other call goes to the inner store.
/// </summary>
/// <param name="inner">The store that keeps the touchpoints.</param>
public sealed class CrashingTouchpointStore(ITouchpointStore inner) : ITouchpointStore
{
    private readonly ITouchpointStore _inner = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <summary>When true, the next append that records a delivery throws, once; the flag then resets itself.</summary>
    public bool CrashOnDeliveredRecord { get; set; }

    /// <inheritdoc/>
    public ValueTask<TouchpointAppendResult> AppendAsync(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, CancellationToken cancellationToken)
    {
        if (CrashOnDeliveredRecord && touchpoints is not null && touchpoints.Any(t => t.Source.Source == ChannelDispatcher.DeliveredSource))
        {
            CrashOnDeliveredRecord = false;
            throw new SimulatedCrashException();
        }

        return _inner.AppendAsync(tenantId, touchpoints!, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<Touchpoint?> FindAsync(TenantId tenantId, TouchpointId touchpointId, CancellationToken cancellationToken)
        => _inner.FindAsync(tenantId, touchpointId, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<Touchpoint?> FindBySourceAsync(TenantId tenantId, ExternalIdentifier source, CancellationToken cancellationToken)
        => _inner.FindBySourceAsync(tenantId, source, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> CountAsync(TenantId tenantId, CancellationToken cancellationToken)
        => _inner.CountAsync(tenantId, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<Touchpoint>> PageTimelineAsync(TenantId tenantId, TimelineFilter filter, TimelinePosition? after, int limit, CancellationToken cancellationToken)
        => _inner.PageTimelineAsync(tenantId, filter, after, limit, cancellationToken);
}

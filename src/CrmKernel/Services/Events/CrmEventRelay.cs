using CrmKernel.Diagnostics;
using CrmKernel.Events;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmKernel.Services.Events;

/// <summary>
/// Publishes events that were committed but not published — because the publisher failed or the process
/// stopped between commit and publish. Run it periodically (e.g. from a hosted service) per tenant.
/// </summary>
public sealed class CrmEventRelay
{
    private readonly ICrmOutbox _outbox;
    private readonly ICrmEventPublisher _publisher;
    private readonly ILogger _logger;

    /// <summary>Creates the relay (DI does this for you).</summary>
    /// <param name="outbox">The store's outbox.</param>
    /// <param name="publisher">Where pending events are published.</param>
    /// <param name="logger">Where a failed relay run (event 1202) is logged; DI passes the host's, none when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="outbox"/> or <paramref name="publisher"/> is null.</exception>
    public CrmEventRelay(ICrmOutbox outbox, ICrmEventPublisher publisher, ILogger<CrmEventRelay>? logger = null)
    {
        _outbox = Preconditions.NotNull(outbox);
        _publisher = Preconditions.NotNull(publisher);
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>
    /// Publishes up to <paramref name="limit"/> pending events of a tenant, oldest first, and marks them
    /// published. If the publisher throws, nothing is marked and the exception propagates; the next run
    /// delivers the same events again (at-least-once).
    /// </summary>
    /// <returns>How many events were published.</returns>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is less than 1.</exception>
    /// <exception cref="Diagnostics.InputLimitExceededException"><paramref name="limit"/> is more than <see cref="StoreLimits.MaxPageSize"/> (<c>CRM-INPUT-001</c>).</exception>
    /// <exception cref="InvalidStoredStateException">A stored event payload cannot be read.</exception>
    public async ValueTask<int> PublishPendingAsync(TenantId tenantId, int limit = 1_000, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        StoreArguments.CheckLimit(limit, nameof(limit));
        var pending = await _outbox.ListPendingAsync(tenantId, limit, cancellationToken).ConfigureAwait(false);
        if (pending.Count == 0)
        {
            return 0;
        }

        var events = new ICrmEvent[pending.Count];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = pending[i].AggregateType switch
            {
                CustomerEventJson.AggregateType => CustomerEventJson.FromEnvelope(pending[i]),
                SalesJson.OpportunityAggregate => SalesJson.FromEnvelope(pending[i]),
                CaseJson.CaseAggregate => CaseJson.FromEnvelope(pending[i]),
                _ => throw new InvalidStoredStateException("outbox", pending[i].EventId.ToString(), $"unknown aggregate type '{pending[i].AggregateType}'"),
            };
        }

        try
        {
            await _publisher.PublishAsync(events, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && LogFailure(e, events.Length, tenantId))
        {
            throw;
        }

        await _outbox.MarkPublishedAsync(tenantId, [.. pending.Select(e => e.EventId)], cancellationToken).ConfigureAwait(false);
        return events.Length;
    }

    /// <summary>Logs a failed run from an exception filter, so the exception propagates untouched; returns false.</summary>
    private bool LogFailure(Exception exception, int count, TenantId tenantId)
    {
        EventRelayLog.OutboxRelayFailed(_logger, exception, count, tenantId);
        return false;
    }
}

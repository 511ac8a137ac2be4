using CrmKernel.Events;

namespace CrmKernel.Storage;

/// <summary>
/// The host's way out for domain events: a message bus, a webhook, an in-process mediator. The kernel
/// calls it only after the change that raised the events is stored; a failed save publishes nothing.
/// </summary>
/// <remarks>
/// Delivery is at least once: if publishing fails after a commit, the events stay in the store's
/// <see cref="ICrmOutbox"/> and <c>CrmEventRelay</c> delivers them later. Consumers de-duplicate by
/// <see cref="ICrmEvent.EventId"/>. Register one with <c>builder.UseEventPublisher&lt;T&gt;()</c>; without
/// one, events are only kept in the outbox.
/// </remarks>
public interface ICrmEventPublisher
{
    /// <summary>Publishes events of one commit, in the order they were raised.</summary>
    ValueTask PublishAsync(IReadOnlyList<ICrmEvent> events, CancellationToken cancellationToken);
}

using CrmKernel.Events;

namespace CrmKernel.Storage;

/// <summary>The publisher used when the host registers none: events are committed to the outbox and go nowhere else.</summary>
internal sealed class NullCrmEventPublisher : ICrmEventPublisher
{
    public static readonly NullCrmEventPublisher Instance = new();

    public ValueTask PublishAsync(IReadOnlyList<ICrmEvent> events, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.CompletedTask;
    }
}

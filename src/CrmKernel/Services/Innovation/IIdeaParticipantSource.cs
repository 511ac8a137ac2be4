using CrmKernel.Primitives;

namespace CrmKernel.Services.Innovation;

/// <summary>
/// A further source of an idea's participants for <see cref="InnovationService.GatherParticipantsAsync"/> and the closed
/// loop, beside the contributor, commenters and voters the service finds itself — e.g. the traders of a prediction market
/// on the idea. Register one per source (DI: <c>services.AddSingleton&lt;IIdeaParticipantSource, MySource&gt;()</c>).
/// </summary>
public interface IIdeaParticipantSource
{
    /// <summary>Streams the customers who took part in <paramref name="idea"/> through this source (repeats are harmless).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="idea">The idea.</param>
    /// <param name="cancellationToken">Cancels the stream.</param>
    IAsyncEnumerable<CustomerId> StreamParticipantsAsync(TenantId tenantId, IdeaId idea, CancellationToken cancellationToken);
}

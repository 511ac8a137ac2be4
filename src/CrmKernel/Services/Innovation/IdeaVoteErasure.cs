using CrmKernel.Privacy;
using CrmKernel.Services.Privacy;
using CrmKernel.Storage;

namespace CrmKernel.Services.Innovation;

/// <summary>
/// Withdraws an erased customer's votes on every idea of the tenant, so an erasure leaves no vote behind (a vote is an
/// opinion the person gave, not an aggregate the metrics need). Registered by <c>AddCrmKernel</c> as an
/// <see cref="IErasureParticipant"/>; idempotent, as a participant must be.
/// </summary>
internal sealed class IdeaVoteErasure(IIdeaStore ideas) : IErasureParticipant
{
    private const int PageSize = 500;

    public async ValueTask EraseAsync(ErasureRecord record, CancellationToken cancellationToken)
    {
        CrmKernel.Diagnostics.Preconditions.NotNull(record);
        await foreach (var page in ideas.IdeaPagesAsync(record.TenantId, PageSize, cancellationToken).ConfigureAwait(false))
        {
            foreach (var idea in page)
            {
                await ideas.RemoveVoteAsync(record.TenantId, idea.Id, record.CustomerId, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}

using CrmKernel.Primitives;

namespace CrmKernel.Services.Innovation;

/// <summary>
/// The traders of every prediction market on an idea, as participants of that idea: registered by <c>AddCrmKernel</c>, so
/// closing the loop on an idea also tells the customers who forecast its outcome (with consent, once, as for any other
/// participant).
/// </summary>
internal sealed class MarketTraderParticipants(PredictionMarketService markets) : IIdeaParticipantSource
{
    public async IAsyncEnumerable<CustomerId> StreamParticipantsAsync(TenantId tenantId, IdeaId idea, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var trader in await markets.ListTradersAsync(tenantId, idea, cancellationToken).ConfigureAwait(false))
        {
            yield return trader;
        }
    }
}

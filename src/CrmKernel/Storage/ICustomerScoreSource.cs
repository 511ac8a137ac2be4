using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Storage;

/// <summary>
/// The extension point that gives segment rules named customer scores (<c>clv</c>, <c>p-alive</c>, <c>rfm</c>, …): a
/// host implements it from its customer-base models, or fills an <see cref="InMemory.InMemoryCustomerScoreSource"/>,
/// and declares the names in its <c>SegmentVocabulary</c>. <c>SegmentService</c> asks it only for the customers that
/// reach a score clause, a page at a time.
/// </summary>
public interface ICustomerScoreSource
{
    /// <summary>
    /// Writes each customer's score as of <paramref name="asOf"/> into <paramref name="scores"/> (same positions as
    /// <paramref name="customerIds"/>), null for a customer without one.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="score">The score's name, as declared.</param>
    /// <param name="customerIds">The customers, up to 10,000.</param>
    /// <param name="asOf">The instant the scores are wanted for.</param>
    /// <param name="scores">Where to write them; as long as <paramref name="customerIds"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask ReadScoresAsync(TenantId tenantId, string score, IReadOnlyList<CustomerId> customerIds, Instant asOf, decimal?[] scores, CancellationToken cancellationToken);
}

using System.Collections.Concurrent;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Storage.InMemory;

/// <summary>
/// A score source the host fills with figures it computed elsewhere (a nightly CLV run, an imported RFM cell): each
/// score holds one value per customer, the same at every instant. Use it in tests and samples, or as a cache in front
/// of a slower model.
/// </summary>
public sealed class InMemoryCustomerScoreSource : ICustomerScoreSource
{
    private readonly ConcurrentDictionary<(TenantId Tenant, string Score), ConcurrentDictionary<CustomerId, decimal>> _scores = new();

    /// <summary>Sets a customer's score, replacing any earlier value.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="score"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant or customer is the default, or the score name is not a slug.</exception>
    public void Set(TenantId tenantId, string score, CustomerId customerId, decimal value)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(customerId);
        var name = Slug.Require(Preconditions.NotNull(score), Segments.ScoreRule.MaxNameLength, "score name", nameof(score));
        _scores.GetOrAdd((tenantId, name), static _ => new ConcurrentDictionary<CustomerId, decimal>())[customerId] = value;
    }

    /// <inheritdoc />
    public ValueTask ReadScoresAsync(TenantId tenantId, string score, IReadOnlyList<CustomerId> customerIds, Instant asOf, decimal?[] scores, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(score);
        Preconditions.NotNull(customerIds);
        Preconditions.NotNull(scores);
        Preconditions.Check(scores.Length >= customerIds.Count, "The score array is shorter than the customer list.", nameof(scores));
        cancellationToken.ThrowIfCancellationRequested();
        _scores.TryGetValue((tenantId, score), out var values);
        for (var i = 0; i < customerIds.Count; i++)
        {
            scores[i] = values is not null && values.TryGetValue(customerIds[i], out var value) ? value : null;
        }

        return ValueTask.CompletedTask;
    }
}

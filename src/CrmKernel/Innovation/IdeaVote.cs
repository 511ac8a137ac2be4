using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Innovation;

/// <summary>
/// One customer's vote on one idea: a store keeps at most one per customer and idea, replaced when the customer changes
/// it and removed when they withdraw it. Obtain one from <c>InnovationService.VoteAsync</c> or a store.
/// </summary>
public sealed class IdeaVote : IEquatable<IdeaVote>
{
    /// <summary>Creates a vote.</summary>
    /// <exception cref="ArgumentException">An id is the default or the value is undefined.</exception>
    public IdeaVote(TenantId tenantId, IdeaId idea, CustomerId customer, IdeaVoteValue value, Instant castAt)
    {
        TenantId = Preconditions.NotDefault(tenantId);
        Idea = Preconditions.NotDefault(idea);
        Customer = Preconditions.NotDefault(customer);
        Value = Preconditions.Defined(value);
        CastAt = castAt;
    }

    /// <summary>The tenant.</summary>
    public TenantId TenantId { get; }

    /// <summary>The idea voted on.</summary>
    public IdeaId Idea { get; }

    /// <summary>The voter.</summary>
    public CustomerId Customer { get; }

    /// <summary>For or against.</summary>
    public IdeaVoteValue Value { get; }

    /// <summary>When the vote was cast or last changed.</summary>
    public Instant CastAt { get; }

    /// <inheritdoc />
    public bool Equals(IdeaVote? other)
        => other is not null && TenantId == other.TenantId && Idea == other.Idea && Customer == other.Customer && Value == other.Value && CastAt == other.CastAt;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as IdeaVote);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Idea, Customer, Value, CastAt);
}

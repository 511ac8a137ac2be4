using CrmKernel.Innovation;
using CrmKernel.Primitives;

namespace CrmKernel.Storage;

/// <summary>
/// Where ideas (with their history and comments), customers' voice records and votes are kept. Application code uses
/// <c>InnovationService</c>, which checks the workflow, ingests idempotently and closes the loop.
/// </summary>
/// <remarks>
/// Contract (proven by <c>IdeaStoreConformanceTests</c>): tenant-scoped; <see cref="SaveAsync"/> stores an idea only when
/// its stored version is <c>expectedVersion</c> (0: not stored yet) and the idea's version is greater, otherwise
/// <see cref="ConcurrencyConflictException"/> and nothing is stored; <see cref="AddVoiceAsync"/> stores a voice record and
/// the idea it submitted in one atomic write, unless a record with the same source key exists, which it returns instead
/// (storing nothing); a customer has at most one vote per idea (a new vote replaces the old); pages are keyset pages in
/// ascending id order, at most <see cref="StoreLimits.MaxPageSize"/> items, a short page being the last.
/// </remarks>
public interface IIdeaStore
{
    /// <summary>Stores an idea: new when <paramref name="expectedVersion"/> is 0, otherwise replacing the version read.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="idea"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expectedVersion"/> is negative or not below the idea's version.</exception>
    /// <exception cref="ConcurrencyConflictException">The stored version is not <paramref name="expectedVersion"/>; nothing was stored.</exception>
    ValueTask SaveAsync(Idea idea, int expectedVersion, CancellationToken cancellationToken);

    /// <summary>Reads an idea; null when there is none.</summary>
    /// <exception cref="Diagnostics.InvalidStoredStateException">The stored idea is not valid.</exception>
    ValueTask<Idea?> FindAsync(TenantId tenantId, IdeaId idea, CancellationToken cancellationToken);

    /// <summary>Reads one page of the tenant's ideas: those after <paramref name="after"/> (from the start when null), in id order.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is less than 1.</exception>
    /// <exception cref="Diagnostics.InputLimitExceededException"><paramref name="limit"/> is more than <see cref="StoreLimits.MaxPageSize"/>.</exception>
    ValueTask<IReadOnlyList<Idea>> PageAsync(TenantId tenantId, IdeaId? after, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a voice record and, for an idea, the idea it submitted (version 1), in one atomic write; when a record with the
    /// same source key exists, stores nothing and returns that one.
    /// </summary>
    /// <returns>The stored record: <paramref name="voice"/>, or the one already stored under its source key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="voice"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="idea"/> is not the idea the record names, or not new.</exception>
    /// <exception cref="ConcurrencyConflictException">The idea's id is taken; nothing was stored.</exception>
    ValueTask<CustomerVoice> AddVoiceAsync(CustomerVoice voice, Idea? idea, CancellationToken cancellationToken);

    /// <summary>Reads the voice record stored under a source key; null when there is none.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    ValueTask<CustomerVoice?> FindVoiceAsync(TenantId tenantId, ExternalIdentifier source, CancellationToken cancellationToken);

    /// <summary>Reads one page of the tenant's voice records: those after <paramref name="after"/>, in id order.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is less than 1.</exception>
    /// <exception cref="Diagnostics.InputLimitExceededException"><paramref name="limit"/> is more than <see cref="StoreLimits.MaxPageSize"/>.</exception>
    ValueTask<IReadOnlyList<CustomerVoice>> PageVoicesAsync(TenantId tenantId, TouchpointId? after, int limit, CancellationToken cancellationToken);

    /// <summary>Reads a customer's vote on an idea; null when they have none.</summary>
    ValueTask<IdeaVote?> FindVoteAsync(TenantId tenantId, IdeaId idea, CustomerId customer, CancellationToken cancellationToken);

    /// <summary>Stores a vote, replacing the customer's earlier vote on the idea.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="vote"/> is null.</exception>
    ValueTask SetVoteAsync(IdeaVote vote, CancellationToken cancellationToken);

    /// <summary>Removes a customer's vote on an idea; false when there was none.</summary>
    ValueTask<bool> RemoveVoteAsync(TenantId tenantId, IdeaId idea, CustomerId customer, CancellationToken cancellationToken);

    /// <summary>Reads one page of an idea's votes: those of customers after <paramref name="after"/>, in customer id order.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is less than 1.</exception>
    /// <exception cref="Diagnostics.InputLimitExceededException"><paramref name="limit"/> is more than <see cref="StoreLimits.MaxPageSize"/>.</exception>
    ValueTask<IReadOnlyList<IdeaVote>> PageVotesAsync(TenantId tenantId, IdeaId idea, CustomerId? after, int limit, CancellationToken cancellationToken);
}

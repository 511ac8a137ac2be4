using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

namespace CrmKernel.Storage;

/// <summary>
/// Where customers are kept: the one interface a storage adapter must implement for customers. Host
/// applications do not call it directly; they use <c>CustomerRepository</c>, which turns stored
/// snapshots into customers, commits changes and publishes events.
/// </summary>
/// <remarks>
/// <para>The contract, proven by <c>CrmKernel.Testing</c>'s <c>CustomerStoreConformanceTests</c>:</para>
/// <list type="bullet">
/// <item>Every call is scoped to one tenant; nothing of one tenant is visible or changeable from another.</item>
/// <item>A default <see cref="TenantId"/> or <see cref="CustomerId"/> is an <see cref="ArgumentException"/>.</item>
/// <item><see cref="CommitAsync"/> is atomic: the customer's new state and its events are stored together, or
/// nothing is. A stale <see cref="CustomerCommit.ExpectedVersion"/> throws <see cref="ConcurrencyConflictException"/>;
/// an external identifier held by another customer of the tenant throws <see cref="ExternalIdentifierConflictException"/>.</item>
/// <item>Lookups by id, external identifier and contact point see every committed change.</item>
/// <item>Pages are in ascending id order (version-7 ids: creation order) and keyset-based, so concurrent inserts
/// never make a reader skip or repeat a customer.</item>
/// <item>A cancelled token throws <see cref="OperationCanceledException"/>.</item>
/// </list>
/// <para>Adapters translate their provider's errors into these kernel exceptions and never return a
/// half-read customer: unreadable rows throw <see cref="InvalidStoredStateException"/> naming table and key.</para>
/// </remarks>
public interface ICustomerStore
{
    /// <summary>Reads a customer by id; null when the tenant has no such customer.</summary>
    ValueTask<CustomerSnapshot?> FindAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken);

    /// <summary>Reads the customer holding an external identifier; null when none does. Identifiers are unique per tenant.</summary>
    ValueTask<CustomerSnapshot?> FindByExternalIdentifierAsync(TenantId tenantId, ExternalIdentifier identifier, CancellationToken cancellationToken);

    /// <summary>
    /// Reads every customer holding a contact point (same kind and normalised value), in ascending id order.
    /// Contact points are not unique: two records of one person are what duplicate detection looks for.
    /// </summary>
    ValueTask<IReadOnlyList<CustomerSnapshot>> ListByContactPointAsync(TenantId tenantId, ContactPoint contactPoint, CancellationToken cancellationToken);

    /// <summary>Counts the tenant's customers.</summary>
    ValueTask<long> CountAsync(TenantId tenantId, CancellationToken cancellationToken);

    /// <summary>
    /// Reads one keyset page: up to <paramref name="limit"/> customers whose id is greater than
    /// <paramref name="after"/> (or from the start when null), in ascending id order.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is less than 1 or more than 10,000.</exception>
    ValueTask<IReadOnlyList<CustomerSnapshot>> PageAsync(TenantId tenantId, CustomerId? after, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a customer's new state and its events atomically: inserts when
    /// <see cref="CustomerCommit.ExpectedVersion"/> is 0, otherwise updates only if the stored version still
    /// equals it. Afterwards the stored version is <see cref="CustomerCommit.NewVersion"/>.
    /// </summary>
    /// <exception cref="ConcurrencyConflictException">The stored version is not the expected one (or the customer exists on insert, or is missing on update); nothing was stored.</exception>
    /// <exception cref="ExternalIdentifierConflictException">Another customer of the tenant holds one of the identifiers; nothing was stored.</exception>
    ValueTask CommitAsync(CustomerCommit commit, CancellationToken cancellationToken);
}

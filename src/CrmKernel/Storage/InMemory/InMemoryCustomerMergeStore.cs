using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Identity;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;

namespace CrmKernel.Storage.InMemory;

/// <summary>
/// The reference merge store: merges and unmerges customers of an <see cref="InMemoryCustomerStore"/> and re-points
/// touchpoints of an <see cref="InMemoryTouchpointStore"/> and relationships of an <see cref="InMemoryRelationshipStore"/>, each step under the stores' locks so it is atomic. Customer
/// reads and commits go to the customer store. Registered by <c>builder.UseInMemoryStores()</c>.
/// </summary>
public sealed class InMemoryCustomerMergeStore : ICustomerMergeStore
{
    private readonly InMemoryCustomerStore _customers;
    private readonly InMemoryTouchpointStore _touchpoints;
    private readonly InMemoryRelationshipStore _relationships;

    /// <summary>Creates a merge store over the given stores (those the application's other services use).</summary>
    /// <exception cref="ArgumentNullException">A store is null.</exception>
    public InMemoryCustomerMergeStore(InMemoryCustomerStore customers, InMemoryTouchpointStore touchpoints, InMemoryRelationshipStore relationships)
    {
        _customers = Preconditions.NotNull(customers);
        _touchpoints = Preconditions.NotNull(touchpoints);
        _relationships = Preconditions.NotNull(relationships);
        _relationships.Merges = customers;
    }

    /// <inheritdoc />
    public ValueTask<CustomerSnapshot?> FindAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken) => _customers.FindAsync(tenantId, customerId, cancellationToken);

    /// <inheritdoc />
    public ValueTask<CustomerSnapshot?> FindByExternalIdentifierAsync(TenantId tenantId, ExternalIdentifier identifier, CancellationToken cancellationToken) => _customers.FindByExternalIdentifierAsync(tenantId, identifier, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CustomerSnapshot>> ListByContactPointAsync(TenantId tenantId, ContactPoint contactPoint, CancellationToken cancellationToken) => _customers.ListByContactPointAsync(tenantId, contactPoint, cancellationToken);

    /// <inheritdoc />
    public ValueTask<long> CountAsync(TenantId tenantId, CancellationToken cancellationToken) => _customers.CountAsync(tenantId, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CustomerSnapshot>> PageAsync(TenantId tenantId, CustomerId? after, int limit, CancellationToken cancellationToken) => _customers.PageAsync(tenantId, after, limit, cancellationToken);

    /// <inheritdoc />
    public ValueTask CommitAsync(CustomerCommit commit, CancellationToken cancellationToken) => _customers.CommitAsync(commit, cancellationToken);

    /// <inheritdoc />
    public ValueTask<CustomerMergeRecord> CommitMergeAsync(CustomerMergeCommit commit, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(commit);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_customers.CommitMerge(commit, _touchpoints, _relationships));
    }

    /// <inheritdoc />
    public ValueTask<CustomerMergeRecord> CommitUnmergeAsync(CustomerUnmergeCommit commit, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(commit);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_customers.CommitUnmerge(commit, _touchpoints, _relationships));
    }

    /// <inheritdoc />
    public ValueTask<CustomerMergeRecord?> FindMergeAsync(TenantId tenantId, CustomerMergeId mergeId, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(mergeId);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_customers.FindMerge(tenantId, mergeId));
    }

    /// <inheritdoc />
    public ValueTask<CustomerMergeRecord?> FindActiveMergeAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(customerId);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_customers.FindActiveMerge(tenantId, customerId));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyDictionary<CustomerId, CustomerId>> FindSurvivorsAsync(TenantId tenantId, IReadOnlyCollection<CustomerId> customerIds, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(customerIds);
        StoreArguments.CheckBatch(customerIds.Count, StoreLimits.MaxAppendBatch, nameof(customerIds));
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_customers.FindSurvivors(tenantId, customerIds));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CustomerMergeRecord>> ListMergesByCustomerAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(customerId);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_customers.ListMerges(tenantId, customerId));
    }

    /// <inheritdoc />
    public ValueTask<TouchpointAppendResult> AppendTouchpointsAsync(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(touchpoints);
        StoreArguments.CheckBatch(touchpoints.Count, StoreLimits.MaxAppendBatch, nameof(touchpoints));
        for (var i = 0; i < touchpoints.Count; i++)
        {
            Preconditions.Check(touchpoints[i] is not null && touchpoints[i].TenantId == tenantId, "Every touchpoint must belong to the tenant appended to.", nameof(touchpoints));
        }

        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_customers.AppendRedirected(tenantId, touchpoints, _touchpoints));
    }

    /// <inheritdoc />
    public ValueTask<TouchpointAppendResult> AppendRedirectedWithCustomerAsync(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, IReadOnlyList<CustomerId> addressedTo, CustomerCommit? commit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(touchpoints);
        Preconditions.NotNull(addressedTo);
        StoreArguments.CheckBatch(touchpoints.Count, StoreLimits.MaxAppendBatch, nameof(touchpoints));
        Preconditions.Check(touchpoints.Count > 0 && touchpoints[0] is not null, "At least one touchpoint is needed, and none may be null.", nameof(touchpoints));
        Preconditions.Check(addressedTo.Count == touchpoints.Count, "Every touchpoint needs the customer it was addressed to.", nameof(addressedTo));
        var customerId = touchpoints[0].CustomerId;
        for (var i = 0; i < touchpoints.Count; i++)
        {
            Preconditions.Check(touchpoints[i] is not null && touchpoints[i].TenantId == tenantId && touchpoints[i].CustomerId == customerId, "Every touchpoint must belong to the tenant and to one customer.", nameof(touchpoints));
        }

        Preconditions.Check(commit is null || (commit.Customer.TenantId == tenantId && commit.Customer.Id == customerId), "The commit must be for the touchpoints' customer and tenant.", nameof(commit));
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_customers.AppendRedirectedWithCustomer(tenantId, touchpoints, addressedTo, commit, _touchpoints));
    }
}

using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;

namespace CrmKernel.Storage.InMemory;

/// <summary>
/// The in-memory <see cref="ICustomerTouchpointStore"/>: appends a touchpoint to an <see cref="InMemoryTouchpointStore"/>
/// and commits the customer change to an <see cref="InMemoryCustomerStore"/> atomically, holding both tenants' locks
/// (customers first, then touchpoints, always in that order). Registered by <c>builder.UseInMemoryStores()</c>.
/// </summary>
public sealed class InMemoryCustomerTouchpointStore : ICustomerTouchpointStore
{
    private readonly InMemoryCustomerStore _customers;
    private readonly InMemoryTouchpointStore _touchpoints;

    /// <summary>Joins the two stores.</summary>
    /// <param name="customers">The customer store.</param>
    /// <param name="touchpoints">The touchpoint store.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public InMemoryCustomerTouchpointStore(InMemoryCustomerStore customers, InMemoryTouchpointStore touchpoints)
    {
        _customers = Preconditions.NotNull(customers);
        _touchpoints = Preconditions.NotNull(touchpoints);
    }

    /// <inheritdoc />
    public ValueTask<TouchpointAppendResult> AppendWithCustomerAsync(TenantId tenantId, Touchpoint touchpoint, CustomerCommit? commit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(touchpoint);
        Preconditions.Check(touchpoint.TenantId == tenantId, "The touchpoint must belong to the tenant.", nameof(touchpoint));
        Preconditions.Check(commit is null || (commit.Customer.TenantId == tenantId && commit.Customer.Id == touchpoint.CustomerId), "The commit must be for the touchpoint's customer and tenant.", nameof(commit));
        cancellationToken.ThrowIfCancellationRequested();
        if (commit is null)
        {
            return _touchpoints.AppendAsync(tenantId, [touchpoint], cancellationToken);
        }

        return ValueTask.FromResult(_customers.CommitWith(commit, (check, store) => _touchpoints.AppendGuarded(tenantId, touchpoint, check, store)));
    }

    /// <inheritdoc />
    public ValueTask<TouchpointAppendResult> AppendManyWithCustomerAsync(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, CustomerCommit? commit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(touchpoints);
        StoreArguments.CheckBatch(touchpoints.Count, StoreLimits.MaxAppendBatch, nameof(touchpoints));
        Preconditions.Check(touchpoints.Count > 0, "At least one touchpoint is needed.", nameof(touchpoints));
        var customerId = Preconditions.NotNull(touchpoints[0], nameof(touchpoints)).CustomerId;
        for (var i = 0; i < touchpoints.Count; i++)
        {
            Preconditions.Check(touchpoints[i] is not null && touchpoints[i].TenantId == tenantId && touchpoints[i].CustomerId == customerId, "Every touchpoint must belong to the tenant and to one customer.", nameof(touchpoints));
        }

        Preconditions.Check(commit is null || (commit.Customer.TenantId == tenantId && commit.Customer.Id == customerId), "The commit must be for the touchpoints' customer and tenant.", nameof(commit));
        cancellationToken.ThrowIfCancellationRequested();
        if (commit is null)
        {
            return ValueTask.FromResult(_touchpoints.AppendAllGuarded(tenantId, touchpoints, static () => { }, static () => { }));
        }

        return ValueTask.FromResult(_customers.CommitWith(commit, (check, store) => _touchpoints.AppendAllGuarded(tenantId, touchpoints, check, store)));
    }
}

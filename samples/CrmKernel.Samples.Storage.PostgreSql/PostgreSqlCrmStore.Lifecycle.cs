using CrmKernel.Diagnostics;
using CrmKernel.Identity;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;

namespace CrmKernel.Samples.Storage.PostgreSql;

/// <summary>The atomic touchpoint-and-customer commit that <c>TouchpointIngestion</c> uses to apply lifecycle transitions.</summary>
public sealed partial class PostgreSqlCrmStore : ICustomerTouchpointStore
{
    /// <inheritdoc />
    public ValueTask<TouchpointAppendResult> AppendWithCustomerAsync(TenantId tenantId, Touchpoint touchpoint, CustomerCommit? commit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(touchpoint);
        Preconditions.Check(touchpoint.TenantId == tenantId, "The touchpoint must belong to the tenant.", nameof(touchpoint));
        Preconditions.Check(commit is null || (commit.Customer.TenantId == tenantId && commit.Customer.Id == touchpoint.CustomerId), "The commit must be for the touchpoint's customer and tenant.", nameof(commit));
        TouchpointRows.CheckOrderable(touchpoint, nameof(touchpoint));
        cancellationToken.ThrowIfCancellationRequested();

        // One transaction: the touchpoint first (a taken id or source key stores nothing), then the customer; a stale
        // customer version throws inside the transaction, which rolls the touchpoint back too.
        return WriteAsync(
            async (c, t, ct) =>
            {
                var result = await TouchpointRows.AppendAsync(Database, c, t, tenantId, [touchpoint], ct).ConfigureAwait(false);
                if (result.Appended == 1 && commit is not null)
                {
                    await CustomerRows.CommitAsync(Database, c, t, commit, ct).ConfigureAwait(false);
                }

                return result;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<TouchpointAppendResult> AppendManyWithCustomerAsync(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, CustomerCommit? commit, CancellationToken cancellationToken)
    {
        CheckShare(tenantId, touchpoints, commit);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await WriteAsync(
                async (c, t, ct) =>
                {
                    var result = await TouchpointRows.AppendAsync(Database, c, t, tenantId, touchpoints, ct).ConfigureAwait(false);
                    if (result.Appended != touchpoints.Count)
                    {
                        // Throwing rolls back the touchpoints that were inserted: all or nothing.
                        throw new NothingAppendedException(new TouchpointAppendResult(0, result.AlreadyPresent, result.Conflicts));
                    }

                    if (commit is not null)
                    {
                        await CustomerRows.CommitAsync(Database, c, t, commit, ct).ConfigureAwait(false);
                    }

                    return result;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (NothingAppendedException rolledBack)
        {
            return rolledBack.Result;
        }
    }

    /// <summary>
    /// <see cref="ICustomerMergeStore.AppendRedirectedWithCustomerAsync"/>: in one transaction appends one customer's
    /// touchpoints (all or none), verifies that every redirect still holds (holding the merges' rows FOR SHARE, so an
    /// unmerge waits), stores the commit and notes the redirects.
    /// </summary>
    internal async ValueTask<TouchpointAppendResult> AppendRedirectedWithCustomerAsync(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, IReadOnlyList<CustomerId> addressedTo, CustomerCommit? commit, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(addressedTo);
        CheckShare(tenantId, touchpoints, commit);
        Preconditions.Check(addressedTo.Count == touchpoints.Count, "Every touchpoint needs the customer it was addressed to.", nameof(addressedTo));
        var customerId = touchpoints[0].CustomerId;
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await WriteAsync(
                async (c, t, ct) =>
                {
                    var result = await TouchpointRows.AppendAsync(Database, c, t, tenantId, touchpoints, ct).ConfigureAwait(false);
                    if (result.Appended != touchpoints.Count)
                    {
                        throw new NothingAppendedException(new TouchpointAppendResult(0, result.AlreadyPresent, result.Conflicts));
                    }

                    var routes = new Dictionary<CustomerId, List<CustomerMergeId>>();
                    for (var i = 0; i < touchpoints.Count; i++)
                    {
                        var from = addressedTo[i];
                        if (from != customerId && !routes.ContainsKey(from))
                        {
                            routes[from] = await PostgreSqlCustomerMergeStore.RouteAsync(Database, c, t, tenantId, from, customerId, ct).ConfigureAwait(false);
                        }
                    }

                    if (commit is not null)
                    {
                        await CustomerRows.CommitAsync(Database, c, t, commit, ct).ConfigureAwait(false);
                    }

                    if (routes.Count > 0)
                    {
                        await PostgreSqlCustomerMergeStore.NoteRedirectsAsync(Database, c, t, tenantId, touchpoints, addressedTo, routes, ct).ConfigureAwait(false);
                    }

                    return result;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (NothingAppendedException rolledBack)
        {
            return rolledBack.Result;
        }
    }

    private sealed class NothingAppendedException(TouchpointAppendResult result) : Exception("Some touchpoints could not be appended; the transaction is rolled back.")
    {
        public TouchpointAppendResult Result { get; } = result;
    }

    /// <summary>Checks one customer's share of a batch: the tenant, 1 to the batch limit touchpoints of one customer, each orderable, and a commit of that customer.</summary>
    private static void CheckShare(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, CustomerCommit? commit)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(touchpoints);
        StoreArguments.CheckBatch(touchpoints.Count, StoreLimits.MaxAppendBatch, nameof(touchpoints));
        Preconditions.Check(touchpoints.Count > 0 && touchpoints[0] is not null, "At least one touchpoint is needed, and none may be null.", nameof(touchpoints));
        var customerId = touchpoints[0].CustomerId;
        foreach (var touchpoint in touchpoints)
        {
            Preconditions.Check(touchpoint is not null && touchpoint.TenantId == tenantId && touchpoint.CustomerId == customerId, "Every touchpoint must belong to the tenant and to one customer.", nameof(touchpoints));
            TouchpointRows.CheckOrderable(touchpoint!, nameof(touchpoints));
        }

        Preconditions.Check(commit is null || (commit.Customer.TenantId == tenantId && commit.Customer.Id == customerId), "The commit must be for the touchpoints' customer and tenant.", nameof(commit));
    }
}

using CrmKernel.Identity;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <content>The atomic touchpoint-and-customer write that lifecycle recording needs: one SQLite transaction.</content>
public sealed partial class SqliteCrmStore : ICustomerTouchpointStore
{
    /// <inheritdoc />
    public ValueTask<TouchpointAppendResult> AppendWithCustomerAsync(TenantId tenantId, Touchpoint touchpoint, CustomerCommit? commit, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        ArgumentNullException.ThrowIfNull(touchpoint);
        if (touchpoint.TenantId != tenantId)
        {
            throw new ArgumentException("The touchpoint must belong to the tenant.", nameof(touchpoint));
        }

        if (commit is not null && (commit.Customer.TenantId != tenantId || commit.Customer.Id != touchpoint.CustomerId))
        {
            throw new ArgumentException("The commit must be for the touchpoint's customer and tenant.", nameof(commit));
        }

        if (touchpoint.OccurredAt < ColumnText.EarliestOrderedInstant)
        {
            throw new ArgumentException($"Touchpoint {touchpoint.Id} occurred before ISO year 0, which the SQLite store cannot keep in timeline order.", nameof(touchpoint));
        }

        cancellationToken.ThrowIfCancellationRequested();

        // One transaction: the touchpoint first (a duplicate or conflicting source key stores nothing), then the customer;
        // a stale customer version throws inside the transaction, which rolls the touchpoint back too.
        return WriteAsync(
            async (session, ct) =>
            {
                var result = await TouchpointRowWriter.AppendAsync(session, tenantId.Value, [touchpoint], ct).ConfigureAwait(false);
                if (result.Appended == 1 && commit is not null)
                {
                    await CustomerRowWriter.CommitAsync(session, commit, ct).ConfigureAwait(false);
                }

                return result;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<TouchpointAppendResult> AppendManyWithCustomerAsync(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, CustomerCommit? commit, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        ArgumentNullException.ThrowIfNull(touchpoints);
        CheckShare(tenantId, touchpoints, commit);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            // One transaction: the touchpoints first; if any cannot be appended, throwing rolls back those that were.
            return await WriteAsync(
                async (session, ct) =>
                {
                    var result = await TouchpointRowWriter.AppendAsync(session, tenantId.Value, touchpoints, ct).ConfigureAwait(false);
                    if (result.Appended != touchpoints.Count)
                    {
                        throw new NothingAppendedException(new TouchpointAppendResult(0, result.AlreadyPresent, result.Conflicts));
                    }

                    if (commit is not null)
                    {
                        await CustomerRowWriter.CommitAsync(session, commit, ct).ConfigureAwait(false);
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
    /// touchpoints (all or none), verifies that every redirect still holds, stores the commit and notes the redirects.
    /// </summary>
    internal async ValueTask<TouchpointAppendResult> AppendRedirectedWithCustomerAsync(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, IReadOnlyList<CustomerId> addressedTo, CustomerCommit? commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(touchpoints);
        ArgumentNullException.ThrowIfNull(addressedTo);
        CheckShare(tenantId, touchpoints, commit);
        if (addressedTo.Count != touchpoints.Count)
        {
            throw new ArgumentException("Every touchpoint needs the customer it was addressed to.", nameof(addressedTo));
        }

        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await WriteAsync(
                async (session, ct) =>
                {
                    var result = await TouchpointRowWriter.AppendAsync(session, tenantId.Value, touchpoints, ct).ConfigureAwait(false);
                    if (result.Appended != touchpoints.Count)
                    {
                        throw new NothingAppendedException(new TouchpointAppendResult(0, result.AlreadyPresent, result.Conflicts));
                    }

                    // Inside the write transaction: a merge or unmerge committed since the caller read cannot interleave.
                    var target = touchpoints[0].CustomerId;
                    var routes = new Dictionary<CustomerId, List<CustomerMergeId>>();
                    for (var i = 0; i < touchpoints.Count; i++)
                    {
                        var from = addressedTo[i];
                        if (from != target && !routes.ContainsKey(from))
                        {
                            routes[from] = await CustomerMergeRows.RouteAsync(session, tenantId, from, target, ct).ConfigureAwait(false);
                        }
                    }

                    if (commit is not null)
                    {
                        await CustomerRowWriter.CommitAsync(session, commit, ct).ConfigureAwait(false);
                    }

                    for (var i = 0; i < touchpoints.Count; i++)
                    {
                        if (addressedTo[i] != target)
                        {
                            await CustomerMergeRows.NoteRedirectAsync(session, tenantId, routes[addressedTo[i]], touchpoints[i].Id, ct).ConfigureAwait(false);
                        }
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

    /// <summary>Checks one customer's share of a batch and its commit.</summary>
    private static void CheckShare(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, CustomerCommit? commit)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.CheckBatch(touchpoints.Count, StoreLimits.MaxAppendBatch, nameof(touchpoints));
        if (touchpoints.Count == 0 || touchpoints[0] is null)
        {
            throw new ArgumentException("At least one touchpoint is needed, and none may be null.", nameof(touchpoints));
        }

        var customerId = touchpoints[0].CustomerId;
        foreach (var touchpoint in touchpoints)
        {
            if (touchpoint is null || touchpoint.TenantId != tenantId || touchpoint.CustomerId != customerId)
            {
                throw new ArgumentException("Every touchpoint must belong to the tenant and to one customer.", nameof(touchpoints));
            }

            if (touchpoint.OccurredAt < ColumnText.EarliestOrderedInstant)
            {
                throw new ArgumentException($"Touchpoint {touchpoint.Id} occurred before ISO year 0, which the SQLite store cannot keep in timeline order.", nameof(touchpoints));
            }
        }

        if (commit is not null && (commit.Customer.TenantId != tenantId || commit.Customer.Id != customerId))
        {
            throw new ArgumentException("The commit must be for the touchpoints' customer and tenant.", nameof(commit));
        }
    }

    /// <summary>Carries the report of an all-or-nothing append out of the transaction it rolls back.</summary>
    private sealed class NothingAppendedException(TouchpointAppendResult result) : Exception("Some touchpoints could not be appended; the transaction is rolled back.")
    {
        public TouchpointAppendResult Result { get; } = result;
    }
}

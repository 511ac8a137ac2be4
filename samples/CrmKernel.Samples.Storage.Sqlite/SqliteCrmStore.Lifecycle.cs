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
}

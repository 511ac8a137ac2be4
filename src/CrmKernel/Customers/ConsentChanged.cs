using CrmKernel.Consent;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Customers;

/// <summary>
/// A consent ledger entry was recorded on the customer: a grant, a decline, a withdrawal or a lawful basis.
/// Subscribe to it to keep an email platform's suppression list or a preference centre in step.
/// </summary>
public sealed class ConsentChanged : CustomerEvent
{
    internal ConsentChanged(TenantId tenantId, CustomerId customerId, Instant occurredAt, ConsentEntry entry)
        : base(tenantId, customerId, occurredAt) => Entry = entry;

    /// <summary>The entry recorded; it supersedes the earlier entry of the same scope, which stays in the history.</summary>
    public ConsentEntry Entry { get; }
}

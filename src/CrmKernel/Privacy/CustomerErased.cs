using CrmKernel.Customers;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Privacy;

/// <summary>
/// Raised when a customer's personal data was erased (see <c>ErasureService</c>). Systems that received the customer's
/// earlier events must erase their copies; events about the customer that were not yet published are not published
/// any more. It carries no data beyond the ids and the time.
/// </summary>
public sealed class CustomerErased : CustomerEvent
{
    internal CustomerErased(TenantId tenantId, CustomerId customerId, Instant occurredAt)
        : base(tenantId, customerId, occurredAt)
    {
    }
}

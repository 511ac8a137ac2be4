using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Customers;

/// <summary>A new customer was registered.</summary>
public sealed class CustomerRegistered : CustomerEvent
{
    internal CustomerRegistered(TenantId tenantId, CustomerId customerId, Instant occurredAt, PartyProfile profile)
        : base(tenantId, customerId, occurredAt) => Profile = profile;

    /// <summary>The profile the customer was registered with; its type tells the party kind.</summary>
    public PartyProfile Profile { get; }
}

using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Customers;

/// <summary>The customer's profile changed.</summary>
public sealed class CustomerProfileChanged : CustomerEvent
{
    internal CustomerProfileChanged(TenantId tenantId, CustomerId customerId, Instant occurredAt, PartyProfile profile)
        : base(tenantId, customerId, occurredAt) => Profile = profile;

    /// <summary>The new profile.</summary>
    public PartyProfile Profile { get; }
}

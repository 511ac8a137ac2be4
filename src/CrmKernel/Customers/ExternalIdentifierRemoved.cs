using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Customers;

/// <summary>An external identifier was removed from the customer.</summary>
public sealed class ExternalIdentifierRemoved : CustomerEvent
{
    internal ExternalIdentifierRemoved(TenantId tenantId, CustomerId customerId, Instant occurredAt, ExternalIdentifier identifier)
        : base(tenantId, customerId, occurredAt) => Identifier = identifier;

    /// <summary>The identifier removed.</summary>
    public ExternalIdentifier Identifier { get; }
}

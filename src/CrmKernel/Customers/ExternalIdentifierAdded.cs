using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Customers;

/// <summary>An external identifier was added to the customer.</summary>
public sealed class ExternalIdentifierAdded : CustomerEvent
{
    internal ExternalIdentifierAdded(TenantId tenantId, CustomerId customerId, Instant occurredAt, ExternalIdentifier identifier)
        : base(tenantId, customerId, occurredAt) => Identifier = identifier;

    /// <summary>The identifier added.</summary>
    public ExternalIdentifier Identifier { get; }
}

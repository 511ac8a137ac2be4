using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Customers;

/// <summary>The customer's home time zone changed.</summary>
public sealed class HomeTimeZoneChanged : CustomerEvent
{
    internal HomeTimeZoneChanged(TenantId tenantId, CustomerId customerId, Instant occurredAt, DateTimeZone? zone)
        : base(tenantId, customerId, occurredAt) => Zone = zone;

    /// <summary>The new zone, or null when it was cleared.</summary>
    public DateTimeZone? Zone { get; }
}

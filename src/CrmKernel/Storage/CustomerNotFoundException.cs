using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

namespace CrmKernel.Storage;

/// <summary>No customer of the tenant has the id asked for.</summary>
public sealed class CustomerNotFoundException : CrmException
{
    /// <summary>Creates the exception.</summary>
    public CustomerNotFoundException(TenantId tenantId, CustomerId customerId)
        : base(CrmErrorCodes.CustomerNotFound, $"Tenant {tenantId} has no customer {customerId}.")
    {
        TenantId = tenantId;
        CustomerId = customerId;
    }

    /// <summary>The tenant searched.</summary>
    public TenantId TenantId { get; }

    /// <summary>The id asked for.</summary>
    public CustomerId CustomerId { get; }
}

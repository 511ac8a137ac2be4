namespace CrmKernel.Services.Ingestion;

/// <summary>
/// What <see cref="TouchpointIngestion.RecordAsync(CrmKernel.Primitives.TenantId, CrmKernel.Touchpoints.NewTouchpoint, CancellationToken)"/> does with a touchpoint whose customer does not exist; pass
/// <see cref="Refuse"/> when the caller needs the customer's lifecycle applied.
/// </summary>
public enum UnknownCustomerPolicy
{
    /// <summary>Store the touchpoint alone; it moves nobody (source systems often deliver contacts before customer master data).</summary>
    RecordTouchpoint = 0,

    /// <summary>Store nothing and throw <see cref="CrmKernel.Storage.CustomerNotFoundException"/>.</summary>
    Refuse = 1,
}

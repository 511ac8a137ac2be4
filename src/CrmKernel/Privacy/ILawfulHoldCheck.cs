using CrmKernel.Primitives;

namespace CrmKernel.Privacy;

/// <summary>
/// A host's check for lawful holds on a person's data, e.g. "open invoice" from the host's billing system. Register
/// implementations in the service collection (<c>services.AddSingleton&lt;ILawfulHoldCheck, MyBillingHold&gt;()</c>); the
/// erasure service asks every one of them before it erases anything, and a single hold blocks the erasure.
/// </summary>
public interface ILawfulHoldCheck
{
    /// <summary>The hold on the customer's data, or null when this check knows of none.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="customerId">The customer to be erased.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    ValueTask<LawfulHold?> FindHoldAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken);
}

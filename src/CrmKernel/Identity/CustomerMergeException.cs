using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

namespace CrmKernel.Identity;

/// <summary>
/// A merge or unmerge was refused by a rule (<see cref="CrmException.ErrorCode"/> says which; the message names ids
/// only): a customer merged with itself (<c>CRM-MERGE-001</c>), a person with an organisation (<c>CRM-MERGE-002</c>),
/// a merged-away customer merged again or written to (<c>CRM-MERGE-003</c>), an unknown merge (<c>CRM-MERGE-004</c>),
/// an unmerge whose survivor has since been merged away itself (<c>CRM-MERGE-005</c>), or an unmerge of a merge whose
/// record an erasure redacted (<c>CRM-MERGE-006</c>). Nothing was changed.
/// </summary>
public sealed class CustomerMergeException : CrmException
{
    private CustomerMergeException(string errorCode, string message, TenantId tenantId, CustomerId? customerId, CustomerMergeId? mergeId)
        : base(errorCode, message)
    {
        TenantId = tenantId;
        CustomerId = customerId;
        MergeId = mergeId;
    }

    /// <summary>The tenant.</summary>
    public TenantId TenantId { get; }

    /// <summary>The customer the rule is about, when one is.</summary>
    public CustomerId? CustomerId { get; }

    /// <summary>The merge the rule is about, when one is.</summary>
    public CustomerMergeId? MergeId { get; }

    /// <summary><c>CRM-MERGE-001</c>: a customer cannot be merged with itself.</summary>
    public static CustomerMergeException WithItself(TenantId tenantId, CustomerId customerId)
        => new(CrmErrorCodes.MergeWithItself, $"Customer {customerId} of tenant {tenantId} cannot be merged with itself.", tenantId, customerId, null);

    /// <summary><c>CRM-MERGE-002</c>: a person and an organisation cannot be merged.</summary>
    public static CustomerMergeException KindMismatch(TenantId tenantId, CustomerId survivorId, CustomerId mergedId)
        => new(CrmErrorCodes.MergePartyKindMismatch, $"Customers {survivorId} and {mergedId} of tenant {tenantId} are not the same kind of party (person or organisation).", tenantId, mergedId, null);

    /// <summary><c>CRM-MERGE-003</c>: the customer was merged away and can be neither merged again nor written to.</summary>
    public static CustomerMergeException MergedAway(TenantId tenantId, CustomerId customerId, CustomerMergeId mergeId)
        => new(CrmErrorCodes.CustomerMergedAway, $"Customer {customerId} of tenant {tenantId} was merged away by merge {mergeId}; write to the survivor or unmerge first.", tenantId, customerId, mergeId);

    /// <summary>
    /// <c>CRM-MERGE-003</c>: a new relationship names a customer that was merged away; the message names the survivor to
    /// name instead (or unmerge first).
    /// </summary>
    public static CustomerMergeException MergedAwayParty(TenantId tenantId, CustomerId customerId, CustomerMergeId mergeId, CustomerId survivorId)
        => new(CrmErrorCodes.CustomerMergedAway, $"Customer {customerId} of tenant {tenantId} was merged away by merge {mergeId} into customer {survivorId}; relate the survivor {survivorId} instead, or unmerge first.", tenantId, customerId, mergeId);

    /// <summary><c>CRM-MERGE-004</c>: the tenant has no such merge.</summary>
    public static CustomerMergeException NotFound(TenantId tenantId, CustomerMergeId mergeId)
        => new(CrmErrorCodes.MergeNotFound, $"Tenant {tenantId} has no merge {mergeId}.", tenantId, null, mergeId);

    /// <summary><c>CRM-MERGE-005</c>: the merge's survivor was merged away since; undo that later merge first.</summary>
    public static CustomerMergeException SurvivorMergedAway(TenantId tenantId, CustomerMergeId mergeId, CustomerId survivorId)
        => new(CrmErrorCodes.UnmergeSurvivorMergedAway, $"Merge {mergeId} of tenant {tenantId} cannot be undone while its survivor {survivorId} is merged away; undo that merge first.", tenantId, survivorId, mergeId);

    /// <summary><c>CRM-MERGE-006</c>: the merge's record was redacted by the erasure of one of its customers, so there is nothing to restore.</summary>
    public static CustomerMergeException Redacted(TenantId tenantId, CustomerMergeId mergeId)
        => new(CrmErrorCodes.UnmergeRedacted, $"Merge {mergeId} of tenant {tenantId} cannot be undone: its record was redacted by an erasure.", tenantId, null, mergeId);

    /// <summary>
    /// <c>CRM-MERGE-007</c>: the customer (survivor or merged side) was erased. An erased customer is a pseudonymous shell
    /// kept for past figures; merging would attach a person's data to it again. Register the returning person anew instead.
    /// </summary>
    public static CustomerMergeException Erased(TenantId tenantId, CustomerId customerId)
        => new(CrmErrorCodes.MergeOfErased, $"Customer {customerId} of tenant {tenantId} was erased; an erased customer is never merged.", tenantId, customerId, null);
}

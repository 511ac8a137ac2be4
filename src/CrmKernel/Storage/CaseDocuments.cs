using CrmKernel.Cases;
using CrmKernel.Primitives;

namespace CrmKernel.Storage;

/// <summary>
/// The kernel's text form of service cases, for storage adapters: store the document a <see cref="CaseWrite"/> carries
/// verbatim (next to the key columns you index) and turn it back into the aggregate with these methods when you read
/// it. The kernel owns the format and reads every version it ever wrote.
/// </summary>
public static class CaseDocuments
{
    /// <summary>
    /// Rebuilds the stored case <paramref name="caseId"/> of <paramref name="tenantId"/> from the document of its last
    /// commit, checking that the key columns the adapter read beside it (customer, status) agree with it.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="status"/> or <paramref name="document"/> is null.</exception>
    /// <exception cref="Diagnostics.InvalidStoredStateException">The document is not a valid case, not the one with this id, or disagrees with its key columns (<c>CRM-STORE-001</c>).</exception>
    public static ServiceCase Read(TenantId tenantId, CaseId caseId, CustomerId customerId, string status, string document)
    {
        Diagnostics.Preconditions.NotNull(status);
        var serviceCase = Read(tenantId, caseId, document);
        return serviceCase.CustomerId == customerId && serviceCase.Status.ToString() == status
            ? serviceCase
            : throw new Diagnostics.InvalidStoredStateException(CaseJson.CaseAggregate, caseId.ToString(), "the document disagrees with the row's customer or status");
    }

    /// <summary>Rebuilds the stored case <paramref name="caseId"/> of <paramref name="tenantId"/> from the document of its last commit.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is null.</exception>
    /// <exception cref="Diagnostics.InvalidStoredStateException">The document is not a valid case, or not the one with this id (<c>CRM-STORE-001</c>).</exception>
    public static ServiceCase Read(TenantId tenantId, CaseId caseId, string document)
    {
        var serviceCase = CaseJson.ReadCase(tenantId, caseId.ToString(), document);
        return serviceCase.Id == caseId ? serviceCase : throw new Diagnostics.InvalidStoredStateException(CaseJson.CaseAggregate, caseId.ToString(), "the document holds another case");
    }
}

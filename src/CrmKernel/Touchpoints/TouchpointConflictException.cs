using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

namespace CrmKernel.Touchpoints;

/// <summary>
/// A touchpoint was recorded under a source key (source system + key) that is already stored with different
/// content. Nothing was stored. The same contact delivered twice is not an error; two different contacts under
/// one key are, because one of them would be lost.
/// </summary>
public sealed class TouchpointConflictException : CrmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="source">The source key in conflict.</param>
    /// <param name="existingId">The id of the touchpoint already stored under it, if known.</param>
    public TouchpointConflictException(TenantId tenantId, ExternalIdentifier source, TouchpointId? existingId)
        : base(
            CrmErrorCodes.TouchpointConflict,
            $"Tenant {tenantId} already holds touchpoint {(existingId?.ToString() ?? "(unknown)")} under source key '{Preconditions.NotNull(source)}' with different content.")
    {
        TenantId = tenantId;
        SourceKey = source;
        ExistingId = existingId;
    }

    /// <summary>The tenant.</summary>
    public TenantId TenantId { get; }

    /// <summary>The source key in conflict.</summary>
    public ExternalIdentifier SourceKey { get; }

    /// <summary>The touchpoint already stored under the key, if known.</summary>
    public TouchpointId? ExistingId { get; }
}

using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

namespace CrmKernel.Innovation;

/// <summary>
/// A voice record arrived under a source key already recorded with different content (<c>CRM-IDEA-006</c>). Nothing was
/// recorded; the message names the source key. Fix the source (a reused key) or give the new content its own key.
/// </summary>
public sealed class CustomerVoiceConflictException : CrmException
{
    /// <summary>Creates the exception.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    public CustomerVoiceConflictException(TenantId tenantId, ExternalIdentifier source)
        : base(CrmErrorCodes.IdeaVoiceConflict, $"Tenant {tenantId}: source key '{Preconditions.NotNull(source)}' was recorded before with different content.")
    {
        TenantId = tenantId;
        SourceKey = source;
    }

    /// <summary>The tenant.</summary>
    public TenantId TenantId { get; }

    /// <summary>The conflicting source key.</summary>
    public ExternalIdentifier SourceKey { get; }
}

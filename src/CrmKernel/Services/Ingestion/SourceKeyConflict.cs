using CrmKernel.Primitives;

namespace CrmKernel.Services.Ingestion;

/// <summary>
/// One contact a bulk ingestion refused because its source key already holds a different contact
/// (<c>CRM-TOUCHPOINT-001</c>); read <see cref="IngestionResult.Conflicts"/> to find the source records to reconcile.
/// </summary>
public sealed class SourceKeyConflict
{
    internal SourceKeyConflict(int index, ExternalIdentifier sourceKey)
    {
        Index = index;
        SourceKey = sourceKey;
    }

    /// <summary>Zero-based position in the input.</summary>
    public int Index { get; }

    /// <summary>The source key in conflict.</summary>
    public ExternalIdentifier SourceKey { get; }
}

using CrmKernel.Primitives;

namespace CrmKernel.Services.Ingestion;

/// <summary>
/// A touchpoint addressed to a merged-away customer that <see cref="TouchpointIngestion"/> stored with the survivor
/// (following chains of merges) and listed in the merge record, so an unmerge gives it back: read it to tell a source
/// system that its customer id now resolves elsewhere.
/// </summary>
public sealed class RedirectedTouchpoint
{
    internal RedirectedTouchpoint(int index, TouchpointId touchpointId, CustomerId addressedTo, CustomerId storedWith)
    {
        Index = index;
        TouchpointId = touchpointId;
        AddressedTo = addressedTo;
        StoredWith = storedWith;
    }

    /// <summary>Zero-based position of the touchpoint in the input.</summary>
    public int Index { get; }

    /// <summary>The stored touchpoint's id.</summary>
    public TouchpointId TouchpointId { get; }

    /// <summary>The merged-away customer the touchpoint was addressed to.</summary>
    public CustomerId AddressedTo { get; }

    /// <summary>The survivor it was stored with.</summary>
    public CustomerId StoredWith { get; }
}

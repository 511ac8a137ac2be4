namespace CrmKernel.Identity;

/// <summary>One of the two customers of a merge: what a custom survivorship rule returns.</summary>
public enum MergeSide
{
    /// <summary>The customer that remains (its id stays).</summary>
    Survivor = 1,

    /// <summary>The customer merged away into the survivor.</summary>
    Merged = 2,
}

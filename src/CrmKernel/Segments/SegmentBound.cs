namespace CrmKernel.Segments;

/// <summary>Which side of a duration a <see cref="TimeInStageRule"/> keeps.</summary>
public enum SegmentBound
{
    /// <summary>At least the duration.</summary>
    AtLeast = 1,

    /// <summary>At most the duration.</summary>
    AtMost = 2,
}

namespace CrmKernel.Segments;

/// <summary>The numeric ranges segment clauses accept (not input-size limits: those are the <c>Max*</c> constants of each type).</summary>
internal static class SegmentLimits
{
    /// <summary>The longest touchpoint window, in days (ten years and a bit).</summary>
    public const int MaxWindowDays = 3660;
}

using CrmKernel.Diagnostics;
using CrmKernel.Segments;

namespace CrmKernel.Services.Segments;

/// <summary>How <see cref="SegmentService"/> validates and evaluates segments: the host's vocabulary and the page size it reads customers in.</summary>
public sealed class SegmentServiceOptions
{
    private SegmentVocabulary _vocabulary = SegmentVocabulary.Empty;
    private int _pageSize = 5_000;

    /// <summary>The attributes and scores rules may name; <see cref="SegmentVocabulary.Empty"/> by default.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public SegmentVocabulary Vocabulary
    {
        get => _vocabulary;
        init => _vocabulary = Preconditions.NotNull(value);
    }

    /// <summary>How many customers one evaluation step reads (1 to 10,000; 5,000 by default).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 1 to 10,000.</exception>
    public int PageSize
    {
        get => _pageSize;
        init => _pageSize = value is >= 1 and <= Storage.StoreLimits.MaxPageSize ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "A page size is 1 to 10,000.");
    }
}

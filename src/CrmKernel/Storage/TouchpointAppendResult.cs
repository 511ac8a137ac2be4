using CrmKernel.Diagnostics;

namespace CrmKernel.Storage;

/// <summary>What an append did, by position in the batch.</summary>
public sealed class TouchpointAppendResult
{
    /// <summary>Creates a result.</summary>
    /// <exception cref="ArgumentNullException">A list is null.</exception>
    /// <exception cref="ArgumentException">The count is negative.</exception>
    public TouchpointAppendResult(int appended, IReadOnlyList<int> alreadyPresent, IReadOnlyList<int> conflicts)
    {
        Preconditions.Check(appended >= 0, "The count cannot be negative.", nameof(appended));
        Appended = appended;
        AlreadyPresent = Preconditions.NotNull(alreadyPresent);
        Conflicts = Preconditions.NotNull(conflicts);
    }

    /// <summary>How many touchpoints were stored.</summary>
    public int Appended { get; }

    /// <summary>Positions of touchpoints already stored with the same content (harmless re-deliveries).</summary>
    public IReadOnlyList<int> AlreadyPresent { get; }

    /// <summary>Positions of touchpoints whose source key (or id) is stored with different content; not stored.</summary>
    public IReadOnlyList<int> Conflicts { get; }
}

using CrmKernel.Identity;

namespace CrmKernel.Services.Identity;

/// <summary>What a duplicate scan found: the candidates, how much it compared, and the blocks it skipped.</summary>
public sealed class DuplicateScanResult
{
    internal DuplicateScanResult(IReadOnlyList<DuplicateCandidate> candidates, long customersScanned, long pairsScored, IReadOnlyList<SkippedBlock> skippedBlocks)
    {
        Candidates = candidates;
        CustomersScanned = customersScanned;
        PairsScored = pairsScored;
        SkippedBlocks = skippedBlocks;
    }

    /// <summary>The pairs scoring at least the rule's probable threshold, highest score first (then by ids); each pair once.</summary>
    public IReadOnlyList<DuplicateCandidate> Candidates { get; }

    /// <summary>How many customers were read.</summary>
    public long CustomersScanned { get; }

    /// <summary>How many distinct pairs were scored (a pair that shares several keys counts once).</summary>
    public long PairsScored { get; }

    /// <summary>The blocks larger than <see cref="DuplicateDetectionOptions.MaxBlockSize"/>, not compared; by kind, then size.</summary>
    public IReadOnlyList<SkippedBlock> SkippedBlocks { get; }
}

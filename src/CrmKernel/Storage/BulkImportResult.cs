using CrmKernel.Diagnostics;

namespace CrmKernel.Storage;

/// <summary>What a bulk import did: how many customers it inserted, which were already stored, and every rejected one with its reason.</summary>
public sealed class BulkImportResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="inserted">How many customers were stored.</param>
    /// <param name="alreadyPresent">The zero-based positions of customers whose id was already stored.</param>
    /// <param name="rejected">The customers that could not be stored.</param>
    /// <exception cref="ArgumentNullException">A list is null.</exception>
    /// <exception cref="ArgumentException">The count is negative.</exception>
    public BulkImportResult(int inserted, IReadOnlyList<int> alreadyPresent, IReadOnlyList<BulkImportRejection> rejected)
    {
        Preconditions.Check(inserted >= 0, "The count cannot be negative.", nameof(inserted));
        Inserted = inserted;
        AlreadyPresent = Preconditions.NotNull(alreadyPresent);
        Rejected = Preconditions.NotNull(rejected);
    }

    /// <summary>How many customers this import stored.</summary>
    public int Inserted { get; }

    /// <summary>
    /// The positions of customers whose id was already stored; they were left unchanged, which makes
    /// re-running an interrupted import safe.
    /// </summary>
    public IReadOnlyList<int> AlreadyPresent { get; }

    /// <summary>Customers that could not be stored, with their position in the input and the reason.</summary>
    public IReadOnlyList<BulkImportRejection> Rejected { get; }

    /// <summary>Combines two results (e.g. of consecutive batches), offsetting the second's positions by <paramref name="offset"/>.</summary>
    internal BulkImportResult Add(BulkImportResult other, int offset)
        => new(
            Inserted + other.Inserted,
            [.. AlreadyPresent, .. other.AlreadyPresent.Select(i => i + offset)],
            [.. Rejected, .. other.Rejected.Select(r => new BulkImportRejection(r.Index + offset, r.CustomerId, r.ErrorCode))]);
}

namespace CrmKernel.Services.Import;

/// <summary>
/// How far an import has got, reported to an <see cref="IProgress{T}"/> after every committed batch: rows read, stored,
/// skipped (already imported) and rejected, and the checkpoint to resume from after a cancellation or a crash.
/// </summary>
public sealed class ImportProgress
{
    internal ImportProgress(long rowsRead, long rowsStored, long rowsSkipped, long rowsRejected, long checkpointLine)
    {
        RowsRead = rowsRead;
        RowsStored = rowsStored;
        RowsSkipped = rowsSkipped;
        RowsRejected = rowsRejected;
        CheckpointLine = checkpointLine;
    }

    /// <summary>Rows read and processed by this run (rows up to the resume line are not counted).</summary>
    public long RowsRead { get; }

    /// <summary>Rows that stored something new (a customer or a touchpoint).</summary>
    public long RowsStored { get; }

    /// <summary>Rows that stored nothing because everything in them was already imported.</summary>
    public long RowsSkipped { get; }

    /// <summary>Rows refused with an <see cref="ImportRowError"/>.</summary>
    public long RowsRejected { get; }

    /// <summary>
    /// The line number of the last row of the last committed batch (0 before the first): pass it as
    /// <c>resumeAfterLine</c> to continue an interrupted import where it stopped.
    /// </summary>
    public long CheckpointLine { get; }
}

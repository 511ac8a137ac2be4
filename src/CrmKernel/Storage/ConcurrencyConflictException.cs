using CrmKernel.Diagnostics;

namespace CrmKernel.Storage;

/// <summary>
/// A write was made from a stale version: someone else changed the record since it was read (or it
/// already exists on insert, or no longer exists on update). Nothing was stored. Re-read the record,
/// re-apply the change and save again.
/// </summary>
public sealed class ConcurrencyConflictException : CrmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="aggregateType">The kind of record, e.g. <c>customer</c>.</param>
    /// <param name="aggregateId">The record's id in text form.</param>
    /// <param name="expectedVersion">The version the write was made from.</param>
    /// <param name="actualVersion">The stored version, or null when the record does not exist.</param>
    /// <param name="innerException">The provider's error, if any.</param>
    public ConcurrencyConflictException(string aggregateType, string aggregateId, long expectedVersion, long? actualVersion, Exception? innerException = null)
        : base(
            CrmErrorCodes.ConcurrencyConflict,
            $"{Preconditions.NotNull(aggregateType)} {Preconditions.NotNull(aggregateId)} was written from version {expectedVersion} but the stored version is {(actualVersion is null ? "none" : actualVersion.Value)}.",
            innerException)
    {
        AggregateType = aggregateType;
        AggregateId = aggregateId;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>The kind of record.</summary>
    public string AggregateType { get; }

    /// <summary>The record's id.</summary>
    public string AggregateId { get; }

    /// <summary>The version the write was made from.</summary>
    public long ExpectedVersion { get; }

    /// <summary>The stored version, or null when the record does not exist.</summary>
    public long? ActualVersion { get; }
}

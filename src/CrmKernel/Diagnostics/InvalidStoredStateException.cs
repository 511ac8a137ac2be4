namespace CrmKernel.Diagnostics;

/// <summary>
/// Stored data could not be turned back into a valid aggregate, e.g. a row edited by hand or written by
/// a faulty adapter. The kernel never returns a half-built aggregate: it throws this, naming where the
/// data came from and the key of the record, and never the personal data itself.
/// </summary>
public sealed class InvalidStoredStateException : CrmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="source">Where the data came from: a table, collection or aggregate name.</param>
    /// <param name="key">The key of the broken record (an id, never personal data).</param>
    /// <param name="reason">Which rule the data breaks.</param>
    /// <param name="innerException">The validation failure, if any.</param>
    public InvalidStoredStateException(string source, string key, string reason, Exception? innerException = null)
        : base(CrmErrorCodes.InvalidStoredState, $"Stored {Preconditions.NotNull(source)} '{Preconditions.NotNull(key)}' is not valid: {Preconditions.NotNull(reason)}", innerException)
    {
        Origin = source;
        Key = key;
    }

    /// <summary>Where the data came from (table, collection or aggregate name).</summary>
    public string Origin { get; }

    /// <summary>The key of the broken record.</summary>
    public string Key { get; }
}

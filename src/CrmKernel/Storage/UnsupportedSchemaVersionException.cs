using CrmKernel.Diagnostics;

namespace CrmKernel.Storage;

/// <summary>The stored data was written by a newer version of an adapter's schema than this code understands. Upgrade the package.</summary>
public sealed class UnsupportedSchemaVersionException : CrmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="store">The store, e.g. a database file name.</param>
    /// <param name="storedVersion">The schema version found.</param>
    /// <param name="supportedVersion">The newest schema version this code understands.</param>
    public UnsupportedSchemaVersionException(string store, int storedVersion, int supportedVersion)
        : base(
            CrmErrorCodes.UnsupportedSchemaVersion,
            $"Store '{Preconditions.NotNull(store)}' has schema version {storedVersion}, newer than version {supportedVersion} that this code understands; upgrade the adapter package.")
    {
        StoredVersion = storedVersion;
        SupportedVersion = supportedVersion;
    }

    /// <summary>The schema version found in the store.</summary>
    public int StoredVersion { get; }

    /// <summary>The newest schema version this code understands.</summary>
    public int SupportedVersion { get; }
}

using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

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

/// <summary>
/// A customer was saved with an external identifier that another customer of the tenant already holds.
/// Nothing was stored. Identifiers are unique per tenant so that a source system's key finds one customer.
/// </summary>
public sealed class ExternalIdentifierConflictException : CrmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="customerId">The customer being saved.</param>
    /// <param name="holderId">The customer that holds the identifier.</param>
    /// <param name="identifier">The identifier.</param>
    /// <param name="innerException">The provider's error, if any.</param>
    public ExternalIdentifierConflictException(CustomerId customerId, CustomerId holderId, ExternalIdentifier identifier, Exception? innerException = null)
        : base(
            CrmErrorCodes.ExternalIdentifierInUse,
            $"Customer {customerId} cannot take an identifier of source '{Preconditions.NotNull(identifier).Source}' that customer {holderId} holds.",
            innerException)
    {
        CustomerId = customerId;
        HolderId = holderId;
        Identifier = identifier;
    }

    /// <summary>The customer being saved.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>The customer that holds the identifier.</summary>
    public CustomerId HolderId { get; }

    /// <summary>The identifier in conflict.</summary>
    public ExternalIdentifier Identifier { get; }
}

/// <summary>No customer of the tenant has the id asked for.</summary>
public sealed class CustomerNotFoundException : CrmException
{
    /// <summary>Creates the exception.</summary>
    public CustomerNotFoundException(TenantId tenantId, CustomerId customerId)
        : base(CrmErrorCodes.CustomerNotFound, $"Tenant {tenantId} has no customer {customerId}.")
    {
        TenantId = tenantId;
        CustomerId = customerId;
    }

    /// <summary>The tenant searched.</summary>
    public TenantId TenantId { get; }

    /// <summary>The id asked for.</summary>
    public CustomerId CustomerId { get; }
}

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

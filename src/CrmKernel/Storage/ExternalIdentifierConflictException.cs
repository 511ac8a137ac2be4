using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

namespace CrmKernel.Storage;

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

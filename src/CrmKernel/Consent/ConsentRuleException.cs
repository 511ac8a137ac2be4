using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

namespace CrmKernel.Consent;

/// <summary>
/// A customer's consent ledger refused an entry because it would break one of the ledger's rules (a contact point the
/// customer does not hold, a withdrawal of what was never granted, an entry out of order, a full ledger).
/// <see cref="CrmException.ErrorCode"/> says which rule (<c>CRM-CONSENT-*</c>); the customer is unchanged.
/// </summary>
public sealed class ConsentRuleException : CrmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">A <c>CRM-CONSENT-*</c> code from <see cref="CrmErrorCodes"/>.</param>
    /// <param name="customerId">The customer whose ledger refused the entry.</param>
    /// <param name="message">What was refused, naming ids and scopes only.</param>
    /// <exception cref="ArgumentNullException"><paramref name="errorCode"/> or <paramref name="message"/> is null.</exception>
    public ConsentRuleException(string errorCode, CustomerId customerId, string message)
        : base(errorCode, $"Customer {customerId}: {Preconditions.NotNull(message)}")
    {
        CustomerId = customerId;
    }

    /// <summary>The customer whose ledger refused the entry.</summary>
    public CustomerId CustomerId { get; }
}

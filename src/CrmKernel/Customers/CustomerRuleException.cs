using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

namespace CrmKernel.Customers;

/// <summary>
/// A customer refused an operation because it would break one of its rules (a duplicate contact point,
/// a missing tag, a limit…). <see cref="CrmException.ErrorCode"/> says which rule; the customer is unchanged.
/// </summary>
public sealed class CustomerRuleException : CrmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">A <c>CRM-CUSTOMER-*</c> code from <see cref="CrmErrorCodes"/>.</param>
    /// <param name="customerId">The customer that refused.</param>
    /// <param name="message">What was refused, naming ids only.</param>
    public CustomerRuleException(string errorCode, CustomerId customerId, string message)
        : base(errorCode, $"Customer {customerId}: {Preconditions.NotNull(message)}")
    {
        CustomerId = customerId;
    }

    /// <summary>The customer that refused the operation.</summary>
    public CustomerId CustomerId { get; }
}

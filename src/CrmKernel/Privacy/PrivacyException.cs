using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

namespace CrmKernel.Privacy;

/// <summary>
/// A privacy request was refused: the customer's data is under a lawful hold (<see cref="CrmErrorCodes.ErasureOnHold"/>).
/// Nothing was changed. The message names ids and the hold's code only.
/// </summary>
public sealed class PrivacyException : CrmException
{
    /// <summary>Creates the exception.</summary>
    public PrivacyException(string errorCode, string message, CustomerId customerId, LawfulHold? hold = null)
        : base(errorCode, message)
    {
        CustomerId = customerId;
        Hold = hold;
    }

    /// <summary>The customer of the request.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>The hold that blocked the erasure, for <see cref="CrmErrorCodes.ErasureOnHold"/>.</summary>
    public LawfulHold? Hold { get; }

    internal static PrivacyException OnHold(CustomerId customerId, LawfulHold hold)
        => new(CrmErrorCodes.ErasureOnHold, $"Customer {customerId} cannot be erased: lawful hold '{hold.Code}' held by '{hold.Holder}'.", customerId, hold);
}

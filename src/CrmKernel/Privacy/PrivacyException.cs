using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

namespace CrmKernel.Privacy;

/// <summary>
/// A privacy request was refused: the customer's data is under a lawful hold (<see cref="CrmErrorCodes.ErasureOnHold"/>),
/// or the customer was merged away and its data lives in the survivor, which <see cref="SurvivorId"/> names
/// (<see cref="CrmErrorCodes.ErasureOfMergedAway"/>). Nothing was changed. The message names ids and the hold's code only.
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

    /// <summary>The customer to erase instead, for <see cref="CrmErrorCodes.ErasureOfMergedAway"/>: the survivor of the merge that merged <see cref="CustomerId"/> away.</summary>
    public CustomerId? SurvivorId { get; private init; }

    internal static PrivacyException MergedAway(CustomerId customerId, CustomerId survivorId, CustomerMergeId mergeId)
        => new(CrmErrorCodes.ErasureOfMergedAway, $"Customer {customerId} cannot be erased: it was merged into customer {survivorId} by merge {mergeId}; erase customer {survivorId} instead.", customerId)
        {
            SurvivorId = survivorId,
        };

    internal static PrivacyException OnHold(CustomerId customerId, LawfulHold hold)
        => new(CrmErrorCodes.ErasureOnHold, $"Customer {customerId} cannot be erased: lawful hold '{hold.Code}' held by '{hold.Holder}'.", customerId, hold);
}

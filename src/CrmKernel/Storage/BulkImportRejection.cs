using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

namespace CrmKernel.Storage;

/// <summary>One customer a bulk import could not store.</summary>
public sealed class BulkImportRejection
{
    /// <summary>Creates a rejection.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="errorCode"/> is null.</exception>
    /// <exception cref="ArgumentException">The index is negative.</exception>
    public BulkImportRejection(int index, CustomerId customerId, string errorCode)
    {
        Preconditions.Check(index >= 0, "The index cannot be negative.", nameof(index));
        Index = index;
        CustomerId = customerId;
        ErrorCode = Preconditions.NotBlank(errorCode);
    }

    /// <summary>The customer's zero-based position in the input.</summary>
    public int Index { get; }

    /// <summary>The customer's id.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>Why it was rejected: a code from <see cref="CrmErrorCodes"/>.</summary>
    public string ErrorCode { get; }
}

namespace CrmKernel.Diagnostics;

/// <summary>
/// The base of every business-rule exception the kernel throws. Catch it to handle any rule
/// violation; switch on <see cref="ErrorCode"/> (one of <see cref="CrmErrorCodes"/>) to tell them apart.
/// </summary>
/// <remarks>
/// Messages name ids and rule codes, never personal data such as names, email addresses or phone
/// numbers, so they are safe to log. Argument errors are not <see cref="CrmException"/>s: they are
/// <see cref="ArgumentException"/>s naming the parameter.
/// </remarks>
public abstract class CrmException : Exception
{
    /// <summary>Creates the exception with its stable error code and a message free of personal data.</summary>
    /// <param name="errorCode">A code from <see cref="CrmErrorCodes"/>.</param>
    /// <param name="message">What went wrong, naming ids only.</param>
    /// <param name="innerException">The underlying cause, if any.</param>
    protected CrmException(string errorCode, string message, Exception? innerException = null)
        : base($"{Preconditions.NotNull(errorCode)}: {Preconditions.NotNull(message)}", innerException)
    {
        ErrorCode = errorCode;
    }

    /// <summary>The stable code of the rule that was violated, e.g. <c>CRM-CUSTOMER-001</c>; see <see cref="CrmErrorCodes"/>.</summary>
    public string ErrorCode { get; }
}

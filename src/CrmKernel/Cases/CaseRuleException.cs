using CrmKernel.Diagnostics;

namespace CrmKernel.Cases;

/// <summary>
/// A service case refused a change that breaks one of its rules (a step its status does not allow, a reopen after the
/// window, a merge across customers, a limit). <see cref="CrmException.ErrorCode"/> says which (<c>CRM-CASE-*</c>);
/// the message names ids and statuses only, and nothing changed.
/// </summary>
public sealed class CaseRuleException : CrmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">A <c>CRM-CASE-*</c> code from <see cref="CrmErrorCodes"/>.</param>
    /// <param name="message">What was refused, naming ids only.</param>
    public CaseRuleException(string errorCode, string message)
        : base(errorCode, message)
    {
    }
}

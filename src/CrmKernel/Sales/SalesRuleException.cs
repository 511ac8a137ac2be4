using CrmKernel.Diagnostics;

namespace CrmKernel.Sales;

/// <summary>
/// A sales pipeline or opportunity refused a change that breaks one of its rules (a move of a closed deal, a reopen of
/// a won one, an unknown stage, a limit). <see cref="CrmException.ErrorCode"/> says which (<c>CRM-SALES-*</c>); the
/// message names ids and stage keys only, and nothing changed.
/// </summary>
public sealed class SalesRuleException : CrmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">A <c>CRM-SALES-*</c> code from <see cref="CrmErrorCodes"/>.</param>
    /// <param name="message">What was refused, naming ids only.</param>
    public SalesRuleException(string errorCode, string message)
        : base(errorCode, message)
    {
    }
}

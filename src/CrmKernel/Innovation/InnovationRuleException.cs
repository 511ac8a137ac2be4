using CrmKernel.Diagnostics;

namespace CrmKernel.Innovation;

/// <summary>
/// An idea, vote or voice record was refused by a business rule: an illegal status change, a change to a closed idea, a
/// merge into itself, an unknown idea, or a closing of the loop before the idea was decided. <see cref="CrmException.ErrorCode"/>
/// says which (<c>CRM-IDEA-*</c>); the message names ids only, and nothing was changed.
/// </summary>
public sealed class InnovationRuleException : CrmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">A <c>CRM-IDEA-*</c> code from <see cref="CrmErrorCodes"/>.</param>
    /// <param name="message">What was refused, naming ids only.</param>
    public InnovationRuleException(string errorCode, string message)
        : base(errorCode, message)
    {
    }
}

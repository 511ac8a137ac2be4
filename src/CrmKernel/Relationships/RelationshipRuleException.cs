using CrmKernel.Diagnostics;


namespace CrmKernel.Relationships;

/// <summary>
/// The relationship graph refused a change that would break one of its rules (a duplicate, a cycle in a
/// hierarchy, a second parent, a second primary, ending what has ended). <see cref="CrmException.ErrorCode"/>
/// says which; nothing was stored.
/// </summary>
public sealed class RelationshipRuleException : CrmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">A <c>CRM-RELATIONSHIP-*</c> code from <see cref="CrmErrorCodes"/>.</param>
    /// <param name="message">What was refused, naming ids only.</param>
    public RelationshipRuleException(string errorCode, string message)
        : base(errorCode, message)
    {
    }
}

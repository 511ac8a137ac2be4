using CrmKernel.Diagnostics;

namespace CrmKernel.Segments;

/// <summary>
/// A segment definition was refused when it was defined: it names an undeclared attribute or score, compares values of
/// the wrong type, refers to an unknown segment or in a cycle, or is too large. <see cref="CrmException.ErrorCode"/> says
/// which (<c>CRM-SEG-*</c>); the message names segment ids, attribute and score names only, and nothing was stored.
/// </summary>
public sealed class SegmentRuleException : CrmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">A <c>CRM-SEG-*</c> code from <see cref="CrmErrorCodes"/>.</param>
    /// <param name="message">What was refused, naming ids and names only.</param>
    public SegmentRuleException(string errorCode, string message)
        : base(errorCode, message)
    {
    }
}

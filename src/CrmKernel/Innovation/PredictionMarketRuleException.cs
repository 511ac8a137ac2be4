using CrmKernel.Diagnostics;

namespace CrmKernel.Innovation;

/// <summary>
/// A prediction market refused a request: it is not open, the participant lacks the points or shares, the market is
/// already settled, the outcome is unknown, the trade would take the market beyond its bounds, or an idempotency key was
/// reused for another trade. <see cref="CrmException.ErrorCode"/> says which (<c>CRM-MARKET-*</c>); the message names
/// market and customer ids only, and nothing changed.
/// </summary>
public sealed class PredictionMarketRuleException : CrmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">A <c>CRM-MARKET-*</c> code from <see cref="CrmErrorCodes"/>.</param>
    /// <param name="message">What was refused, naming ids only.</param>
    public PredictionMarketRuleException(string errorCode, string message)
        : base(errorCode, message)
    {
    }
}

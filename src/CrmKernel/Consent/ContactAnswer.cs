namespace CrmKernel.Consent;

/// <summary>The answer to "may we contact this customer about this purpose, on this channel, at this contact point, now?".</summary>
public enum ContactAnswer
{
    /// <summary>At least one applicable entry grants contact and none refuses it.</summary>
    Allowed = 1,

    /// <summary>An applicable entry declines or withdraws contact; it wins over every grant.</summary>
    Refused = 2,

    /// <summary>No entry applies: never asked, not yet valid or lapsed. Contact is not allowed.</summary>
    NoBasis = 3,
}

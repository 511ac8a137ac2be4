namespace CrmKernel.Consent;

/// <summary>
/// The lawful basis an entry rests on (GDPR article 6). Consent is one basis among six: a service message
/// can rest on a contract while marketing needs consent, so both are recorded side by side.
/// </summary>
public enum LawfulBasis
{
    /// <summary>The customer gave consent for the purpose.</summary>
    Consent = 1,

    /// <summary>Contact is needed to perform a contract with the customer (order updates, billing).</summary>
    Contract = 2,

    /// <summary>The enterprise's legitimate interest, balanced against the customer's rights (they may object).</summary>
    LegitimateInterest = 3,

    /// <summary>The law requires the contact (recall notices, regulatory statements).</summary>
    LegalObligation = 4,

    /// <summary>Contact protects someone's life.</summary>
    VitalInterests = 5,

    /// <summary>A task in the public interest or under official authority.</summary>
    PublicTask = 6,
}

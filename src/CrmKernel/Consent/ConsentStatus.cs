namespace CrmKernel.Consent;

/// <summary>
/// Where a ledger entry stands. "Never asked" has no status: it is the absence of an entry, and
/// <see cref="ConsentLedger.Decide"/> reports it as <see cref="ContactAnswer.NoBasis"/>.
/// </summary>
public enum ConsentStatus
{
    /// <summary>The customer agreed, or the lawful basis applies: contact is allowed for the entry's scope.</summary>
    Granted = 1,

    /// <summary>The customer said no when asked (or objected to a legitimate-interest contact): contact is refused.</summary>
    Declined = 2,

    /// <summary>An earlier grant was taken back: contact is refused from the entry's validity start.</summary>
    Withdrawn = 3,
}

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

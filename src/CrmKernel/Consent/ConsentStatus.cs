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

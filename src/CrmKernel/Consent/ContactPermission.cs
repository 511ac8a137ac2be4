namespace CrmKernel.Consent;

/// <summary>
/// What <see cref="ConsentLedger.Decide"/> answered, and the entries behind the answer, so that a refusal or a
/// grant can be explained and audited.
/// </summary>
public sealed class ContactPermission
{
    internal ContactPermission(ContactAnswer answer, ConsentEntry? decidingEntry, IReadOnlyList<ConsentEntry> applicableEntries)
    {
        Answer = answer;
        DecidingEntry = decidingEntry;
        ApplicableEntries = applicableEntries;
    }

    /// <summary>The least permissive answer of the applicable entries.</summary>
    public ContactAnswer Answer { get; }

    /// <summary>True only when <see cref="Answer"/> is <see cref="ContactAnswer.Allowed"/>.</summary>
    public bool IsAllowed => Answer == ContactAnswer.Allowed;

    /// <summary>The entry that decided: the refusing entry, or a granting one; null for <see cref="ContactAnswer.NoBasis"/>.</summary>
    public ConsentEntry? DecidingEntry { get; }

    /// <summary>Every entry in force for the contact (the current entry of each covering scope), oldest capture first.</summary>
    public IReadOnlyList<ConsentEntry> ApplicableEntries { get; }

    /// <summary>A reason for people and logs, naming the deciding entry's scope but no personal data.</summary>
    /// <returns>The reason.</returns>
    public override string ToString() => Answer switch
    {
        ContactAnswer.Allowed => $"allowed by {DecidingEntry}",
        ContactAnswer.Refused => $"refused by {DecidingEntry}",
        _ => "no consent or lawful basis is recorded for this purpose, channel and contact point",
    };
}

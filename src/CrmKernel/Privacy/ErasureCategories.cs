namespace CrmKernel.Privacy;

/// <summary>
/// The names of what an erasure removed or anonymised, as they appear in <see cref="ErasureCount.Category"/> of an
/// <see cref="ErasureRecord"/>. Use them to read a record (e.g. to report how many contact points were removed); a
/// store may add categories of its own (a custom adapter's extra tables) in the same slug form.
/// </summary>
public static class ErasureCategories
{
    /// <summary>The profile (names, birth date, titles, language, organisation names and numbers): replaced by the pseudonymous shell profile.</summary>
    public const string Profile = "profile";

    /// <summary>Contact points (email, phone, postal address, social handle) with their labels: removed.</summary>
    public const string ContactPoints = "contact-points";

    /// <summary>External identifiers (keys of the person in other systems): removed.</summary>
    public const string ExternalIdentifiers = "external-identifiers";

    /// <summary>Tags: removed, as free-form labels may describe the person.</summary>
    public const string Tags = "tags";

    /// <summary>Custom attributes: removed, as free-form values may hold personal data.</summary>
    public const string CustomAttributes = "custom-attributes";

    /// <summary>The home time zone: removed (a location).</summary>
    public const string HomeTimeZone = "home-time-zone";

    /// <summary>Consent entries whose evidence text (e.g. an IP address or form reference) was removed; the entry's purpose, channel, answer, basis and times are kept.</summary>
    public const string ConsentEvidence = "consent-evidence";

    /// <summary>Consent entries scoped to one contact point: removed with the contact point they name.</summary>
    public const string ConsentContactPoints = "consent-contact-points";

    /// <summary>Service cases whose free text (subject, status and escalation reasons, resolution note) was replaced.</summary>
    public const string Cases = "cases";

    /// <summary>Opportunities whose free text (name, stage-change reasons) was replaced.</summary>
    public const string Opportunities = "opportunities";

    /// <summary>Stored outbox events about the person whose payload was replaced by a redacted one (and that will not be published any more).</summary>
    public const string Events = "events";

    /// <summary>Outbound messages still waiting to be sent to the person (recipient, subject, body): removed.</summary>
    public const string PendingDispatches = "pending-dispatches";

    /// <summary>Merge records naming the customer on either side whose two before-merge snapshots were replaced by pseudonymous shells; such a merge can no longer be undone (<c>CRM-MERGE-006</c>).</summary>
    public const string MergeRecords = "merge-records";

    /// <summary>Ideas the customer submitted whose title and description were replaced; the idea, its status history, votes and the submitter's pseudonymous id are kept.</summary>
    public const string Ideas = "ideas";

    /// <summary>Comments the customer wrote on any idea whose text was replaced; the comment's author id and time are kept.</summary>
    public const string IdeaComments = "idea-comments";

    /// <summary>Voice records (ideas and feedback) of the customer whose title and text were replaced; kind, subject, channel, times, source key, related parties and idea link are kept.</summary>
    public const string CustomerVoices = "customer-voices";
}

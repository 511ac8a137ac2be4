using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Diagnostics;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Customers;

/// <summary>The customer's consent ledger: recording entries and asking whether a contact is allowed.</summary>
public sealed partial class Customer
{
    /// <summary>The most consent ledger entries a customer can hold (the ledger keeps its whole history).</summary>
    public const int MaxConsentEntries = 1_000;

    /// <summary>Ledgers up to this many entries are checked on a read without an index of their scopes.</summary>
    private const int ScopeScanLimit = 32;

    private readonly List<ConsentEntry> _consents = [];
    private ConsentLedger? _consentLedger;

    /// <summary>The consent ledger: every entry recorded, in order, and <see cref="ConsentLedger.Decide"/>.</summary>
    public ConsentLedger Consent => _consentLedger ??= new ConsentLedger(_consents);

    /// <summary>
    /// May the customer be contacted about <paramref name="purpose"/> on <paramref name="channel"/> at
    /// <paramref name="contactPoint"/> at <paramref name="at"/>? The least permissive applicable answer of the
    /// ledger, with the entries behind it; see <see cref="ConsentLedger.Decide"/>.
    /// </summary>
    /// <param name="purpose">Why the customer would be contacted.</param>
    /// <param name="channel">The channel.</param>
    /// <param name="contactPoint">The contact point the message would go to.</param>
    /// <param name="at">When the contact would happen.</param>
    /// <returns>The answer and its entries.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="contactPoint"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="purpose"/> or <paramref name="channel"/> is the default.</exception>
    public ContactPermission MayContact(ConsentPurpose purpose, ChannelId channel, ContactPoint contactPoint, Instant at)
        => Consent.Decide(purpose, channel, contactPoint, at);

    /// <summary>
    /// Records a consent ledger entry and raises <see cref="ConsentChanged"/>. The entry supersedes the earlier entry
    /// of the same scope (purpose, channel, contact point, lawful basis); the earlier one stays in the history.
    /// </summary>
    /// <param name="entry">The entry.</param>
    /// <exception cref="ArgumentNullException"><paramref name="entry"/> is null.</exception>
    /// <exception cref="ArgumentException">The entry was captured after the customer's clock's current instant.</exception>
    /// <exception cref="ConsentRuleException">
    /// <see cref="CrmErrorCodes.ConsentContactPointNotHeld"/>, <see cref="CrmErrorCodes.ConsentNotGranted"/>,
    /// <see cref="CrmErrorCodes.ConsentOutOfOrder"/> or <see cref="CrmErrorCodes.ConsentLedgerFull"/>.
    /// </exception>
    public void RecordConsent(ConsentEntry entry)
    {
        Preconditions.NotNull(entry);
        Preconditions.Check(entry.CapturedAt <= _clock.GetCurrentInstant(), "A consent entry cannot be captured in the future.", nameof(entry));
        if (entry.ContactPoint is not null && IndexOf(entry.ContactPoint) < 0)
        {
            throw ConsentRule(CrmErrorCodes.ConsentContactPointNotHeld, $"has no such {entry.ContactPoint.Kind} contact point to record consent for.");
        }

        var current = Consent.Current(entry);
        if (current is not null && entry.CapturedAt < current.CapturedAt)
        {
            throw ConsentRule(CrmErrorCodes.ConsentOutOfOrder, $"already has a later {entry.Purpose} entry of the same scope (captured {current.CapturedAt}).");
        }

        if (entry.Status == ConsentStatus.Withdrawn && current?.Status != ConsentStatus.Granted)
        {
            throw ConsentRule(CrmErrorCodes.ConsentNotGranted, $"cannot withdraw {entry.Purpose} ({entry.Basis}): it is not granted for that scope.");
        }

        if (_consents.Count >= MaxConsentEntries)
        {
            throw ConsentRule(CrmErrorCodes.ConsentLedgerFull, $"already has the most consent entries allowed ({MaxConsentEntries}).");
        }

        _consents.Add(entry);
        Raise(now => new ConsentChanged(TenantId, Id, now, entry));
    }

    /// <summary>
    /// Records that the customer gave consent (lawful basis <see cref="LawfulBasis.Consent"/>) now, and raises
    /// <see cref="ConsentChanged"/>. Use <see cref="RecordConsent(ConsentEntry)"/> for other bases or instants.
    /// </summary>
    /// <param name="purpose">What the customer agreed to be contacted about.</param>
    /// <param name="channel">The channel, or null for every channel.</param>
    /// <param name="contactPoint">One of the customer's contact points, or null for all of them.</param>
    /// <param name="source">Where it was captured, e.g. <c>web-form:signup</c>.</param>
    /// <param name="evidence">A reference to the proof, or null.</param>
    /// <param name="validUntil">When the consent lapses, or null for no end.</param>
    /// <returns>The entry recorded.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="ArgumentException">An argument breaks a rule of <see cref="ConsentEntry"/>.</exception>
    /// <exception cref="ConsentRuleException">See <see cref="RecordConsent(ConsentEntry)"/>.</exception>
    public ConsentEntry GrantConsent(ConsentPurpose purpose, ChannelId? channel, ContactPoint? contactPoint, string source, string? evidence = null, Instant? validUntil = null)
        => RecordNow(purpose, channel, contactPoint, ConsentStatus.Granted, source, evidence, validUntil);

    /// <summary>Records that the customer declined consent when asked, now, and raises <see cref="ConsentChanged"/>.</summary>
    /// <inheritdoc cref="GrantConsent(ConsentPurpose, ChannelId?, ContactPoint?, string, string?, Instant?)"/>
    public ConsentEntry DeclineConsent(ConsentPurpose purpose, ChannelId? channel, ContactPoint? contactPoint, string source, string? evidence = null)
        => RecordNow(purpose, channel, contactPoint, ConsentStatus.Declined, source, evidence, null);

    /// <summary>
    /// Records that the customer withdrew a consent granted earlier for the same scope, now, and raises
    /// <see cref="ConsentChanged"/>. The grant stays in the history.
    /// </summary>
    /// <inheritdoc cref="GrantConsent(ConsentPurpose, ChannelId?, ContactPoint?, string, string?, Instant?)"/>
    public ConsentEntry WithdrawConsent(ConsentPurpose purpose, ChannelId? channel, ContactPoint? contactPoint, string source, string? evidence = null)
        => RecordNow(purpose, channel, contactPoint, ConsentStatus.Withdrawn, source, evidence, null);

    /// <summary>Rebuilds the ledger from a snapshot; returns why the entries break a rule, or null when they keep every rule.</summary>
    private string? RestoreConsent(IReadOnlyList<ConsentEntry>? entries)
    {
        if (entries is null)
        {
            return "the consent ledger is missing";
        }

        if (entries.Count > MaxConsentEntries)
        {
            return "too many consent entries";
        }

        if (entries.Count == 0)
        {
            return null;
        }

        // The entry each one follows (the latest earlier one of its scope): found by a backward scan of the entries
        // restored so far for the usual short ledger, as ConsentLedger.Current does, so a read allocates no index;
        // a long ledger indexes its scopes instead.
        var current = entries.Count > ScopeScanLimit ? new Dictionary<(ConsentPurpose, ChannelId?, ContactPoint?, LawfulBasis), ConsentEntry>() : null;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry is null)
            {
                return "a consent entry is missing";
            }

            var scope = (entry.Purpose, entry.Channel, entry.ContactPoint, entry.Basis);
            var previous = current is null ? LatestOfScope(entry) : current.GetValueOrDefault(scope);
            if (previous is not null && entry.CapturedAt < previous.CapturedAt)
            {
                return "a consent entry was captured before the entry it follows";
            }

            if (entry.Status == ConsentStatus.Withdrawn && previous?.Status != ConsentStatus.Granted)
            {
                return "a consent withdrawal follows no grant";
            }

            if (current is not null)
            {
                current[scope] = entry;
            }

            _consents.Add(entry);
        }

        return null;
    }

    private ConsentEntry? LatestOfScope(ConsentEntry entry)
    {
        for (var i = _consents.Count - 1; i >= 0; i--)
        {
            if (_consents[i].HasSameScope(entry))
            {
                return _consents[i];
            }
        }

        return null;
    }

    private ConsentEntry RecordNow(ConsentPurpose purpose, ChannelId? channel, ContactPoint? contactPoint, ConsentStatus status, string source, string? evidence, Instant? validUntil)
    {
        Preconditions.NotNull(source);
        var entry = new ConsentEntry(purpose, channel, contactPoint, status, LawfulBasis.Consent, source, _clock.GetCurrentInstant(), evidence, validUntil: validUntil);
        RecordConsent(entry);
        return entry;
    }

    private ConsentRuleException ConsentRule(string code, string message) => new(code, Id, message);
}

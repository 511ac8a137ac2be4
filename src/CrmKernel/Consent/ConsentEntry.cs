using CrmKernel.ContactPoints;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Consent;

/// <summary>
/// One line of a customer's consent ledger: for a purpose, on a channel (or any channel), at a contact point (or
/// any contact point), the customer's answer or the lawful basis that applies — with where it was captured, the
/// evidence for it, when, and for how long it is valid. Create one and record it with
/// <see cref="Customers.Customer.RecordConsent(ConsentEntry)"/>; entries are never changed or removed, so the
/// ledger is the history.
/// </summary>
/// <remarks>
/// <para>The scope of an entry is its purpose, channel, contact point and lawful basis. A later entry of the same
/// scope supersedes an earlier one; entries of other scopes stay in force, so withdrawing marketing consent leaves
/// a service basis under contract untouched.</para>
/// <para>An entry applies at an instant <c>t</c> when it was captured at or before <c>t</c> and
/// <see cref="ValidFrom"/> ≤ <c>t</c> &lt; <see cref="ValidUntil"/>.</para>
/// </remarks>
public sealed class ConsentEntry : IEquatable<ConsentEntry>
{
    /// <summary>The longest source accepted.</summary>
    public const int MaxSourceLength = 64;

    /// <summary>The longest evidence reference accepted.</summary>
    public const int MaxEvidenceLength = 512;

    /// <summary>Creates an entry.</summary>
    /// <param name="purpose">Why the customer may (or may not) be contacted.</param>
    /// <param name="channel">The channel it covers, or null for every channel.</param>
    /// <param name="contactPoint">The contact point it covers, or null for every contact point.</param>
    /// <param name="status">Granted, declined or withdrawn.</param>
    /// <param name="basis">The lawful basis.</param>
    /// <param name="source">Where it was captured, as a short id such as <c>web-form:signup</c> or <c>call-centre</c>.</param>
    /// <param name="capturedAt">When it was captured.</param>
    /// <param name="evidence">A reference to the proof (a form version, a recording id, a document number); not personal data.</param>
    /// <param name="validFrom">When it takes effect; <paramref name="capturedAt"/> when null.</param>
    /// <param name="validUntil">When it lapses (exclusive), or null for no end.</param>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="ArgumentException">The purpose or channel is the default, an enum is undefined, the source or
    /// evidence breaks its rule, or the validity ends at or before it starts.</exception>
    public ConsentEntry(
        ConsentPurpose purpose,
        ChannelId? channel,
        ContactPoint? contactPoint,
        ConsentStatus status,
        LawfulBasis basis,
        string source,
        Instant capturedAt,
        string? evidence = null,
        Instant? validFrom = null,
        Instant? validUntil = null)
    {
        Preconditions.NotNull(source);
        Preconditions.NotDefault(purpose);
        Preconditions.Check(channel is null || channel.Value != default, "The channel must not be the default ChannelId; pass null for every channel.", nameof(channel));
        Preconditions.Defined(status);
        Preconditions.Defined(basis);
        var from = validFrom ?? capturedAt;
        Preconditions.Check(validUntil is null || validUntil.Value > from, "The validity must end after it starts.", nameof(validUntil));
        if (evidence is not null)
        {
            evidence = Preconditions.MaxLength(evidence.Trim(), MaxEvidenceLength, nameof(evidence));
            Preconditions.Check(evidence.Length is > 0 and <= MaxEvidenceLength && !Preconditions.HasControlCharacter(evidence), $"Evidence is 1 to {MaxEvidenceLength} characters without control characters.", nameof(evidence));
        }

        Purpose = purpose;
        Channel = channel;
        ContactPoint = contactPoint;
        Status = status;
        Basis = basis;
        Source = Slug.Require(source, MaxSourceLength, "consent source", nameof(source));
        CapturedAt = capturedAt;
        Evidence = evidence;
        ValidFrom = from;
        ValidUntil = validUntil;
    }

    /// <summary>Why the customer may (or may not) be contacted.</summary>
    public ConsentPurpose Purpose { get; }

    /// <summary>The channel covered, or null for every channel.</summary>
    public ChannelId? Channel { get; }

    /// <summary>The contact point covered, or null for every contact point. It may be personal data: do not log it.</summary>
    public ContactPoint? ContactPoint { get; }

    /// <summary>Granted, declined or withdrawn.</summary>
    public ConsentStatus Status { get; }

    /// <summary>The lawful basis the entry rests on.</summary>
    public LawfulBasis Basis { get; }

    /// <summary>Where the entry was captured (normalised, lower-case).</summary>
    public string Source { get; }

    /// <summary>A reference to the proof, or null.</summary>
    public string? Evidence { get; }

    /// <summary>When the entry was captured.</summary>
    public Instant CapturedAt { get; }

    /// <summary>When the entry takes effect (inclusive).</summary>
    public Instant ValidFrom { get; }

    /// <summary>When the entry lapses (exclusive), or null for no end.</summary>
    public Instant? ValidUntil { get; }

    /// <summary>True when the entry allows contact (it is <see cref="ConsentStatus.Granted"/>).</summary>
    public bool Permits => Status == ConsentStatus.Granted;

    /// <summary>True when <paramref name="at"/> lies in the validity period.</summary>
    /// <param name="at">The instant.</param>
    /// <returns>Whether the entry is valid then.</returns>
    public bool IsValidAt(Instant at) => ValidFrom <= at && (ValidUntil is null || at < ValidUntil.Value);

    /// <summary>True when the entry covers a contact about <paramref name="purpose"/> on <paramref name="channel"/> at <paramref name="contactPoint"/>.</summary>
    /// <param name="purpose">The purpose asked about.</param>
    /// <param name="channel">The channel asked about.</param>
    /// <param name="contactPoint">The contact point asked about.</param>
    /// <returns>Whether the entry's scope includes the contact.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="contactPoint"/> is null.</exception>
    public bool Covers(ConsentPurpose purpose, ChannelId channel, ContactPoint contactPoint)
    {
        Preconditions.NotNull(contactPoint);
        return Purpose == purpose
               && (Channel is null || Channel.Value == channel)
               && (ContactPoint is null || ContactPoint.Equals(contactPoint));
    }

    /// <summary>True when <paramref name="other"/> has the same scope (purpose, channel, contact point and basis), so one supersedes the other.</summary>
    /// <param name="other">The other entry.</param>
    /// <returns>Whether the scopes are equal.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public bool HasSameScope(ConsentEntry other)
    {
        Preconditions.NotNull(other);
        return Purpose == other.Purpose && Channel == other.Channel && Equals(ContactPoint, other.ContactPoint) && Basis == other.Basis;
    }

    /// <inheritdoc />
    public bool Equals(ConsentEntry? other)
        => other is not null
           && HasSameScope(other)
           && Status == other.Status
           && string.Equals(Source, other.Source, StringComparison.Ordinal)
           && string.Equals(Evidence, other.Evidence, StringComparison.Ordinal)
           && CapturedAt == other.CapturedAt
           && ValidFrom == other.ValidFrom
           && ValidUntil == other.ValidUntil;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ConsentEntry);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Purpose, Channel, ContactPoint, Status, Basis, CapturedAt);

    /// <summary>A summary naming the scope and status, without the contact point's value.</summary>
    /// <returns>The summary.</returns>
    public override string ToString()
        => $"{Status} {Purpose} on {(Channel is { } c ? c.ToString() : "any channel")} at {(ContactPoint is null ? "any contact point" : $"one {ContactPoint.Kind} contact point")} ({Basis}, captured {CapturedAt})";
}

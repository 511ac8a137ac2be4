using CrmKernel.ContactPoints;
using CrmKernel.Diagnostics;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Consent;

/// <summary>
/// A customer's consent ledger, read-only: every entry ever recorded, in the order recorded, and the one query that
/// matters — <see cref="Decide"/>. Obtain it from <see cref="Customers.Customer.Consent"/>; change it with
/// <see cref="Customers.Customer.RecordConsent(ConsentEntry)"/>.
/// </summary>
/// <remarks>
/// <para>How <see cref="Decide"/> answers for purpose <c>P</c>, channel <c>K</c>, contact point <c>X</c> at instant <c>t</c>:</para>
/// <list type="number">
/// <item>Only entries captured at or before <c>t</c> that cover the contact count: purpose <c>P</c>; channel <c>K</c>
/// or any channel; contact point <c>X</c> or any contact point.</item>
/// <item>Per scope (purpose, channel, contact point, lawful basis) the latest such entry whose validity has started
/// by <c>t</c> is in force; older ones are history (so a withdrawal that takes effect next month leaves the grant in
/// force until then).</item>
/// <item>An entry in force applies unless it has lapsed (<c>t</c> ≥ its <see cref="ConsentEntry.ValidUntil"/>).</item>
/// <item>The least permissive applicable entry decides: any declined or withdrawn entry refuses, whatever its
/// breadth (a refusal for "any channel" beats a grant for email, and a refusal for one address beats a grant for
/// every address); otherwise any grant allows; otherwise there is no basis and contact is not allowed.</item>
/// </list>
/// </remarks>
public sealed class ConsentLedger
{
    /// <summary>Ledgers up to this size are decided with no allocation but the answer.</summary>
    private const int StackLimit = 128;

    private readonly List<ConsentEntry> _entries;

    internal ConsentLedger(List<ConsentEntry> entries)
    {
        _entries = entries;
        Entries = entries.AsReadOnly();
    }

    /// <summary>Every entry, in the order recorded (the full history: withdrawals do not erase grants).</summary>
    public IReadOnlyList<ConsentEntry> Entries { get; }

    /// <summary>How many entries the ledger holds.</summary>
    public int Count => _entries.Count;

    /// <summary>
    /// May the customer be contacted about <paramref name="purpose"/> on <paramref name="channel"/> at
    /// <paramref name="contactPoint"/> at instant <paramref name="at"/>? Returns the least permissive applicable
    /// answer and the entries behind it (see the remarks of <see cref="ConsentLedger"/>).
    /// </summary>
    /// <param name="purpose">Why the customer would be contacted.</param>
    /// <param name="channel">The channel.</param>
    /// <param name="contactPoint">The contact point the message would go to.</param>
    /// <param name="at">When the contact would happen.</param>
    /// <returns>The answer and its entries.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="contactPoint"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="purpose"/> or <paramref name="channel"/> is the default.</exception>
    public ContactPermission Decide(ConsentPurpose purpose, ChannelId channel, ContactPoint contactPoint, Instant at)
    {
        Preconditions.NotDefault(purpose);
        Preconditions.NotDefault(channel);
        Preconditions.NotNull(contactPoint);
        // Positions of the scopes met so far and of the applicable entries: on the stack for the usual small ledger,
        // so that a decision allocates only its answer.
        var count = _entries.Count;
        Span<int> seen = count <= StackLimit ? stackalloc int[count] : new int[count];
        Span<int> applicable = count <= StackLimit ? stackalloc int[count] : new int[count];
        var seenCount = 0;
        var applicableCount = 0;
        ConsentEntry? refusal = null;
        ConsentEntry? grant = null;

        // Newest first: the first entry met of each scope is the one in force.
        for (var i = count - 1; i >= 0; i--)
        {
            var entry = _entries[i];

            // An entry not yet captured or not yet in effect at the instant leaves the scope to its predecessor.
            if (entry.CapturedAt > at || entry.ValidFrom > at || !entry.Covers(purpose, channel, contactPoint) || Seen(seen[..seenCount], entry))
            {
                continue;
            }

            seen[seenCount++] = i;
            if (!entry.IsValidAt(at))
            {
                continue; // lapsed: the scope has no entry in force
            }

            applicable[applicableCount++] = i;
            if (entry.Permits)
            {
                grant ??= entry;
            }
            else
            {
                refusal ??= entry;
            }
        }

        ConsentEntry[] behind = applicableCount == 0 ? [] : new ConsentEntry[applicableCount];
        for (var k = 0; k < applicableCount; k++)
        {
            behind[k] = _entries[applicable[applicableCount - 1 - k]];
        }

        return refusal is not null ? new ContactPermission(ContactAnswer.Refused, refusal, behind)
            : grant is not null ? new ContactPermission(ContactAnswer.Allowed, grant, behind)
            : new ContactPermission(ContactAnswer.NoBasis, null, behind);
    }

    /// <summary>The entry in force for the scope of <paramref name="scope"/> (the latest of that scope), or null.</summary>
    internal ConsentEntry? Current(ConsentEntry scope)
    {
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            if (_entries[i].HasSameScope(scope))
            {
                return _entries[i];
            }
        }

        return null;
    }

    private bool Seen(ReadOnlySpan<int> seen, ConsentEntry entry)
    {
        foreach (var index in seen)
        {
            if (_entries[index].HasSameScope(entry))
            {
                return true;
            }
        }

        return false;
    }
}

using System.Globalization;
using System.Text;
using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Segments;

/// <summary>Customers with a relationship of a type (in either role) valid at the as-of instant.</summary>
public sealed class HasRelationshipRule : SegmentRule
{
    /// <summary>Selects customers with a relationship of the type whose id is <paramref name="relationshipType"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="relationshipType"/> is null.</exception>
    /// <exception cref="ArgumentException">The id is not a slug of up to 64 characters.</exception>
    public HasRelationshipRule(string relationshipType)
        => RelationshipType = Slug.Require(Preconditions.NotNull(relationshipType), Relationships.RelationshipType.MaxIdLength, "relationship type", nameof(relationshipType));

    /// <summary>The relationship type's id, e.g. <c>household</c>.</summary>
    public string RelationshipType { get; }

    internal override void Write(StringBuilder text) => text.Append("has-relationship(").Append(RelationshipType).Append(')');
}

/// <summary>
/// Customers related, through a relationship of a type valid at the as-of instant, to a member of another segment:
/// "members of a household with a VIP". Evaluated for the customers that reach it, reading each one's relationships.
/// </summary>
public sealed class RelatedToSegmentRule : SegmentRule
{
    /// <summary>Selects customers related through <paramref name="relationshipType"/> to a member of <paramref name="segment"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="relationshipType"/> is null.</exception>
    /// <exception cref="ArgumentException">The id is not a slug of up to 64 characters, or the segment is the default.</exception>
    public RelatedToSegmentRule(string relationshipType, SegmentId segment)
    {
        RelationshipType = Slug.Require(Preconditions.NotNull(relationshipType), Relationships.RelationshipType.MaxIdLength, "relationship type", nameof(relationshipType));
        Segment = Preconditions.NotDefault(segment);
    }

    /// <summary>The relationship type's id.</summary>
    public string RelationshipType { get; }

    /// <summary>The segment the related customer must be a member of.</summary>
    public SegmentId Segment { get; }

    internal override void Write(StringBuilder text) => text.Append("related(").Append(RelationshipType).Append(", ").Append(Segment.Value).Append(')');
}

/// <summary>
/// Customers whose last touchpoint (optionally of a kind and a function) happened within a window ending at the as-of
/// instant: recency. Touchpoint windows are half-open, <c>[asOf − window, asOf)</c>, and nothing at or after the as-of
/// instant is seen.
/// </summary>
public sealed class RecencyRule : SegmentRule
{
    /// <summary>Selects customers with a touchpoint within <paramref name="within"/> before the as-of instant.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="within"/> is not positive or longer than 3,660 days.</exception>
    /// <exception cref="ArgumentException">The kind is the default, or the function is undefined.</exception>
    public RecencyRule(Duration within, TouchpointKind? kind = null, CrmFunction? function = null)
    {
        Within = CheckWindow(within, nameof(within));
        Preconditions.Check(kind is null || kind.Value != default, "The kind is the default; give null for any.", nameof(kind));
        if (function is { } f)
        {
            Preconditions.Defined(f, nameof(function));
        }

        Kind = kind;
        Function = function;
    }

    /// <summary>How recent the last touchpoint must be.</summary>
    public Duration Within { get; }

    /// <summary>The kind of touchpoint counted, or null for any.</summary>
    public TouchpointKind? Kind { get; }

    /// <summary>The CRM function of touchpoint counted, or null for any.</summary>
    public CrmFunction? Function { get; }

    internal override void Write(StringBuilder text)
    {
        text.Append("recency(").Append(Text(Within));
        if (Kind is { } kind)
        {
            text.Append(", kind=").Append(kind.Value);
        }

        if (Function is { } function)
        {
            text.Append(", function=").Append(function);
        }

        text.Append(')');
    }
}

/// <summary>Customers with at least a number of touchpoints (optionally of a kind) within a window ending at the as-of instant: frequency.</summary>
public sealed class TouchpointCountRule : SegmentRule
{
    /// <summary>Selects customers with at least <paramref name="atLeast"/> touchpoints in the window.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The window is not positive or longer than 3,660 days, or <paramref name="atLeast"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">The kind is the default.</exception>
    public TouchpointCountRule(Duration window, int atLeast, TouchpointKind? kind = null)
    {
        Window = CheckWindow(window, nameof(window));
        AtLeast = Preconditions.Positive(atLeast, "A count is at least 1.");
        Preconditions.Check(kind is null || kind.Value != default, "The kind is the default; give null for any.", nameof(kind));
        Kind = kind;
    }

    /// <summary>The window.</summary>
    public Duration Window { get; }

    /// <summary>The fewest touchpoints.</summary>
    public int AtLeast { get; }

    /// <summary>The kind counted, or null for any.</summary>
    public TouchpointKind? Kind { get; }

    internal override void Write(StringBuilder text)
    {
        text.Append("count(>= ").Append(AtLeast.ToString(CultureInfo.InvariantCulture)).Append(" in ").Append(Text(Window));
        if (Kind is { } kind)
        {
            text.Append(", kind=").Append(kind.Value);
        }

        text.Append(')');
    }
}

/// <summary>
/// Customers whose spend — the sum of their touchpoints' revenue in one currency — within a window ending at the as-of
/// instant is at least an amount. Revenue in other currencies is not converted and does not count.
/// </summary>
public sealed class SpendRule : SegmentRule
{
    /// <summary>Selects customers who spent at least <paramref name="atLeast"/> in the window.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The window is not positive or longer than 3,660 days, or the amount is negative.</exception>
    /// <exception cref="ArgumentException">The amount's currency is the default.</exception>
    public SpendRule(Duration window, Money atLeast)
    {
        Window = CheckWindow(window, nameof(window));
        Preconditions.NotDefault(atLeast.Currency, nameof(atLeast));
        if (atLeast.IsNegative)
        {
            throw new ArgumentOutOfRangeException(nameof(atLeast), "A spend threshold is zero or more.");
        }

        AtLeast = atLeast;
    }

    /// <summary>The window.</summary>
    public Duration Window { get; }

    /// <summary>The least spend, and the currency counted.</summary>
    public Money AtLeast { get; }

    internal override void Write(StringBuilder text)
        => text.Append("spend(>= ").Append(AtLeast.Amount.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(AtLeast.Currency)
            .Append(" in ").Append(Text(Window)).Append(')');
}

/// <summary>Customers with a touchpoint on a channel within a window ending at the as-of instant: "channels used includes".</summary>
public sealed class ChannelUsedRule : SegmentRule
{
    /// <summary>Selects customers who used <paramref name="channel"/> in the window.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The window is not positive or longer than 3,660 days.</exception>
    /// <exception cref="ArgumentException">The channel is the default.</exception>
    public ChannelUsedRule(Duration window, ChannelId channel)
    {
        Window = CheckWindow(window, nameof(window));
        Channel = Preconditions.NotDefault(channel);
    }

    /// <summary>The window.</summary>
    public Duration Window { get; }

    /// <summary>The channel.</summary>
    public ChannelId Channel { get; }

    internal override void Write(StringBuilder text) => text.Append("channel(").Append(Channel.Value).Append(" in ").Append(Text(Window)).Append(')');
}

/// <summary>
/// Customers who may be contacted for a purpose on a channel as of the instant, at their primary contact point of a kind
/// (the first of that kind when none is primary), by the consent ledger's decision. An audience built with it is still
/// checked again at send: the dispatcher decides at the moment it sends.
/// </summary>
public sealed class ContactConsentRule : SegmentRule
{
    /// <summary>Selects customers who may be contacted.</summary>
    /// <exception cref="ArgumentException">The purpose or channel is the default, or the kind is undefined.</exception>
    public ContactConsentRule(ConsentPurpose purpose, ChannelId channel, ContactPointKind contactPointKind)
    {
        Purpose = Preconditions.NotDefault(purpose);
        Channel = Preconditions.NotDefault(channel);
        ContactPointKind = Preconditions.Defined(contactPointKind);
    }

    /// <summary>The purpose.</summary>
    public ConsentPurpose Purpose { get; }

    /// <summary>The channel.</summary>
    public ChannelId Channel { get; }

    /// <summary>The kind of contact point the channel sends to.</summary>
    public ContactPointKind ContactPointKind { get; }

    internal override void Write(StringBuilder text)
        => text.Append("consent(").Append(Purpose.Value).Append(", ").Append(Channel.Value).Append(", ").Append(ContactPointKind).Append(')');
}

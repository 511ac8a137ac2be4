using CrmKernel.ContactPoints;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;

namespace CrmKernel.Channels;

/// <summary>
/// What a channel adapter declares about its channel: its id, a display name, its category, the directions it
/// carries, the kind of contact point it sends to and what one contact costs. The dispatcher uses it to pick the
/// recipient's contact point and to record the cost of each delivered message; metrics break cost down by it.
/// </summary>
public sealed class ChannelDescriptor
{
    /// <summary>The longest display name accepted.</summary>
    public const int MaxDisplayNameLength = 128;

    /// <summary>Creates a descriptor.</summary>
    /// <param name="id">The channel's id, used on every touchpoint it records.</param>
    /// <param name="displayName">A name for people, e.g. "Email (Mailer)".</param>
    /// <param name="category">Marketing, sales or service.</param>
    /// <param name="directions">The directions it carries (not <see cref="ChannelDirections.None"/>).</param>
    /// <param name="contactPointKind">The kind of contact point it sends to.</param>
    /// <param name="costPerContact">What one delivered message costs (zero or more).</param>
    /// <exception cref="ArgumentNullException"><paramref name="displayName"/> is null.</exception>
    /// <exception cref="ArgumentException">The id is the default, the name is blank or too long, an enum is undefined, or the cost is negative.</exception>
    public ChannelDescriptor(ChannelId id, string displayName, ChannelCategory category, ChannelDirections directions, ContactPointKind contactPointKind, Money costPerContact)
    {
        Preconditions.NotDefault(id);
        Preconditions.NotNull(displayName);
        var name = Preconditions.MaxLength(displayName.Trim(), MaxDisplayNameLength, nameof(displayName));
        Preconditions.Check(name.Length is > 0 and <= MaxDisplayNameLength && !Preconditions.HasControlCharacter(name), $"A display name is 1 to {MaxDisplayNameLength} characters without control characters.", nameof(displayName));
        Preconditions.Defined(category);
        Preconditions.Check(directions is ChannelDirections.Inbound or ChannelDirections.Outbound or ChannelDirections.Both, "A channel carries inbound contacts, outbound messages or both.", nameof(directions));
        Preconditions.Defined(contactPointKind);
        Preconditions.Check(costPerContact.Currency != default && !costPerContact.IsNegative, "The cost per contact must be zero or more, in a currency.", nameof(costPerContact));
        Id = id;
        DisplayName = name;
        Category = category;
        Directions = directions;
        ContactPointKind = contactPointKind;
        CostPerContact = costPerContact;
    }

    /// <summary>The channel's id.</summary>
    public ChannelId Id { get; }

    /// <summary>The name for people.</summary>
    public string DisplayName { get; }

    /// <summary>Marketing, sales or service.</summary>
    public ChannelCategory Category { get; }

    /// <summary>The directions it carries.</summary>
    public ChannelDirections Directions { get; }

    /// <summary>The kind of contact point it sends to.</summary>
    public ContactPointKind ContactPointKind { get; }

    /// <summary>What one delivered message costs; recorded as the touchpoint's cost.</summary>
    public Money CostPerContact { get; }

    /// <summary>True when the channel sends outbound messages.</summary>
    public bool CanSend => (Directions & ChannelDirections.Outbound) != 0;

    /// <summary>The id and display name.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Id} ({DisplayName})";
}

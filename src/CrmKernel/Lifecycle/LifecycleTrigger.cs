using CrmKernel.Diagnostics;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Lifecycle;

/// <summary>
/// The trigger of a <see cref="LifecycleRule"/>: a touchpoint kind (optionally narrowed to a satisfaction
/// polarity), an inactivity duration, or a named command. Use the factory methods; touchpoint and inactivity
/// triggers are automatic, command triggers fire only when asked.
/// </summary>
/// <remarks>
/// Inactivity is exact elapsed time (a <see cref="Duration"/>) since the customer's last purchase, not a count
/// of local calendar days: "180 days" is 180 × 24 hours whatever the customer's time zone and daylight saving
/// changes, and a customer is inactive from the instant the duration has fully elapsed. A customer with no
/// purchase is never inactive.
/// </remarks>
public sealed class LifecycleTrigger : IEquatable<LifecycleTrigger>
{
    /// <summary>The longest command name accepted.</summary>
    public const int MaxCommandLength = 64;

    private LifecycleTrigger(LifecycleTriggerKind kind, TouchpointKind touchpointKind, SatisfactionPolarity? polarity, Duration inactivity, string? command)
    {
        Kind = kind;
        TouchpointKind = touchpointKind;
        Polarity = polarity;
        Inactivity = inactivity;
        Command = command;
    }

    /// <summary>What kind of trigger this is.</summary>
    public LifecycleTriggerKind Kind { get; }

    /// <summary>The touchpoint kind, for a <see cref="LifecycleTriggerKind.Touchpoint"/> trigger; otherwise the default.</summary>
    public TouchpointKind TouchpointKind { get; }

    /// <summary>For a touchpoint trigger, the satisfaction polarity the touchpoint must carry, or null for any (including none).</summary>
    public SatisfactionPolarity? Polarity { get; }

    /// <summary>The inactivity duration, for an <see cref="LifecycleTriggerKind.Inactivity"/> trigger; otherwise zero.</summary>
    public Duration Inactivity { get; }

    /// <summary>The command name, for a <see cref="LifecycleTriggerKind.Command"/> trigger; otherwise null.</summary>
    public string? Command { get; }

    /// <summary>True for touchpoint and inactivity triggers, which the kernel applies by itself.</summary>
    public bool IsAutomatic => Kind != LifecycleTriggerKind.Command;

    /// <summary>A trigger that fires when a touchpoint of <paramref name="kind"/> is recorded.</summary>
    /// <param name="kind">The touchpoint kind, e.g. <see cref="TouchpointKind.Purchase"/>.</param>
    /// <param name="polarity">When given, only touchpoints whose satisfaction score has this polarity fire the trigger.</param>
    /// <returns>The trigger.</returns>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is the default, or <paramref name="polarity"/> is undefined.</exception>
    public static LifecycleTrigger OnTouchpoint(TouchpointKind kind, SatisfactionPolarity? polarity = null)
    {
        Preconditions.NotDefault(kind);
        if (polarity is { } p)
        {
            Preconditions.Defined(p, nameof(polarity));
        }

        return new(LifecycleTriggerKind.Touchpoint, kind, polarity, Duration.Zero, null);
    }

    /// <summary>A trigger that fires once the customer has not purchased for <paramref name="duration"/> (exact elapsed time).</summary>
    /// <param name="duration">How long without a purchase; positive.</param>
    /// <returns>The trigger.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is zero or negative.</exception>
    public static LifecycleTrigger AfterInactivity(Duration duration)
    {
        if (duration <= Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "An inactivity duration must be positive.");
        }

        return new(LifecycleTriggerKind.Inactivity, default, null, duration, null);
    }

    /// <summary>A trigger that fires only when the named command is applied explicitly.</summary>
    /// <param name="command">The command's name, e.g. <c>mark-former</c>; a slug of 1–64 characters.</param>
    /// <returns>The trigger.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="command"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="command"/> is not a valid name.</exception>
    public static LifecycleTrigger OnCommand(string command)
        => new(LifecycleTriggerKind.Command, default, null, Duration.Zero, Primitives.Slug.Require(command, MaxCommandLength, "lifecycle command", nameof(command)));

    /// <summary>Whether this trigger and <paramref name="other"/> could fire on the same event (same touchpoint, same inactivity check, same command).</summary>
    /// <param name="other">The other trigger.</param>
    /// <returns>True when they overlap.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public bool Overlaps(LifecycleTrigger other)
    {
        Preconditions.NotNull(other);
        return Kind == other.Kind && Kind switch
        {
            LifecycleTriggerKind.Touchpoint => TouchpointKind == other.TouchpointKind && (Polarity is null || other.Polarity is null || Polarity == other.Polarity),
            LifecycleTriggerKind.Inactivity => true,
            _ => string.Equals(Command, other.Command, StringComparison.Ordinal),
        };
    }

    /// <summary>Whether a touchpoint fires this trigger.</summary>
    /// <param name="touchpoint">The touchpoint.</param>
    /// <returns>True for a touchpoint trigger whose kind (and polarity, if any) the touchpoint matches.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="touchpoint"/> is null.</exception>
    public bool Matches(Touchpoint touchpoint)
    {
        Preconditions.NotNull(touchpoint);
        return Kind == LifecycleTriggerKind.Touchpoint
               && touchpoint.Kind == TouchpointKind
               && (Polarity is null || touchpoint.Satisfaction?.Polarity == Polarity);
    }

    /// <inheritdoc />
    public bool Equals(LifecycleTrigger? other)
        => other is not null && Kind == other.Kind && TouchpointKind == other.TouchpointKind && Polarity == other.Polarity && Inactivity == other.Inactivity && Command == other.Command;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as LifecycleTrigger);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, TouchpointKind, Polarity, Inactivity, Command);

    /// <summary>A short description, e.g. <c>touchpoint:feedback/Positive</c>, <c>inactivity:180:00:00:00</c> or <c>command:mark-former</c>.</summary>
    public override string ToString() => Kind switch
    {
        LifecycleTriggerKind.Touchpoint => Polarity is { } p ? $"touchpoint:{TouchpointKind}/{p}" : $"touchpoint:{TouchpointKind}",
        LifecycleTriggerKind.Inactivity => $"inactivity:{Inactivity.ToString("D:hh:mm:ss", System.Globalization.CultureInfo.InvariantCulture)}",
        _ => $"command:{Command}",
    };
}

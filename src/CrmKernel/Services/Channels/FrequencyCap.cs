using CrmKernel.Diagnostics;
using CrmKernel.Touchpoints;
using NodaTime;
using NodaTime.TimeZones;

namespace CrmKernel.Services.Channels;

/// <summary>At most <see cref="MaxContacts"/> delivered messages on <see cref="Channel"/> per customer in any rolling <see cref="Window"/>.</summary>
public sealed class FrequencyCap
{
    /// <summary>The longest window accepted.</summary>
    public static readonly Duration MaxWindow = Duration.FromDays(366);

    /// <summary>Creates a cap.</summary>
    /// <param name="channel">The channel it limits.</param>
    /// <param name="maxContacts">The most delivered messages in a window (1 or more).</param>
    /// <param name="window">The rolling window (more than zero, at most 366 days).</param>
    /// <exception cref="ArgumentException">The channel is the default or the window is out of range.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxContacts"/> is below 1.</exception>
    public FrequencyCap(ChannelId channel, int maxContacts, Duration window)
    {
        Channel = Preconditions.NotDefault(channel);
        MaxContacts = Preconditions.Positive(maxContacts, "A frequency cap allows at least one contact.");
        Preconditions.Check(window > Duration.Zero && window <= MaxWindow, "A frequency cap's window is more than zero and at most 366 days.", nameof(window));
        Window = window;
    }

    /// <summary>The channel it limits.</summary>
    public ChannelId Channel { get; }

    /// <summary>The most delivered messages in a window.</summary>
    public int MaxContacts { get; }

    /// <summary>The rolling window.</summary>
    public Duration Window { get; }

    /// <summary>The cap as text.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{MaxContacts} per {Window} on {Channel}";
}

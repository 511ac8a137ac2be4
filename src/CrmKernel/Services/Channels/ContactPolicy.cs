using CrmKernel.Diagnostics;
using CrmKernel.Touchpoints;
using NodaTime;
using NodaTime.TimeZones;

namespace CrmKernel.Services.Channels;

/// <summary>
/// A daily window of local time in which customers are not contacted, e.g. 21:00 to 08:00. It is read in the
/// customer's own time zone, so it follows daylight-saving changes; a window whose start is after its end crosses
/// midnight.
/// </summary>
public sealed class QuietHours
{
    /// <summary>An end in a daylight-saving gap is the gap's end; an end that occurs twice is its first occurrence.</summary>
    private static readonly ZoneLocalMappingResolver EndResolver = Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnStartOfIntervalAfter);

    /// <summary>Creates a window from <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive).</summary>
    /// <param name="start">When quiet hours begin, local time.</param>
    /// <param name="end">When they end, local time.</param>
    /// <exception cref="ArgumentException">The start equals the end.</exception>
    public QuietHours(LocalTime start, LocalTime end)
    {
        Preconditions.Check(start != end, "Quiet hours must start and end at different times.", nameof(end));
        Start = start;
        End = end;
    }

    /// <summary>When quiet hours begin (inclusive), local time.</summary>
    public LocalTime Start { get; }

    /// <summary>When quiet hours end (exclusive), local time.</summary>
    public LocalTime End { get; }

    /// <summary>True when <paramref name="time"/> falls in the window.</summary>
    /// <param name="time">A local time of day.</param>
    /// <returns>Whether it is quiet then.</returns>
    public bool Contains(LocalTime time) => Start < End ? time >= Start && time < End : time >= Start || time < End;

    /// <summary>True when it is quiet in <paramref name="zone"/> at <paramref name="instant"/>.</summary>
    /// <param name="instant">The instant.</param>
    /// <param name="zone">The customer's time zone.</param>
    /// <returns>Whether it is quiet there then.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="zone"/> is null.</exception>
    public bool IsQuietAt(Instant instant, DateTimeZone zone)
    {
        Preconditions.NotNull(zone);
        return Contains(instant.InZone(zone).TimeOfDay);
    }

    /// <summary>
    /// The first instant at or after <paramref name="instant"/> that is outside quiet hours in <paramref name="zone"/>:
    /// <paramref name="instant"/> itself when it is not quiet. An end that falls in a daylight-saving gap is the
    /// first instant after the gap; an end that occurs twice (clocks going back) is its first occurrence.
    /// </summary>
    /// <param name="instant">The instant.</param>
    /// <param name="zone">The customer's time zone.</param>
    /// <returns>When contact may resume.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="zone"/> is null.</exception>
    public Instant NextAllowed(Instant instant, DateTimeZone zone)
    {
        Preconditions.NotNull(zone);
        var local = instant.InZone(zone).LocalDateTime;
        if (!Contains(local.TimeOfDay))
        {
            return instant;
        }

        var date = local.TimeOfDay < End ? local.Date : local.Date.PlusDays(1);
        return zone.ResolveLocal(date.At(End), EndResolver).ToInstant();
    }

    /// <summary>The window as <c>HH:mm–HH:mm</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Start:HH':'mm}-{End:HH':'mm}";
}

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

/// <summary>
/// The enterprise's contact preferences that <see cref="ChannelDispatcher"/> applies to every send, on top of consent:
/// quiet hours in the customer's time zone (with a stated zone for customers without one) and frequency caps per
/// channel. Register one with <see cref="CrmKernelBuilder.UseContactPolicy(ContactPolicy)"/>; without it,
/// <see cref="Default"/> applies.
/// </summary>
public sealed class ContactPolicy
{
    /// <summary>Creates a policy.</summary>
    /// <param name="defaultTimeZone">The zone quiet hours are read in for customers without a home time zone.</param>
    /// <param name="quietHours">The quiet hours, or null for none.</param>
    /// <param name="frequencyCaps">The caps, at most one per channel; null or empty for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="defaultTimeZone"/> is null.</exception>
    /// <exception cref="ArgumentException">The caps hold null or two caps for one channel.</exception>
    public ContactPolicy(DateTimeZone defaultTimeZone, QuietHours? quietHours = null, IEnumerable<FrequencyCap>? frequencyCaps = null)
    {
        DefaultTimeZone = Preconditions.NotNull(defaultTimeZone);
        QuietHours = quietHours;
        var caps = new Dictionary<ChannelId, FrequencyCap>();
        foreach (var cap in frequencyCaps ?? [])
        {
            Preconditions.Check(cap is not null && caps.TryAdd(cap.Channel, cap), "Frequency caps must not hold null or two caps for one channel.", nameof(frequencyCaps));
        }

        FrequencyCaps = caps;
    }

    /// <summary>
    /// The policy used when the host registers none: quiet hours 21:00 to 08:00 in the customer's zone, UTC for
    /// customers without a home time zone, and no frequency caps.
    /// </summary>
    public static ContactPolicy Default { get; } = new(DateTimeZone.Utc, new QuietHours(new LocalTime(21, 0), new LocalTime(8, 0)));

    /// <summary>The zone quiet hours are read in for customers without a home time zone.</summary>
    public DateTimeZone DefaultTimeZone { get; }

    /// <summary>The quiet hours, or null for none.</summary>
    public QuietHours? QuietHours { get; }

    /// <summary>The caps by channel.</summary>
    public IReadOnlyDictionary<ChannelId, FrequencyCap> FrequencyCaps { get; }
}

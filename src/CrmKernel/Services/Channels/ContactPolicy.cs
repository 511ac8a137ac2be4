using CrmKernel.Diagnostics;
using CrmKernel.Touchpoints;
using NodaTime;
using NodaTime.TimeZones;

namespace CrmKernel.Services.Channels;

/// <summary>
/// The enterprise's contact preferences that <see cref="ChannelDispatcher"/> applies to every send, on top of consent:
/// quiet hours in the customer's time zone (with a stated zone for customers without one) and frequency caps per
/// channel. Register one with <see cref="CrmKernelBuilder.UseContactPolicy(ContactPolicy)"/>; without it,
/// <see cref="Default"/> applies.
/// </summary>
public sealed class ContactPolicy
{
    /// <summary>The most frequency caps one policy holds (at most one per channel).</summary>
    public const int MaxFrequencyCaps = 100;

    /// <summary>Creates a policy.</summary>
    /// <param name="defaultTimeZone">The zone quiet hours are read in for customers without a home time zone.</param>
    /// <param name="quietHours">The quiet hours, or null for none.</param>
    /// <param name="frequencyCaps">The caps, at most one per channel; null or empty for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="defaultTimeZone"/> is null.</exception>
    /// <exception cref="ArgumentException">The caps hold null or two caps for one channel.</exception>
    /// <exception cref="InputLimitExceededException">More than <see cref="MaxFrequencyCaps"/> caps (<c>CRM-INPUT-001</c>).</exception>
    public ContactPolicy(DateTimeZone defaultTimeZone, QuietHours? quietHours = null, IEnumerable<FrequencyCap>? frequencyCaps = null)
    {
        DefaultTimeZone = Preconditions.NotNull(defaultTimeZone);
        QuietHours = quietHours;
        FrequencyCap[] given = frequencyCaps is null ? [] : [.. frequencyCaps];
        Preconditions.MaxCount(given.Length, MaxFrequencyCaps, "frequency caps", nameof(frequencyCaps));
        var caps = new Dictionary<ChannelId, FrequencyCap>();
        foreach (var cap in given)
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

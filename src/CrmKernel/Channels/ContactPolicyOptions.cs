using NodaTime;

namespace CrmKernel.Channels;

/// <summary>
/// The <see cref="ContactPolicy"/> as settings a host can bind from configuration (e.g. an <c>appsettings.json</c>
/// section) and have checked at start-up. Use it with
/// <see cref="CrmKernelBuilder.UseContactPolicy(Action{ContactPolicyOptions})"/>; a bad setting stops the host when it
/// starts, with a message naming the setting, instead of failing the first dispatch. Build a <see cref="ContactPolicy"/>
/// directly when the policy is fixed in code.
/// </summary>
public sealed class ContactPolicyOptions
{
    /// <summary>The TZDB id of the zone quiet hours are read in for customers without a home time zone; <c>UTC</c> by default.</summary>
    public string DefaultTimeZone { get; set; } = "UTC";

    /// <summary>When quiet hours begin, local time as <c>HH:mm</c> (e.g. <c>21:00</c>); null (with <see cref="QuietHoursEnd"/>) for no quiet hours. <c>21:00</c> by default.</summary>
    public string? QuietHoursStart { get; set; } = "21:00";

    /// <summary>When quiet hours end, local time as <c>HH:mm</c> (e.g. <c>08:00</c>); null (with <see cref="QuietHoursStart"/>) for no quiet hours. <c>08:00</c> by default.</summary>
    public string? QuietHoursEnd { get; set; } = "08:00";

    /// <summary>The frequency caps, at most one per channel; none by default.</summary>
    public IList<FrequencyCapOptions> FrequencyCaps { get; } = [];

    /// <summary>Builds the policy; <see cref="CrmKernelBuilder.UseContactPolicy(Action{ContactPolicyOptions})"/> does this after validating the settings.</summary>
    /// <param name="zones">Where <see cref="DefaultTimeZone"/> is looked up, usually <see cref="DateTimeZoneProviders.Tzdb"/>.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="zones"/> is null.</exception>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    public ContactPolicy ToPolicy(IDateTimeZoneProvider zones)
    {
        Preconditions.NotNull(zones);
        var errors = ContactPolicyOptionsValidator.Check(this, zones);
        Preconditions.Check(errors.Count == 0, string.Join(" ", errors), nameof(ContactPolicyOptions));
        var quiet = QuietHoursStart is null ? null : new QuietHours(ContactPolicyOptionsValidator.TimePattern.Parse(QuietHoursStart).Value, ContactPolicyOptionsValidator.TimePattern.Parse(QuietHoursEnd!).Value);
        return new ContactPolicy(zones[DefaultTimeZone], quiet, FrequencyCaps.Select(c => new FrequencyCap(new(c.Channel!), c.MaxContacts, Duration.FromTimeSpan(c.Window))));
    }
}

/// <summary>One frequency cap in <see cref="ContactPolicyOptions.FrequencyCaps"/>: at most <see cref="MaxContacts"/> delivered messages on <see cref="Channel"/> per customer in any rolling <see cref="Window"/>.</summary>
public sealed class FrequencyCapOptions
{
    /// <summary>The channel id it limits (a registered channel's id, e.g. <c>email</c>). Required.</summary>
    public string? Channel { get; set; }

    /// <summary>The most delivered messages in a window: 1 or more.</summary>
    public int MaxContacts { get; set; }

    /// <summary>The rolling window: more than zero, at most 366 days. A <see cref="TimeSpan"/> so that configuration binds it (<c>d.hh:mm:ss</c>, e.g. <c>7.00:00:00</c>); it becomes a NodaTime <see cref="NodaTime.Duration"/> in the policy.</summary>
    public TimeSpan Window { get; set; }
}

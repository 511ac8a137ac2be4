using CrmKernel.Diagnostics;
using NodaTime;

namespace CrmKernel.Services.Channels;

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


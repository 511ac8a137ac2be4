using CrmKernel.Diagnostics;
using CrmKernel.Touchpoints;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;

namespace CrmKernel.Services.Channels;

/// <summary>Checks <see cref="ContactPolicyOptions"/> at start-up; each failure names the setting and says what it must be.</summary>
internal sealed class ContactPolicyOptionsValidator(IDateTimeZoneProvider zones) : IValidateOptions<ContactPolicyOptions>
{
    internal static readonly LocalTimePattern TimePattern = LocalTimePattern.CreateWithInvariantCulture("HH':'mm");

    public ValidateOptionsResult Validate(string? name, ContactPolicyOptions options)
    {
        var errors = Check(options, zones);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    internal static List<string> Check(ContactPolicyOptions options, IDateTimeZoneProvider zones)
    {
        const string Prefix = nameof(ContactPolicyOptions) + ".";
        var errors = new List<string>();
        if (options.DefaultTimeZone is null || zones.GetZoneOrNull(options.DefaultTimeZone) is null)
        {
            errors.Add($"{Prefix}{nameof(options.DefaultTimeZone)} must be a time-zone id the provider knows (e.g. 'Europe/Berlin'); '{options.DefaultTimeZone}' is not.");
        }

        if ((options.QuietHoursStart is null) != (options.QuietHoursEnd is null))
        {
            errors.Add($"{Prefix}{nameof(options.QuietHoursStart)} and {Prefix}{nameof(options.QuietHoursEnd)} must both be set (HH:mm) or both be null (no quiet hours).");
        }
        else if (options.QuietHoursStart is not null)
        {
            var start = TimePattern.Parse(options.QuietHoursStart);
            var end = TimePattern.Parse(options.QuietHoursEnd!);
            if (!start.Success)
            {
                errors.Add($"{Prefix}{nameof(options.QuietHoursStart)} must be a local time as HH:mm; '{options.QuietHoursStart}' is not.");
            }

            if (!end.Success)
            {
                errors.Add($"{Prefix}{nameof(options.QuietHoursEnd)} must be a local time as HH:mm; '{options.QuietHoursEnd}' is not.");
            }

            if (start.Success && end.Success && start.Value == end.Value)
            {
                errors.Add($"{Prefix}{nameof(options.QuietHoursStart)} and {Prefix}{nameof(options.QuietHoursEnd)} must differ.");
            }
        }

        var channels = new HashSet<ChannelId>();
        for (var i = 0; i < options.FrequencyCaps.Count; i++)
        {
            var cap = options.FrequencyCaps[i];
            var at = $"{Prefix}{nameof(options.FrequencyCaps)}[{i}]";
            if (cap is null)
            {
                errors.Add($"{at} must not be null.");
                continue;
            }

            if (!ChannelId.TryParse(cap.Channel, out var channel))
            {
                errors.Add($"{at}.{nameof(cap.Channel)} must be a channel id (lower-case letters, digits and dashes); '{cap.Channel}' is not.");
            }
            else if (!channels.Add(channel))
            {
                errors.Add($"{at}.{nameof(cap.Channel)} repeats '{channel}': one cap per channel.");
            }

            if (cap.MaxContacts < 1)
            {
                errors.Add($"{at}.{nameof(cap.MaxContacts)} must be 1 or more; it is {cap.MaxContacts}.");
            }

            if (cap.Window <= TimeSpan.Zero || Duration.FromTimeSpan(cap.Window) > FrequencyCap.MaxWindow)
            {
                errors.Add($"{at}.{nameof(cap.Window)} must be more than zero and at most 366 days; it is {cap.Window}.");
            }
        }

        return errors;
    }
}

using CrmKernel.Diagnostics;
using NodaTime;

namespace CrmKernel.Services.Channels;

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

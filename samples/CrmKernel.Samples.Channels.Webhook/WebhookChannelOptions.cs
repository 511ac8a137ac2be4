using CrmKernel.Channels;
using CrmKernel.ContactPoints;
using CrmKernel.Primitives;
using CrmKernel.Services.Channels;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Samples.Channels.Webhook;

/// <summary>
/// How a <see cref="WebhookChannel"/> reaches its endpoint and what channel it declares. Fill it in and pass it to
/// <see cref="WebhookCrmKernelBuilderExtensions.AddWebhookChannel(CrmKernelBuilder, WebhookChannelOptions)"/>, where it is
/// validated at once, or set it (and bind it from configuration) through the options pattern with
/// <see cref="WebhookCrmKernelBuilderExtensions.AddWebhookChannel(CrmKernelBuilder, Action{WebhookChannelOptions})"/>,
/// where it is validated when the host starts: either way a bad setting fails at start-up, not at the first send.
/// </summary>
public sealed class WebhookChannelOptions
{
    /// <summary>The endpoint messages are POSTed to: an absolute <c>http</c> or <c>https</c> address. Required.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The channel id the adapter declares; <c>webhook</c> by default.</summary>
    public ChannelId Channel { get; set; } = new("webhook");

    /// <summary>The display name; "Webhook" by default.</summary>
    public string DisplayName { get; set; } = "Webhook";

    /// <summary>The channel's category; <see cref="ChannelCategory.Service"/> by default.</summary>
    public ChannelCategory Category { get; set; } = ChannelCategory.Service;

    /// <summary>The kind of contact point messages go to; <see cref="ContactPointKind.Email"/> by default.</summary>
    public ContactPointKind ContactPointKind { get; set; } = ContactPointKind.Email;

    /// <summary>What one delivered message costs. Required (use zero in a currency when free).</summary>
    public Money? CostPerContact { get; set; }

    /// <summary>How long one attempt may take before it is abandoned and counted as a timeout; 10 seconds by default.</summary>
    public Duration Timeout { get; set; } = Duration.FromSeconds(10);

    /// <summary>How many attempts one send makes, the first included (1 to 10); 3 by default.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The wait before the second attempt; each later wait doubles, up to <see cref="MaxBackoff"/>. 500 ms by default.</summary>
    public Duration InitialBackoff { get; set; } = Duration.FromMilliseconds(500);

    /// <summary>The longest wait between attempts; 30 seconds by default.</summary>
    public Duration MaxBackoff { get; set; } = Duration.FromSeconds(30);

    /// <summary>
    /// The longest wait a <c>Retry-After</c> header (delta-seconds or HTTP-date) on a 429 or 503 answer may impose
    /// before the next attempt; 0 to 10 minutes, 30 seconds by default. The wait before that attempt is the larger of
    /// the backoff and the header's. An answer asking for longer than this ends the send at once as retryable (the
    /// dispatcher keeps the message for <see cref="ChannelDispatcher.RetryPendingAsync"/>) rather than retrying earlier
    /// than the endpoint asked; with 0, any <c>Retry-After</c> asking for a wait ends the send.
    /// </summary>
    public Duration MaxRetryAfter { get; set; } = Duration.FromSeconds(30);

    /// <summary>The clock an HTTP-date <c>Retry-After</c> is measured against; the system clock by default (a fake one in tests). Required.</summary>
    public IClock Clock { get; set; } = SystemClock.Instance;

    /// <summary>Checks every setting and returns the descriptor the channel will declare.</summary>
    /// <returns>The channel's descriptor.</returns>
    /// <exception cref="ArgumentException">A setting is missing or out of range; the message and parameter name say which.</exception>
    public ChannelDescriptor Validate()
    {
        Check(Endpoint is { IsAbsoluteUri: true } endpoint && (endpoint.Scheme == Uri.UriSchemeHttp || endpoint.Scheme == Uri.UriSchemeHttps), "Endpoint must be an absolute http or https address.", nameof(Endpoint));
        Check(Channel != default, "Channel must be set.", nameof(Channel));
        Check(CostPerContact is not null, "CostPerContact must be set (zero in a currency when the channel is free).", nameof(CostPerContact));
        Check(Timeout > Duration.Zero && Timeout <= Duration.FromMinutes(5), "Timeout must be more than zero and at most 5 minutes.", nameof(Timeout));
        Check(MaxAttempts is >= 1 and <= 10, "MaxAttempts must be 1 to 10.", nameof(MaxAttempts));
        Check(InitialBackoff >= Duration.Zero && InitialBackoff <= Duration.FromMinutes(5), "InitialBackoff must be zero to 5 minutes.", nameof(InitialBackoff));
        Check(MaxBackoff >= InitialBackoff && MaxBackoff <= Duration.FromMinutes(10), "MaxBackoff must be at least InitialBackoff and at most 10 minutes.", nameof(MaxBackoff));
        Check(MaxRetryAfter >= Duration.Zero && MaxRetryAfter <= Duration.FromMinutes(10), "MaxRetryAfter must be zero to 10 minutes.", nameof(MaxRetryAfter));
        Check(Clock is not null, "Clock must be set.", nameof(Clock));
        try
        {
            return new ChannelDescriptor(Channel, DisplayName ?? string.Empty, Category, ChannelDirections.Outbound, ContactPointKind, CostPerContact!.Value);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"The webhook channel's descriptor is invalid: {e.Message}", e.ParamName, e);
        }
    }

    /// <summary>The wait after attempt <paramref name="attempt"/> (1-based): the initial backoff doubled per attempt, capped.</summary>
    internal TimeSpan BackoffAfter(int attempt)
    {
        var ticks = InitialBackoff.BclCompatibleTicks * Math.Pow(2, attempt - 1);
        return TimeSpan.FromTicks((long)Math.Min(ticks, MaxBackoff.BclCompatibleTicks));
    }

    /// <summary>A copy, so that changes after registration do not reach a running channel.</summary>
    internal WebhookChannelOptions Copy() => (WebhookChannelOptions)MemberwiseClone();

    private static void Check(bool condition, string message, string name)
    {
        if (!condition)
        {
            throw new ArgumentException(message, name);
        }
    }
}

using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CrmKernel.Channels;
using CrmKernel.Services.Channels;
using Microsoft.Extensions.Options;
using NodaTime;

namespace CrmKernel.Samples.Channels.Webhook;

/// <summary>
/// A channel adapter that POSTs each message as JSON to an HTTP endpoint (a host's notification service, an
/// automation platform, a partner's API), with an <c>Idempotency-Key</c> header carrying the message's idempotency
/// key so that the receiver can drop a resend. Register it with
/// <c>builder.AddWebhookChannel(new WebhookChannelOptions { Endpoint = …, CostPerContact = … })</c>.
/// </summary>
/// <remarks>
/// <para>One send makes up to <see cref="WebhookChannelOptions.MaxAttempts"/> attempts, each limited to
/// <see cref="WebhookChannelOptions.Timeout"/>, waiting an exponentially growing backoff between them. A 2xx answer is
/// delivered (the provider id is the <c>X-Message-Id</c> response header when present, else the idempotency key).
/// Timeouts, connection failures, 408, 429 and 5xx answers are retried; when attempts run out the send is reported
/// retryable, and <see cref="ChannelDispatcher"/> keeps the message for a later retry. Any other 4xx answer is a
/// permanent failure and is not retried. Every attempt of one send carries the same idempotency key.</para>
/// <para>A 429 or 503 answer with a <c>Retry-After</c> header (delta-seconds or HTTP-date) is honoured: the next attempt
/// waits at least that long, up to <see cref="WebhookChannelOptions.MaxRetryAfter"/>; an answer asking for longer ends the
/// send as retryable at once. An unreadable header is ignored (the backoff applies).</para>
/// <para>The JSON body: <c>idempotencyKey, tenant, customerId, channel, recipient {kind, value}, purpose, function,
/// subject, body, campaignId</c>.</para>
/// </remarks>
public sealed class WebhookChannel : IChannelAdapter, IDisposable
{
    /// <summary>The request header that carries the idempotency key.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>The response header read as the provider's message id.</summary>
    public const string MessageIdHeader = "X-Message-Id";

    private readonly WebhookChannelOptions _options;
    private readonly HttpClient _client;
    private readonly Uri _endpoint;

    /// <summary>Creates the channel with its own connection pool.</summary>
    /// <param name="options">The settings; validated and copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">A setting is invalid (see <see cref="WebhookChannelOptions.Validate"/>).</exception>
    public WebhookChannel(WebhookChannelOptions options)
        : this(options, new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
    {
    }

    /// <summary>Creates the channel from the validated options DI holds (<see cref="WebhookCrmKernelBuilderExtensions.AddWebhookChannel(CrmKernelBuilder, Action{WebhookChannelOptions})"/> registers them).</summary>
    /// <param name="options">The settings; validated and copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">A setting is invalid (see <see cref="WebhookChannelOptions.Validate"/>).</exception>
    public WebhookChannel(IOptions<WebhookChannelOptions> options)
        : this(Validated(options))
    {
    }

    private static WebhookChannelOptions Validated(IOptions<WebhookChannelOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Value;
    }

    /// <summary>Creates the channel over a handler the host supplies (a proxy, a client certificate, a test handler).</summary>
    /// <param name="options">The settings; validated and copied.</param>
    /// <param name="handler">The HTTP handler; the channel disposes it.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A setting is invalid (see <see cref="WebhookChannelOptions.Validate"/>).</exception>
    public WebhookChannel(WebhookChannelOptions options, HttpMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        Descriptor = options.Validate();
        _options = options.Copy();
        _endpoint = _options.Endpoint!;

        // Each attempt has its own timeout; the client's own would cut across the retries.
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <inheritdoc />
    public ChannelDescriptor Descriptor { get; }

    /// <summary>Waits between attempts; the tests replace it to see each backoff exactly instead of timing requests.</summary>
    internal Func<TimeSpan, CancellationToken, Task> Delay { get; set; } = static (wait, cancellationToken) => Task.Delay(wait, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Channel != Descriptor.Id)
        {
            throw new ArgumentException($"The message is for channel {message.Channel}, not {Descriptor.Id}.", nameof(message));
        }

        if (message.Recipient.Kind != Descriptor.ContactPointKind)
        {
            throw new ArgumentException($"Channel {Descriptor.Id} sends to {Descriptor.ContactPointKind} contact points, not {message.Recipient.Kind}.", nameof(message));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var body = Serialize(message);
        var reason = "no attempt was made";
        var asked = TimeSpan.Zero;
        for (var attempt = 1; attempt <= _options.MaxAttempts; attempt++)
        {
            if (attempt > 1)
            {
                var backoff = _options.BackoffAfter(attempt - 1);
                await Delay(asked > backoff ? asked : backoff, cancellationToken).ConfigureAwait(false);
                asked = TimeSpan.Zero;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.Timeout.ToTimeSpan());
            using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.Add(IdempotencyKeyHeader, message.IdempotencyKey);
            try
            {
                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    var id = response.Headers.TryGetValues(MessageIdHeader, out var values) ? values.FirstOrDefault() : null;
                    return DeliveryResult.Delivered(string.IsNullOrWhiteSpace(id) ? message.IdempotencyKey : id);
                }

                reason = $"HTTP {status} after {attempt} attempt(s)";
                if (!IsTransient(response.StatusCode))
                {
                    return DeliveryResult.Permanent($"the endpoint refused the message: HTTP {status}");
                }

                if (RetryAfter(response, _options.Clock.GetCurrentInstant()) is { } wait)
                {
                    if (wait > _options.MaxRetryAfter)
                    {
                        return DeliveryResult.Retryable(
                            $"HTTP {status} after {attempt} attempt(s) asked to retry after {wait.TotalSeconds:0.###} s, longer than MaxRetryAfter ({_options.MaxRetryAfter.TotalSeconds:0.###} s)");
                    }

                    asked = wait.ToTimeSpan();
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                reason = $"timed out after {_options.Timeout.TotalMilliseconds:0} ms ({attempt} attempt(s))";
            }
            catch (HttpRequestException e)
            {
                reason = $"the request failed: {e.HttpRequestError} ({attempt} attempt(s))";
            }
        }

        return DeliveryResult.Retryable(reason);
    }

    /// <summary>Releases the connection pool.</summary>
    public void Dispose() => _client.Dispose();

    /// <summary>
    /// The wait a 429 or 503 answer asks for in its <c>Retry-After</c> header, measured from <paramref name="now"/> for the
    /// HTTP-date form (a date already past asks for none); null for other answers and for a missing or unreadable header.
    /// </summary>
    private static Duration? RetryAfter(HttpResponseMessage response, Instant now)
    {
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable) || response.Headers.RetryAfter is not { } header)
        {
            return null;
        }

        var wait = header.Delta is { } delta ? Duration.FromTimeSpan(delta)
            : header.Date is { } date ? Instant.FromDateTimeOffset(date) - now
            : (Duration?)null;
        return wait < Duration.Zero ? Duration.Zero : wait;
    }

    private static bool IsTransient(HttpStatusCode status)
        => status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static byte[] Serialize(OutboundMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("idempotencyKey", message.IdempotencyKey);
            w.WriteString("tenant", message.TenantId.Value);
            w.WriteString("customerId", message.CustomerId.ToString());
            w.WriteString("channel", message.Channel.Value);
            w.WriteStartObject("recipient");
            w.WriteString("kind", message.Recipient.Kind.ToString());
            w.WriteString("value", message.Recipient.NormalizedValue);
            w.WriteEndObject();
            w.WriteString("purpose", message.Purpose.Value);
            w.WriteString("function", message.Function.ToString());
            w.WriteString("subject", message.Content.Subject);
            w.WriteString("body", message.Content.Body);
            w.WriteString("campaignId", message.CampaignId);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}

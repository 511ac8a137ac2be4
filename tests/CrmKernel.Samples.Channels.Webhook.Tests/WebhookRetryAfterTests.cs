using CrmKernel.Channels;
using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace CrmKernel.Samples.Channels.Webhook.Tests;

/// <summary>
/// The webhook channel honours <c>Retry-After</c> on 429 and 503 against a real HTTP listener: both header forms, the
/// cap of <see cref="WebhookChannelOptions.MaxRetryAfter"/>, and headers that must be ignored. Waits are kept short:
/// the HTTP-date form is measured against a fake clock set just before the date the server sends.
/// </summary>
public sealed class WebhookRetryAfterTests : IAsyncLifetime
{
    /// <summary>The date the server's HTTP-date headers name (HTTP dates have whole seconds).</summary>
    private static readonly Instant ServerDate = Instant.FromUtc(2026, 3, 2, 12, 0);

    private const string ServerDateText = "Mon, 02 Mar 2026 12:00:00 GMT";

    private readonly WebhookServer _server = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A429WithDeltaSeconds_WaitsThatLong_ThenDelivers_AtTheCapInclusive()
    {
        using var channel = Channel(maxRetryAfter: Duration.FromSeconds(1));
        var waits = Observe(channel);
        _server.Script(new Answer(429, RetryAfter: "1"));

        var result = await channel.SendAsync(Message(), CancellationToken.None);

        Assert.True(result.IsDelivered, result.ToString());
        var requests = _server.Requests;
        Assert.Equal([429, 200], requests.Select(r => r.Status));
        // The backoff alone is 20 ms; the header asked for a whole second.
        Assert.Equal([TimeSpan.FromSeconds(1)], waits);
        Assert.All(requests, r => Assert.Equal("order-1001/shipped", r.IdempotencyKey));
    }

    [Fact]
    public async Task A503WithAnHttpDate_WaitsUntilThatDate_OnTheChannelsClock()
    {
        using var channel = Channel(clock: new FakeClock(ServerDate - Duration.FromMilliseconds(300)));
        var waits = Observe(channel);
        _server.Script(new Answer(503, RetryAfter: ServerDateText));

        var result = await channel.SendAsync(Message(), CancellationToken.None);

        Assert.True(result.IsDelivered, result.ToString());
        var requests = _server.Requests;
        Assert.Equal([503, 200], requests.Select(r => r.Status));
        Assert.Equal([TimeSpan.FromMilliseconds(300)], waits);
    }

    [Theory]
    [InlineData(429, "3600", "3600 s")]
    [InlineData(503, ServerDateText, "7200 s")] // the fake clock is two hours before the date
    public async Task AWaitLongerThanMaxRetryAfter_EndsTheSendAtOnce_AsRetryable(int status, string retryAfter, string asked)
    {
        using var channel = Channel(maxRetryAfter: Duration.FromSeconds(1), clock: new FakeClock(ServerDate - Duration.FromHours(2)));
        _server.Script(new Answer(status, RetryAfter: retryAfter));

        var result = await channel.SendAsync(Message(), CancellationToken.None);

        Assert.Equal(DeliveryStatus.FailedRetryable, result.Status);
        Assert.Contains($"HTTP {status}", result.Reason, StringComparison.Ordinal);
        Assert.Contains(asked, result.Reason, StringComparison.Ordinal);
        Assert.Contains("MaxRetryAfter (1 s)", result.Reason, StringComparison.Ordinal);
        await Task.Delay(100); // longer than the backoff: a retry would have arrived
        Assert.Single(_server.Requests);
    }

    [Theory]
    [InlineData(429, "0")]
    [InlineData(503, ServerDateText)] // a date already past on the channel's clock asks for no wait
    [InlineData(503, "soon")] // unreadable: ignored, the backoff applies
    [InlineData(500, "3600")] // only 429 and 503 carry a Retry-After the channel reads
    [InlineData(408, "3600")]
    public async Task ARetryAfterAskingForNoWait_OrNotRead_IsRetriedAtOnce_EvenWithMaxRetryAfterZero(int status, string retryAfter)
    {
        // With MaxRetryAfter 0, any header read as asking for a wait would end the send after one request.
        using var channel = Channel(maxRetryAfter: Duration.Zero, clock: new FakeClock(ServerDate + Duration.FromHours(1)));
        _server.Script(new Answer(status, RetryAfter: retryAfter));

        var result = await channel.SendAsync(Message(), CancellationToken.None);

        Assert.True(result.IsDelivered, result.ToString());
        Assert.Equal([status, 200], _server.Requests.Select(r => r.Status));
    }

    [Fact]
    public async Task ARetryAfterOnTheLastAttempt_IsNotWaitedFor()
    {
        var options = WebhookChannelTests.Options(_server.Endpoint);
        options.MaxAttempts = 1;
        options.MaxRetryAfter = Duration.FromMinutes(1);
        using var channel = new WebhookChannel(options);
        _server.Script(new Answer(429, RetryAfter: "30"));

        var started = DateTimeOffset.UtcNow;
        var result = await channel.SendAsync(Message(), CancellationToken.None);

        Assert.Equal(DeliveryStatus.FailedRetryable, result.Status);
        Assert.Contains("HTTP 429 after 1 attempt(s)", result.Reason, StringComparison.Ordinal);
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(10), "no 30-second wait after the last attempt");
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task CancellingDuringARetryAfterWait_Throws_AndDoesNotRetry()
    {
        using var channel = Channel(maxRetryAfter: Duration.FromSeconds(30));
        _server.Script(new Answer(429, RetryAfter: "20"));
        using var cancel = new CancellationTokenSource();

        var send = channel.SendAsync(Message(), cancel.Token).AsTask();
        await _server.WaitForRequestsAsync(1);
        await Task.Delay(100);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public void MaxRetryAfterAndClock_AreValidated_NamingTheSetting()
    {
        void Bad(Action<WebhookChannelOptions> change, string name)
        {
            var options = WebhookChannelTests.Options(new Uri("https://hooks.example/crm"));
            change(options);
            Assert.Equal(name, Assert.Throws<ArgumentException>(() => new WebhookChannel(options)).ParamName);
        }

        Bad(o => o.MaxRetryAfter = Duration.FromMilliseconds(-1), nameof(WebhookChannelOptions.MaxRetryAfter));
        Bad(o => o.MaxRetryAfter = Duration.FromMinutes(10) + Duration.FromMilliseconds(1), nameof(WebhookChannelOptions.MaxRetryAfter));
        Bad(o => o.Clock = null!, nameof(WebhookChannelOptions.Clock));
        var edge = WebhookChannelTests.Options(new Uri("https://hooks.example/crm"));
        edge.MaxRetryAfter = Duration.FromMinutes(10);
        using var accepted = new WebhookChannel(edge);
        Assert.Equal(Duration.FromSeconds(30), new WebhookChannelOptions().MaxRetryAfter);
    }

    private WebhookChannel Channel(Duration? maxRetryAfter = null, IClock? clock = null)
    {
        var options = WebhookChannelTests.Options(_server.Endpoint);
        options.MaxRetryAfter = maxRetryAfter ?? options.MaxRetryAfter;
        options.Clock = clock ?? options.Clock;
        return new WebhookChannel(options);
    }

    private static OutboundMessage Message() => new(
        new TenantId("acme"),
        CustomerId.New(),
        new ChannelId("webhook"),
        EmailAddress.Parse("ada@example.com"),
        ConsentPurpose.Service,
        CrmFunction.Service,
        new MessageContent("Your order has shipped.", "Shipped"),
        "order-1001/shipped",
        null);

    /// <summary>Records each wait between attempts instead of waiting, so the test sees the backoff exactly.</summary>
    private static List<TimeSpan> Observe(WebhookChannel channel)
    {
        var waits = new List<TimeSpan>();
        channel.Delay = (wait, _) =>
        {
            waits.Add(wait);
            return Task.CompletedTask;
        };
        return waits;
    }
}

using System.Text.Json;
using CrmKernel.Channels;
using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Primitives;
using CrmKernel.Services.Channels;
using CrmKernel.Touchpoints;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Xunit;

namespace CrmKernel.Samples.Channels.Webhook.Tests;

/// <summary>The webhook channel against a real HTTP listener: success, failures, timeouts, retries and options.</summary>
public sealed class WebhookChannelTests : IAsyncLifetime
{
    private readonly WebhookServer _server = new();
    private WebhookChannel _channel = null!;

    public Task InitializeAsync()
    {
        _channel = new WebhookChannel(Options(_server.Endpoint));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _server.DisposeAsync();
    }

    internal static WebhookChannelOptions Options(Uri endpoint) => new()
    {
        Endpoint = endpoint,
        Channel = new ChannelId("webhook"),
        CostPerContact = Money.Of(0.002m, "EUR"),
        // Long enough that a loaded CI machine never times out a healthy answer; the timeout tests shorten it.
        Timeout = Duration.FromSeconds(1),
        MaxAttempts = 3,
        InitialBackoff = Duration.FromMilliseconds(20),
        MaxBackoff = Duration.FromMilliseconds(100),
    };

    private static WebhookChannelOptions ShortTimeout(Uri endpoint)
    {
        var options = Options(endpoint);
        options.Timeout = Duration.FromMilliseconds(200);
        return options;
    }

    private static OutboundMessage Message(string key = "order-1001/shipped") => new(
        new TenantId("acme"),
        CustomerId.New(),
        new ChannelId("webhook"),
        EmailAddress.Parse("ada@example.com"),
        ConsentPurpose.Service,
        CrmFunction.Service,
        new MessageContent("Your order has shipped — ünïcödé ✓", "Shipped"),
        key,
        "autumn");

    [Fact]
    public async Task Send_PostsTheMessageAsJson_WithTheIdempotencyKey_AndIsDelivered()
    {
        var message = Message();

        var result = await _channel.SendAsync(message, CancellationToken.None);

        Assert.True(result.IsDelivered);
        Assert.Equal("srv-1", result.ProviderMessageId);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("order-1001/shipped", request.IdempotencyKey);
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        var json = WebhookServer.Json(request);
        Assert.Equal("order-1001/shipped", json.GetProperty("idempotencyKey").GetString());
        Assert.Equal("acme", json.GetProperty("tenant").GetString());
        Assert.Equal(message.CustomerId.ToString(), json.GetProperty("customerId").GetString());
        Assert.Equal("webhook", json.GetProperty("channel").GetString());
        Assert.Equal("Email", json.GetProperty("recipient").GetProperty("kind").GetString());
        Assert.Equal("ada@example.com", json.GetProperty("recipient").GetProperty("value").GetString());
        Assert.Equal("service", json.GetProperty("purpose").GetString());
        Assert.Equal("Service", json.GetProperty("function").GetString());
        Assert.Equal("Shipped", json.GetProperty("subject").GetString());
        Assert.Equal(message.Content.Body, json.GetProperty("body").GetString());
        Assert.Equal("autumn", json.GetProperty("campaignId").GetString());
    }

    [Fact]
    public async Task Send_5xxThenSuccess_RetriesWithTheSameKey_AndIsDelivered()
    {
        _server.Script(new Answer(503), new Answer(500));

        var result = await _channel.SendAsync(Message(), CancellationToken.None);

        Assert.True(result.IsDelivered, result.ToString());
        Assert.Equal([503, 500, 200], _server.Requests.Select(r => r.Status));
        Assert.All(_server.Requests, r => Assert.Equal("order-1001/shipped", r.IdempotencyKey));
        Assert.Single(_server.Requests.Select(r => r.Body).Distinct());
    }

    [Fact]
    public async Task Send_AlwaysFailing_GivesUpAfterMaxAttempts_AsRetryable_WithGrowingBackoff()
    {
        _server.Default = new Answer(502);
        var waits = new List<TimeSpan>();
        _channel.Delay = (wait, _) =>
        {
            waits.Add(wait);
            return Task.CompletedTask;
        };

        var result = await _channel.SendAsync(Message(), CancellationToken.None);

        Assert.Equal(DeliveryStatus.FailedRetryable, result.Status);
        Assert.Contains("HTTP 502", result.Reason, StringComparison.Ordinal);
        Assert.Equal(3, _server.Requests.Count);
        // InitialBackoff is 20 ms; the second wait doubles it. Observed, not timed: a loaded machine cannot make it flaky.
        Assert.Equal([TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(40)], waits);
    }

    [Fact]
    public async Task Send_TimingOut_IsRetried_ThenReportedRetryable()
    {
        _channel.Dispose();
        _channel = new WebhookChannel(ShortTimeout(_server.Endpoint));
        _server.Default = new Answer(200, TimeSpan.FromSeconds(3));

        var started = DateTimeOffset.UtcNow;
        var result = await _channel.SendAsync(Message(), CancellationToken.None);
        var took = DateTimeOffset.UtcNow - started;

        Assert.Equal(DeliveryStatus.FailedRetryable, result.Status);
        Assert.Contains("timed out after 200 ms", result.Reason, StringComparison.Ordinal);
        Assert.Equal(3, (await _server.WaitForRequestsAsync(3)).Count);
        Assert.True(took < TimeSpan.FromSeconds(2.5), $"each attempt stops at its timeout (took {took})");
    }

    [Fact]
    public async Task Send_ATimeoutThenSuccess_IsDelivered()
    {
        _channel.Dispose();
        _channel = new WebhookChannel(ShortTimeout(_server.Endpoint));
        _server.Script(new Answer(200, TimeSpan.FromSeconds(3)));

        var result = await _channel.SendAsync(Message(), CancellationToken.None);

        Assert.True(result.IsDelivered, result.ToString());
        Assert.Equal(2, _server.Requests.Count);
        Assert.All(_server.Requests, r => Assert.Equal("order-1001/shipped", r.IdempotencyKey));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(422)]
    public async Task Send_4xx_IsPermanent_AndNotRetried(int status)
    {
        _server.Default = new Answer(status);

        var result = await _channel.SendAsync(Message(), CancellationToken.None);

        Assert.Equal(DeliveryStatus.FailedPermanent, result.Status);
        Assert.Contains($"HTTP {status}", result.Reason, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    public async Task Send_408And429_AreRetried(int status)
    {
        _server.Script(new Answer(status));

        Assert.True((await _channel.SendAsync(Message(), CancellationToken.None)).IsDelivered);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Send_NoListener_IsRetryable()
    {
        var closed = new WebhookServer();
        var endpoint = closed.Endpoint;
        await closed.DisposeAsync();
        using var channel = new WebhookChannel(Options(endpoint));

        var result = await channel.SendAsync(Message(), CancellationToken.None);

        Assert.Equal(DeliveryStatus.FailedRetryable, result.Status);
        Assert.DoesNotContain("ada@example.com", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_CancelledByTheCaller_Throws_AndDoesNotRetry()
    {
        _server.Default = new Answer(200, TimeSpan.FromSeconds(3));
        using var cancel = new CancellationTokenSource();

        var send = _channel.SendAsync(Message(), cancel.Token).AsTask();
        await _server.WaitForRequestsAsync(1);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
        await Task.Delay(300); // longer than any backoff: a retry would have arrived
        Assert.Single(_server.Requests);
    }

    [Fact]
    public void Options_AreValidated_NamingTheSetting()
    {
        WebhookChannelOptions Valid() => Options(new Uri("https://hooks.example/crm"));
        void Bad(Action<WebhookChannelOptions> change, string name)
        {
            var options = Valid();
            change(options);
            Assert.Equal(name, Assert.Throws<ArgumentException>(() => new WebhookChannel(options)).ParamName);
        }

        Assert.Equal(new ChannelId("webhook"), new WebhookChannel(Valid()).Descriptor.Id);
        Bad(o => o.Endpoint = null, nameof(WebhookChannelOptions.Endpoint));
        Bad(o => o.Endpoint = new Uri("ftp://hooks.example/"), nameof(WebhookChannelOptions.Endpoint));
        Bad(o => o.Endpoint = new Uri("/relative", UriKind.Relative), nameof(WebhookChannelOptions.Endpoint));
        Bad(o => o.CostPerContact = null, nameof(WebhookChannelOptions.CostPerContact));
        Bad(o => o.Timeout = Duration.Zero, nameof(WebhookChannelOptions.Timeout));
        Bad(o => o.MaxAttempts = 0, nameof(WebhookChannelOptions.MaxAttempts));
        Bad(o => o.MaxAttempts = 11, nameof(WebhookChannelOptions.MaxAttempts));
        Bad(o => o.InitialBackoff = Duration.FromMilliseconds(-1), nameof(WebhookChannelOptions.InitialBackoff));
        Bad(o => o.MaxBackoff = Duration.FromMilliseconds(10), nameof(WebhookChannelOptions.MaxBackoff));
        Bad(o => o.Channel = default, nameof(WebhookChannelOptions.Channel));
        Bad(o => o.DisplayName = " ", "displayName");
        Bad(o => o.CostPerContact = Money.Of(-1m, "EUR"), "costPerContact");
    }

    [Fact]
    public void Options_AreCopied_SoLaterChangesDoNotReachTheChannel()
    {
        var options = Options(_server.Endpoint);
        using var channel = new WebhookChannel(options);
        options.Channel = new ChannelId("changed");
        Assert.Equal(new ChannelId("webhook"), channel.Descriptor.Id);
    }

    [Fact]
    public async Task AddWebhookChannel_ValidatesAtRegistration_AndTheDispatcherSendsThroughIt()
    {
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddCrmKernel(b => b.AddWebhookChannel(new WebhookChannelOptions())));

        await using var services = new ServiceCollection()
            .AddCrmKernel(b => b.UseInMemoryStores().AddWebhookChannel(Options(_server.Endpoint)).UseContactPolicy(new ContactPolicy(DateTimeZone.Utc)))
            .BuildServiceProvider();
        var customers = services.GetRequiredService<Services.Customers.CustomerRepository>();
        var customer = Customers.Customer.Register(new TenantId("acme"), new Customers.PersonProfile("Ada", "Lovelace"), SystemClock.Instance);
        customer.AddContactPoint(EmailAddress.Parse("ada@example.com"));
        customer.RecordConsent(new ConsentEntry(ConsentPurpose.Service, null, null, ConsentStatus.Granted, LawfulBasis.Contract, "order", customer.CreatedAt));
        await customers.SaveAsync(customer);
        var dispatcher = services.GetRequiredService<ChannelDispatcher>();

        var result = await dispatcher.DispatchAsync(new TenantId("acme"), new DispatchRequest(customer.Id, new ChannelId("webhook"), ConsentPurpose.Service, CrmFunction.Service, new MessageContent("Shipped"), "order-1/shipped"));

        Assert.Equal(DispatchOutcome.Sent, result.Outcome);
        Assert.Equal(Money.Of(0.002m, "EUR"), result.Touchpoint!.Cost);
        Assert.Equal("order-1/shipped", Assert.Single(_server.Requests).IdempotencyKey);
        Assert.Equal(JsonValueKind.String, WebhookServer.Json(_server.Requests[0]).GetProperty("body").ValueKind);
    }
}

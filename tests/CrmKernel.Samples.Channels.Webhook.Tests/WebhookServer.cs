using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace CrmKernel.Samples.Channels.Webhook.Tests;

/// <summary>One request the test server received, and what it answered.</summary>
internal sealed record ReceivedRequest(string Method, string? IdempotencyKey, string? ContentType, string Body, int Status, TimeSpan At);

/// <summary>How the test server answers one request: a status code, after a delay, with a <c>Retry-After</c> header when one is given.</summary>
internal readonly record struct Answer(int Status, TimeSpan Delay = default, string? RetryAfter = null);

/// <summary>
/// A real HTTP endpoint on 127.0.0.1 and a free port (HttpListener), for the webhook channel's tests: answers each
/// request as scripted (queued answers first, then the default), and records every request with its answer.
/// </summary>
internal sealed class WebhookServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<Answer> _scripted = new();
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public WebhookServer()
    {
        // Ask the OS for a free port, then listen on it; retry if another process takes it in between.
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Endpoint = new Uri($"http://127.0.0.1:{port}/hooks/crm/");
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add(Endpoint.ToString());
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }

        _loop = Task.Run(LoopAsync);

        // One request before the test's own, so that the first real request does not pay for JIT and connection set-up
        // (which on a loaded machine can outlast a short timeout).
        using var warmUp = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Endpoint);
        request.Headers.Add(WarmUpHeader, "1");
        warmUp.Send(request).Dispose();
    }

    private const string WarmUpHeader = "X-Warm-Up";

    public Uri Endpoint { get; }

    /// <summary>The answer to requests nothing is scripted for; 200 by default.</summary>
    public Answer Default { get; set; } = new(200);

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    /// <summary>
    /// What an idempotent receiver would have processed: the first accepted (2xx) request of each idempotency key. A
    /// request the client abandoned (a timeout) but the server still accepted counts, as it would in production.
    /// </summary>
    public IReadOnlyList<ReceivedRequest> Processed => [.. _requests.Where(r => r.Status is >= 200 and < 300).DistinctBy(r => r.IdempotencyKey)];

    /// <summary>
    /// Waits (up to 5 s) until at least <paramref name="count"/> requests have arrived: a request the client gave up on
    /// may reach the server's log a moment after the client returns.
    /// </summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForRequestsAsync(int count)
    {
        var deadline = _clock.Elapsed + TimeSpan.FromSeconds(5);
        while (_requests.Count < count && _clock.Elapsed < deadline)
        {
            await Task.Delay(10);
        }

        return Requests;
    }

    /// <summary>Answers the next requests with these, in order, before falling back to <see cref="Default"/>.</summary>
    public void Script(params Answer[] answers)
    {
        foreach (var answer in answers)
        {
            _scripted.Enqueue(answer);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.InputStream, context.Request.ContentEncoding);
            var body = await reader.ReadToEndAsync();
            if (context.Request.Headers[WarmUpHeader] is not null)
            {
                context.Response.StatusCode = 204;
                context.Response.Close();
                return;
            }

            var answer = _scripted.TryDequeue(out var scripted) ? scripted : Default;
            _requests.Enqueue(new ReceivedRequest(context.Request.HttpMethod, context.Request.Headers["Idempotency-Key"], context.Request.ContentType, body, answer.Status, _clock.Elapsed));
            if (answer.Delay > TimeSpan.Zero)
            {
                await Task.Delay(answer.Delay, _stop.Token);
            }

            context.Response.StatusCode = answer.Status;
            if (answer.RetryAfter is not null)
            {
                context.Response.Headers["Retry-After"] = answer.RetryAfter;
            }
            if (answer.Status is >= 200 and < 300)
            {
                context.Response.Headers["X-Message-Id"] = "srv-" + _requests.Count;
            }

            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            // The client gave up (a timeout test) or the server is stopping.
        }
    }

    /// <summary>Reads the body of an accepted request as JSON.</summary>
    public static JsonElement Json(ReceivedRequest request) => JsonDocument.Parse(request.Body).RootElement.Clone();
}

using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CrmKernel.CrashHarness;

/// <summary>One writer child process of a crash round, and the acknowledgement lines it wrote before it was killed.</summary>
internal sealed class WriterChild
{
    private readonly Process _process;
    private readonly Task<string> _stderr;
    private readonly Task _reader;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstAck = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _lines = [];
    private bool _killed;

    public WriterChild(string kind, string location, int round, int seed)
    {
        var start = Harness.ChildStart("child", kind, location, round.ToString(CultureInfo.InvariantCulture), seed.ToString(CultureInfo.InvariantCulture));
        _process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the writer");
        _stderr = _process.StandardError.ReadToEndAsync();
        _reader = Task.Run(ReadAsync);
    }

    public async Task WaitReadyAsync(int round)
    {
        var started = await Task.WhenAny(_ready.Task, _process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (started != _ready.Task)
        {
            await KillAsync();
            throw new InvalidOperationException($"round {round}: the writer did not get ready: {await _stderr}");
        }
    }

    /// <summary>Lets the writer go, kills it with SIGKILL after the delay, and returns every whole line it wrote.</summary>
    public async Task<List<string>> RunAndKillAsync(int round, IReadOnlyList<Guid> existing, bool afterFirstAck, TimeSpan delay)
    {
        await _process.StandardInput.WriteLineAsync("go " + string.Join(' ', existing));
        await _process.StandardInput.FlushAsync();
        if (afterFirstAck)
        {
            await Task.WhenAny(_firstAck.Task, _process.WaitForExitAsync());
        }

        await Task.Delay(delay);
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"round {round}: the writer stopped before it was killed (exit {_process.ExitCode}): {await _stderr}");
        }

        await KillAsync();
        lock (_lines)
        {
            return [.. _lines];
        }
    }

    public async Task KillAsync()
    {
        if (_killed)
        {
            return;
        }

        _killed = true;
        _process.Kill(entireProcessTree: true);   // SIGKILL on Linux
        await _process.WaitForExitAsync();
        await _reader;
        _ = await _stderr;
        _process.Dispose();
    }

    /// <summary>Reads whole lines only: a line the kill cut short was not acknowledged.</summary>
    private async Task ReadAsync()
    {
        var stream = _process.StandardOutput.BaseStream;
        var buffer = new byte[64 * 1024];
        var pending = new List<byte>();
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            pending.AddRange(buffer.AsSpan(0, read));
            int newline;
            while ((newline = pending.IndexOf((byte)'\n')) >= 0)
            {
                var line = Encoding.UTF8.GetString([.. pending.GetRange(0, newline)]);
                pending.RemoveRange(0, newline + 1);
                if (line == "ready")
                {
                    _ready.TrySetResult();
                    continue;
                }

                lock (_lines)
                {
                    _lines.Add(line);
                }

                _firstAck.TrySetResult();
            }
        }
    }
}

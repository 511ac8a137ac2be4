using Microsoft.Extensions.Logging;

namespace CrmKernel.Tests.Observability;

/// <summary>One log call as the kernel made it: level, event id, rendered message, structured values and exception.</summary>
internal sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyList<KeyValuePair<string, object?>> State, Exception? Exception)
{
    public object? this[string key] => State.FirstOrDefault(p => p.Key == key).Value;
}

/// <summary>Where <see cref="CollectingLogger{T}"/>s of one test write (register it as a singleton).</summary>
internal sealed class LogSink
{
    private readonly List<LogEntry> _entries = [];

    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public IReadOnlyList<LogEntry> WithId(int id) => [.. Entries.Where(e => e.EventId.Id == id)];

    public ILogger<T> For<T>() => new CollectingLogger<T>(this);

    /// <summary>Every message and structured value as text, to search for personal data.</summary>
    public IEnumerable<string> AllText => Entries.SelectMany(e => e.State.Select(p => Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty).Append(e.Message));

    internal void Add(LogEntry entry)
    {
        lock (_entries)
        {
            _entries.Add(entry);
        }
    }
}

/// <summary>A test logger: register <c>services.AddSingleton(typeof(ILogger&lt;&gt;), typeof(CollectingLogger&lt;&gt;))</c> with a <see cref="LogSink"/>.</summary>
internal sealed class CollectingLogger<T>(LogSink sink) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        sink.Add(new LogEntry(typeof(T).FullName!, logLevel, eventId, formatter(state, exception), [.. values], exception));
    }
}

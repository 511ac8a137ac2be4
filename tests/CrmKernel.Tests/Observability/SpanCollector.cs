using System.Diagnostics;
using CrmKernel.Diagnostics;

namespace CrmKernel.Tests.Observability;

/// <summary>
/// Listens to the <c>CrmKernel</c> activity source and keeps the spans of this test only: the collector opens a root
/// span of its own and keeps the finished spans of the same trace, so tests running in parallel do not mix.
/// </summary>
internal sealed class SpanCollector : IDisposable
{
    private static readonly ActivitySource TestSource = new("CrmKernel.Tests.Observability");

    private readonly ActivityListener _listener;
    private readonly Activity _root;
    private readonly List<Activity> _spans = [];

    public SpanCollector()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is CrmDiagnostics.ActivitySourceName or "CrmKernel.Tests.Observability",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (_spans)
                {
                    _spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
        _root = TestSource.StartActivity("test")!;
    }

    /// <summary>The finished kernel spans of this test, in the order they ended.</summary>
    public IReadOnlyList<Activity> Spans
    {
        get
        {
            lock (_spans)
            {
                return [.. _spans.Where(s => s.TraceId == _root.TraceId && s.Source.Name == CrmDiagnostics.ActivitySourceName)];
            }
        }
    }

    public IReadOnlyList<Activity> Named(string name) => [.. Spans.Where(s => s.OperationName == name)];

    /// <summary>Every tag value of every span as text, to search for personal data.</summary>
    public IEnumerable<string> AllTagValues => Spans.SelectMany(s => s.TagObjects).Select(t => Convert.ToString(t.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty)
        .Concat(Spans.Select(s => s.StatusDescription ?? string.Empty));

    public void Dispose()
    {
        _root.Dispose();
        _listener.Dispose();
    }
}

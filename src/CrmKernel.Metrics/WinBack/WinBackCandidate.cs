using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Metrics.WinBack;

/// <summary>A customer dissatisfied or lapsed (or former, after lapsing) as of the view's instant: who a win-back action is for.</summary>
public sealed class WinBackCandidate
{
    internal WinBackCandidate(CustomerId customer, WinBackPath path, LifecycleStage stage, Instant since)
    {
        Customer = customer;
        Path = path;
        Stage = stage;
        Since = since;
    }

    /// <summary>The customer.</summary>
    public CustomerId Customer { get; }

    /// <summary>Recovery (dissatisfied) or win-back (lapsed).</summary>
    public WinBackPath Path { get; }

    /// <summary>Their stage as of the view's instant.</summary>
    public LifecycleStage Stage { get; }

    /// <summary>Since when they are on the path (when they entered the dissatisfied or lapsed stage).</summary>
    public Instant Since { get; }

    /// <summary>The customer, stage and since when.</summary>
    public override string ToString() => $"{Customer} {Stage} since {Since}";
}

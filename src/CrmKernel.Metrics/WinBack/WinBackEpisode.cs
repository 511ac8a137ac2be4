using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Metrics.WinBack;

/// <summary>
/// One stay of a customer in the dissatisfied (or lapsed) stage that ended by the as-of instant: when it began and
/// ended, whether it ended in recovery (won back), and the actions — channels, kinds, campaigns of the touchpoints
/// strictly between the two instants. The drill-down of <see cref="WinBackView"/>.
/// </summary>
public sealed class WinBackEpisode
{
    internal WinBackEpisode(CustomerId customer, WinBackPath path, Instant start, Instant end, bool recovered, IReadOnlyList<string> channels, IReadOnlyList<string> kinds, IReadOnlyList<string> campaigns)
    {
        Customer = customer;
        Path = path;
        Start = start;
        End = end;
        Recovered = recovered;
        Channels = channels;
        Kinds = kinds;
        Campaigns = campaigns;
    }

    /// <summary>The customer.</summary>
    public CustomerId Customer { get; }

    /// <summary>Recovery (dissatisfied) or win-back (lapsed).</summary>
    public WinBackPath Path { get; }

    /// <summary>When the customer entered the stage.</summary>
    public Instant Start { get; }

    /// <summary>When they left it (to the recovered or won-back stage, or elsewhere).</summary>
    public Instant End { get; }

    /// <summary>True when they left to the recovered (won-back) stage.</summary>
    public bool Recovered { get; }

    /// <summary>How long the episode lasted.</summary>
    public Duration Duration => End - Start;

    /// <summary>The channels of the touchpoints in between, distinct, ordered.</summary>
    public IReadOnlyList<string> Channels { get; }

    /// <summary>The kinds of the touchpoints in between, distinct, ordered.</summary>
    public IReadOnlyList<string> Kinds { get; }

    /// <summary>The campaigns of the touchpoints in between, distinct, ordered.</summary>
    public IReadOnlyList<string> Campaigns { get; }

    /// <summary>The actions of one kind.</summary>
    public IReadOnlyList<string> Actions(WinBackActionKind kind) => kind switch
    {
        WinBackActionKind.Channel => Channels,
        WinBackActionKind.Kind => Kinds,
        _ => Campaigns,
    };

    /// <summary>The customer, path, span and outcome.</summary>
    public override string ToString() => $"{Customer} {Path} {Start}..{End} {(Recovered ? "recovered" : "not recovered")}";
}

using CrmKernel.Segments;
using NodaTime;

namespace CrmKernel.Metrics.WinBack;

/// <summary>
/// The win-back view of a group of customers — one segment, or all: the current candidates on each path, the ended
/// episodes and recovery rate of each path, and per action what it did for the group's customers ("similar customers").
/// </summary>
public sealed class WinBackSegment
{
    private readonly Dictionary<(WinBackPath Path, WinBackActionKind Kind, string Key), Tally> _actions = [];
    private readonly long[] _episodes = new long[2];
    private readonly long[] _recovered = new long[2];

    internal WinBackSegment(SegmentSnapshot? segment) => Snapshot = segment;

    /// <summary>The segment's snapshot, or null for the all-customers row.</summary>
    public SegmentSnapshot? Snapshot { get; }

    /// <summary>The segment, or null for the all-customers row.</summary>
    public SegmentId? Segment => Snapshot?.Segment;

    /// <summary>How many customers are dissatisfied as of the view's instant.</summary>
    public long Dissatisfied { get; private set; }

    /// <summary>How many customers are lapsed (or former, after lapsing) as of the view's instant.</summary>
    public long Lapsed { get; private set; }

    /// <summary>The ended episodes of a path.</summary>
    public long Episodes(WinBackPath path) => _episodes[(int)path - 1];

    /// <summary>The ended episodes of a path that ended in recovery.</summary>
    public long Recovered(WinBackPath path) => _recovered[(int)path - 1];

    /// <summary>Recovered ÷ ended episodes of a path; null with none.</summary>
    public decimal? RecoveryRate(WinBackPath path) => Episodes(path) == 0 ? null : (decimal)Recovered(path) / Episodes(path);

    /// <summary>
    /// Every action seen in the group's ended episodes: by path, then by recovery rate (highest first), then episodes (most
    /// first), then kind and key.
    /// </summary>
    public IReadOnlyList<WinBackAction> Actions
        => [.. _actions.Select(a => new WinBackAction(a.Key.Path, a.Key.Kind, a.Key.Key, a.Value.Episodes, a.Value.Durations.Count, Median(a.Value.Durations)))
            .OrderBy(a => a.Path).ThenByDescending(a => a.RecoveryRate).ThenByDescending(a => a.Episodes).ThenBy(a => a.Kind).ThenBy(a => a.Key, StringComparer.Ordinal)];

    /// <summary>The best actions of one path and kind: those of at least <paramref name="minimumEpisodes"/> episodes, best rate first.</summary>
    /// <param name="path">The path.</param>
    /// <param name="kind">Channel, kind or campaign.</param>
    /// <param name="minimumEpisodes">The fewest episodes an action needs to be listed (1 or more): a rate on two episodes says little.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minimumEpisodes"/> is less than 1.</exception>
    public IReadOnlyList<WinBackAction> BestActions(WinBackPath path, WinBackActionKind kind, int minimumEpisodes = 1)
    {
        Diagnostics.Preconditions.Positive(minimumEpisodes);
        return [.. Actions.Where(a => a.Path == path && a.Kind == kind && a.Episodes >= minimumEpisodes)];
    }

    /// <summary>The segment (or "all") and its candidate counts.</summary>
    public override string ToString() => $"{(Segment is { } s ? s.ToString() : "all")}: {Dissatisfied} dissatisfied, {Lapsed} lapsed";

    internal void Add(WinBackCandidate candidate)
    {
        if (candidate.Path == WinBackPath.Recovery)
        {
            Dissatisfied++;
        }
        else
        {
            Lapsed++;
        }
    }

    internal void Add(WinBackEpisode episode)
    {
        var path = (int)episode.Path - 1;
        _episodes[path]++;
        _recovered[path] += episode.Recovered ? 1 : 0;
        foreach (var kind in (ReadOnlySpan<WinBackActionKind>)[WinBackActionKind.Channel, WinBackActionKind.Kind, WinBackActionKind.Campaign])
        {
            foreach (var key in episode.Actions(kind))
            {
                if (!_actions.TryGetValue((episode.Path, kind, key), out var tally))
                {
                    _actions[(episode.Path, kind, key)] = tally = new Tally();
                }

                tally.Episodes++;
                if (episode.Recovered)
                {
                    tally.Durations.Add(episode.Duration);
                }
            }
        }
    }

    private static Duration? Median(List<Duration> durations)
    {
        if (durations.Count == 0)
        {
            return null;
        }

        var sorted = durations.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : sorted[middle - 1] + ((sorted[middle] - sorted[middle - 1]) / 2);
    }

    private sealed class Tally
    {
        public long Episodes;
        public readonly List<Duration> Durations = [];
    }
}

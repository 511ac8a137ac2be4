using NodaTime;

namespace CrmKernel.Metrics.WinBack;

/// <summary>
/// What an action did for similar customers: of the ended episodes of one path in which a touchpoint of this channel,
/// kind or campaign came between entering the stage and leaving it, how many ended in recovery, the rate, and the median
/// time to recover. An association, not a proof of cause: compare <see cref="RecoveryRate"/> with the path's overall rate.
/// </summary>
public sealed class WinBackAction
{
    internal WinBackAction(WinBackPath path, WinBackActionKind kind, string key, long episodes, long recovered, Duration? medianTimeToRecover)
    {
        Path = path;
        Kind = kind;
        Key = key;
        Episodes = episodes;
        Recovered = recovered;
        MedianTimeToRecover = medianTimeToRecover;
    }

    /// <summary>Recovery or win-back.</summary>
    public WinBackPath Path { get; }

    /// <summary>Whether <see cref="Key"/> is a channel, a kind or a campaign.</summary>
    public WinBackActionKind Kind { get; }

    /// <summary>The channel id, kind or campaign id.</summary>
    public string Key { get; }

    /// <summary>The ended episodes with at least one such touchpoint in between.</summary>
    public long Episodes { get; }

    /// <summary>Of those, the ones that ended in recovery.</summary>
    public long Recovered { get; }

    /// <summary>Recovered ÷ episodes.</summary>
    public decimal RecoveryRate => (decimal)Recovered / Episodes;

    /// <summary>The median duration of the recovered episodes (the mean of the two middle ones for an even count); null when none recovered.</summary>
    public Duration? MedianTimeToRecover { get; }

    /// <summary>The action and its rate.</summary>
    public override string ToString() => $"{Path} {Kind} {Key}: {Recovered}/{Episodes}";
}

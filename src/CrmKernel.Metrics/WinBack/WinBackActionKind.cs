namespace CrmKernel.Metrics.WinBack;

/// <summary>How the win-back view names an action: by the channel of a touchpoint, its kind, or its campaign.</summary>
public enum WinBackActionKind
{
    /// <summary>The touchpoint's channel id.</summary>
    Channel = 1,

    /// <summary>The touchpoint's kind.</summary>
    Kind = 2,

    /// <summary>The touchpoint's campaign id (touchpoints without one name no campaign action).</summary>
    Campaign = 3,
}

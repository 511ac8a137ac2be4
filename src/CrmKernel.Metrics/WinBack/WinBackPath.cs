namespace CrmKernel.Metrics.WinBack;

/// <summary>The two ways back the win-back view measures.</summary>
public enum WinBackPath
{
    /// <summary>Dissatisfied to recovered (the complaint-recovery path).</summary>
    Recovery = 1,

    /// <summary>Lapsed (or former) to won back.</summary>
    WinBack = 2,
}

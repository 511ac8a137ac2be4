namespace CrmKernel.Cases;

/// <summary>Where one target of an SLA (first response or resolution) stands for one case at one instant.</summary>
public enum SlaState
{
    /// <summary>The clock is running and less than the policy's at-risk share of the target has been used.</summary>
    Running = 1,

    /// <summary>The resolution clock is stopped while the case waits on the customer; nothing counts against the target.</summary>
    Paused = 2,

    /// <summary>The clock is running and at least the policy's at-risk share of the target has been used: act now.</summary>
    AtRisk = 3,

    /// <summary>The target was met: the response or resolution came before more than the target had elapsed.</summary>
    Met = 4,

    /// <summary>More than the target elapsed before it was met. Permanent: a later response, resolution or pause does not undo it.</summary>
    Breached = 5,
}

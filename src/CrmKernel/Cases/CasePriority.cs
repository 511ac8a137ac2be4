namespace CrmKernel.Cases;

/// <summary>
/// How urgently a service case must be handled. An SLA policy sets first-response and resolution targets per priority;
/// escalation raises it. Use <see cref="Normal"/> unless the host's triage says otherwise.
/// </summary>
public enum CasePriority
{
    /// <summary>Can wait: general questions, cosmetic issues.</summary>
    Low = 1,

    /// <summary>The default for a new case.</summary>
    Normal = 2,

    /// <summary>The customer is impeded; handle before normal cases.</summary>
    High = 3,

    /// <summary>The customer cannot work or is about to leave; handle first.</summary>
    Urgent = 4,
}

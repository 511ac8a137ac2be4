namespace CrmKernel.Lifecycle;

/// <summary>What makes a lifecycle rule fire.</summary>
public enum LifecycleTriggerKind
{
    /// <summary>A touchpoint of a given kind (and, optionally, satisfaction polarity) was recorded.</summary>
    Touchpoint = 1,

    /// <summary>The customer has not purchased for a given duration, measured against the clock.</summary>
    Inactivity = 2,

    /// <summary>Someone asked for the transition explicitly (e.g. "mark as former on request").</summary>
    Command = 3,
}

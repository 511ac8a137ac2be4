namespace CrmKernel.Cases;

/// <summary>
/// Where a service case stands in its workflow: new → in progress ⇄ waiting on customer → resolved → closed, with a
/// reopen from resolved back to in progress within the reopen window. Use it to filter cases; see
/// <see cref="ServiceCase"/> for the rules.
/// </summary>
public enum CaseStatus
{
    /// <summary>Opened, not yet worked.</summary>
    New = 1,

    /// <summary>An agent is working on it: the resolution clock runs and the time counts as handle time.</summary>
    InProgress = 2,

    /// <summary>Waiting for the customer to answer: the resolution clock is paused.</summary>
    WaitingOnCustomer = 3,

    /// <summary>Solved; can be reopened within the reopen window, then it is closed.</summary>
    Resolved = 4,

    /// <summary>Final: closed after its resolution, or merged into another case.</summary>
    Closed = 5,
}

namespace CrmKernel.Innovation;

/// <summary>
/// Where an idea stands in the company's consideration. The workflow runs Submitted → UnderReview → Planned → InProgress →
/// Shipped; Declined and Merged end it from any open status (see <see cref="Idea.CanMove"/>).
/// </summary>
public enum IdeaStatus
{
    /// <summary>Received, not yet looked at.</summary>
    Submitted = 1,

    /// <summary>Being assessed.</summary>
    UnderReview = 2,

    /// <summary>Accepted: the company will do it (a decision).</summary>
    Planned = 3,

    /// <summary>Being built.</summary>
    InProgress = 4,

    /// <summary>Done and available to customers (final).</summary>
    Shipped = 5,

    /// <summary>The company will not do it (a decision, final).</summary>
    Declined = 6,

    /// <summary>Folded into another idea, which carries on (a decision, final).</summary>
    Merged = 7,
}

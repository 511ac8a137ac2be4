namespace CrmKernel.Touchpoints;

/// <summary>
/// The four functions of CRM. Every touchpoint carries the function it served, so each department adds to
/// the one customer record without owning it.
/// </summary>
public enum CrmFunction
{
    /// <summary>How customers hear from the enterprise: campaigns, newsletters, offers and their responses.</summary>
    Marketing = 1,

    /// <summary>How customers buy: enquiries, quotes, orders, purchases, cancellations.</summary>
    Sales = 2,

    /// <summary>How customers are helped: questions, complaints, resolutions, returns.</summary>
    Service = 3,

    /// <summary>How customers shape what the enterprise makes: ideas, votes, feedback, and being told the outcome.</summary>
    Innovation = 4,
}

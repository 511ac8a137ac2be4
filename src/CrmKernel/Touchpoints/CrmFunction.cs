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

/// <summary>Which way a contact went.</summary>
public enum InteractionDirection
{
    /// <summary>The customer contacted the enterprise (a call, a web order, a complaint, an idea).</summary>
    Inbound = 1,

    /// <summary>The enterprise contacted the customer (a campaign email, a call back, a letter).</summary>
    Outbound = 2,
}

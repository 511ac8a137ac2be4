namespace CrmKernel.Touchpoints;

/// <summary>Which way a contact went.</summary>
public enum InteractionDirection
{
    /// <summary>The customer contacted the enterprise (a call, a web order, a complaint, an idea).</summary>
    Inbound = 1,

    /// <summary>The enterprise contacted the customer (a campaign email, a call back, a letter).</summary>
    Outbound = 2,
}

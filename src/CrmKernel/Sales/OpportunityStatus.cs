namespace CrmKernel.Sales;

/// <summary>Whether a deal is still being worked, won or lost. Use it to filter deals; the stage says where an open deal stands.</summary>
public enum OpportunityStatus
{
    /// <summary>Being worked, in one of its pipeline's stages.</summary>
    Open = 1,

    /// <summary>Closed won: the customer bought. Final: a won deal cannot be reopened.</summary>
    Won = 2,

    /// <summary>Closed lost. Can be reopened into an open stage.</summary>
    Lost = 3,
}

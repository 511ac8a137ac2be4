namespace CrmKernel.Innovation;

/// <summary>Which way a customer voted on an idea.</summary>
public enum IdeaVoteValue
{
    /// <summary>The customer wants it.</summary>
    For = 1,

    /// <summary>The customer does not want it.</summary>
    Against = 2,
}

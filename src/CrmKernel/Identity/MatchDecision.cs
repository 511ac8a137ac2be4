namespace CrmKernel.Identity;

/// <summary>What a rule makes of a pair's score.</summary>
public enum MatchDecision
{
    /// <summary>Below the probable threshold: not reported by a scan.</summary>
    Unlikely = 1,

    /// <summary>At or above the probable threshold: worth a person's review before a merge.</summary>
    Probable = 2,

    /// <summary>At or above the definite threshold: the same customer; a candidate for merging without review.</summary>
    Definite = 3,
}

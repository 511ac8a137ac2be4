namespace CrmKernel.Touchpoints;

/// <summary>Whether a score reads as good, indifferent or bad news about the relationship.</summary>
public enum SatisfactionPolarity
{
    /// <summary>A detractor, a dissatisfied customer, or high effort.</summary>
    Negative = -1,

    /// <summary>Neither: a passive, a neutral rating.</summary>
    Neutral = 0,

    /// <summary>A promoter, a satisfied customer, or low effort.</summary>
    Positive = 1,
}

namespace CrmKernel.Touchpoints;

/// <summary>The survey scales the kernel knows. Each has its own type; scores on different scales are never mixed.</summary>
public enum SatisfactionScale
{
    /// <summary>Customer satisfaction, 1 (very dissatisfied) to 5 (very satisfied): <see cref="CsatScore"/>.</summary>
    Csat = 1,

    /// <summary>Net Promoter likelihood to recommend, 0 to 10: <see cref="NpsScore"/>.</summary>
    Nps = 2,

    /// <summary>Customer Effort Score (2010), 1 (very low effort) to 5 (very high effort); lower is better: <see cref="CesScore"/>.</summary>
    Ces = 3,

    /// <summary>Customer Effort Score 2.0, 1 (strongly disagree that it was easy) to 7 (strongly agree); higher is better: <see cref="Ces2Score"/>.</summary>
    Ces2 = 4,
}

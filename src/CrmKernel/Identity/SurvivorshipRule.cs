namespace CrmKernel.Identity;

/// <summary>
/// How a merge picks a field's value from the two customers' values. Set one per field in
/// <see cref="SurvivorshipPolicy"/>; a field without a rule uses <see cref="NonEmpty"/>.
/// </summary>
public enum SurvivorshipRule
{
    /// <summary>The survivor's value unless it is empty, then the merged customer's.</summary>
    NonEmpty = 1,

    /// <summary>The value of the customer changed most recently (<c>UpdatedAt</c>; the survivor on a tie); the other's when that one is empty.</summary>
    MostRecent = 2,

    /// <summary>
    /// The value of the customer from the most trusted source: the one holding an external identifier whose source comes
    /// first in <see cref="SurvivorshipPolicy.TrustedSources"/> (the survivor on a tie); the other's when that one is empty.
    /// </summary>
    MostTrustedSource = 3,

    /// <summary>The side <see cref="SurvivorshipPolicy.Custom"/> chooses, even when its value is empty.</summary>
    Custom = 4,
}

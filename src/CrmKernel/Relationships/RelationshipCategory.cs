namespace CrmKernel.Relationships;

/// <summary>The broad kind of a relationship, for filtering and reporting.</summary>
public enum RelationshipCategory
{
    /// <summary>Employment, corporate structure, colleagues.</summary>
    Business = 1,

    /// <summary>Households and family ties.</summary>
    Family = 2,

    /// <summary>Friends and social connections.</summary>
    Social = 3,

    /// <summary>Referrals, partnerships, reseller and agent relationships.</summary>
    Commercial = 4,
}

namespace CrmKernel.Segments;

/// <summary>How an <see cref="AttributeRule"/> or a <see cref="ScoreRule"/> compares a customer's value with the rule's.</summary>
public enum SegmentComparison
{
    /// <summary>The value equals the rule's value.</summary>
    Equal = 1,

    /// <summary>The value is present and differs from the rule's value.</summary>
    NotEqual = 2,

    /// <summary>The value is less than the rule's value.</summary>
    LessThan = 3,

    /// <summary>The value is less than or equal to the rule's value.</summary>
    LessThanOrEqual = 4,

    /// <summary>The value is greater than the rule's value.</summary>
    GreaterThan = 5,

    /// <summary>The value is greater than or equal to the rule's value.</summary>
    GreaterThanOrEqual = 6,

    /// <summary>The value equals one of the rule's values (attributes only).</summary>
    In = 7,

    /// <summary>The customer has a value at all (attributes only).</summary>
    Exists = 8,
}

using NodaTime;

namespace CrmKernel.Customers;

/// <summary>The types a custom attribute can hold.</summary>
public enum CustomAttributeType
{
    /// <summary>Free text (at most 2,000 characters).</summary>
    Text = 1,

    /// <summary>A decimal number.</summary>
    Number = 2,

    /// <summary>True or false.</summary>
    Boolean = 3,

    /// <summary>A calendar date (<see cref="LocalDate"/>).</summary>
    Date = 4,

    /// <summary>A point in time (<see cref="NodaTime.Instant"/>).</summary>
    Instant = 5,

    /// <summary>An amount of money in a currency (<see cref="Primitives.Money"/>).</summary>
    Money = 6,
}

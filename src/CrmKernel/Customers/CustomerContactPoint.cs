using CrmKernel.ContactPoints;
using CrmKernel.Diagnostics;

namespace CrmKernel.Customers;

/// <summary>
/// A contact point as held on a customer: the normalised <see cref="ContactPoint"/>, an optional label
/// ("work", "home", "billing") and whether it is the primary one of its kind. Read it from
/// <see cref="Customer.ContactPoints"/>; change it through the customer's methods.
/// </summary>
public sealed class CustomerContactPoint : IEquatable<CustomerContactPoint>
{
    /// <summary>The longest label accepted.</summary>
    public const int MaxLabelLength = 32;

    /// <summary>Creates an entry; used by stores rebuilding a <see cref="CustomerSnapshot"/>.</summary>
    /// <param name="value">The contact point.</param>
    /// <param name="isPrimary">Whether it is the customer's primary contact point of its kind.</param>
    /// <param name="label">A short label, stored lower-case; blank becomes null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException">The label is too long or contains a control character.</exception>
    public CustomerContactPoint(ContactPoint value, bool isPrimary, string? label = null)
    {
        Value = Preconditions.NotNull(value);
        IsPrimary = isPrimary;
#pragma warning disable CA1308 // Labels are identifiers compared case-insensitively; lower case is their canonical form.
        Label = ProfileText.Optional(label, nameof(label), MaxLabelLength)?.ToLowerInvariant();
#pragma warning restore CA1308
    }

    /// <summary>The contact point.</summary>
    public ContactPoint Value { get; }

    /// <summary>The kind of the contact point.</summary>
    public ContactPointKind Kind => Value.Kind;

    /// <summary>Whether this is the primary contact point of its kind; a customer has at most one per kind.</summary>
    public bool IsPrimary { get; }

    /// <summary>The label, lower-case, or null.</summary>
    public string? Label { get; }

    internal CustomerContactPoint WithPrimary(bool isPrimary) => new(Value, isPrimary, Label);

    /// <inheritdoc />
    public bool Equals(CustomerContactPoint? other)
        => other is not null && Value.Equals(other.Value) && IsPrimary == other.IsPrimary && Label == other.Label;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as CustomerContactPoint);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Value, IsPrimary, Label);
}

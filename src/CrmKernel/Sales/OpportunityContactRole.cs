using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

namespace CrmKernel.Sales;

/// <summary>
/// A person (or organisation) related to the deal's customer and the part they play in the deal, e.g. the decision
/// maker, the economic buyer, a champion. Add them with <see cref="Opportunity.AddContactRole"/>; the sales service
/// checks that the contact is related to the customer in the relationship graph.
/// </summary>
public sealed class OpportunityContactRole : IEquatable<OpportunityContactRole>
{
    /// <summary>The longest role.</summary>
    public const int MaxRoleLength = 64;

    /// <summary>Creates a contact role.</summary>
    /// <param name="contactId">The contact, a customer record of the same tenant.</param>
    /// <param name="role">The role, a slug such as <c>decision-maker</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="role"/> is null.</exception>
    /// <exception cref="ArgumentException">A default id, or a role that is not a slug of at most <see cref="MaxRoleLength"/> characters.</exception>
    public OpportunityContactRole(CustomerId contactId, string role)
    {
        ContactId = Preconditions.NotDefault(contactId);
        Role = Slug.Require(role, MaxRoleLength, "contact role", nameof(role));
    }

    /// <summary>The contact.</summary>
    public CustomerId ContactId { get; }

    /// <summary>The role they play.</summary>
    public string Role { get; }

    /// <inheritdoc />
    public bool Equals(OpportunityContactRole? other) => other is not null && ContactId == other.ContactId && Role == other.Role;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as OpportunityContactRole);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(ContactId, Role);
}

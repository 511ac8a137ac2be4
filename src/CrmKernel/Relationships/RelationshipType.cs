using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

namespace CrmKernel.Relationships;

/// <summary>
/// A kind of relationship between two parties, with the role each side plays: "employer"/"employee",
/// "parent"/"subsidiary", "referrer"/"referred", or one role for both sides ("household-member"). Use the
/// well-known types or define your own; a relationship stores its whole type, so host types round-trip.
/// </summary>
/// <remarks>
/// A relationship of this type from A to B reads "A is the <see cref="ForwardRole"/> of B, B is the
/// <see cref="ReverseRole"/> of A". In a <see cref="IsHierarchical"/> type (parent/subsidiary) each party has at most
/// one parent at a time and cycles are refused.
/// </remarks>
public sealed class RelationshipType : IEquatable<RelationshipType>
{
    /// <summary>The most characters a relationship type id has, after normalisation.</summary>
    public const int MaxIdLength = 64;

    /// <summary>The most characters a role (forward or reverse) has, after normalisation.</summary>
    public const int MaxRoleLength = 64;

    /// <summary>Creates a relationship type.</summary>
    /// <param name="id">The type's id, e.g. <c>employment</c>.</param>
    /// <param name="forwardRole">The role of the first party, e.g. <c>employer</c>.</param>
    /// <param name="reverseRole">The role of the second party, e.g. <c>employee</c>; the same as <paramref name="forwardRole"/> for a symmetric type.</param>
    /// <param name="category">The broad kind.</param>
    /// <param name="isHierarchical">True for a tree-shaped type such as parent/subsidiary.</param>
    /// <exception cref="ArgumentNullException">A text argument is null.</exception>
    /// <exception cref="ArgumentException">An id or role is not a valid slug, the category is undefined, or a hierarchical type is symmetric.</exception>
    /// <exception cref="InputLimitExceededException">The id is longer than <see cref="MaxIdLength"/> or a role longer than <see cref="MaxRoleLength"/> (<c>CRM-INPUT-001</c>).</exception>
    public RelationshipType(string id, string forwardRole, string reverseRole, RelationshipCategory category, bool isHierarchical = false)
    {
        Id = Slug.Require(id, MaxIdLength, "relationship type id", nameof(id));
        ForwardRole = Slug.Require(forwardRole, MaxRoleLength, "role", nameof(forwardRole));
        ReverseRole = Slug.Require(reverseRole, MaxRoleLength, "role", nameof(reverseRole));
        Category = Preconditions.Defined(category);
        Preconditions.Check(!isHierarchical || ForwardRole != ReverseRole, "A hierarchical type needs two different roles.", nameof(isHierarchical));
        IsHierarchical = isHierarchical;
    }

    /// <summary>People and the organisations that employ them: employer → employee.</summary>
    public static RelationshipType Employment { get; } = new("employment", "employer", "employee", RelationshipCategory.Business);

    /// <summary>Corporate structure: parent → subsidiary. Hierarchical.</summary>
    public static RelationshipType ParentSubsidiary { get; } = new("parent-subsidiary", "parent", "subsidiary", RelationshipCategory.Business, isHierarchical: true);

    /// <summary>Who brought whom: referrer → referred.</summary>
    public static RelationshipType Referral { get; } = new("referral", "referrer", "referred", RelationshipCategory.Commercial);

    /// <summary>People living in one household. Symmetric.</summary>
    public static RelationshipType Household { get; } = new("household", "household-member", "household-member", RelationshipCategory.Family);

    /// <summary>People working together. Symmetric.</summary>
    public static RelationshipType Colleague { get; } = new("colleague", "colleague", "colleague", RelationshipCategory.Business);

    /// <summary>The type's id.</summary>
    public string Id { get; }

    /// <summary>The role of the first party (<see cref="Relationship.From"/>).</summary>
    public string ForwardRole { get; }

    /// <summary>The role of the second party (<see cref="Relationship.To"/>).</summary>
    public string ReverseRole { get; }

    /// <summary>True when both sides play the same role.</summary>
    public bool IsSymmetric => ForwardRole == ReverseRole;

    /// <summary>The broad kind.</summary>
    public RelationshipCategory Category { get; }

    /// <summary>True for a tree-shaped type: one parent per party at a time, no cycles.</summary>
    public bool IsHierarchical { get; }

    /// <inheritdoc />
    public bool Equals(RelationshipType? other)
        => other is not null && Id == other.Id && ForwardRole == other.ForwardRole && ReverseRole == other.ReverseRole && Category == other.Category && IsHierarchical == other.IsHierarchical;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as RelationshipType);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, ForwardRole, ReverseRole, Category, IsHierarchical);

    /// <summary>The type's id.</summary>
    public override string ToString() => Id;
}

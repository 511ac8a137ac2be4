using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Relationships;

/// <summary>
/// A typed, time-valid link between two parties: "<see cref="From"/> is the <see cref="RelationshipType.ForwardRole"/>
/// of <see cref="To"/>" from <see cref="ValidFrom"/> until <see cref="ValidTo"/> (open-ended when null). Relationships
/// are immutable; ending one gives a new version with an end, so history is kept. Create and end them through
/// <c>RelationshipGraph</c>; storage adapters rebuild them with <see cref="Create"/>.
/// </summary>
public sealed class Relationship
{
    private Relationship(TenantId tenantId, RelationshipId id, RelationshipType type, CustomerId from, CustomerId to, bool isPrimary, Instant validFrom, Instant? validTo, long version)
    {
        TenantId = tenantId;
        Id = id;
        Type = type;
        From = from;
        To = to;
        IsPrimary = isPrimary;
        ValidFrom = validFrom;
        ValidTo = validTo;
        Version = version;
    }

    /// <summary>The relationship's id.</summary>
    public RelationshipId Id { get; }

    /// <summary>The owning tenant.</summary>
    public TenantId TenantId { get; }

    /// <summary>The type, with its roles.</summary>
    public RelationshipType Type { get; }

    /// <summary>The party playing the forward role (e.g. the employer).</summary>
    public CustomerId From { get; }

    /// <summary>The party playing the reverse role (e.g. the employee).</summary>
    public CustomerId To { get; }

    /// <summary>
    /// Whether this is <see cref="To"/>'s primary relationship of its type (e.g. a person's main employer); for a
    /// symmetric type, for both parties. At most one primary per party and type at any instant.
    /// </summary>
    public bool IsPrimary { get; }

    /// <summary>When the relationship began (inclusive).</summary>
    public Instant ValidFrom { get; }

    /// <summary>When it ended (exclusive), or null while it lasts.</summary>
    public Instant? ValidTo { get; }

    /// <summary>The stored version: 1 when established, 2 once ended.</summary>
    public long Version { get; }

    /// <summary>
    /// Validates and creates a relationship; <c>RelationshipGraph</c> calls it for new ones and storage
    /// adapters to rebuild stored ones.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="type"/> is null.</exception>
    /// <exception cref="ArgumentException">A default id, a party related to itself, an end not after the start, or a version below 1.</exception>
    public static Relationship Create(TenantId tenantId, RelationshipId id, RelationshipType type, CustomerId from, CustomerId to, bool isPrimary, Instant validFrom, Instant? validTo, long version)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(id);
        Preconditions.NotNull(type);
        Preconditions.NotDefault(from);
        Preconditions.NotDefault(to);
        Preconditions.Check(from != to, "A party cannot be related to itself.", nameof(to));
        Preconditions.Check(validTo is null || validTo > validFrom, "A relationship must end after it begins.", nameof(validTo));
        Preconditions.Check(version >= 1, "The version must be 1 or more.", nameof(version));
        return new Relationship(tenantId, id, type, from, to, isPrimary, validFrom, validTo, version);
    }

    /// <summary>True when the relationship holds at <paramref name="instant"/>.</summary>
    public bool IsValidAt(Instant instant) => ValidFrom <= instant && (ValidTo is null || instant < ValidTo);

    /// <summary>True when the relationship holds at some instant of [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public bool Overlaps(Instant start, Instant? end) => (end is null || ValidFrom < end) && (ValidTo is null || start < ValidTo);

    /// <summary>True when <paramref name="party"/> is one of the two parties.</summary>
    public bool Involves(CustomerId party) => From == party || To == party;

    /// <summary>The other party.</summary>
    /// <exception cref="ArgumentException"><paramref name="party"/> is not a party to the relationship.</exception>
    public CustomerId Other(CustomerId party) => party == From ? To : party == To ? From : throw NotAParty(party);

    /// <summary>The role <paramref name="party"/> plays in this relationship.</summary>
    /// <exception cref="ArgumentException"><paramref name="party"/> is not a party to the relationship.</exception>
    public string RoleOf(CustomerId party) => party == From ? Type.ForwardRole : party == To ? Type.ReverseRole : throw NotAParty(party);

    internal Relationship EndedAt(Instant end) => Create(TenantId, Id, Type, From, To, IsPrimary, ValidFrom, end, Version + 1);

    private static ArgumentException NotAParty(CustomerId party) => new($"Customer {party} is not a party to this relationship.", nameof(party));
}

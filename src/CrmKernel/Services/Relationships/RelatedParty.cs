using CrmKernel.Primitives;
using CrmKernel.Relationships;

namespace CrmKernel.Services.Relationships;

/// <summary>A party reached through a relationship, with that relationship.</summary>
public sealed class RelatedParty
{
    internal RelatedParty(CustomerId party, Relationship via)
    {
        Party = party;
        Via = via;
    }

    /// <summary>The related party.</summary>
    public CustomerId Party { get; }

    /// <summary>The relationship that links it.</summary>
    public Relationship Via { get; }
}

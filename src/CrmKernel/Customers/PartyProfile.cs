namespace CrmKernel.Customers;

/// <summary>
/// The descriptive fields of a party: a <see cref="PersonProfile"/> or an <see cref="OrganizationProfile"/>.
/// Profiles are immutable values; change a customer's profile with <see cref="Customer.ChangeProfile(PartyProfile)"/>
/// and a profile built with the <c>With…</c> methods.
/// </summary>
/// <remarks>The set of profile kinds is closed: only the two sealed types in this namespace derive from it.</remarks>
public abstract class PartyProfile : IEquatable<PartyProfile>
{
    /// <summary>
    /// The most characters a profile's name fields (given, family, preferred, legal and trading name), job title and
    /// industry have, after white space is collapsed.
    /// </summary>
    public const int MaxTextLength = 200;

    private protected PartyProfile()
    {
    }

    /// <summary>The kind of party the profile describes.</summary>
    public abstract PartyKind Kind { get; }

    /// <summary>The name to show for the party, derived from the profile's fields. Personal data: keep it out of logs.</summary>
    public abstract string DisplayName { get; }

    /// <summary>True when <paramref name="other"/> is the same kind of profile with equal fields.</summary>
    public abstract bool Equals(PartyProfile? other);

    /// <inheritdoc />
    public sealed override bool Equals(object? obj) => Equals(obj as PartyProfile);

    /// <inheritdoc />
    public abstract override int GetHashCode();
}

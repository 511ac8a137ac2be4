namespace CrmKernel.Customers;

/// <summary>Whether a party (a customer or a related party) is a natural person or an organisation.</summary>
public enum PartyKind
{
    /// <summary>A natural person; profile is a <see cref="PersonProfile"/>.</summary>
    Person = 1,

    /// <summary>A company, public body, charity or other organisation; profile is an <see cref="OrganizationProfile"/>.</summary>
    Organization = 2,
}

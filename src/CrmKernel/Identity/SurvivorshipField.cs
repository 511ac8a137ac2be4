namespace CrmKernel.Identity;

/// <summary>The fields (or groups of fields that only make sense together) a <see cref="SurvivorshipRule"/> decides.</summary>
public enum SurvivorshipField
{
    /// <summary>A person's given, family and preferred names, or an organisation's legal and trading names, taken together.</summary>
    Names = 1,

    /// <summary>A person's honorific and job title.</summary>
    Titles = 2,

    /// <summary>A person's birth date.</summary>
    BirthDate = 3,

    /// <summary>A person's preferred language.</summary>
    PreferredLanguage = 4,

    /// <summary>An organisation's registration number and tax id, taken together.</summary>
    Registration = 5,

    /// <summary>An organisation's industry, website and employee count, taken together.</summary>
    Firmographics = 6,

    /// <summary>The home time zone.</summary>
    HomeTimeZone = 7,

    /// <summary>Each custom attribute, decided name by name.</summary>
    CustomAttributes = 8,
}

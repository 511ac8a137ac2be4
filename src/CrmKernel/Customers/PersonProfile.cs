using CrmKernel.Diagnostics;
using NodaTime;

namespace CrmKernel.Customers;

/// <summary>
/// The profile of a natural person: names, honorific, birth date, preferred language and job title.
/// Use it to register a person customer with <see cref="Customer.Register(Primitives.TenantId, PartyProfile, IClock)"/>.
/// </summary>
/// <remarks>
/// Text fields are trimmed and single-spaced, at most 200 characters, without control characters; blank
/// optional fields become null. At least one of given name, family name or preferred name is required.
/// </remarks>
public sealed class PersonProfile : PartyProfile
{
    /// <summary>The most characters an honorific ("Dr", "Ms") has.</summary>
    public const int MaxHonorificLength = 40;

    /// <summary>The most characters a preferred-language tag (BCP 47, e.g. <c>en-GB</c>) has.</summary>
    public const int MaxLanguageTagLength = 35;

    /// <summary>Creates a person profile.</summary>
    /// <param name="givenName">Given (first) name.</param>
    /// <param name="familyName">Family (last) name.</param>
    /// <param name="preferredName">The name the person wants to be addressed by; when present it is the <see cref="DisplayName"/>.</param>
    /// <param name="honorific">Title such as "Dr" or "Ms".</param>
    /// <param name="birthDate">Date of birth, if known.</param>
    /// <param name="preferredLanguage">A BCP 47 language tag such as <c>en-GB</c>.</param>
    /// <param name="jobTitle">Job title, for business contacts.</param>
    /// <exception cref="ArgumentException">All three names are blank, a field has a control character, or the language tag is malformed.</exception>
    /// <exception cref="InputLimitExceededException">A field is longer than <see cref="PartyProfile.MaxTextLength"/> (the honorific: <see cref="MaxHonorificLength"/>) (<c>CRM-INPUT-001</c>).</exception>
    public PersonProfile(
        string? givenName,
        string? familyName,
        string? preferredName = null,
        string? honorific = null,
        LocalDate? birthDate = null,
        string? preferredLanguage = null,
        string? jobTitle = null)
    {
        GivenName = ProfileText.Optional(givenName, nameof(givenName));
        FamilyName = ProfileText.Optional(familyName, nameof(familyName));
        PreferredName = ProfileText.Optional(preferredName, nameof(preferredName));
        Preconditions.Check(
            GivenName is not null || FamilyName is not null || PreferredName is not null,
            "A person needs a given name, a family name or a preferred name.",
            nameof(givenName));
        Honorific = ProfileText.Optional(honorific, nameof(honorific), MaxHonorificLength);
        BirthDate = birthDate;
        PreferredLanguage = LanguageTag.Optional(preferredLanguage, nameof(preferredLanguage));
        JobTitle = ProfileText.Optional(jobTitle, nameof(jobTitle));
    }

    /// <inheritdoc />
    public override PartyKind Kind => PartyKind.Person;

    /// <summary>Given (first) name, or null.</summary>
    public string? GivenName { get; }

    /// <summary>Family (last) name, or null.</summary>
    public string? FamilyName { get; }

    /// <summary>The name the person wants to be addressed by, or null.</summary>
    public string? PreferredName { get; }

    /// <summary>Title such as "Dr", or null.</summary>
    public string? Honorific { get; }

    /// <summary>Date of birth, or null.</summary>
    public LocalDate? BirthDate { get; }

    /// <summary>BCP 47 language tag (e.g. <c>en-GB</c>), or null.</summary>
    public string? PreferredLanguage { get; }

    /// <summary>Job title, or null.</summary>
    public string? JobTitle { get; }

    /// <summary>The preferred name when there is one, otherwise given and family names joined by a space.</summary>
    public override string DisplayName => PreferredName ?? string.Join(' ', new[] { GivenName, FamilyName }.Where(n => n is not null));

    /// <summary>Returns a copy with other names; the rules of the constructor apply.</summary>
    public PersonProfile WithNames(string? givenName, string? familyName, string? preferredName = null)
        => new(givenName, familyName, preferredName, Honorific, BirthDate, PreferredLanguage, JobTitle);

    /// <summary>Returns a copy with another birth date (or none).</summary>
    public PersonProfile WithBirthDate(LocalDate? birthDate)
        => new(GivenName, FamilyName, PreferredName, Honorific, birthDate, PreferredLanguage, JobTitle);

    /// <summary>Returns a copy with another preferred language (or none).</summary>
    /// <exception cref="ArgumentException">The language tag is malformed.</exception>
    public PersonProfile WithPreferredLanguage(string? preferredLanguage)
        => new(GivenName, FamilyName, PreferredName, Honorific, BirthDate, preferredLanguage, JobTitle);

    /// <summary>Returns a copy with another honorific and job title (or none).</summary>
    public PersonProfile WithTitles(string? honorific, string? jobTitle)
        => new(GivenName, FamilyName, PreferredName, honorific, BirthDate, PreferredLanguage, jobTitle);

    /// <inheritdoc />
    public override bool Equals(PartyProfile? other)
        => other is PersonProfile p
           && GivenName == p.GivenName
           && FamilyName == p.FamilyName
           && PreferredName == p.PreferredName
           && Honorific == p.Honorific
           && BirthDate == p.BirthDate
           && PreferredLanguage == p.PreferredLanguage
           && JobTitle == p.JobTitle;

    /// <inheritdoc />
    public override int GetHashCode()
        => HashCode.Combine(GivenName, FamilyName, PreferredName, Honorific, BirthDate, PreferredLanguage, JobTitle);
}

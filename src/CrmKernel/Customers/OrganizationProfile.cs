using CrmKernel.Diagnostics;

namespace CrmKernel.Customers;

/// <summary>
/// The profile of an organisation: legal and trading names, registration and tax numbers, industry,
/// website and head count. Use it to register a business customer.
/// </summary>
/// <remarks>Text fields follow the same rules as <see cref="PersonProfile"/>; the legal name is required.</remarks>
public sealed class OrganizationProfile : PartyProfile
{
    /// <summary>The most characters a registration number or a tax id has.</summary>
    public const int MaxRegistrationLength = 64;

    /// <summary>The most characters a website address has, as given (<see cref="Uri.OriginalString"/>, the form that is stored): the length browsers and servers reliably accept.</summary>
    public const int MaxWebsiteLength = 2048;

    /// <summary>Creates an organisation profile.</summary>
    /// <param name="legalName">The registered legal name.</param>
    /// <param name="tradingName">The name it trades under; when present it is the <see cref="DisplayName"/>.</param>
    /// <param name="registrationNumber">Company or charity registration number.</param>
    /// <param name="taxId">VAT or other tax identifier.</param>
    /// <param name="industry">Industry or sector, in the host's own classification.</param>
    /// <param name="website">An absolute http or https address.</param>
    /// <param name="employeeCount">Number of employees, zero or more.</param>
    /// <exception cref="ArgumentNullException"><paramref name="legalName"/> is null.</exception>
    /// <exception cref="ArgumentException">A field is blank where required, too long, has a control character, the website is not absolute http(s), or the head count is negative.</exception>
    /// <exception cref="InputLimitExceededException">A text is longer than its limit, or the website longer than <see cref="MaxWebsiteLength"/> (<c>CRM-INPUT-001</c>).</exception>
    public OrganizationProfile(
        string legalName,
        string? tradingName = null,
        string? registrationNumber = null,
        string? taxId = null,
        string? industry = null,
        Uri? website = null,
        int? employeeCount = null)
    {
        LegalName = ProfileText.Required(legalName, nameof(legalName));
        TradingName = ProfileText.Optional(tradingName, nameof(tradingName));
        RegistrationNumber = ProfileText.Optional(registrationNumber, nameof(registrationNumber), MaxRegistrationLength);
        TaxId = ProfileText.Optional(taxId, nameof(taxId), MaxRegistrationLength);
        Industry = ProfileText.Optional(industry, nameof(industry));
        if (website is not null)
        {
            Preconditions.MaxCount(website.OriginalString.Length, MaxWebsiteLength, "characters", nameof(website));
            Preconditions.Check(
                website.IsAbsoluteUri && (website.Scheme == Uri.UriSchemeHttp || website.Scheme == Uri.UriSchemeHttps),
                "The website must be an absolute http or https address.",
                nameof(website));
        }

        Website = website;
        Preconditions.Check(employeeCount is null or >= 0, "The employee count cannot be negative.", nameof(employeeCount));
        EmployeeCount = employeeCount;
    }

    /// <inheritdoc />
    public override PartyKind Kind => PartyKind.Organization;

    /// <summary>The registered legal name.</summary>
    public string LegalName { get; }

    /// <summary>The trading name, or null.</summary>
    public string? TradingName { get; }

    /// <summary>Registration number, or null.</summary>
    public string? RegistrationNumber { get; }

    /// <summary>Tax identifier, or null.</summary>
    public string? TaxId { get; }

    /// <summary>Industry or sector, or null.</summary>
    public string? Industry { get; }

    /// <summary>Website, or null.</summary>
    public Uri? Website { get; }

    /// <summary>Number of employees, or null.</summary>
    public int? EmployeeCount { get; }

    /// <summary>The trading name when there is one, otherwise the legal name.</summary>
    public override string DisplayName => TradingName ?? LegalName;

    /// <summary>Returns a copy with other names; the rules of the constructor apply.</summary>
    public OrganizationProfile WithNames(string legalName, string? tradingName)
        => new(legalName, tradingName, RegistrationNumber, TaxId, Industry, Website, EmployeeCount);

    /// <summary>Returns a copy with other registration and tax numbers (or none).</summary>
    public OrganizationProfile WithRegistration(string? registrationNumber, string? taxId)
        => new(LegalName, TradingName, registrationNumber, taxId, Industry, Website, EmployeeCount);

    /// <summary>Returns a copy with another industry, website and head count (or none).</summary>
    public OrganizationProfile WithFirmographics(string? industry, Uri? website, int? employeeCount)
        => new(LegalName, TradingName, RegistrationNumber, TaxId, industry, website, employeeCount);

    /// <inheritdoc />
    public override bool Equals(PartyProfile? other)
        => other is OrganizationProfile o
           && LegalName == o.LegalName
           && TradingName == o.TradingName
           && RegistrationNumber == o.RegistrationNumber
           && TaxId == o.TaxId
           && Industry == o.Industry
           && Website == o.Website
           && EmployeeCount == o.EmployeeCount;

    /// <inheritdoc />
    public override int GetHashCode()
        => HashCode.Combine(LegalName, TradingName, RegistrationNumber, TaxId, Industry, Website, EmployeeCount);
}

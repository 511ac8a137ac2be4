using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Identity;

/// <summary>
/// The compact, normalised view of one customer that blocking keys and comparators read: names folded (upper case,
/// accents and punctuation removed), emails and E.164 phones, external ids, one postal address, date of birth,
/// organisation registration. It keeps only what matching needs (not the timeline, consents or attributes), so a scan
/// of a large tenant holds one small record per customer. Build it with <see cref="FromSnapshot"/>.
/// </summary>
public sealed class MatchRecord
{
    private static readonly FrozenSet<string> LegalForms = new[]
    {
        "AG", "AND", "BV", "CO", "COMPANY", "CORP", "CORPORATION", "GMBH", "INC", "INCORPORATED", "LIMITED", "LLC", "LLP",
        "LTD", "NV", "PLC", "SA", "SARL", "SAS", "SPA", "THE",
    }.ToFrozenSet(StringComparer.Ordinal);

    private MatchRecord(CustomerSnapshot snapshot, bool foldEmailAliases)
    {
        Id = snapshot.Id;
        Version = snapshot.Version;
        Kind = snapshot.Profile.Kind;
        switch (snapshot.Profile)
        {
            case PersonProfile person:
                GivenName = NormalizeName(person.GivenName ?? person.PreferredName);
                FamilyName = NormalizeName(person.FamilyName);
                BirthDate = person.BirthDate;
                break;
            case OrganizationProfile organization:
                OrganizationName = NormalizeOrganizationName(organization.LegalName);
                TradingName = NormalizeOrganizationName(organization.TradingName);
                RegistrationNumber = NormalizeCode(organization.RegistrationNumber);
                TaxId = NormalizeCode(organization.TaxId);
                break;
        }

        List<string>? emails = null, phones = null;
        PostalAddress? address = null;
        foreach (var contactPoint in snapshot.ContactPoints)
        {
            switch (contactPoint.Value)
            {
                case EmailAddress email:
                    (emails ??= new List<string>(1)).Add(foldEmailAliases ? FoldEmailAlias(email) : email.NormalizedValue);
                    break;
                case PhoneNumber phone:
                    (phones ??= new List<string>(1)).Add(phone.NormalizedValue);
                    break;
                case PostalAddress postal when address is null || contactPoint.IsPrimary:
                    address = postal;
                    break;
            }
        }

        Emails = emails is null ? [] : [.. emails];
        Phones = phones is null ? [] : [.. phones];
        ExternalIdentifiers = snapshot.ExternalIdentifiers.Count == 0 ? [] : [.. snapshot.ExternalIdentifiers];
        if (address is not null)
        {
            PostalCode = NormalizeCode(address.PostalCode);
            AddressLine = address.StreetLines.Count == 0 ? null : string.Join(' ', address.StreetLines);
            CountryCode = address.CountryCode;
        }
    }

    /// <summary>The customer.</summary>
    public CustomerId Id { get; }

    /// <summary>The customer's version as read: a merge can refuse if the customer changed since.</summary>
    public long Version { get; }

    /// <summary>Person or organisation: only records of the same kind are compared.</summary>
    public PartyKind Kind { get; }

    /// <summary>A person's given name (or preferred name when there is no given name), normalised by <see cref="NormalizeName"/>.</summary>
    public string? GivenName { get; }

    /// <summary>A person's family name, normalised by <see cref="NormalizeName"/>.</summary>
    public string? FamilyName { get; }

    /// <summary>A person's date of birth.</summary>
    public LocalDate? BirthDate { get; }

    /// <summary>An organisation's legal name, normalised by <see cref="NormalizeOrganizationName"/> (legal forms such as Ltd or GmbH left out).</summary>
    public string? OrganizationName { get; }

    /// <summary>An organisation's trading name, normalised like <see cref="OrganizationName"/>.</summary>
    public string? TradingName { get; }

    /// <summary>An organisation's registration number: upper-case letters and digits only.</summary>
    public string? RegistrationNumber { get; }

    /// <summary>An organisation's tax id: upper-case letters and digits only.</summary>
    public string? TaxId { get; }

    /// <summary>The customer's email addresses, normalised (and with provider aliases folded when the options ask).</summary>
    public IReadOnlyList<string> Emails { get; }

    /// <summary>The customer's phone numbers in E.164.</summary>
    public IReadOnlyList<string> Phones { get; }

    /// <summary>The customer's external identifiers.</summary>
    public IReadOnlyList<ExternalIdentifier> ExternalIdentifiers { get; }

    /// <summary>The postal code of the primary (else first) postal address: upper-case letters and digits only.</summary>
    public string? PostalCode { get; }

    /// <summary>The street lines of the primary (else first) postal address, joined by spaces.</summary>
    public string? AddressLine { get; }

    /// <summary>The country code of the primary (else first) postal address.</summary>
    public string? CountryCode { get; }

    /// <summary>Builds the record of a stored customer.</summary>
    /// <param name="snapshot">The customer as read from the store.</param>
    /// <param name="foldEmailAliases">Whether to fold the aliases of providers that ignore them (Gmail: dots and
    /// <c>+tag</c> in the local part, <c>googlemail.com</c>), so that <c>j.smith+news@gmail.com</c> matches <c>jsmith@gmail.com</c>.</param>
    /// <returns>The record.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="snapshot"/> is null.</exception>
    public static MatchRecord FromSnapshot(CustomerSnapshot snapshot, bool foldEmailAliases = false)
        => new(Preconditions.NotNull(snapshot), foldEmailAliases);

    /// <summary>
    /// Normalises a personal name for comparison: accents folded (é to E), letters and digits kept, upper case
    /// (invariant), everything else dropped ("O'Brien-Smith" becomes OBRIENSMITH). Null or no letters gives null.
    /// </summary>
    /// <param name="name">The name.</param>
    /// <returns>The normalised name, or null.</returns>
    public static string? NormalizeName(string? name)
    {
        if (name is null)
        {
            return null;
        }

        var decomposed = name.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToUpperInvariant(c));
            }
        }

        return builder.Length == 0 ? null : builder.ToString();
    }

    /// <summary>
    /// Normalises an organisation name for comparison: words normalised like <see cref="NormalizeName"/>, legal forms
    /// and filler words (Ltd, Limited, Inc, LLC, GmbH, AG, plc, SA, BV, Co, Corp, The, And, ...) left out, joined by
    /// single spaces ("The ACME Company Ltd." becomes ACME). Null, or nothing left, gives null.
    /// </summary>
    /// <param name="name">The name.</param>
    /// <returns>The normalised name, or null.</returns>
    public static string? NormalizeOrganizationName(string? name)
    {
        if (name is null)
        {
            return null;
        }

        var builder = new StringBuilder(name.Length);
        foreach (var word in name.Split([' ', ',', '.', '&', '-', '/', '(', ')'], StringSplitOptions.RemoveEmptyEntries))
        {
            var normalized = NormalizeName(word);
            if (normalized is null || LegalForms.Contains(normalized))
            {
                continue;
            }

            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append(normalized);
        }

        return builder.Length == 0 ? null : builder.ToString();
    }

    private static string? NormalizeCode(string? code)
    {
        if (code is null)
        {
            return null;
        }

        var builder = new StringBuilder(code.Length);
        foreach (var c in code)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(char.ToUpperInvariant(c));
            }
        }

        return builder.Length == 0 ? null : builder.ToString();
    }

    private static string FoldEmailAlias(EmailAddress email)
    {
        if (email.Domain is not ("gmail.com" or "googlemail.com"))
        {
            return email.NormalizedValue;
        }

        var local = email.LocalPart.AsSpan();
        var plus = local.IndexOf('+');
        if (plus >= 0)
        {
            local = local[..plus];
        }

        var builder = new StringBuilder(local.Length + 10);
        foreach (var c in local)
        {
            if (c != '.')
            {
                builder.Append(c);
            }
        }

        return builder.Append("@gmail.com").ToString();
    }

    /// <summary>The record's customer and kind, never its personal data.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Kind} {Id} v{Version}");
}

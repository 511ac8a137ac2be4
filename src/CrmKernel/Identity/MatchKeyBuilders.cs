using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using NodaTime;

namespace CrmKernel.Identity;

/// <summary>
/// The built-in blocking keys. <see cref="Default"/> uses all of them; pick some, or add your own
/// <see cref="IMatchKeyBuilder"/>, in the detector's options.
/// </summary>
public static class MatchKeyBuilders
{
    /// <summary>One key per email address (kind <c>email</c>): normalised, with provider aliases folded when the options ask.</summary>
    public static IMatchKeyBuilder Email { get; } = new ListKeys("email", static r => r.Emails);

    /// <summary>One key per phone number in E.164 (kind <c>phone</c>).</summary>
    public static IMatchKeyBuilder Phone { get; } = new ListKeys("phone", static r => r.Phones);

    /// <summary>One key per external identifier, source and key (kind <c>external-id</c>).</summary>
    public static IMatchKeyBuilder ExternalIdentifier { get; } = new ExternalIdentifierKeys();

    /// <summary>
    /// A person's name parts with the postal code (kind <c>name+postcode</c>): one key for the Soundex code of the given
    /// name and one for that of the family name, each with the postal code, so that a typo in one name part, or given
    /// and family name swapped, still shares a key. Needs a postal code.
    /// </summary>
    public static IMatchKeyBuilder NamePostcode { get; } = new NameKeys("name+postcode", static (r, into) => Copy(r.PostalCode, into));

    /// <summary>
    /// A person's name parts with the date of birth (kind <c>name+birthdate</c>), built like <see cref="NamePostcode"/>:
    /// finds a customer who moved and changed email and phone. Needs a date of birth.
    /// </summary>
    public static IMatchKeyBuilder NameBirthDate { get; } = new NameKeys("name+birthdate", static (r, into) => Date(r.BirthDate, into));

    /// <summary>
    /// An organisation's legal and trading names with the postal code, or the country without one (kind
    /// <c>organization-name</c>): the Soundex code of the first word of the normalised name.
    /// </summary>
    public static IMatchKeyBuilder OrganizationName { get; } = new OrganizationNameKeys();

    /// <summary>An organisation's registration number and tax id (kinds <c>registration</c> and <c>tax-id</c>).</summary>
    public static IMatchKeyBuilder Registration { get; } = new RegistrationKeys();

    /// <summary>Every built-in key: email, phone, external id, name + postcode, name + date of birth, organisation name, registration.</summary>
    public static IReadOnlyList<IMatchKeyBuilder> Default { get; } = [Email, Phone, ExternalIdentifier, NamePostcode, NameBirthDate, OrganizationName, Registration];

    // Writes the qualifier of a name key into the buffer; returns its length, 0 when the record has none.
    private delegate int Qualifier(MatchRecord record, Span<char> into);

    private static int Copy(string? text, Span<char> into)
    {
        if (text is null)
        {
            return 0;
        }

        var length = Math.Min(text.Length, into.Length);
        text.AsSpan(0, length).CopyTo(into);
        return length;
    }

    // The date as three code units (year, month, day): only hashed, never shown.
    private static int Date(LocalDate? date, Span<char> into)
    {
        if (date is not { } d)
        {
            return 0;
        }

        into[0] = (char)(d.Year + 0x4000);
        into[1] = (char)d.Month;
        into[2] = (char)d.Day;
        return 3;
    }

    private sealed class ListKeys(string kind, Func<MatchRecord, IReadOnlyList<string>> values) : IMatchKeyBuilder
    {
        public void AddKeys(MatchRecord record, ICollection<MatchKey> keys)
        {
            Preconditions.NotNull(record);
            Preconditions.NotNull(keys);
            var list = values(record);
            for (var i = 0; i < list.Count; i++)
            {
                keys.Add(new MatchKey(kind, list[i]));
            }
        }
    }

    private sealed class ExternalIdentifierKeys : IMatchKeyBuilder
    {
        public void AddKeys(MatchRecord record, ICollection<MatchKey> keys)
        {
            Preconditions.NotNull(record);
            Preconditions.NotNull(keys);
            foreach (var id in record.ExternalIdentifiers)
            {
                keys.Add(new MatchKey("external-id", id.Source, id.Key));
            }
        }
    }

    private sealed class NameKeys(string kind, Qualifier qualifier) : IMatchKeyBuilder
    {
        public void AddKeys(MatchRecord record, ICollection<MatchKey> keys)
        {
            Preconditions.NotNull(record);
            Preconditions.NotNull(keys);
            if (record.Kind != PartyKind.Person)
            {
                return;
            }

            // Postal codes are at most PostalAddress.MaxFieldLength (200) characters.
            Span<char> buffer = stackalloc char[256];
            var length = qualifier(record, buffer);
            if (length == 0)
            {
                return;
            }

            var with = buffer[..length];
            Span<char> code = stackalloc char[4];
            if (record.GivenName is { } given && Similarity.Soundex(given, code) == 4)
            {
                keys.Add(new MatchKey(kind, code, with));
            }

            if (record.FamilyName is { } family && Similarity.Soundex(family, code) == 4)
            {
                keys.Add(new MatchKey(kind, code, with));
            }
        }
    }

    private sealed class OrganizationNameKeys : IMatchKeyBuilder
    {
        public void AddKeys(MatchRecord record, ICollection<MatchKey> keys)
        {
            Preconditions.NotNull(record);
            Preconditions.NotNull(keys);
            if (record.Kind != PartyKind.Organization || (record.PostalCode ?? record.CountryCode ?? string.Empty) is not { } where)
            {
                return;
            }

            Add(record.OrganizationName, where, keys);
            Add(record.TradingName, where, keys);
        }

        private static void Add(string? name, string where, ICollection<MatchKey> keys)
        {
            if (name is null)
            {
                return;
            }

            var space = name.IndexOf(' ', StringComparison.Ordinal);
            Span<char> code = stackalloc char[4];
            if (Similarity.Soundex(space < 0 ? name : name.AsSpan(0, space), code) == 4)
            {
                keys.Add(new MatchKey("organization-name", code, where));
            }
        }
    }

    private sealed class RegistrationKeys : IMatchKeyBuilder
    {
        public void AddKeys(MatchRecord record, ICollection<MatchKey> keys)
        {
            Preconditions.NotNull(record);
            Preconditions.NotNull(keys);
            if (record.RegistrationNumber is { } registration)
            {
                keys.Add(new MatchKey("registration", registration));
            }

            if (record.TaxId is { } taxId)
            {
                keys.Add(new MatchKey("tax-id", taxId));
            }
        }
    }
}

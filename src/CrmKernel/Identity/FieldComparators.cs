using CrmKernel.Diagnostics;

namespace CrmKernel.Identity;

/// <summary>
/// The built-in comparators: exact comparison of emails, phones, external ids, postal codes and registration numbers,
/// Jaro-Winkler on names, token sets on address lines, dates of birth with swapped day and month. The default rules
/// (<see cref="MatchRule.DefaultPerson"/>, <see cref="MatchRule.DefaultOrganization"/>) weigh them.
/// </summary>
public static class FieldComparators
{
    /// <summary>1 when the records share an email address, 0 when both have some but share none.</summary>
    public static IFieldComparator Email { get; } = new Comparator("Email", static (a, b) => SharesAny(a.Emails, b.Emails));

    /// <summary>1 when the records share a phone number (E.164), 0 when both have some but share none.</summary>
    public static IFieldComparator Phone { get; } = new Comparator("Phone", static (a, b) => SharesAny(a.Phones, b.Phones));

    /// <summary>
    /// 1 when the records share an external id (source and key); 0 when they have ids of a common source but none
    /// equal (two records of one source system); null when they have no source in common.
    /// </summary>
    public static IFieldComparator ExternalIdentifier { get; } = new Comparator("ExternalIdentifier", static (a, b) => CompareExternalIdentifiers(a, b));

    /// <summary>
    /// A person's name: the Jaro-Winkler similarity of the less alike of given and family name, taking the better of the
    /// names as they are and swapped (given for family); only the family (or only the given) name when the other is
    /// missing on either side. Household members who share a family name score low because their given names differ.
    /// </summary>
    public static IFieldComparator PersonName { get; } = new Comparator("Name", static (a, b) => ComparePersonNames(a, b));

    /// <summary>A person's date of birth, by <see cref="Similarity.BirthDate"/> (swapped day and month score 0.8).</summary>
    public static IFieldComparator BirthDate { get; } = new Comparator(
        "BirthDate",
        static (a, b) => a.BirthDate is { } x && b.BirthDate is { } y ? Similarity.BirthDate(x, y) : null);

    /// <summary>The postal codes (letters and digits only, upper case): 1 when equal, else 0.</summary>
    public static IFieldComparator PostalCode { get; } = new Comparator("PostalCode", static (a, b) => Exact(a.PostalCode, b.PostalCode));

    /// <summary>The street lines, by <see cref="Similarity.TokenSet"/>.</summary>
    public static IFieldComparator AddressLine { get; } = new Comparator(
        "AddressLine",
        static (a, b) => a.AddressLine is { } x && b.AddressLine is { } y ? Similarity.TokenSet(x, y) : null);

    /// <summary>An organisation's name: the best Jaro-Winkler similarity between the legal and trading names of one and of the other (legal forms left out).</summary>
    public static IFieldComparator OrganizationName { get; } = new Comparator("OrganizationName", static (a, b) => CompareOrganizationNames(a, b));

    /// <summary>An organisation's registration number and tax id: 1 when either is equal, 0 when one both have differs, null when they have none in common.</summary>
    public static IFieldComparator Registration { get; } = new Comparator("Registration", static (a, b) => CompareRegistration(a, b));

    private static double? Exact(string? first, string? second)
        => first is null || second is null ? null : string.Equals(first, second, StringComparison.Ordinal) ? 1.0 : 0.0;

    private static double? SharesAny(IReadOnlyList<string> first, IReadOnlyList<string> second)
    {
        if (first.Count == 0 || second.Count == 0)
        {
            return null;
        }

        for (var i = 0; i < first.Count; i++)
        {
            for (var j = 0; j < second.Count; j++)
            {
                if (string.Equals(first[i], second[j], StringComparison.Ordinal))
                {
                    return 1.0;
                }
            }
        }

        return 0.0;
    }

    private static double? CompareExternalIdentifiers(MatchRecord first, MatchRecord second)
    {
        double? result = null;
        foreach (var x in first.ExternalIdentifiers)
        {
            foreach (var y in second.ExternalIdentifiers)
            {
                if (!string.Equals(x.Source, y.Source, StringComparison.Ordinal))
                {
                    continue;
                }

                if (string.Equals(x.Key, y.Key, StringComparison.Ordinal))
                {
                    return 1.0;
                }

                result = 0.0;
            }
        }

        return result;
    }

    private static double? ComparePersonNames(MatchRecord first, MatchRecord second)
    {
        var straight = Both(first.GivenName, second.GivenName, first.FamilyName, second.FamilyName);
        var swapped = Both(first.GivenName, second.FamilyName, first.FamilyName, second.GivenName);
        return straight is null ? swapped : swapped is null ? straight : Math.Max(straight.Value, swapped.Value);

        static double? Both(string? a1, string? b1, string? a2, string? b2)
        {
            double? one = a1 is null || b1 is null ? null : Similarity.JaroWinkler(a1, b1);
            double? two = a2 is null || b2 is null ? null : Similarity.JaroWinkler(a2, b2);
            return one is null ? two : two is null ? one : Math.Min(one.Value, two.Value);
        }
    }

    private static double? CompareOrganizationNames(MatchRecord first, MatchRecord second)
    {
        double? best = null;
        Consider(first.OrganizationName, second.OrganizationName, ref best);
        Consider(first.OrganizationName, second.TradingName, ref best);
        Consider(first.TradingName, second.OrganizationName, ref best);
        Consider(first.TradingName, second.TradingName, ref best);
        return best;

        static void Consider(string? a, string? b, ref double? best)
        {
            if (a is not null && b is not null)
            {
                var similarity = Similarity.JaroWinkler(a, b);
                best = best is null ? similarity : Math.Max(best.Value, similarity);
            }
        }
    }

    private static double? CompareRegistration(MatchRecord first, MatchRecord second)
    {
        var registration = Exact(first.RegistrationNumber, second.RegistrationNumber);
        var taxId = Exact(first.TaxId, second.TaxId);
        return registration is null ? taxId : taxId is null ? registration : Math.Max(registration.Value, taxId.Value);
    }

    private sealed class Comparator(string field, Func<MatchRecord, MatchRecord, double?> compare) : IFieldComparator
    {
        public string Field { get; } = field;

        public double? Compare(MatchRecord first, MatchRecord second)
            => compare(Preconditions.NotNull(first), Preconditions.NotNull(second));

        public override string ToString() => Field;
    }
}

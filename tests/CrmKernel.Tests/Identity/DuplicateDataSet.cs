using System.Globalization;
using System.Text;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Identity;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using NodaTime;

namespace CrmKernel.Tests.Identity;

/// <summary>
/// A seeded, generated tenant with known duplicates, for measuring duplicate detection (shared with the benchmarks).
/// Persons (90 %) and organisations (10 %); a share of them gets a duplicate with realistic noise: one-edit typos in a
/// name, given and family name swapped, emails and phones typed in other formats (case, spaces, national format),
/// fields missing, another email, day and month of birth swapped, street abbreviations. Hard negatives: household
/// members (same family name, address and landline; another given name, email and birth date) and organisations that
/// share a switchboard-like phone prefix are not duplicates.
/// </summary>
internal sealed class DuplicateDataSet
{
    private static readonly string[] GivenNames =
    [
        "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "William", "Barbara",
        "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen", "Christopher", "Lisa", "Daniel", "Nancy",
        "Matthew", "Betty", "Anthony", "Margaret", "Mark", "Sandra", "Donald", "Ashley", "Steven", "Kimberly", "Paul", "Emily",
        "Andrew", "Donna", "Joshua", "Michelle", "Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Melissa", "George", "Deborah",
        "Timothy", "Stephanie", "Ronald", "Rebecca", "Edward", "Sharon", "Jason", "Laura", "Jeffrey", "Cynthia", "Ryan", "Amy",
        "Jacob", "Kathleen", "Gary", "Angela", "Nicholas", "Shirley", "Eric", "Brenda", "Jonathan", "Emma", "Stephen", "Anna",
        "Larry", "Pamela", "Justin", "Nicole", "Scott", "Samantha", "Brandon", "Katherine", "Benjamin", "Christine", "Samuel",
        "Helen", "Gregory", "Debra", "Alexander", "Rachel", "Patrick", "Carolyn", "Frank", "Janet", "Raymond", "Maria", "Jack",
        "Catherine", "Dennis", "Heather", "Jerry", "Diane", "Tyler", "Olivia", "Aaron", "Julie", "José", "Joyce", "Adam", "Zoë",
        "Chloé", "Søren", "Ingrid", "Lars", "Mateo", "Lucía", "Aisha", "Omar", "Priya", "Arjun", "Mei", "Wei", "Yuki", "Hiro",
    ];

    private static readonly string[] FamilyStarts =
    [
        "Ash", "Black", "Brad", "Brook", "Cald", "Carl", "Chad", "Dal", "Dun", "East", "Fair", "Fen", "Gold", "Green", "Hal",
        "Hart", "Hol", "Kings", "Lang", "Lock", "Mar", "Mid", "Mill", "New", "Nor", "Oak", "Pem", "Red", "Ros", "Rad", "Shel",
        "Stan", "Thorn", "Wal", "West", "Whit", "Wood", "Yar", "Bram", "Crom",
    ];

    private static readonly string[] FamilyEnds =
    [
        "ford", "ton", "ley", "wood", "field", "well", "ridge", "by", "ham", "stead", "worth", "more", "combe", "den", "hurst",
        "mere", "wick", "bury", "dale", "brook", "shaw", "cott", "gate", "land", "low", "mont", "ock", "ing", "son", "er",
    ];

    private static readonly string[] Streets =
    [
        "High", "Church", "Station", "Victoria", "Green", "Manor", "Park", "Queens", "Kings", "Grange", "Mill", "New", "School",
        "North", "South", "West", "Chapel", "Orchard", "Springfield", "Windsor", "Highfield", "Alexandra", "Albert", "London",
    ];

    private static readonly string[] StreetKinds = ["Street", "Road", "Lane", "Avenue", "Close", "Drive"];

    private static readonly string[] MailDomains = ["example.com", "mail.example", "post.example.org", "inbox.example.net", "gmail.com"];

    private static readonly string[] CompanyWords =
    [
        "Acme", "Apex", "Summit", "Beacon", "Harbour", "Meridian", "Pinnacle", "Crescent", "Northwind", "Evergreen", "Falcon",
        "Granite", "Horizon", "Keystone", "Lighthouse", "Maple", "Nimbus", "Orion", "Quarry", "Riverside", "Sterling", "Tidal",
        "Unity", "Vertex", "Willow", "Zenith", "Atlas", "Borealis", "Cobalt", "Delta",
    ];

    private static readonly string[] MobilePrefixes = ["7", "8", "9"];

    private static readonly string[] CompanyKinds = ["Logistics", "Foods", "Engineering", "Consulting", "Textiles", "Media", "Labs", "Motors", "Energy", "Health"];
    private static readonly string[] LegalForms = ["Ltd", "Limited", "Ltd.", "LLC", "GmbH", "plc", "Inc."];

    private readonly List<Customer> _customers = [];
    private readonly HashSet<(CustomerId, CustomerId)> _duplicates = [];
    private readonly Random _random;
    private readonly IClock _clock = new FixedClock(Instant.FromUtc(2026, 3, 1, 10, 0));
    private readonly TenantId _tenant;
    private readonly string[] _postcodes;
    private long _serial;

    private DuplicateDataSet(TenantId tenant, int seed, int count)
    {
        _tenant = tenant;
        _random = new Random(seed);
        _postcodes = [.. Enumerable.Range(0, Math.Max(4, count / 6)).Select(_ => Postcode())];
    }

    /// <summary>The generated customers, originals and duplicates in generation order.</summary>
    public IReadOnlyList<Customer> Customers => _customers;

    /// <summary>The true duplicate pairs (smaller id first).</summary>
    public IReadOnlySet<(CustomerId, CustomerId)> Duplicates => _duplicates;

    /// <summary>Generates <paramref name="count"/> customers, of which about <paramref name="duplicateShare"/> are duplicates of another.</summary>
    public static DuplicateDataSet Generate(TenantId tenant, int seed, int count, double duplicateShare = 0.1, double householdShare = 0.05)
    {
        var set = new DuplicateDataSet(tenant, seed, count);
        while (set._customers.Count < count)
        {
            var original = set._random.NextDouble() < 0.1 ? set.NewOrganization() : set.NewPerson();
            set._customers.Add(original.Customer);
            var roll = set._random.NextDouble();
            if (set._customers.Count < count && roll < duplicateShare)
            {
                var duplicate = original.IsPerson ? set.NoisyPerson(original) : set.NoisyOrganization(original);
                set._customers.Add(duplicate);
                set._duplicates.Add(Pair(original.Customer.Id, duplicate.Id));
            }
            else if (set._customers.Count < count && original.IsPerson && roll < duplicateShare + householdShare)
            {
                set._customers.Add(set.HouseholdMember(original));
            }
        }

        return set;
    }

    /// <summary>The pair in its canonical order.</summary>
    public static (CustomerId, CustomerId) Pair(CustomerId a, CustomerId b) => a.CompareTo(b) <= 0 ? (a, b) : (b, a);

    /// <summary>Commits every customer to <paramref name="store"/>.</summary>
    public async Task LoadAsync(ICustomerStore store)
    {
        foreach (var customer in _customers)
        {
            await store.CommitAsync(CustomerCommit.Create(customer), CancellationToken.None);
        }
    }

    /// <summary>Precision and recall of the pairs scoring at least <paramref name="threshold"/>.</summary>
    public (double Precision, double Recall, int Found, int TruePositives) Measure(IEnumerable<DuplicateCandidate> candidates, double threshold)
    {
        var found = 0;
        var correct = 0;
        foreach (var candidate in candidates)
        {
            if (candidate.Score < threshold)
            {
                continue;
            }

            found++;
            if (_duplicates.Contains((candidate.FirstId, candidate.SecondId)))
            {
                correct++;
            }
        }

        return (found == 0 ? 1.0 : (double)correct / found, _duplicates.Count == 0 ? 1.0 : (double)correct / _duplicates.Count, found, correct);
    }

    private Original NewPerson()
    {
        var given = Pick(GivenNames);
        var family = Pick(FamilyStarts) + Pick(FamilyEnds);
        LocalDate? birth = _random.NextDouble() < 0.7 ? new LocalDate(1940 + _random.Next(65), 1 + _random.Next(12), 1 + _random.Next(28)) : null;
        var email = _random.NextDouble() < 0.85 ? $"{Ascii(given)}.{Ascii(family)}{_random.Next(100)}@{Pick(MailDomains)}".ToLowerInvariant() : null;
        var phone = _random.NextDouble() < 0.7 ? Mobile() : null;
        var address = _random.NextDouble() < 0.75 ? ($"{1 + _random.Next(200)} {Pick(Streets)} {Pick(StreetKinds)}", Pick(_postcodes)) : ((string, string)?)null;
        var original = new Original(true, given, family, birth, email, phone, address, null, null);
        return original with { Customer = Build(original) };
    }

    private Original NewOrganization()
    {
        var name = $"{Pick(CompanyWords)} {Pick(CompanyWords)} {Pick(CompanyKinds)}";
        var legal = $"{name} {Pick(LegalForms)}";
        var email = _random.NextDouble() < 0.8 ? $"info@{Ascii(name).Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant()}{_random.Next(1000)}.example" : null;
        var phone = _random.NextDouble() < 0.8 ? Mobile() : null;
        var address = _random.NextDouble() < 0.8 ? ($"{1 + _random.Next(200)} {Pick(Streets)} {Pick(StreetKinds)}", Pick(_postcodes)) : ((string, string)?)null;
        var registration = _random.NextDouble() < 0.6 ? _random.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture) : null;
        var original = new Original(false, legal, null, null, email, phone, address, registration, name);
        return original with { Customer = Build(original) };
    }

    private Customer NoisyPerson(Original o)
    {
        var given = o.Given;
        var family = o.Family!;
        if (Chance(0.3))
        {
            if (Chance(0.5))
            {
                given = Typo(given);
            }
            else
            {
                family = Typo(family);
            }
        }

        if (Chance(0.1))
        {
            (given, family) = (family, given);
        }

        if (Chance(0.15))
        {
            given = given.ToUpperInvariant();
            family = family.ToUpperInvariant();
        }

        var email = o.Email;
        if (email is not null)
        {
            email = Roll() switch
            {
                < 0.25 => null,
                < 0.45 => $"{Ascii(given).ToLowerInvariant()}{_random.Next(1000)}@{Pick(MailDomains)}",
                < 0.75 => $"  {email.ToUpperInvariant()} ",
                _ => email,
            };
        }

        var phone = o.Phone;
        if (phone is not null)
        {
            phone = Roll() switch
            {
                < 0.3 => null,
                < 0.6 => string.Concat("0", phone.AsSpan(3, 4), " ", phone.AsSpan(7)), // national format, parsed with region GB
                < 0.75 => string.Concat(phone.AsSpan(0, 3), " (0)", phone.AsSpan(3)).Replace("(0)", string.Empty, StringComparison.Ordinal),
                _ => phone,
            };
        }

        var address = o.Address;
        if (address is { } a)
        {
            address = Roll() switch
            {
                < 0.2 => null,
                < 0.45 => (a.Line.Replace("Street", "St", StringComparison.Ordinal).Replace("Road", "Rd.", StringComparison.Ordinal).ToUpperInvariant(), a.Postcode.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant()),
                _ => a,
            };
        }

        var birth = o.BirthDate;
        if (birth is { } b)
        {
            birth = Roll() switch
            {
                < 0.3 => null,
                < 0.35 when b.Day <= 12 => new LocalDate(b.Year, b.Day, b.Month),
                _ => b,
            };
        }

        return Build(new Original(true, given, family, birth, email, phone, address, null, null));
    }

    private Customer NoisyOrganization(Original o)
    {
        var legal = Chance(0.3) ? Typo(o.Trading!) + " " + Pick(LegalForms) : Chance(0.3) ? o.Trading! : o.Given;
        var email = o.Email is null || Chance(0.3) ? null : Chance(0.3) ? o.Email.ToUpperInvariant() : o.Email;
        var phone = o.Phone is null || Chance(0.3) ? null : Chance(0.5) ? string.Concat("0", o.Phone.AsSpan(3, 4), " ", o.Phone.AsSpan(7)) : o.Phone;
        var address = o.Address is null || Chance(0.2) ? null : o.Address;
        var registration = o.Registration is null || Chance(0.3) ? null : o.Registration;
        return Build(new Original(false, legal, null, null, email, phone, address, registration, Chance(0.5) ? o.Trading : null));
    }

    private Customer HouseholdMember(Original o)
    {
        string given;
        do
        {
            given = Pick(GivenNames);
        }
        while (given == o.Given);

        LocalDate? birth = Chance(0.7) ? new LocalDate(1940 + _random.Next(65), 1 + _random.Next(12), 1 + _random.Next(28)) : null;
        var email = Chance(0.8) ? $"{Ascii(given)}.{Ascii(o.Family!)}{_random.Next(100)}@{Pick(MailDomains)}".ToLowerInvariant() : null;
        var phone = Chance(0.5) ? o.Phone : Mobile();
        return Build(new Original(true, given, o.Family, birth, email, phone, o.Address, null, null));
    }

    private Customer Build(Original o)
    {
        PartyProfile profile = o.IsPerson
            ? new PersonProfile(o.Given, o.Family, birthDate: o.BirthDate)
            : new OrganizationProfile(o.Given, o.Trading, o.Registration);
        var customer = Customer.Register(_tenant, CustomerId.New(), profile, _clock);
        if (o.Email is not null)
        {
            customer.AddContactPoint(EmailAddress.Parse(o.Email));
        }

        if (o.Phone is not null)
        {
            customer.AddContactPoint(PhoneNumber.Parse(o.Phone, "GB"));
        }

        if (o.Address is { } a)
        {
            customer.AddContactPoint(PostalAddress.Create([a.Line], "Town", null, a.Postcode, "GB"));
        }

        if (Chance(0.05))
        {
            customer.AddExternalIdentifier(new ExternalIdentifier("shop", $"c{++_serial}"));
        }

        return customer;
    }

    private string Typo(string text)
    {
        if (text.Length < 3)
        {
            return text + "e";
        }

        var chars = new StringBuilder(text);
        var at = 1 + _random.Next(text.Length - 2); // keep the first letter: typos there are rarer
        switch (_random.Next(4))
        {
            case 0:
                chars[at] = (char)('a' + _random.Next(26));
                break;
            case 1:
                chars.Remove(at, 1);
                break;
            case 2:
                chars.Insert(at, (char)('a' + _random.Next(26)));
                break;
            default:
                (chars[at], chars[at - 1]) = (chars[at - 1], chars[at]);
                break;
        }

        return chars.ToString();
    }

    private string Mobile()
    {
        while (true)
        {
            var text = "+447" + Pick(MobilePrefixes) + _random.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);
            if (PhoneNumber.TryParse(text, out _))
            {
                return text;
            }
        }
    }

    private string Postcode()
        => string.Create(CultureInfo.InvariantCulture, $"{(char)('A' + _random.Next(26))}{(char)('A' + _random.Next(26))}{_random.Next(1, 99)} {_random.Next(10)}{(char)('A' + _random.Next(26))}{(char)('A' + _random.Next(26))}");

    private static string Ascii(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (char.IsAscii(c) && (char.IsLetterOrDigit(c) || c == ' '))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];

    private bool Chance(double p) => _random.NextDouble() < p;

    private double Roll() => _random.NextDouble();

    private sealed record Original(bool IsPerson, string Given, string? Family, LocalDate? BirthDate, string? Email, string? Phone, (string Line, string Postcode)? Address, string? Registration, string? Trading)
    {
        public Customer Customer { get; init; } = null!;
    }

    private sealed class FixedClock(Instant now) : IClock
    {
        public Instant GetCurrentInstant() => now;
    }
}

using CrmKernel.Customers;
using CrmKernel.Primitives;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;
using NodaTime.Testing;
using CustomerAggregate = CrmKernel.Customers.Customer;
using CustomerIdValue = CrmKernel.Primitives.CustomerId;
using TenantIdValue = CrmKernel.Primitives.TenantId;

namespace CrmKernel.Testing;

public static partial class CrmGenerators
{
    /// <summary>Tenant ids: short keys from the allowed character set.</summary>
    public static Gen<TenantIdValue> TenantId => CustomerGenerators.Tenant;

    /// <summary>New, time-ordered customer ids.</summary>
    public static Gen<CustomerIdValue> CustomerId => CustomerGenerators.Id;

    /// <summary>Person profiles with names in several scripts, and every optional field sometimes set.</summary>
    public static Gen<PersonProfile> PersonProfile => CustomerGenerators.Person;

    /// <summary>Organisation profiles with every optional field sometimes set.</summary>
    public static Gen<OrganizationProfile> OrganizationProfile => CustomerGenerators.Organization;

    /// <summary>A person or organisation profile, equally likely.</summary>
    public static Gen<PartyProfile> PartyProfile => CustomerGenerators.Profile;

    /// <summary>External identifiers from a handful of source systems, keys with mixed case and punctuation.</summary>
    public static Gen<ExternalIdentifier> ExternalIdentifier => CustomerGenerators.Identifier;

    /// <summary>Segment tags such as <c>vip</c> or <c>region:emea</c>.</summary>
    public static Gen<CustomerTag> CustomerTag => CustomerGenerators.Tag;

    /// <summary>Custom attribute values of every type, including instants with nanoseconds and extreme numbers.</summary>
    public static Gen<CustomAttributeValue> CustomAttributeValue => CustomerGenerators.Attribute;

    /// <summary>Time zones from the TZDB.</summary>
    public static Gen<DateTimeZone> TimeZone => CustomerGenerators.Zone;

    /// <summary>
    /// Customers of the given tenant with every field exercised: profile, up to eight contact points of all
    /// kinds with labels and primaries, identifiers, tags, attributes, a time zone and consent ledger entries. Each is built through
    /// the aggregate's own methods, so it is always valid; it is new (version 0) with its events pending.
    /// </summary>
    /// <param name="tenantId">The tenant every generated customer belongs to.</param>
    public static Gen<CustomerAggregate> CustomerOf(TenantIdValue tenantId) => CustomerGenerators.CustomerOf(tenantId);

    /// <summary>Customers of a generated tenant; see <see cref="CustomerOf(TenantIdValue)"/>.</summary>
    public static Gen<CustomerAggregate> Customer => CustomerGenerators.Tenant.SelectMany(CustomerGenerators.CustomerOf);

    private static class CustomerGenerators
    {
        private static readonly Instant Earliest = Instant.FromUtc(1990, 1, 1, 0, 0);
        private static readonly string[] ZoneIds = [.. DateTimeZoneProviders.Tzdb.Ids];

        internal static readonly Gen<TenantIdValue> Tenant =
            Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789-_.".ToCharArray())
                .ArrayOf()
                .Where(static a => a.Length is > 0 and <= 16)
                .Select(static a => new TenantIdValue("t" + new string(a)));

        internal static readonly Gen<CustomerIdValue> Id = Gen.Constant(0).Select(static _ => CustomerIdValue.New());

        private static readonly Gen<string> Name = Gen.Elements(
            "Ada", "Grace", "José", "Zoë", "Łukasz", "O'Brien", "Anne-Marie", "Nguyễn", "王", "Müller", "Søren", "Ngozi", "Дмитрий", "Fatima", "de la Cruz");

        private static readonly Gen<string?> MaybeName = Gen.Frequency((1, Gen.Constant<string?>(null)), (3, Name.Select(static n => (string?)n)));

        private static readonly Gen<LocalDate?> BirthDate = Gen.Frequency(
            (1, Gen.Constant<LocalDate?>(null)),
            (2, Gen.Choose(0, 36_500).Select(static d => (LocalDate?)new LocalDate(1920, 1, 1).PlusDays(d))));

        internal static readonly Gen<PersonProfile> Person =
            from given in MaybeName
            from family in Name
            from preferred in Gen.Frequency((4, Gen.Constant<string?>(null)), (1, Name.Select(static n => (string?)n)))
            from honorific in Gen.Elements<string?>(null, "Dr", "Ms", "Mr", "Prof.")
            from born in BirthDate
            from language in Gen.Elements<string?>(null, "en", "en-GB", "de-DE", "pt-BR", "zh-Hant-TW")
            from title in Gen.Elements<string?>(null, "Buyer", "Head of Procurement", "CFO")
            select new PersonProfile(given, family, preferred, honorific, born, language, title);

        internal static readonly Gen<OrganizationProfile> Organization =
            from legal in Gen.Elements("Acme Holdings plc", "Analytical Engines Limited", "Bücher & Co. KG", "株式会社テスト", "Société Générale d'Exemple SA")
            from trading in Gen.Elements<string?>(null, "Acme", "Engines", "Bücher")
            from registration in Gen.Elements<string?>(null, "01234567", "HRB 12345")
            from tax in Gen.Elements<string?>(null, "GB123456789", "DE123456789")
            from industry in Gen.Elements<string?>(null, "Retail", "Manufacturing", "Public sector")
            from website in Gen.Elements<Uri?>(null, new Uri("https://acme.example/"), new Uri("http://bücher.example/shop?x=1"))
            from employees in Gen.Frequency((1, Gen.Constant<int?>(null)), (2, Gen.Choose(0, 250_000).Select(static n => (int?)n)))
            select new OrganizationProfile(legal, trading, registration, tax, industry, website, employees);

        internal static readonly Gen<PartyProfile> Profile = Gen.OneOf(Person.Select(static p => (PartyProfile)p), Organization.Select(static o => (PartyProfile)o));

        internal static readonly Gen<ExternalIdentifier> Identifier =
            from source in Gen.Elements("erp", "webshop", "billing.v2", "legacy_crm")
            from key in Gen.Elements("C-", "cust_", "K", "x:").SelectMany(static prefix => Gen.Choose(0, 9_999_999).Select(n => prefix + n.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            select new ExternalIdentifier(source, key);

        internal static readonly Gen<CustomerTag> Tag =
            Gen.Elements("vip", "newsletter", "region:emea", "region:apac", "b2b", "churn-risk", "segment/gold", "beta_tester").Select(static t => new CustomerTag(t));

        internal static readonly Gen<Instant> AnyInstant =
            Gen.Choose(0, 1_200_000_000).SelectMany(static seconds => Gen.Choose(0, 999_999_999).Select(nanos => Earliest.Plus(Duration.FromSeconds(seconds)).PlusNanoseconds(nanos)));

        internal static readonly Gen<CustomAttributeValue> Attribute = Gen.OneOf(
            Gen.Elements("gold", "", "  spaced  ", "multi\nline", "ünïcödé 😀").Select(static t => Customers.CustomAttributeValue.FromText(t)),
            Gen.Elements(0m, -1.5m, 12.50m, 79228162514264337593543950335m, -0.0000000001m, 3.14159265358979m).Select(static n => Customers.CustomAttributeValue.FromNumber(n)),
            Gen.Elements(true, false).Select(static b => Customers.CustomAttributeValue.FromBoolean(b)),
            BirthDate.Where(static d => d is not null).Select(static d => Customers.CustomAttributeValue.FromDate(d!.Value)),
            AnyInstant.Select(static i => Customers.CustomAttributeValue.FromInstant(i)),
            Money.Select(static m => Customers.CustomAttributeValue.FromMoney(m)));

        internal static readonly Gen<DateTimeZone> Zone = Gen.Elements(ZoneIds).Select(static id => DateTimeZoneProviders.Tzdb[id]);

        private static readonly Gen<string?> Label = Gen.Elements<string?>(null, null, "work", "home", "billing", "mobile");

        private static readonly Gen<(global::CrmKernel.ContactPoints.ContactPoint Point, string? Label, bool Primary)> PointEntry =
            from point in ContactPoint
            from label in Label
            from primary in Gen.Elements(false, false, true)
            select (point, label, primary);

        private static readonly Gen<(string Name, CustomAttributeValue Value)> AttributeEntry =
            from name in Gen.Elements("tier", "creditLimit", "since", "lastSeen", "optedIn", "note")
            from value in Attribute
            select (name, value);

        internal static Gen<CustomerAggregate> CustomerOf(TenantIdValue tenantId) =>
            from profile in Profile
            from created in AnyInstant
            from points in PointEntry.ListOf().Select(static l => l.Take(8).ToList())
            from identifiers in Identifier.ListOf().Select(static l => l.Take(4).ToList())
            from tags in Tag.ListOf().Select(static l => l.Take(5).ToList())
            from attributes in AttributeEntry.ListOf().Select(static l => l.Take(6).ToList())
            from zone in Gen.Frequency((1, Gen.Constant<DateTimeZone?>(null)), (3, Zone.Select(static z => (DateTimeZone?)z)))
            from consent in ConsentGenerators.Drafts
            from lifecycle in LifecycleGenerators.Walk
            select WithLifecycle(Build(tenantId, profile, created, points, identifiers, tags, attributes, zone, consent), lifecycle);

        private static CustomerAggregate Build(
            TenantIdValue tenantId,
            PartyProfile profile,
            Instant created,
            List<(global::CrmKernel.ContactPoints.ContactPoint Point, string? Label, bool Primary)> points,
            List<ExternalIdentifier> identifiers,
            List<CustomerTag> tags,
            List<(string Name, CustomAttributeValue Value)> attributes,
            DateTimeZone? zone,
            List<Draft> consent)
        {
            var clock = new FakeClock(created, Duration.FromMilliseconds(1));
            var customer = CustomerAggregate.Register(tenantId, profile, clock);
            foreach (var (point, label, primary) in points.DistinctBy(static p => p.Point))
            {
                customer.AddContactPoint(point, label, primary);
            }

            foreach (var identifier in identifiers.Distinct())
            {
                customer.AddExternalIdentifier(identifier);
            }

            foreach (var tag in tags.Distinct())
            {
                customer.Tag(tag);
            }

            foreach (var (name, value) in attributes)
            {
                customer.SetCustomAttribute(name, value);
            }

            customer.ChangeHomeTimeZone(zone);
            ConsentGenerators.Apply(customer, clock, consent);
            return customer;
        }
    }
}

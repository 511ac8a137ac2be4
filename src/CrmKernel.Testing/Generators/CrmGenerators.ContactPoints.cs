using FsCheck;
using FsCheck.Fluent;
using PhoneNumbers;
using CrmContactPoint = CrmKernel.ContactPoints.ContactPoint;
using CrmEmailAddress = CrmKernel.ContactPoints.EmailAddress;
using CrmPhoneNumber = CrmKernel.ContactPoints.PhoneNumber;
using CrmPostalAddress = CrmKernel.ContactPoints.PostalAddress;
using CrmSocialHandle = CrmKernel.ContactPoints.SocialHandle;

namespace CrmKernel.Testing;

/// <summary>
/// FsCheck 3 generators for the kernel's domain types. Use them in property tests of code that takes
/// kernel types (<c>Prop.ForAll(CrmGenerators.EmailAddress.ToArbitrary(), ...)</c>), or register
/// <see cref="CrmArbitraries"/> with <c>[Property(Arbitrary = new[] { typeof(CrmArbitraries) })]</c>
/// so that test parameters of these types are generated for you.
/// </summary>
/// <remarks>
/// Every value is built through the kernel's public factories, so it is valid and already
/// normalised. The values look like real data (mixed scripts, internationalised domains,
/// phone numbers from several countries) to shake out encoding and indexing bugs, but are not real
/// people's data.
/// </remarks>
public static partial class CrmGenerators
{
    /// <summary>
    /// Valid email addresses: dot-atom local parts with the full RFC 5322 character set and some
    /// non-ASCII letters, on ASCII and internationalised (punycode) domains.
    /// </summary>
    public static Gen<CrmEmailAddress> EmailAddress => ContactPointGenerators.Email;

    /// <summary>
    /// Valid phone numbers from a dozen regions (fixed-line and mobile), built from libphonenumber's
    /// example numbers with randomised final digits, so each is in an assigned range.
    /// </summary>
    public static Gen<CrmPhoneNumber> PhoneNumber => ContactPointGenerators.Phone;

    /// <summary>Valid postal addresses in several countries, with 0 to 3 street lines and optional region and postal code.</summary>
    public static Gen<CrmPostalAddress> PostalAddress => ContactPointGenerators.Postal;

    /// <summary>Valid social handles on common networks, including fediverse handles such as <c>ann@example.social</c>.</summary>
    public static Gen<CrmSocialHandle> SocialHandle => ContactPointGenerators.Social;

    /// <summary>A contact point of any kind, each kind equally likely.</summary>
    public static Gen<CrmContactPoint> ContactPoint => ContactPointGenerators.Any;

    // Built once, on first use, independently of the other partial files' static state.
    private static class ContactPointGenerators
    {
        internal static readonly Gen<CrmEmailAddress> Email = BuildEmail();
        internal static readonly Gen<CrmPhoneNumber> Phone = BuildPhone();
        internal static readonly Gen<CrmPostalAddress> Postal = BuildPostal();
        internal static readonly Gen<CrmSocialHandle> Social = BuildSocial();
        internal static readonly Gen<CrmContactPoint> Any = Gen.OneOf(
            Email.Select(static x => (CrmContactPoint)x),
            Phone.Select(static x => (CrmContactPoint)x),
            Postal.Select(static x => (CrmContactPoint)x),
            Social.Select(static x => (CrmContactPoint)x));

        private const string AsciiLetters = "abcdefghijklmnopqrstuvwxyz";
        private const string Digits = "0123456789";

        private static Gen<string> StringOf(string alphabet, int minLength, int maxLength)
            => Gen.Choose(minLength, maxLength)
                .SelectMany(length => Gen.ArrayOf(Gen.Elements(alphabet.ToCharArray()), length))
                .Select(static chars => new string(chars));

        private static Gen<CrmEmailAddress> BuildEmail()
        {
            // RFC 5322 atext (no dot: dots go between atoms) weighted towards letters, plus a few
            // letters from other scripts (RFC 6531).
            var atomChar = Gen.Frequency(
                (12, Gen.Elements(AsciiLetters.ToCharArray())),
                (3, Gen.Elements(Digits.ToCharArray())),
                (2, Gen.Elements("!#$%&'*+-/=?^_`{|}~".ToCharArray())),
                (1, Gen.Elements("éüßøçжяλ中日".ToCharArray())));
            var atom = Gen.Choose(1, 10).SelectMany(length => Gen.ArrayOf(atomChar, length)).Select(static chars => new string(chars));
            var localPart = Gen.Choose(1, 3).SelectMany(count => Gen.ArrayOf(atom, count)).Select(static atoms => string.Join('.', atoms));

            var asciiLabel = Gen.Zip(StringOf(AsciiLetters + Digits, 1, 8), Gen.OneOf(Gen.Constant(string.Empty), StringOf(AsciiLetters, 1, 6).Select(static s => "-" + s)))
                .Select(static pair => pair.Item1 + pair.Item2);
            var unicodeLabel = Gen.Elements("bücher", "münchen", "straße", "пример", "例え", "café", "ελληνικά");
            var label = Gen.Frequency((5, asciiLabel), (1, unicodeLabel));
            var topLevel = Gen.Elements("com", "org", "net", "de", "uk", "example", "shop", "xn--p1ai");
            var domain = Gen.Zip(Gen.Choose(1, 2).SelectMany(count => Gen.ArrayOf(label, count)), topLevel)
                .Select(static pair => string.Join('.', pair.Item1) + "." + pair.Item2);

            return Gen.Zip(localPart, domain).Select(static pair => CrmEmailAddress.Parse(pair.Item1 + "@" + pair.Item2));
        }

        private static Gen<CrmPhoneNumber> BuildPhone()
        {
            var util = PhoneNumberUtil.GetInstance();
            string[] regions = ["GB", "US", "CA", "DE", "FR", "NL", "ES", "IT", "CH", "SE", "JP", "AU", "IN", "BR", "ZA"];
            var examples = regions
                .SelectMany(region => new[] { PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE }.Select(type => util.GetExampleNumberForType(region, type)))
                .Where(static number => number is not null)
                .Select(number => util.Format(number, PhoneNumberFormat.E164))
                .Distinct(StringComparer.Ordinal)
                .Select(static e164 => CrmPhoneNumber.TryParse(e164, out var parsed) ? parsed : null)
                .OfType<CrmPhoneNumber>()
                .ToArray();

            // Replace the last three digits; when that leaves the assigned range, use the example itself.
            return Gen.Zip(Gen.Elements(examples), Gen.Choose(0, 999)).Select(static pair =>
            {
                var (example, suffix) = pair;
                var e164 = example.NormalizedValue;
                var varied = string.Concat(e164.AsSpan(0, e164.Length - 3), suffix.ToString("D3", System.Globalization.CultureInfo.InvariantCulture));
                return CrmPhoneNumber.TryParse(varied, out var number) ? number : example;
            });
        }

        private static Gen<CrmPostalAddress> BuildPostal()
        {
            var places = new (string Country, string? Region, string Locality, string PostalCode)[]
            {
                ("GB", null, "London", "SW1A 2AA"),
                ("GB", "Greater Manchester", "Manchester", "M1 1AE"),
                ("US", "CA", "San Francisco", "94103"),
                ("US", "NY", "New York", "10001-1234"),
                ("DE", null, "München", "80331"),
                ("FR", null, "Paris", "75008"),
                ("CH", "ZH", "Zürich", "8001"),
                ("BR", "SP", "São Paulo", "01310-100"),
                ("JP", "東京都", "千代田区", "100-0001"),
                ("IE", "Co. Dublin", "Dublin", "d02 x285"),
                ("SE", null, "Göteborg", "411 01"),
                ("HK", null, "Central", string.Empty),
            };
            var streetNames = Gen.Elements("High Street", "Main St", "Rue de Rivoli", "Hauptstraße", "Via Roma", "Avenida Paulista", "Elm Road");
            var streetLine = Gen.Frequency(
                (4, Gen.Zip(Gen.Choose(1, 250), streetNames).Select(static pair => $"{pair.Item1.ToString(System.Globalization.CultureInfo.InvariantCulture)} {pair.Item2}")),
                (1, Gen.Elements("Flat 2", "Building B, Floor 3", "c/o Reception", "PO Box 17")));
            var streetLines = Gen.Choose(0, 3).SelectMany(count => Gen.ArrayOf(streetLine, count));

            return from place in Gen.Elements(places)
                   from lines in streetLines
                   from withRegion in Gen.Elements(true, false)
                   select CrmPostalAddress.Create(lines, place.Locality, withRegion ? place.Region : null, place.PostalCode, place.Country);
        }

        private static Gen<CrmSocialHandle> BuildSocial()
        {
            var simple = Gen.Zip(
                    Gen.Elements("x", "linkedin", "instagram", "github", "bsky.app", "tiktok"),
                    StringOf(AsciiLetters + Digits + "_", 1, 15))
                .Select(static pair => CrmSocialHandle.Create(pair.Item1, pair.Item2));
            var fediverse = Gen.Zip(StringOf(AsciiLetters + Digits + "_", 1, 15), Gen.Elements("mastodon.social", "fosstodon.org", "example.social"))
                .Select(static pair => CrmSocialHandle.Create("mastodon", pair.Item1 + "@" + pair.Item2));
            return Gen.Frequency((3, simple), (1, fediverse));
        }
    }
}

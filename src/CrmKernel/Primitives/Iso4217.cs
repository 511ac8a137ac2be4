namespace CrmKernel.Primitives;

/// <summary>
/// The ISO 4217 currency table behind <see cref="Currency"/>: every code of ISO 4217 List One
/// (active currencies and funds, precious metals and special codes) as published on 1 January 2026,
/// with its numeric code, minor units and English name.
/// </summary>
/// <remarks>
/// <para>
/// Row 0 is <c>XXX</c> ("no currency") because <c>default(Currency)</c> is index 0. The other rows are
/// in alphabetical order of code. Where ISO 4217 gives the minor units as "N.A." (the precious metals
/// XAG, XAU, XPD, XPT, the bond-market units XBA to XBD, XDR, XSU, XTS, XUA and XXX) the table holds 0;
/// those rows are marked "N.A." below.
/// </para>
/// <para>
/// Codes withdrawn before that date (e.g. ANG, BGN, CUC, HRK, SLL, ZWL) are not in the table. When ISO
/// publishes an amendment, edit the rows here; the lookups are built from <see cref="Entries"/>.
/// </para>
/// </remarks>
internal static class Iso4217
{
    /// <summary>Number of possible three-letter codes (26³); the size of the code index.</summary>
    private const int CodeSpace = 26 * 26 * 26;

    /// <summary>Every currency, <c>XXX</c> first, then by code. A <see cref="Currency"/> is an index into this array.</summary>
    internal static readonly Entry[] Entries =
    [
        new("XXX", 999, 0, "The codes assigned for transactions where no currency is involved"), // minor units N.A.
        new("AED", 784, 2, "UAE Dirham"),
        new("AFN", 971, 2, "Afghani"),
        new("ALL", 8, 2, "Lek"),
        new("AMD", 51, 2, "Armenian Dram"),
        new("AOA", 973, 2, "Kwanza"),
        new("ARS", 32, 2, "Argentine Peso"),
        new("AUD", 36, 2, "Australian Dollar"),
        new("AWG", 533, 2, "Aruban Florin"),
        new("AZN", 944, 2, "Azerbaijan Manat"),
        new("BAM", 977, 2, "Convertible Mark"),
        new("BBD", 52, 2, "Barbados Dollar"),
        new("BDT", 50, 2, "Taka"),
        new("BHD", 48, 3, "Bahraini Dinar"),
        new("BIF", 108, 0, "Burundi Franc"),
        new("BMD", 60, 2, "Bermudian Dollar"),
        new("BND", 96, 2, "Brunei Dollar"),
        new("BOB", 68, 2, "Boliviano"),
        new("BOV", 984, 2, "Mvdol"),
        new("BRL", 986, 2, "Brazilian Real"),
        new("BSD", 44, 2, "Bahamian Dollar"),
        new("BTN", 64, 2, "Ngultrum"),
        new("BWP", 72, 2, "Pula"),
        new("BYN", 933, 2, "Belarusian Ruble"),
        new("BZD", 84, 2, "Belize Dollar"),
        new("CAD", 124, 2, "Canadian Dollar"),
        new("CDF", 976, 2, "Congolese Franc"),
        new("CHE", 947, 2, "WIR Euro"),
        new("CHF", 756, 2, "Swiss Franc"),
        new("CHW", 948, 2, "WIR Franc"),
        new("CLF", 990, 4, "Unidad de Fomento"),
        new("CLP", 152, 0, "Chilean Peso"),
        new("CNY", 156, 2, "Yuan Renminbi"),
        new("COP", 170, 2, "Colombian Peso"),
        new("COU", 970, 2, "Unidad de Valor Real"),
        new("CRC", 188, 2, "Costa Rican Colon"),
        new("CUP", 192, 2, "Cuban Peso"),
        new("CVE", 132, 2, "Cabo Verde Escudo"),
        new("CZK", 203, 2, "Czech Koruna"),
        new("DJF", 262, 0, "Djibouti Franc"),
        new("DKK", 208, 2, "Danish Krone"),
        new("DOP", 214, 2, "Dominican Peso"),
        new("DZD", 12, 2, "Algerian Dinar"),
        new("EGP", 818, 2, "Egyptian Pound"),
        new("ERN", 232, 2, "Nakfa"),
        new("ETB", 230, 2, "Ethiopian Birr"),
        new("EUR", 978, 2, "Euro"),
        new("FJD", 242, 2, "Fiji Dollar"),
        new("FKP", 238, 2, "Falkland Islands Pound"),
        new("GBP", 826, 2, "Pound Sterling"),
        new("GEL", 981, 2, "Lari"),
        new("GHS", 936, 2, "Ghana Cedi"),
        new("GIP", 292, 2, "Gibraltar Pound"),
        new("GMD", 270, 2, "Dalasi"),
        new("GNF", 324, 0, "Guinean Franc"),
        new("GTQ", 320, 2, "Quetzal"),
        new("GYD", 328, 2, "Guyana Dollar"),
        new("HKD", 344, 2, "Hong Kong Dollar"),
        new("HNL", 340, 2, "Lempira"),
        new("HTG", 332, 2, "Gourde"),
        new("HUF", 348, 2, "Forint"),
        new("IDR", 360, 2, "Rupiah"),
        new("ILS", 376, 2, "New Israeli Sheqel"),
        new("INR", 356, 2, "Indian Rupee"),
        new("IQD", 368, 3, "Iraqi Dinar"),
        new("IRR", 364, 2, "Iranian Rial"),
        new("ISK", 352, 0, "Iceland Krona"),
        new("JMD", 388, 2, "Jamaican Dollar"),
        new("JOD", 400, 3, "Jordanian Dinar"),
        new("JPY", 392, 0, "Yen"),
        new("KES", 404, 2, "Kenyan Shilling"),
        new("KGS", 417, 2, "Som"),
        new("KHR", 116, 2, "Riel"),
        new("KMF", 174, 0, "Comorian Franc"),
        new("KPW", 408, 2, "North Korean Won"),
        new("KRW", 410, 0, "Won"),
        new("KWD", 414, 3, "Kuwaiti Dinar"),
        new("KYD", 136, 2, "Cayman Islands Dollar"),
        new("KZT", 398, 2, "Tenge"),
        new("LAK", 418, 2, "Lao Kip"),
        new("LBP", 422, 2, "Lebanese Pound"),
        new("LKR", 144, 2, "Sri Lanka Rupee"),
        new("LRD", 430, 2, "Liberian Dollar"),
        new("LSL", 426, 2, "Loti"),
        new("LYD", 434, 3, "Libyan Dinar"),
        new("MAD", 504, 2, "Moroccan Dirham"),
        new("MDL", 498, 2, "Moldovan Leu"),
        new("MGA", 969, 2, "Malagasy Ariary"),
        new("MKD", 807, 2, "Denar"),
        new("MMK", 104, 2, "Kyat"),
        new("MNT", 496, 2, "Tugrik"),
        new("MOP", 446, 2, "Pataca"),
        new("MRU", 929, 2, "Ouguiya"),
        new("MUR", 480, 2, "Mauritius Rupee"),
        new("MVR", 462, 2, "Rufiyaa"),
        new("MWK", 454, 2, "Malawi Kwacha"),
        new("MXN", 484, 2, "Mexican Peso"),
        new("MXV", 979, 2, "Mexican Unidad de Inversion (UDI)"),
        new("MYR", 458, 2, "Malaysian Ringgit"),
        new("MZN", 943, 2, "Mozambique Metical"),
        new("NAD", 516, 2, "Namibia Dollar"),
        new("NGN", 566, 2, "Naira"),
        new("NIO", 558, 2, "Cordoba Oro"),
        new("NOK", 578, 2, "Norwegian Krone"),
        new("NPR", 524, 2, "Nepalese Rupee"),
        new("NZD", 554, 2, "New Zealand Dollar"),
        new("OMR", 512, 3, "Rial Omani"),
        new("PAB", 590, 2, "Balboa"),
        new("PEN", 604, 2, "Sol"),
        new("PGK", 598, 2, "Kina"),
        new("PHP", 608, 2, "Philippine Peso"),
        new("PKR", 586, 2, "Pakistan Rupee"),
        new("PLN", 985, 2, "Zloty"),
        new("PYG", 600, 0, "Guarani"),
        new("QAR", 634, 2, "Qatari Rial"),
        new("RON", 946, 2, "Romanian Leu"),
        new("RSD", 941, 2, "Serbian Dinar"),
        new("RUB", 643, 2, "Russian Ruble"),
        new("RWF", 646, 0, "Rwanda Franc"),
        new("SAR", 682, 2, "Saudi Riyal"),
        new("SBD", 90, 2, "Solomon Islands Dollar"),
        new("SCR", 690, 2, "Seychelles Rupee"),
        new("SDG", 938, 2, "Sudanese Pound"),
        new("SEK", 752, 2, "Swedish Krona"),
        new("SGD", 702, 2, "Singapore Dollar"),
        new("SHP", 654, 2, "Saint Helena Pound"),
        new("SLE", 925, 2, "Leone"),
        new("SOS", 706, 2, "Somali Shilling"),
        new("SRD", 968, 2, "Surinam Dollar"),
        new("SSP", 728, 2, "South Sudanese Pound"),
        new("STN", 930, 2, "Dobra"),
        new("SVC", 222, 2, "El Salvador Colon"),
        new("SYP", 760, 2, "Syrian Pound"),
        new("SZL", 748, 2, "Lilangeni"),
        new("THB", 764, 2, "Baht"),
        new("TJS", 972, 2, "Somoni"),
        new("TMT", 934, 2, "Turkmenistan New Manat"),
        new("TND", 788, 3, "Tunisian Dinar"),
        new("TOP", 776, 2, "Pa’anga"),
        new("TRY", 949, 2, "Turkish Lira"),
        new("TTD", 780, 2, "Trinidad and Tobago Dollar"),
        new("TWD", 901, 2, "New Taiwan Dollar"),
        new("TZS", 834, 2, "Tanzanian Shilling"),
        new("UAH", 980, 2, "Hryvnia"),
        new("UGX", 800, 0, "Uganda Shilling"),
        new("USD", 840, 2, "US Dollar"),
        new("USN", 997, 2, "US Dollar (Next day)"),
        new("UYI", 940, 0, "Uruguay Peso en Unidades Indexadas (UI)"),
        new("UYU", 858, 2, "Peso Uruguayo"),
        new("UYW", 927, 4, "Unidad Previsional"),
        new("UZS", 860, 2, "Uzbekistan Sum"),
        new("VED", 926, 2, "Bolívar Soberano"),
        new("VES", 928, 2, "Bolívar Soberano"),
        new("VND", 704, 0, "Dong"),
        new("VUV", 548, 0, "Vatu"),
        new("WST", 882, 2, "Tala"),
        new("XAD", 396, 2, "Arab Accounting Dinar"),
        new("XAF", 950, 0, "CFA Franc BEAC"),
        new("XAG", 961, 0, "Silver"), // minor units N.A.
        new("XAU", 959, 0, "Gold"), // minor units N.A.
        new("XBA", 955, 0, "Bond Markets Unit European Composite Unit (EURCO)"), // minor units N.A.
        new("XBB", 956, 0, "Bond Markets Unit European Monetary Unit (E.M.U.-6)"), // minor units N.A.
        new("XBC", 957, 0, "Bond Markets Unit European Unit of Account 9 (E.U.A.-9)"), // minor units N.A.
        new("XBD", 958, 0, "Bond Markets Unit European Unit of Account 17 (E.U.A.-17)"), // minor units N.A.
        new("XCD", 951, 2, "East Caribbean Dollar"),
        new("XCG", 532, 2, "Caribbean Guilder"),
        new("XDR", 960, 0, "SDR (Special Drawing Right)"), // minor units N.A.
        new("XOF", 952, 0, "CFA Franc BCEAO"),
        new("XPD", 964, 0, "Palladium"), // minor units N.A.
        new("XPF", 953, 0, "CFP Franc"),
        new("XPT", 962, 0, "Platinum"), // minor units N.A.
        new("XSU", 994, 0, "Sucre"), // minor units N.A.
        new("XTS", 963, 0, "Codes specifically reserved for testing purposes"), // minor units N.A.
        new("XUA", 965, 0, "ADB Unit of Account"), // minor units N.A.
        new("YER", 886, 2, "Yemeni Rial"),
        new("ZAR", 710, 2, "Rand"),
        new("ZMW", 967, 2, "Zambian Kwacha"),
        new("ZWG", 924, 2, "Zimbabwe Gold"),
    ];

    /// <summary>Index + 1 of each code, by <see cref="PackCode"/>; 0 where the code is not assigned.</summary>
    private static readonly ushort[] IndexByPackedCode = BuildCodeIndex();

    /// <summary>Index + 1 of each numeric code 0 to 999; 0 where the number is not assigned.</summary>
    private static readonly ushort[] IndexByNumericCode = BuildNumericIndex();

    /// <summary>Finds a code given as three ASCII letters in either case. O(1), no allocation.</summary>
    public static bool TryFindCode(ReadOnlySpan<char> code, out int index)
    {
        var packed = PackCode(code);
        index = packed < 0 ? -1 : IndexByPackedCode[packed] - 1;
        return index >= 0;
    }

    /// <summary>Finds a numeric code (1 to 999). O(1), no allocation.</summary>
    public static bool TryFindNumericCode(int numericCode, out int index)
    {
        index = (uint)numericCode < (uint)IndexByNumericCode.Length ? IndexByNumericCode[numericCode] - 1 : -1;
        return index >= 0;
    }

    /// <summary>Maps three ASCII letters (either case) to 0 to 26³ - 1; -1 for anything else.</summary>
    private static int PackCode(ReadOnlySpan<char> code)
    {
        if (code.Length != 3)
        {
            return -1;
        }

        var packed = 0;
        foreach (var c in code)
        {
            if (!char.IsAsciiLetter(c))
            {
                return -1;
            }

            // An ASCII letter and its lower case differ only in bit 0x20: (c | 0x20) folds to lower case.
            packed = (packed * 26) + ((c | 0x20) - 'a');
        }

        return packed;
    }

    private static ushort[] BuildCodeIndex()
    {
        var index = new ushort[CodeSpace];
        for (var i = 0; i < Entries.Length; i++)
        {
            index[PackCode(Entries[i].Code)] = checked((ushort)(i + 1));
        }

        return index;
    }

    private static ushort[] BuildNumericIndex()
    {
        var index = new ushort[1000];
        for (var i = 0; i < Entries.Length; i++)
        {
            index[Entries[i].NumericCode] = checked((ushort)(i + 1));
        }

        return index;
    }

    /// <summary>One row of ISO 4217 List One.</summary>
    /// <param name="Code">The alphabetic code: three upper-case ASCII letters.</param>
    /// <param name="NumericCode">The numeric code, 1 to 999.</param>
    /// <param name="MinorUnits">Digits after the decimal point, 0 to 4 (0 where ISO says N.A.).</param>
    /// <param name="Name">The English name as ISO 4217 gives it.</param>
    internal sealed record Entry(string Code, short NumericCode, byte MinorUnits, string Name);
}

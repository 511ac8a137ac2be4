namespace CrmKernel.ContactPoints;

/// <summary>
/// The officially assigned ISO 3166-1 alpha-2 country codes, embedded so that validation gives the
/// same answer on every machine (ICU data and <see cref="System.Globalization.RegionInfo"/> differ
/// by platform and are absent in invariant-globalisation mode).
/// </summary>
/// <remarks>
/// 249 codes, as published by the ISO 3166 Maintenance Agency (the same set as tzdata's
/// <c>iso3166.tab</c>). User-assigned codes such as <c>XK</c> (Kosovo) and exceptionally reserved
/// codes such as <c>UK</c>, <c>AC</c> or <c>TA</c> are not officially assigned and are refused.
/// When ISO assigns or withdraws a code, update <see cref="Assigned"/> and its test.
/// </remarks>
internal static class CountryCodes
{
    /// <summary>Every officially assigned code, space separated, in alphabetical order.</summary>
    internal const string Assigned =
        "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ " +
        "BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
        "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ " +
        "DE DJ DK DM DO DZ " +
        "EC EE EG EH ER ES ET " +
        "FI FJ FK FM FO FR " +
        "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY " +
        "HK HM HN HR HT HU " +
        "ID IE IL IM IN IO IQ IR IS IT " +
        "JE JM JO JP " +
        "KE KG KH KI KM KN KP KR KW KY KZ " +
        "LA LB LC LI LK LR LS LT LU LV LY " +
        "MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ " +
        "NA NC NE NF NG NI NL NO NP NR NU NZ " +
        "OM " +
        "PA PE PF PG PH PK PL PM PN PR PS PT PW PY " +
        "QA " +
        "RE RO RS RU RW " +
        "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ " +
        "TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ " +
        "UA UG UM US UY UZ " +
        "VA VC VE VG VI VN VU " +
        "WF WS " +
        "YE YT " +
        "ZA ZM ZW";

    // One bit per possible pair of letters A-Z × A-Z: a lookup with no allocation and no hashing.
    private static readonly bool[] Table = BuildTable();

    /// <summary>True when <paramref name="code"/> is an officially assigned code in upper case, e.g. <c>GB</c>.</summary>
    public static bool IsAssigned(ReadOnlySpan<char> code)
        => code.Length == 2
           && char.IsAsciiLetterUpper(code[0])
           && char.IsAsciiLetterUpper(code[1])
           && Table[((code[0] - 'A') * 26) + (code[1] - 'A')];

    private static bool[] BuildTable()
    {
        var table = new bool[26 * 26];
        foreach (var range in Assigned.AsSpan().Split(' '))
        {
            var code = Assigned.AsSpan(range);
            table[((code[0] - 'A') * 26) + (code[1] - 'A')] = true;
        }

        return table;
    }
}

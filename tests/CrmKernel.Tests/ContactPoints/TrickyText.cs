using FsCheck;
using FsCheck.Fluent;

namespace CrmKernel.Tests.ContactPoints;

/// <summary>
/// Generates short strings mostly from an ordinary alphabet, salted with characters that trip up
/// text handling (non-ASCII case pairs, combining marks, white space other than the space, controls,
/// invisible characters, lone surrogates), for properties that say "any input is either rejected
/// cleanly or normalised idempotently".
/// </summary>
internal static class TrickyText
{
    /// <summary>Characters that most often break normalisation.</summary>
    public const string Troublemakers = "İıΣσςßẞ\u212A\u2126\u0301\u0308\u00A0\u2028\u3000\t\r\n\u0000\u0085\u200B\u202E\uD800\uDC00例。＠";

    /// <summary>Strings of <paramref name="minLength"/> to <paramref name="maxLength"/> characters, about one in ten a troublemaker.</summary>
    public static Gen<string> From(string alphabet, int minLength, int maxLength)
    {
        var character = Gen.Frequency((9, Gen.Elements(alphabet.ToCharArray())), (1, Gen.Elements(Troublemakers.ToCharArray())));
        return Gen.Choose(minLength, maxLength)
            .SelectMany(length => Gen.ArrayOf(character, length))
            .Select(static chars => new string(chars));
    }
}

using CrmKernel.Diagnostics;
using NodaTime;

namespace CrmKernel.Identity;

/// <summary>
/// The similarity measures the built-in comparators use, each returning a value in [0, 1] (1: the same) and
/// symmetric in its arguments. Use them in your own <see cref="IFieldComparator"/> so that custom fields score on the
/// same scale. None of them allocates.
/// </summary>
public static class Similarity
{
    /// <summary>The Winkler prefix scale: how much a common prefix (of up to four characters) raises the Jaro similarity.</summary>
    public const double WinklerPrefixScale = 0.1;

    /// <summary>The longest text the character-based measures compare; longer texts are compared on their first this many characters.</summary>
    public const int MaxComparedLength = 64;

    /// <summary>
    /// The Jaro-Winkler similarity of two texts (ordinal, case-sensitive: normalise first), with the standard prefix
    /// scale of 0.1 over at most four characters, e.g. MARTHA/MARHTA 0.961, DWAYNE/DUANE 0.840, DIXON/DICKSONX 0.813.
    /// Use it for short texts with typos, such as given and family names. Two empty texts are identical (1).
    /// </summary>
    /// <param name="first">One text.</param>
    /// <param name="second">The other text.</param>
    /// <returns>The similarity in [0, 1].</returns>
    public static double JaroWinkler(ReadOnlySpan<char> first, ReadOnlySpan<char> second)
    {
        var jaro = Jaro(first, second);
        var prefix = 0;
        var max = Math.Min(4, Math.Min(first.Length, second.Length));
        while (prefix < max && first[prefix] == second[prefix])
        {
            prefix++;
        }

        return Math.Min(1.0, jaro + (prefix * WinklerPrefixScale * (1.0 - jaro)));
    }

    /// <summary>
    /// The Jaro similarity of two texts (ordinal): matching characters within half the longer length of each other,
    /// and half the transpositions among them. Use <see cref="JaroWinkler"/> for names.
    /// </summary>
    /// <param name="first">One text.</param>
    /// <param name="second">The other text.</param>
    /// <returns>The similarity in [0, 1].</returns>
    public static double Jaro(ReadOnlySpan<char> first, ReadOnlySpan<char> second)
    {
        if (first.Length > MaxComparedLength)
        {
            first = first[..MaxComparedLength];
        }

        if (second.Length > MaxComparedLength)
        {
            second = second[..MaxComparedLength];
        }

        if (first.Length == 0 && second.Length == 0)
        {
            return 1.0;
        }

        if (first.Length == 0 || second.Length == 0)
        {
            return 0.0;
        }

        // Make the measure symmetric by construction: always scan the shorter (then ordinally smaller) text.
        if (first.Length > second.Length || (first.Length == second.Length && first.SequenceCompareTo(second) > 0))
        {
            var swap = first;
            first = second;
            second = swap;
        }

        var window = Math.Max(0, (Math.Max(first.Length, second.Length) / 2) - 1);
        Span<bool> firstMatched = stackalloc bool[first.Length];
        Span<bool> secondMatched = stackalloc bool[second.Length];
        firstMatched.Clear();
        secondMatched.Clear();
        var matches = 0;
        for (var i = 0; i < first.Length; i++)
        {
            var start = Math.Max(0, i - window);
            var end = Math.Min(second.Length - 1, i + window);
            for (var j = start; j <= end; j++)
            {
                if (!secondMatched[j] && first[i] == second[j])
                {
                    firstMatched[i] = true;
                    secondMatched[j] = true;
                    matches++;
                    break;
                }
            }
        }

        if (matches == 0)
        {
            return 0.0;
        }

        var transpositions = 0;
        var k = 0;
        for (var i = 0; i < first.Length; i++)
        {
            if (!firstMatched[i])
            {
                continue;
            }

            while (!secondMatched[k])
            {
                k++;
            }

            if (first[i] != second[k])
            {
                transpositions++;
            }

            k++;
        }

        double m = matches;
        return ((m / first.Length) + (m / second.Length) + ((m - (transpositions / 2.0)) / m)) / 3.0;
    }

    /// <summary>
    /// The token-set (Jaccard) similarity of two texts split into words at anything that is not a letter or a digit,
    /// compared case-insensitively: shared distinct words over all distinct words. Use it for address lines, where
    /// words move ("Flat 2, 10 High St" / "10 High St Flat 2"). Two texts without words are identical (1); one without
    /// words against one with words scores 0.
    /// </summary>
    /// <param name="first">One text.</param>
    /// <param name="second">The other text.</param>
    /// <returns>The similarity in [0, 1].</returns>
    public static double TokenSet(ReadOnlySpan<char> first, ReadOnlySpan<char> second)
    {
        if (first.Length > 4 * MaxComparedLength)
        {
            first = first[..(4 * MaxComparedLength)];
        }

        if (second.Length > 4 * MaxComparedLength)
        {
            second = second[..(4 * MaxComparedLength)];
        }

        var firstDistinct = 0;
        var shared = 0;
        var start = 0;
        while (NextToken(first, ref start, out var token))
        {
            if (HasTokenBefore(first, token, start - token.Length))
            {
                continue;
            }

            firstDistinct++;
            if (Contains(second, token))
            {
                shared++;
            }
        }

        var secondDistinct = 0;
        start = 0;
        while (NextToken(second, ref start, out var token))
        {
            if (!HasTokenBefore(second, token, start - token.Length))
            {
                secondDistinct++;
            }
        }

        var union = firstDistinct + secondDistinct - shared;
        return union == 0 ? 1.0 : (double)shared / union;
    }

    /// <summary>
    /// How alike two dates of birth are: 1 when equal, 0.8 when they differ only by day and month swapped (03/04 typed
    /// as 04/03, a common data-entry slip), 0.5 when only the year differs by one (a typo in the last digit), else 0.
    /// </summary>
    /// <param name="first">One date.</param>
    /// <param name="second">The other date.</param>
    /// <returns>The similarity in [0, 1].</returns>
    public static double BirthDate(LocalDate first, LocalDate second)
    {
        if (first == second)
        {
            return 1.0;
        }

        if (first.Year == second.Year && first.Day == second.Month && first.Month == second.Day)
        {
            return 0.8;
        }

        return first.Month == second.Month && first.Day == second.Day && Math.Abs(first.Year - second.Year) == 1 ? 0.5 : 0.0;
    }

    /// <summary>
    /// The American Soundex code of a name (a letter and three digits, e.g. Robert and Rupert both R163), over its
    /// ASCII letters; other characters (digits, punctuation, letters outside A-Z) are skipped. A blocking key built on
    /// it puts names that sound alike under one key. Use <see cref="MatchRecord.NormalizeName"/> first to fold accents.
    /// </summary>
    /// <param name="name">The name.</param>
    /// <param name="code">Receives the code; at least four characters long.</param>
    /// <returns>How many characters were written: 4, or 0 when the name has no ASCII letter.</returns>
    /// <exception cref="ArgumentException"><paramref name="code"/> is shorter than four characters.</exception>
    public static int Soundex(ReadOnlySpan<char> name, Span<char> code)
    {
        Preconditions.Check(code.Length >= 4, "The code needs room for four characters.", nameof(code));
        var written = 0;
        var previous = '\0';
        foreach (var raw in name)
        {
            if (!char.IsAsciiLetter(raw))
            {
                continue;
            }

            var c = char.ToUpperInvariant(raw);
            var digit = SoundexDigit(c);
            if (written == 0)
            {
                code[written++] = c;
                previous = digit;
                continue;
            }

            if (digit != '0' && digit != previous)
            {
                code[written++] = digit;
                if (written == 4)
                {
                    return 4;
                }
            }

            // H and W do not separate equal codes; vowels do.
            if (c is not ('H' or 'W'))
            {
                previous = digit;
            }
        }

        if (written == 0)
        {
            return 0;
        }

        while (written < 4)
        {
            code[written++] = '0';
        }

        return 4;
    }

    private static char SoundexDigit(char c) => c switch
    {
        'B' or 'F' or 'P' or 'V' => '1',
        'C' or 'G' or 'J' or 'K' or 'Q' or 'S' or 'X' or 'Z' => '2',
        'D' or 'T' => '3',
        'L' => '4',
        'M' or 'N' => '5',
        'R' => '6',
        _ => '0',
    };

    private static bool NextToken(ReadOnlySpan<char> text, ref int start, out ReadOnlySpan<char> token)
    {
        while (start < text.Length && !char.IsLetterOrDigit(text[start]))
        {
            start++;
        }

        var end = start;
        while (end < text.Length && char.IsLetterOrDigit(text[end]))
        {
            end++;
        }

        token = text[start..end];
        start = end;
        return token.Length > 0;
    }

    private static bool HasTokenBefore(ReadOnlySpan<char> text, ReadOnlySpan<char> token, int before)
        => Contains(text[..before], token);

    private static bool Contains(ReadOnlySpan<char> text, ReadOnlySpan<char> token)
    {
        var start = 0;
        while (NextToken(text, ref start, out var other))
        {
            if (other.Equals(token, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}

using CrmKernel.Diagnostics;

namespace CrmKernel.Customers;

/// <summary>Checks BCP 47 language tags in their common shape (language[-script][-region][-variant…]) without relying on ICU.</summary>
internal static class LanguageTag
{
    public static string? Optional(string? value, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var tag = Preconditions.MaxLength(value.Trim(), PersonProfile.MaxLanguageTagLength, parameterName);
        var parts = tag.Split('-');
        var valid = parts[0].Length is >= 2 and <= 3
                    && parts.All(p => p.Length is >= 1 and <= 8 && p.All(char.IsAsciiLetterOrDigit))
                    && parts[0].All(char.IsAsciiLetter);
        Preconditions.Check(valid, "The language must be a BCP 47 tag such as en-GB.", parameterName);
        return tag;
    }
}

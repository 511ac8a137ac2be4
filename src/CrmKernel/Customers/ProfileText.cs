using System.Text;
using CrmKernel.Diagnostics;

namespace CrmKernel.Customers;

/// <summary>The one normalisation rule for free-text profile fields: trimmed, single-spaced, no control characters.</summary>
internal static class ProfileText
{
    public const int MaxLength = PartyProfile.MaxTextLength;

    /// <summary>Returns the cleaned text, or null when the input is null or blank.</summary>
    public static string? Optional(string? value, string parameterName, int maxLength = MaxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var builder = new StringBuilder(value.Length);
        var pendingSpace = false;
        foreach (var c in value.AsSpan().Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = true;
                continue;
            }

            Preconditions.Check(!char.IsControl(c), "The text contains a control character.", parameterName);
            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        var cleaned = builder.ToString().Normalize(NormalizationForm.FormC);
        Preconditions.MaxLength(cleaned, maxLength, parameterName);
        return cleaned;
    }

    /// <summary>Returns the cleaned text; null or blank input is an argument error.</summary>
    public static string Required(string? value, string parameterName, int maxLength = MaxLength)
    {
        if (value is null)
        {
            throw new ArgumentNullException(parameterName);
        }

        return Optional(value, parameterName, maxLength)
            ?? throw new ArgumentException("The text must not be empty or white space.", parameterName);
    }
}

using Xunit;

namespace CrmKernel.Tests.ContactPoints;

/// <summary>Checks that an exception message does not echo the input that caused it (which may be personal data).</summary>
internal static class PersonalDataAssert
{
    public static void NotInMessage(Exception exception, params string?[] inputs)
    {
        foreach (var input in inputs)
        {
            var significant = input?.Trim();

            // Very short inputs ("@", "GB") cannot be told apart from the rule text, and are not personal data.
            if (string.IsNullOrEmpty(significant) || significant.Length < 5)
            {
                continue;
            }

            Assert.DoesNotContain(significant, exception.Message, StringComparison.OrdinalIgnoreCase);
        }
    }
}

namespace CrmKernel.Diagnostics;

/// <summary>
/// An argument is longer, or holds more items, than the documented limit for it (see docs/limits.md). It is an
/// <see cref="ArgumentException"/>, so code that handles bad arguments keeps working; catch this type, or match
/// <see cref="ErrorCode"/> (<c>CRM-INPUT-001</c>), when you want to tell an over-long value from a malformed one, for
/// example to tell a form's user how much to shorten a field.
/// </summary>
/// <remarks>
/// The message names the parameter, the limit and the actual length or count, never the value itself, so it is safe to
/// log. Store adapters may throw it for the store limits of <c>StoreLimits</c> the way the kernel's stores do.
/// </remarks>
public sealed class InputLimitExceededException : ArgumentException
{
    /// <summary>Creates the exception for an argument over its limit.</summary>
    /// <param name="parameterName">The parameter (or <c>parameter.Member</c>) that is over its limit.</param>
    /// <param name="limit">The largest length or count allowed.</param>
    /// <param name="actual">The length or count given; more than <paramref name="limit"/>.</param>
    /// <param name="unit">What is counted: <c>characters</c>, <c>bytes</c> or <c>items</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="parameterName"/> or <paramref name="unit"/> is blank, or <paramref name="actual"/> is not over <paramref name="limit"/>.</exception>
    public InputLimitExceededException(string parameterName, int limit, int actual, string unit)
        : base(
            $"{CrmErrorCodes.InputLimitExceeded}: {Preconditions.NotBlank(parameterName)} has {actual} {Preconditions.NotBlank(unit)}; the limit is {limit}.",
            parameterName)
    {
        Preconditions.Check(actual > limit && limit >= 0, "The actual length or count must be over a limit of zero or more.", nameof(actual));
        Limit = limit;
        Actual = actual;
    }

    /// <summary>Always <see cref="CrmErrorCodes.InputLimitExceeded"/> (<c>CRM-INPUT-001</c>).</summary>
    public string ErrorCode => CrmErrorCodes.InputLimitExceeded;

    /// <summary>The largest length or count allowed for the parameter.</summary>
    public int Limit { get; }

    /// <summary>The length or count that was given.</summary>
    public int Actual { get; }
}

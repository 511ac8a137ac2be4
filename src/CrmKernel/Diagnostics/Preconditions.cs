using System.Runtime.CompilerServices;
using Ardalis.GuardClauses;

namespace CrmKernel.Diagnostics;

/// <summary>
/// The argument checks of the CrmKernel package family (CrmKernel, CrmKernel.Metrics and CrmKernel.Testing see it
/// through <c>InternalsVisibleTo</c>; there is no second guard class), layered over Ardalis.GuardClauses so that every failure is an
/// <see cref="ArgumentException"/> (or subclass) naming the offending parameter.
/// </summary>
internal static class Preconditions
{
    /// <summary>Rejects <see langword="null"/> with an <see cref="ArgumentNullException"/> naming the parameter.</summary>
    public static T NotNull<T>(T? value, [CallerArgumentExpression(nameof(value))] string? parameterName = null)
        where T : class
        => Guard.Against.Null(value, parameterName);

    /// <summary>Rejects null, empty and white-space text.</summary>
    public static string NotBlank(string? value, [CallerArgumentExpression(nameof(value))] string? parameterName = null)
        => Guard.Against.NullOrWhiteSpace(value, parameterName);

    /// <summary>Rejects text longer than <paramref name="maxLength"/> with an <see cref="InputLimitExceededException"/>.</summary>
    public static string MaxLength(string value, int maxLength, [CallerArgumentExpression(nameof(value))] string? parameterName = null)
        => Guard.Against.InputOverLimit(value, value.Length, maxLength, "characters", parameterName);

    /// <summary>Rejects a length or count over <paramref name="limit"/> with an <see cref="InputLimitExceededException"/>.</summary>
    public static int MaxCount(int count, int limit, string unit, string parameterName)
        => Guard.Against.InputOverLimit(count, count, limit, unit, parameterName);

    /// <summary>
    /// The one input-limit check of the package family: throws <see cref="InputLimitExceededException"/>
    /// (<c>CRM-INPUT-001</c>) naming the parameter, the limit and <paramref name="actual"/>, never the value.
    /// </summary>
    public static T InputOverLimit<T>(this IGuardClause guardClause, T input, int actual, int limit, string unit, string? parameterName)
        => actual <= limit ? input : throw new InputLimitExceededException(parameterName ?? "value", limit, actual, unit);

    /// <summary>Rejects the default value of a strongly typed id or tenant.</summary>
    public static T NotDefault<T>(T value, [CallerArgumentExpression(nameof(value))] string? parameterName = null)
        where T : struct, IEquatable<T>
    {
        if (value.Equals(default))
        {
            throw new ArgumentException($"The value of {parameterName} must not be the default (empty) {typeof(T).Name}.", parameterName);
        }

        return value;
    }

    /// <summary>Rejects an undefined enum value.</summary>
    public static T Defined<T>(T value, [CallerArgumentExpression(nameof(value))] string? parameterName = null)
        where T : struct, Enum
        // The generic Enum.IsDefined does not box, so the check costs no allocation on the success path.
        => Enum.IsDefined(value) ? value : Guard.Against.EnumOutOfRange(value, parameterName);

    /// <summary>Rejects zero and negative integers with an <see cref="ArgumentOutOfRangeException"/> naming the parameter.</summary>
    public static int Positive(int value, string? message = null, [CallerArgumentExpression(nameof(value))] string? parameterName = null)
        // The default message is only formatted on failure: model constructors run this per touchpoint.
        => value >= 1 ? value : throw new ArgumentOutOfRangeException(parameterName, value, message ?? $"The value of {parameterName} must be 1 or more.");

    /// <summary>Rejects negative integers with an <see cref="ArgumentOutOfRangeException"/> naming the parameter.</summary>
    public static int NonNegative(int value, [CallerArgumentExpression(nameof(value))] string? parameterName = null)
        => value >= 0 ? value : throw new ArgumentOutOfRangeException(parameterName, value, $"The value of {parameterName} must be zero or more.");

    /// <summary>Rejects zero, negative, infinite and NaN numbers with an <see cref="ArgumentOutOfRangeException"/>.</summary>
    public static double Positive(double value, [CallerArgumentExpression(nameof(value))] string? parameterName = null)
        => value > 0d && !double.IsPositiveInfinity(value)
            ? value
            : throw new ArgumentOutOfRangeException(parameterName, value, $"The value of {parameterName} must be a finite number greater than zero.");

    /// <summary>Rejects negative, infinite and NaN numbers with an <see cref="ArgumentOutOfRangeException"/>.</summary>
    public static double NonNegative(double value, [CallerArgumentExpression(nameof(value))] string? parameterName = null)
        => value >= 0d && !double.IsPositiveInfinity(value)
            ? value
            : throw new ArgumentOutOfRangeException(parameterName, value, $"The value of {parameterName} must be a finite number of zero or more.");

    /// <summary>
    /// Whether <paramref name="text"/> holds a control character (what <see cref="char.IsControl(char)"/> accepts: U+0000–U+001F
    /// and U+007F–U+009F), in one vectorised search: the one test of the "without control characters" rules, which run
    /// several times per message or touchpoint on hot paths (an <c>Any(char.IsControl)</c> over a string enumerates it
    /// through an interface and a delegate call per character).
    /// </summary>
    public static bool HasControlCharacter(ReadOnlySpan<char> text) => text.ContainsAny(ControlCharacters);

    private static readonly System.Buffers.SearchValues<char> ControlCharacters = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Select(static c => (char)c)]);

    /// <summary>Throws an <see cref="ArgumentException"/> naming the parameter when <paramref name="condition"/> is false.</summary>
    public static void Check(bool condition, string message, string parameterName)
    {
        if (!condition)
        {
            throw new ArgumentException(message, parameterName);
        }
    }

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> naming the parameter when <paramref name="condition"/> is false; an
    /// interpolated message is only formatted then, so a check that passes allocates nothing (ids and touchpoints are
    /// checked per item on hot paths).
    /// </summary>
    public static void Check(bool condition, [InterpolatedStringHandlerArgument(nameof(condition))] ref FailureMessage message, string parameterName)
    {
        if (!condition)
        {
            throw new ArgumentException(message.ToStringAndClear(), parameterName);
        }
    }

    /// <summary>Formats a check's interpolated message only when the check fails.</summary>
    [InterpolatedStringHandler]
    public ref struct FailureMessage
    {
        private DefaultInterpolatedStringHandler _text;

        public FailureMessage(int literalLength, int formattedCount, bool condition, out bool shouldAppend)
        {
            shouldAppend = !condition;
            _text = shouldAppend ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
        }

        public void AppendLiteral(string value) => _text.AppendLiteral(value);

        public void AppendFormatted<T>(T value) => _text.AppendFormatted(value);

        public void AppendFormatted<T>(T value, string? format) => _text.AppendFormatted(value, format);

        public void AppendFormatted(string? value) => _text.AppendFormatted(value);

        public string ToStringAndClear() => _text.ToStringAndClear();
    }
}

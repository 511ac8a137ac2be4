using System.Runtime.CompilerServices;
using Ardalis.GuardClauses;

namespace CrmKernel.Metrics;

/// <summary>
/// The argument checks of CrmKernel.Metrics, layered over Ardalis.GuardClauses like the kernel's own (which is
/// internal to CrmKernel), so that every failure is an <see cref="ArgumentException"/> or subclass naming the
/// offending parameter.
/// </summary>
internal static class Preconditions
{
    /// <summary>Rejects <see langword="null"/> with an <see cref="ArgumentNullException"/> naming the parameter.</summary>
    public static T NotNull<T>(T? value, [CallerArgumentExpression(nameof(value))] string? parameterName = null)
        where T : class
        => Guard.Against.Null(value, parameterName);

    /// <summary>Rejects the default value of a strongly typed id.</summary>
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
        => DefinedValues<T>.Set.Contains(value) ? value : Guard.Against.EnumOutOfRange(value, parameterName);

    /// <summary>Rejects zero, negative, infinite and NaN numbers with an <see cref="ArgumentOutOfRangeException"/>.</summary>
    public static double Positive(double value, [CallerArgumentExpression(nameof(value))] string? parameterName = null)
    {
        if (!(value > 0d) || double.IsPositiveInfinity(value))
        {
            throw new ArgumentOutOfRangeException(parameterName, value, $"The value of {parameterName} must be a finite number greater than zero.");
        }

        return value;
    }

    /// <summary>Rejects negative, infinite and NaN numbers with an <see cref="ArgumentOutOfRangeException"/>.</summary>
    public static double NonNegative(double value, [CallerArgumentExpression(nameof(value))] string? parameterName = null)
    {
        if (!(value >= 0d) || double.IsPositiveInfinity(value))
        {
            throw new ArgumentOutOfRangeException(parameterName, value, $"The value of {parameterName} must be a finite number of zero or more.");
        }

        return value;
    }

    /// <summary>Rejects negative integers with an <see cref="ArgumentOutOfRangeException"/>.</summary>
    public static int NonNegative(int value, [CallerArgumentExpression(nameof(value))] string? parameterName = null)
        => value >= 0 ? value : throw new ArgumentOutOfRangeException(parameterName, value, $"The value of {parameterName} must be zero or more."); // the message only on failure: this runs per touchpoint

    /// <summary>Rejects integers below 1 with an <see cref="ArgumentOutOfRangeException"/>.</summary>
    public static int Positive(int value, [CallerArgumentExpression(nameof(value))] string? parameterName = null)
        => value >= 1 ? value : throw new ArgumentOutOfRangeException(parameterName, value, $"The value of {parameterName} must be 1 or more.");

    /// <summary>Throws an <see cref="ArgumentException"/> naming the parameter when <paramref name="condition"/> is false.</summary>
    public static void Check(bool condition, string message, string parameterName)
    {
        if (!condition)
        {
            throw new ArgumentException(message, parameterName);
        }
    }

    /// <summary>An enum's defined values, looked up without boxing (<c>Enum.IsDefined</c> allocates on every call, and the evaluator checks three enums per touchpoint).</summary>
    private static class DefinedValues<T>
        where T : struct, Enum
    {
        public static readonly HashSet<T> Set = [.. Enum.GetValues<T>()];
    }
}

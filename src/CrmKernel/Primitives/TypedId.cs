using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using CrmKernel.Diagnostics;

namespace CrmKernel.Primitives;

/// <summary>What every strongly typed id over a GUID has; lets one implementation serve all of them.</summary>
internal interface ITypedId<TSelf>
    where TSelf : struct, ITypedId<TSelf>
{
    Guid Value { get; }

    static abstract TSelf FromGuid(Guid value);
}

/// <summary>The single implementation of parsing, formatting and checking for strongly typed ids.</summary>
internal static class TypedId
{
    /// <summary>The text form: 32 hex digits with hyphens ("D" format), lower case.</summary>
    public const string Format = "D";

    public static Guid NotEmpty(Guid value, string typeName, string parameterName)
    {
        Preconditions.Check(value != Guid.Empty, $"A {typeName} cannot be the empty GUID.", parameterName);
        return value;
    }

    public static T Parse<T>(string text)
        where T : struct, ITypedId<T>
    {
        Preconditions.NotNull(text);
        return Parse<T>(text.AsSpan(), nameof(text));
    }

    public static T Parse<T>(ReadOnlySpan<char> text, string parameterName)
        where T : struct, ITypedId<T>
    {
        if (!TryParse(text, out T result))
        {
            throw new FormatException($"The text is not a {typeof(T).Name}: expected a non-empty GUID such as 0192f0c1-7a9e-7c3d-9a4b-1f2e3d4c5b6a.");
        }

        return result;
    }

    public static bool TryParse<T>([NotNullWhen(true)] string? text, out T result)
        where T : struct, ITypedId<T>
        => TryParse(text.AsSpan(), out result);

    public static bool TryParse<T>(ReadOnlySpan<char> text, out T result)
        where T : struct, ITypedId<T>
    {
        if (Guid.TryParseExact(text.Trim(), Format, out var guid) && guid != Guid.Empty)
        {
            result = T.FromGuid(guid);
            return true;
        }

        result = default;
        return false;
    }

    public static string ToString(Guid value) => value.ToString(Format, CultureInfo.InvariantCulture);

    public static bool TryFormat(Guid value, Span<char> destination, out int charsWritten)
        => value.TryFormat(destination, out charsWritten, Format);
}

using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using CrmKernel.Diagnostics;

namespace CrmKernel.ContactPoints;

/// <summary>
/// A handle (user name) on a social network, such as <c>@ann_lee</c> on <c>x</c> or
/// <c>ann@mastodon.social</c> on <c>mastodon</c>. Use <see cref="Create"/> with the network and
/// the handle as the party gave it, and <see cref="Parse(string)"/> to read back a stored
/// <see cref="ContactPoint.NormalizedValue"/> (<c>network:handle</c>).
/// </summary>
/// <remarks>
/// <para>
/// The network is a short lower-case key the host chooses (<c>x</c>, <c>linkedin</c>,
/// <c>mastodon</c>, <c>instagram</c>): 1 to 32 characters from <c>a–z 0–9 . -</c>, starting with a
/// letter or digit. It is trimmed and ASCII letters are lower-cased.
/// </para>
/// <para>
/// The handle is trimmed, one leading <c>@</c> is removed (people write <c>@ann</c> and <c>ann</c>
/// for the same account), and it is put in Unicode NFC and lower-cased (invariant culture): the
/// major networks treat handles case-insensitively. It is then 1 to <see cref="MaxHandleLength"/>
/// characters with no white space, control or invisible formatting characters, and may not start
/// with a second <c>@</c>. <c>@</c> and <c>.</c> are allowed inside, for fediverse handles such as
/// <c>ann@mastodon.social</c>. The kernel does not check a network's own handle rules.
/// </para>
/// </remarks>
public sealed class SocialHandle : ContactPoint
{
    /// <summary>The longest network key accepted.</summary>
    public const int MaxNetworkLength = 32;

    /// <summary>The longest handle accepted, in UTF-16 characters, after the leading <c>@</c> is removed.</summary>
    public const int MaxHandleLength = 100;

    private const string NotASocialHandle = "The text is not a social handle: ";

    private SocialHandle(string network, string handle)
    {
        Network = network;
        Handle = handle;
        NormalizedValue = string.Concat(network, ":", handle);
    }

    /// <summary>Always <see cref="ContactPointKind.SocialHandle"/>.</summary>
    public override ContactPointKind Kind => ContactPointKind.SocialHandle;

    /// <summary>The network and the handle separated by a colon, e.g. <c>mastodon:ann@mastodon.social</c>.</summary>
    public override string NormalizedValue { get; }

    /// <summary>The network key, lower case, e.g. <c>linkedin</c>.</summary>
    public string Network { get; }

    /// <summary>The handle without a leading <c>@</c>, lower case, e.g. <c>ann_lee</c>.</summary>
    public string Handle { get; }

    /// <summary>Creates a social handle from a network key and a handle as the party gave it.</summary>
    /// <param name="network">The network key, e.g. <c>x</c>, <c>linkedin</c> or <c>mastodon</c>.</param>
    /// <param name="handle">The handle, with or without a leading <c>@</c>, e.g. <c>@Ann_Lee</c>.</param>
    /// <returns>The normalised handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="handle"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="network"/> is not 1 to 32 characters from <c>a–z 0–9 . -</c> starting with a
    /// letter or digit, or <paramref name="handle"/> is empty, too long, starts with <c>@@</c>, or has
    /// white space or a control character. <see cref="ArgumentException.ParamName"/> names which.
    /// </exception>
    /// <exception cref="InputLimitExceededException">The normalised network is longer than <see cref="MaxNetworkLength"/> or the handle than <see cref="MaxHandleLength"/> (<c>CRM-INPUT-001</c>).</exception>
    public static SocialHandle Create(string network, string handle)
    {
        Preconditions.NotNull(network);
        Preconditions.NotNull(handle);
        return TryCreate(network, handle, out var result, out var error, out var parameterName, throwOnLimit: true)
            ? result
            : throw new ArgumentException(error, parameterName);
    }

    /// <summary>Reads the <c>network:handle</c> form written by <see cref="NormalizedValue"/> (normalising it again on the way in).</summary>
    /// <param name="text">The network key, a colon, then the handle, e.g. <c>x:ann_lee</c>.</param>
    /// <returns>The social handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException"><paramref name="text"/> has no colon, or its network or handle breaks a rule of <see cref="Create"/>.</exception>
    public static SocialHandle Parse(string text)
    {
        Preconditions.NotNull(text);
        return TryParseCore(text, out var result, out var error) ? result : throw new FormatException(NotASocialHandle + error);
    }

    /// <summary>Tries to read the <c>network:handle</c> form written by <see cref="NormalizedValue"/>.</summary>
    /// <param name="text">The text; null gives <see langword="false"/>.</param>
    /// <param name="result">The social handle, or null when the text is not valid.</param>
    /// <returns>True when <paramref name="text"/> is a valid <c>network:handle</c>.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out SocialHandle? result)
    {
        if (text is not null && TryParseCore(text, out result, out _))
        {
            return true;
        }

        result = null;
        return false;
    }

    private static bool TryParseCore(string text, [NotNullWhen(true)] out SocialHandle? result, [NotNullWhen(false)] out string? error)
    {
        // The network key cannot contain a colon, so the first one separates; the handle may contain more.
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            result = null;
            error = "expected the network key, a colon and the handle, e.g. x:ann_lee.";
            return false;
        }

        return TryCreate(text[..colon], text[(colon + 1)..], out result, out error, out _);
    }

    private static bool TryCreate(
        string network,
        string handle,
        [NotNullWhen(true)] out SocialHandle? result,
        [NotNullWhen(false)] out string? error,
        [NotNullWhen(false)] out string? parameterName,
        bool throwOnLimit = false)
    {
        result = null;
        var cleanNetwork = ContactPointText.ToLowerAscii(network.Trim());
        if (throwOnLimit)
        {
            Preconditions.MaxLength(cleanNetwork, MaxNetworkLength, nameof(network));
        }

        if (!IsValidNetwork(cleanNetwork))
        {
            error = $"The network must be 1 to {MaxNetworkLength} characters from a-z 0-9 . - starting with a letter or digit, e.g. linkedin.";
            parameterName = nameof(network);
            return false;
        }

        if (!TryNormalizeHandle(handle, out var cleanHandle, out error, throwOnLimit))
        {
            parameterName = nameof(handle);
            return false;
        }

        result = new SocialHandle(cleanNetwork, cleanHandle);
        parameterName = null;
        return true;
    }

    private static bool IsValidNetwork(string network)
    {
        if (network.Length is 0 or > MaxNetworkLength || !IsNetworkChar(network[0]) || network[0] is '.' or '-')
        {
            return false;
        }

        foreach (var c in network)
        {
            if (!IsNetworkChar(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsNetworkChar(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-';

    private static bool TryNormalizeHandle(string handle, [NotNullWhen(true)] out string? clean, [NotNullWhen(false)] out string? error, bool throwOnLimit = false)
    {
        clean = null;
        var trimmed = handle.AsSpan().Trim();
        if (trimmed.StartsWith('@'))
        {
            trimmed = trimmed[1..];
        }

        if (trimmed.IsEmpty)
        {
            error = "The handle is empty.";
            return false;
        }

        if (trimmed[0] == '@')
        {
            error = "The handle starts with more than one '@'.";
            return false;
        }

        if (!ContactPointText.IsWellFormed(trimmed))
        {
            error = "The handle contains an unpaired surrogate (ill-formed UTF-16).";
            return false;
        }

        var normalized = ContactPointText.ToLowerIdentifier(ContactPointText.ToNfc(trimmed.Length == handle.Length ? handle : trimmed.ToString()));
        if (normalized.Length > MaxHandleLength)
        {
            if (throwOnLimit)
            {
                Preconditions.MaxLength(normalized, MaxHandleLength, nameof(handle));
            }

            error = $"The handle is longer than {MaxHandleLength} characters.";
            return false;
        }

        foreach (var rune in normalized.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune) || Rune.IsControl(rune) || Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format)
            {
                error = "The handle has white space, a control character or an invisible formatting character.";
                return false;
            }
        }

        clean = normalized;
        error = null;
        return true;
    }
}

using CrmKernel.Diagnostics;

namespace CrmKernel.Identity;

/// <summary>
/// A blocking key: customers that share one are compared with each other, customers that share none never are. A key
/// is its kind (e.g. <c>email</c>) and a 64-bit hash of its normalised value, so it holds no readable personal data and costs
/// no allocation; two values whose hashes collide only put one more pair in front of the scoring, which decides.
/// Build keys in an <see cref="IMatchKeyBuilder"/>.
/// </summary>
public readonly struct MatchKey : IEquatable<MatchKey>
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    /// <summary>Creates the key of <paramref name="value"/> under <paramref name="kind"/>.</summary>
    /// <param name="kind">What the key is built from, e.g. <c>email</c>; keys of different kinds never meet.</param>
    /// <param name="value">The normalised value (compared ordinally).</param>
    /// <exception cref="ArgumentNullException"><paramref name="kind"/> is null.</exception>
    public MatchKey(string kind, ReadOnlySpan<char> value)
        : this(kind, value, ReadOnlySpan<char>.Empty)
    {
    }

    /// <summary>Creates the key of two parts (e.g. a phonetic name code and a postal code) under <paramref name="kind"/>.</summary>
    /// <param name="kind">What the key is built from, e.g. <c>name+postcode</c>.</param>
    /// <param name="first">The first part.</param>
    /// <param name="second">The second part; ("ab", "c") and ("a", "bc") are different keys.</param>
    /// <exception cref="ArgumentNullException"><paramref name="kind"/> is null.</exception>
    public MatchKey(string kind, ReadOnlySpan<char> first, ReadOnlySpan<char> second)
    {
        Kind = Preconditions.NotNull(kind);
        var hash = Add(FnvOffset, kind);
        hash = Add(hash, first);
        hash = (hash ^ 0xFFFF) * FnvPrime;
        Hash = Add(hash, second);
    }

    /// <summary>What the key is built from, e.g. <c>email</c> or <c>phone</c>: reported for a block too large to compare.</summary>
    public string Kind { get; }

    /// <summary>The hash of the kind and the value.</summary>
    public ulong Hash { get; }

    /// <inheritdoc/>
    public bool Equals(MatchKey other) => Hash == other.Hash && string.Equals(Kind, other.Kind, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is MatchKey other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => (int)(Hash ^ (Hash >> 32));

    /// <summary>The kind and the hash, e.g. <c>email:9f3c…</c>; never the value.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Kind}:{Hash:x16}";

    /// <summary>Whether two keys are the same.</summary>
    /// <param name="left">One key.</param>
    /// <param name="right">The other key.</param>
    /// <returns>True when kind and hash are equal.</returns>
    public static bool operator ==(MatchKey left, MatchKey right) => left.Equals(right);

    /// <summary>Whether two keys differ.</summary>
    /// <param name="left">One key.</param>
    /// <param name="right">The other key.</param>
    /// <returns>True when kind or hash differ.</returns>
    public static bool operator !=(MatchKey left, MatchKey right) => !left.Equals(right);

    private static ulong Add(ulong hash, ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            hash = (hash ^ c) * FnvPrime;
        }

        return hash;
    }
}

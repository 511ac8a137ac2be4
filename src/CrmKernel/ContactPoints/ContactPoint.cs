using CrmKernel.Diagnostics;

namespace CrmKernel.ContactPoints;

/// <summary>
/// A way to reach a party: an <see cref="EmailAddress"/>, a <see cref="PhoneNumber"/>, a
/// <see cref="PostalAddress"/> or a <see cref="SocialHandle"/>. Every contact point is validated
/// and normalised when it is created, so two contact points are equal exactly when they reach the
/// same destination, and stores can index them by <see cref="Kind"/> and <see cref="NormalizedValue"/>.
/// </summary>
/// <remarks>The set of kinds is closed: only the four sealed types in this namespace derive from it.</remarks>
public abstract class ContactPoint : IEquatable<ContactPoint>
{
    private protected ContactPoint()
    {
    }

    /// <summary>Which kind of contact point this is.</summary>
    public abstract ContactPointKind Kind { get; }

    /// <summary>
    /// The canonical text of this contact point: what equality compares, what stores index and keep,
    /// and what <see cref="Parse(ContactPointKind, string)"/> turns back into an equal contact point.
    /// </summary>
    public abstract string NormalizedValue { get; }

    /// <summary>
    /// Turns a kind and text (typically a stored <see cref="NormalizedValue"/>) back into a contact
    /// point, validating and normalising it on the way in.
    /// </summary>
    /// <param name="kind">The kind of contact point.</param>
    /// <param name="value">Its text; phone numbers must be in E.164 form (leading <c>+</c>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is undefined.</exception>
    /// <exception cref="FormatException"><paramref name="value"/> is not a valid contact point of that kind.</exception>
    public static ContactPoint Parse(ContactPointKind kind, string value)
    {
        Preconditions.NotNull(value);
        return Preconditions.Defined(kind) switch
        {
            ContactPointKind.Email => EmailAddress.Parse(value),
            ContactPointKind.Phone => PhoneNumber.Parse(value),
            ContactPointKind.PostalAddress => PostalAddress.Parse(value),
            _ => SocialHandle.Parse(value),
        };
    }

    /// <summary>True when both are the same kind with the same normalised value.</summary>
    public bool Equals(ContactPoint? other)
        => other is not null && other.Kind == Kind && string.Equals(other.NormalizedValue, NormalizedValue, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ContactPoint);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, StringComparer.Ordinal.GetHashCode(NormalizedValue));

    /// <summary>The normalised value. It may be personal data: do not put it in logs or exception messages.</summary>
    public override string ToString() => NormalizedValue;

    /// <summary>Equality by kind and normalised value.</summary>
    public static bool operator ==(ContactPoint? left, ContactPoint? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Inequality by kind and normalised value.</summary>
    public static bool operator !=(ContactPoint? left, ContactPoint? right) => !(left == right);
}

using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

namespace CrmKernel.Privacy;

/// <summary>
/// A lawful reason to keep a person's data for now (an open invoice, a pending legal claim, an open service case), which
/// blocks their erasure. Return one from an <see cref="ILawfulHoldCheck"/>; the erasure then throws a
/// <see cref="PrivacyException"/> with <see cref="CrmErrorCodes.ErasureOnHold"/> naming the hold's code and holder.
/// </summary>
public sealed class LawfulHold : IEquatable<LawfulHold>
{
    /// <summary>The longest code and holder.</summary>
    public const int MaxLength = 64;

    /// <summary>Creates a hold.</summary>
    /// <param name="code">What the hold is, as a slug (e.g. <c>open-invoice</c>); never personal data.</param>
    /// <param name="holder">Who holds it, as a slug (e.g. <c>billing</c>, or <c>crm-kernel</c> for the kernel's own holds).</param>
    /// <exception cref="ArgumentNullException">A text is null.</exception>
    /// <exception cref="ArgumentException">A text is not a slug.</exception>
    /// <exception cref="InputLimitExceededException">A text is longer than <see cref="MaxLength"/> (<c>CRM-INPUT-001</c>).</exception>
    public LawfulHold(string code, string holder)
    {
        Code = Slug.Require(Preconditions.NotNull(code), MaxLength, "hold code", nameof(code));
        Holder = Slug.Require(Preconditions.NotNull(holder), MaxLength, "hold holder", nameof(holder));
    }

    /// <summary>What the hold is (e.g. <c>open-invoice</c>).</summary>
    public string Code { get; }

    /// <summary>Who holds it (e.g. <c>billing</c>).</summary>
    public string Holder { get; }

    /// <inheritdoc />
    public bool Equals(LawfulHold? other) => other is not null && Code == other.Code && Holder == other.Holder;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as LawfulHold);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Code, Holder);

    /// <inheritdoc />
    public override string ToString() => $"{Holder}/{Code}";
}

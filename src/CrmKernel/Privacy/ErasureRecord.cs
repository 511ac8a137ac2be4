using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Privacy;

/// <summary>
/// The proof of one erasure: whose data was erased, when, at whose request, and how many items of each category
/// (<see cref="ErasureCategories"/>) were removed or anonymised. It holds ids and counts only, never the erased data
/// or a hash of it. Keep it as long as you must be able to show that a request was honoured; erasing again returns the
/// same record.
/// </summary>
public sealed class ErasureRecord : IEquatable<ErasureRecord>
{
    /// <summary>The longest <see cref="RequestedBy"/> and <see cref="Reference"/>.</summary>
    public const int MaxTextLength = 128;

    /// <summary>The most categories a record lists.</summary>
    public const int MaxCategories = 64;

    /// <summary>Creates a record (the erasure store does, when it commits an erasure).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="customerId">The erased customer, kept as a pseudonymous shell under the same id.</param>
    /// <param name="erasedAt">When the erasure was committed.</param>
    /// <param name="shellVersion">The customer's version after the erasure.</param>
    /// <param name="requestedBy">Who ran it: a user or process id (a slug), never the data subject's name.</param>
    /// <param name="reference">The request's reference in the host's system (a ticket id, a slug), or null.</param>
    /// <param name="counts">What was removed or anonymised, per category; each category at most once.</param>
    /// <exception cref="ArgumentNullException"><paramref name="requestedBy"/> or <paramref name="counts"/> is null.</exception>
    /// <exception cref="ArgumentException">An id is the default, the version is below 2, a text is not a slug, or a category repeats.</exception>
    /// <exception cref="InputLimitExceededException">A text is longer than <see cref="MaxTextLength"/>, or there are more than <see cref="MaxCategories"/> counts (<c>CRM-INPUT-001</c>).</exception>
    public ErasureRecord(TenantId tenantId, CustomerId customerId, Instant erasedAt, long shellVersion, string requestedBy, string? reference, IReadOnlyList<ErasureCount> counts)
    {
        Preconditions.NotNull(requestedBy);
        Preconditions.NotNull(counts);
        TenantId = Preconditions.NotDefault(tenantId);
        CustomerId = Preconditions.NotDefault(customerId);
        Preconditions.Check(shellVersion >= 2, "An erased customer has a version of 2 or more.", nameof(shellVersion));
        ErasedAt = erasedAt;
        ShellVersion = shellVersion;
        RequestedBy = Slug.Require(Preconditions.NotNull(requestedBy), MaxTextLength, "requester id", nameof(requestedBy));
        Reference = reference is null ? null : Slug.Require(reference, MaxTextLength, "request reference", nameof(reference));
        Preconditions.NotNull(counts);
        Preconditions.MaxCount(counts.Count, MaxCategories, "categories", nameof(counts));
        Preconditions.Check(counts.Select(static c => c.Category).Distinct(StringComparer.Ordinal).Count() == counts.Count && counts.All(static c => c.Category is not null), "Each category is counted once.", nameof(counts));
        Counts = [.. counts];
    }

    /// <summary>The tenant.</summary>
    public TenantId TenantId { get; }

    /// <summary>The erased customer.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>When the erasure was committed.</summary>
    public Instant ErasedAt { get; }

    /// <summary>The customer's version after the erasure (the shell's first version).</summary>
    public long ShellVersion { get; }

    /// <summary>Who ran the erasure.</summary>
    public string RequestedBy { get; }

    /// <summary>The request's reference in the host's system, or null.</summary>
    public string? Reference { get; }

    /// <summary>What was removed or anonymised, per category, in the order the store listed them.</summary>
    public IReadOnlyList<ErasureCount> Counts { get; }

    /// <summary>How many items of <paramref name="category"/> were erased; 0 when the record does not list it.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="category"/> is null.</exception>
    public int CountOf(string category)
    {
        Preconditions.NotNull(category);
        foreach (var c in Counts)
        {
            if (string.Equals(c.Category, category, StringComparison.Ordinal))
            {
                return c.Count;
            }
        }

        return 0;
    }

    /// <inheritdoc />
    public bool Equals(ErasureRecord? other)
        => other is not null
           && TenantId == other.TenantId
           && CustomerId == other.CustomerId
           && ErasedAt == other.ErasedAt
           && ShellVersion == other.ShellVersion
           && RequestedBy == other.RequestedBy
           && Reference == other.Reference
           && Counts.SequenceEqual(other.Counts);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ErasureRecord);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(TenantId, CustomerId, ErasedAt);
}

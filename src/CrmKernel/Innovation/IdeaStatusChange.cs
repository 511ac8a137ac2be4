using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Innovation;

/// <summary>One step of an idea's history: from which status to which, when, why, and (for a merge) into which idea.</summary>
public sealed class IdeaStatusChange : IEquatable<IdeaStatusChange>
{
    /// <summary>The longest reason accepted.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>Creates a history entry (the aggregate does this; adapters rebuild one from a document).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="reason"/> is null.</exception>
    /// <exception cref="ArgumentException">A status is undefined, the reason is blank, or a merge target is missing or given for another status.</exception>
    /// <exception cref="InputLimitExceededException">The reason is longer than <see cref="MaxReasonLength"/> (<c>CRM-INPUT-001</c>).</exception>
    public IdeaStatusChange(IdeaStatus from, IdeaStatus to, Instant at, string reason, IdeaId? mergedInto = null)
    {
        From = Preconditions.Defined(from);
        To = Preconditions.Defined(to);
        Reason = Preconditions.MaxLength(Preconditions.NotBlank(reason).Trim(), MaxReasonLength, nameof(reason));
        Preconditions.Check((to == IdeaStatus.Merged) == (mergedInto is { } m && m != default), "A merge names the idea merged into, and only a merge does.", nameof(mergedInto));
        At = at;
        MergedInto = mergedInto;
    }

    /// <summary>The status before.</summary>
    public IdeaStatus From { get; }

    /// <summary>The status after.</summary>
    public IdeaStatus To { get; }

    /// <summary>When it changed.</summary>
    public Instant At { get; }

    /// <summary>Why, as given by whoever changed it.</summary>
    public string Reason { get; }

    /// <summary>The idea merged into, when <see cref="To"/> is <see cref="IdeaStatus.Merged"/>.</summary>
    public IdeaId? MergedInto { get; }

    /// <inheritdoc />
    public bool Equals(IdeaStatusChange? other)
        => other is not null && From == other.From && To == other.To && At == other.At && Reason == other.Reason && MergedInto == other.MergedInto;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as IdeaStatusChange);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(From, To, At, Reason, MergedInto);

    /// <summary>The change as text, e.g. <c>Submitted→UnderReview</c>.</summary>
    public override string ToString() => $"{From}→{To}";
}
